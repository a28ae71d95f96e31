-- Columns of tables, views, materialized views and composite types, in attnum order.
-- Identity columns carry their sequence's options (the sequence depends on the column with
-- deptype 'i'). The collation is listed only when it differs from the type's.
WITH identity_sequence AS (
  SELECT dep.refobjid AS relid, dep.refobjsubid AS attnum, s.*
  FROM pg_catalog.pg_depend dep
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid
  WHERE dep.classid = 'pg_catalog.pg_class'::regclass
    AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    AND dep.deptype = 'i'
)
SELECT a.attrelid AS relation_oid,
       a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS expression,
       a.attidentity AS identity,
       a.attgenerated AS generated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
       END AS collation,
       NOT a.attislocal AS inherited,
       s.seqstart AS identity_start,
       s.seqincrement AS identity_increment,
       s.seqmin AS identity_min,
       s.seqmax AS identity_max,
       s.seqcache AS identity_cache,
       s.seqcycle AS identity_cycle,
       pg_catalog.format_type(s.seqtypid, NULL) AS identity_type,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum) AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN identity_sequence s ON s.relid = a.attrelid AND s.attnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'c')
  AND n.nspname = ANY (%(schemas)s::text[])
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
