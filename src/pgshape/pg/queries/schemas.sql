-- Schemas (namespaces) to introspect: every non-system schema, or those named in
-- %(schemas)s (NULL = all). Schemas created by an extension are left out.
SELECT n.nspname AS name,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%'
  AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
  AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_depend e
        WHERE e.classid = 'pg_catalog.pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e')
ORDER BY n.nspname
