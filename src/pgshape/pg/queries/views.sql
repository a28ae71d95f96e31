-- Views and materialized views: the definition as pg_get_viewdef prints it, and the relations
-- their rewrite rule reads (for ordering), leaving out the view itself and system catalogs.
SELECT c.oid,
       pg_catalog.pg_get_viewdef(c.oid) AS definition,
       COALESCE((
         SELECT jsonb_agg(DISTINCT jsonb_build_array(rn.nspname, rc.relname))
         FROM pg_catalog.pg_rewrite r
         JOIN pg_catalog.pg_depend dep
           ON dep.classid = 'pg_catalog.pg_rewrite'::regclass AND dep.objid = r.oid
          AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.refobjid <> c.oid
         JOIN pg_catalog.pg_class rc ON rc.oid = dep.refobjid
         JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
         WHERE r.ev_class = c.oid
           AND rn.nspname NOT IN ('pg_catalog', 'information_schema')), '[]') AS depends_on
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY (%(schemas)s::text[])
