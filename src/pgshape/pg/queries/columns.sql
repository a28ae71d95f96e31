-- Columns of tables, views, materialized views and composite types, in attnum order.
-- attnum is returned because constraint and index keys are read as attnum arrays and named in
-- Python from these rows: looking each key up in pg_attribute in SQL cost more than the rest of
-- those queries together.
-- Identity columns carry their sequence's options (the sequence depends on the column with
-- deptype 'i'). The identity sequences are collected once and hash-joined; left to the planner,
-- pg_depend was probed once per column.
-- Collations are returned as oids, the column's and its type's; collations.sql names them.
-- A default is printed without its relation (pg_get_expr(adbin, 0)): it cannot reference
-- columns, and naming the relation makes PostgreSQL open the table, building its relcache entry,
-- which was the largest cost of this query on a new connection. A generation expression does
-- reference columns, so it gets the relation.
WITH identity_sequence AS MATERIALIZED (
  SELECT dep.refobjid AS relid, dep.refobjsubid AS attnum, s.*
  FROM pg_catalog.pg_depend dep
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid
  WHERE dep.classid = 'pg_catalog.pg_class'::regclass
    AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    AND dep.deptype = 'i'
)
SELECT a.attrelid AS relation_oid,
       c.relkind AS relation_kind,
       a.attnum,
       a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) AS expression,
       a.attidentity AS identity,
       a.attgenerated AS generated,
       a.attcollation AS collation_oid,
       t.typcollation AS type_collation_oid,
       NOT a.attislocal AS inherited,
       s.seqstart AS identity_start,
       s.seqincrement AS identity_increment,
       s.seqmin AS identity_min,
       s.seqmax AS identity_max,
       s.seqcache AS identity_cache,
       s.seqcycle AS identity_cycle,
       pg_catalog.format_type(s.seqtypid, NULL) AS identity_type,
       d.description AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN identity_sequence s ON s.relid = a.attrelid AND s.attnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'c')
  AND n.nspname = ANY (%(schemas)s::text[])
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
