-- Tables (r, p), views (v) and materialized views (m), with what is stored on pg_class.
-- Foreign tables are not read. Legacy inheritance parents are listed in inhseqno order
-- (partitions have their parent in partition_of instead).
SELECT c.oid,
       c.relkind AS kind,
       n.nspname AS schema,
       c.relname AS name,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       COALESCE(c.reloptions, '{}') AS options,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       parent.schema AS parent_schema,
       parent.name AS parent_name,
       COALESCE(parent.legacy, '[]') AS inherits,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
       SELECT max(pn.nspname) FILTER (WHERE c.relispartition) AS schema,
              max(p.relname) FILTER (WHERE c.relispartition) AS name,
              jsonb_agg(jsonb_build_array(pn.nspname, p.relname) ORDER BY i.inhseqno)
                FILTER (WHERE NOT c.relispartition) AS legacy
       FROM pg_catalog.pg_inherits i
       JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
       JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
       WHERE i.inhrelid = c.oid) parent ON c.relkind IN ('r', 'p')
WHERE c.relkind IN ('r', 'p', 'v', 'm')
  AND n.nspname = ANY (%(schemas)s::text[])
  AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_depend e
        WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
