-- Row-level security policies; role 0 is PUBLIC.
SELECT p.polrelid AS relation_oid,
       p.polname AS name,
       p.polcmd AS command,
       p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN role.oid = 0 THEN 'public' ELSE ro.rolname END
             FROM unnest(p.polroles) role(oid)
             LEFT JOIN pg_catalog.pg_roles ro ON ro.oid = role.oid) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_policy'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class r ON r.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
WHERE n.nspname = ANY (%(schemas)s::text[])
