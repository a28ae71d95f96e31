-- Domains. Check expressions are pg_get_expr(conbin, 0), which prints them exactly as a
-- table check prints (e.g. "(VALUE > 0)"), without the CHECK keyword or a NOT VALID suffix.
-- The collation is listed only when it differs from the base type's.
SELECT n.nspname AS schema,
       t.typname AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
       NOT t.typnotnull AS nullable,
       t.typdefault AS default_value,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
       END AS collation,
       COALESCE((
         SELECT jsonb_agg(jsonb_build_object(
                  'name', c.conname,
                  'expression', pg_catalog.pg_get_expr(c.conbin, 0),
                  'validated', c.convalidated,
                  'comment', cd.description) ORDER BY c.conname)
         FROM pg_catalog.pg_constraint c
         LEFT JOIN pg_catalog.pg_description cd
                ON cd.objoid = c.oid AND cd.classoid = 'pg_catalog.pg_constraint'::regclass AND cd.objsubid = 0
         WHERE c.contypid = t.oid AND c.contype = 'c'), '[]') AS checks,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND n.nspname = ANY (%(schemas)s::text[])
  AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_depend e
        WHERE e.classid = 'pg_catalog.pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
