-- Operator classes that are not the default for their type and access method, by oid,
-- qualified and quoted for SQL. An index key names its operator class only when it is one of
-- these; indexes.sql returns the oids.
SELECT oc.oid,
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) AS name
FROM pg_catalog.pg_opclass oc
JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
WHERE NOT oc.opcdefault
