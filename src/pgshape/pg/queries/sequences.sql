-- Stand-alone sequences (identity sequences, dependency type 'i', belong to their column).
-- owned_by comes from the automatic dependency ('a') on a table column (serial, OWNED BY).
SELECT n.nspname AS schema,
       c.relname AS name,
       pg_catalog.format_type(s.seqtypid, NULL) AS type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       own.schema AS owner_schema,
       own.table AS owner_table,
       own.column AS owner_column,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN LATERAL (
       SELECT tn.nspname AS schema, t.relname AS table, a.attname AS column
       FROM pg_catalog.pg_depend o
       JOIN pg_catalog.pg_class t ON t.oid = o.refobjid
       JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
       JOIN pg_catalog.pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
       WHERE o.classid = 'pg_catalog.pg_class'::regclass AND o.objid = c.oid
         AND o.refclassid = 'pg_catalog.pg_class'::regclass AND o.refobjsubid > 0
         AND o.deptype = 'a'
       LIMIT 1) own ON true
WHERE c.relkind = 'S'
  AND n.nspname = ANY (%(schemas)s::text[])
  AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_depend e
        WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid AND e.deptype IN ('e', 'i'))
