"""pgshape: design PostgreSQL schemas with SQLModel, proven on a real PostgreSQL."""

__version__ = "0.1.0"
