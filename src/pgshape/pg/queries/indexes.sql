-- Indexes of tables and materialized views that do not implement a constraint (those are
-- read with the constraint) and are not a partition's copy of its parent's index (those are
-- created automatically with the partition). For each key: the column, or the expression as
-- pg_get_indexdef prints that key alone; indoption bits (1 = DESC, 2 = NULLS FIRST); the
-- operator class when it is not the default; the collation when it is not the column's (or,
-- for an expression, its type's).
WITH listed AS (
  SELECT i.*
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class r ON r.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
  WHERE r.relkind IN ('r', 'p', 'm')
    AND n.nspname = ANY (%(schemas)s::text[])
    AND NOT EXISTS (
          SELECT FROM pg_catalog.pg_constraint c
          WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
), key_columns AS (
  -- One row per index column (keys and INCLUDE columns), numbered from 1.
  SELECT i.indexrelid, i.indrelid, i.indnkeyatts, k.attnum, k.ord::int AS ord,
         i.indoption[k.ord::int - 1] AS option,
         i.indclass[k.ord::int - 1] AS opclass,
         i.indcollation[k.ord::int - 1] AS collation
  FROM listed i, unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
), keys AS (
  SELECT kc.indexrelid,
         jsonb_agg(jsonb_build_object(
           'column', a.attname,
           'expression', CASE WHEN kc.attnum = 0
                              THEN pg_catalog.pg_get_indexdef(kc.indexrelid, kc.ord, false) END,
           'option', kc.option,
           'opclass', CASE WHEN NOT oc.opcdefault
                           THEN pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname)
                      END,
           'collation', CASE WHEN kc.collation <> 0
                              AND kc.collation <> COALESCE(a.attcollation, et.typcollation)
                             THEN pg_catalog.quote_ident(con.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                        END) ORDER BY kc.ord) FILTER (WHERE kc.ord <= kc.indnkeyatts) AS keys,
         array_agg(a.attname ORDER BY kc.ord) FILTER (WHERE kc.ord > kc.indnkeyatts) AS include
  FROM key_columns kc
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = kc.indrelid AND a.attnum = kc.attnum AND kc.attnum <> 0
  -- The index's own attribute has the expression's type, whose collation is the default.
  LEFT JOIN pg_catalog.pg_attribute ea ON ea.attrelid = kc.indexrelid AND ea.attnum = kc.ord
  LEFT JOIN pg_catalog.pg_type et ON et.oid = ea.atttypid
  LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = kc.opclass
  LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = kc.collation
  LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
  GROUP BY kc.indexrelid
)
SELECT i.indrelid AS relation_oid,
       ic.relname AS name,
       i.indisunique AS unique,
       am.amname AS method,
       keys.keys,
       COALESCE(keys.include, '{}') AS include,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       COALESCE((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
       COALESCE(ic.reloptions, '{}') AS options,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = i.indexrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0) AS comment
FROM listed i
JOIN keys ON keys.indexrelid = i.indexrelid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
