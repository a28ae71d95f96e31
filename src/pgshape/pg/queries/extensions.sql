-- Installed extensions except plpgsql (always there). Not filtered by schema: a table in any
-- schema may use an extension's types.
SELECT x.extname AS name,
       n.nspname AS schema,
       x.extversion AS version
FROM pg_catalog.pg_extension x
JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
WHERE x.extname <> 'plpgsql'
ORDER BY x.extname
