-- Enum types with their labels in sort order.
SELECT n.nspname AS schema,
       t.typname AS name,
       ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND n.nspname = ANY (%(schemas)s::text[])
  AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_depend e
        WHERE e.classid = 'pg_catalog.pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
