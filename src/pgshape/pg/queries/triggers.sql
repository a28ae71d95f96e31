-- User triggers on tables and views. Internal triggers (foreign keys) and the clones a
-- partition receives from its parent's trigger (tgparentid <> 0) are left out.
SELECT t.tgrelid AS relation_oid,
       t.tgname AS name,
       pg_catalog.pg_get_triggerdef(t.oid, false) AS definition,
       t.tgtype::int AS type,
       t.tgfoid::pg_catalog.regproc::text AS function,
       t.tgenabled AS enabled,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_trigger'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class r ON r.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
WHERE NOT t.tgisinternal
  AND t.tgparentid = 0
  AND n.nspname = ANY (%(schemas)s::text[])
