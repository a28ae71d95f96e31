"""Everything that talks to PostgreSQL: the local server, scratch databases, introspection."""
