-- Stand-alone composite types (CREATE TYPE ... AS (...)), not the row types of tables.
-- Their attributes come from columns.sql, keyed by relation_oid.
SELECT t.typrelid AS relation_oid,
       n.nspname AS schema,
       t.typname AS name,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
WHERE t.typtype = 'c'
  AND n.nspname = ANY (%(schemas)s::text[])
  AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_depend e
        WHERE e.classid = 'pg_catalog.pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
