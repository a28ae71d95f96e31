-- Indexes of tables and materialized views that do not implement a constraint (those are
-- read with the constraint) and are not a partition's copy of its parent's index (those are
-- created automatically with the partition).
-- Keys come as parallel arrays over the index's columns (keys first, then INCLUDE columns):
-- attnums (0 = an expression), indoption bits (1 = DESC, 2 = NULLS FIRST), operator class and
-- collation oids. Python names the columns from columns.sql, and the operator classes and
-- collations from opclasses.sql and collations.sql: per-key joins in SQL were most of this
-- query's time. Only expression keys are printed here, each as
-- [pg_get_indexdef of that key alone, its collation oid when not the expression type's].
-- indnullsnotdistinct only exists on PostgreSQL 15+: the reader substitutes the double-braced
-- marker per server version (see introspect.py).
SELECT i.indrelid AS relation_oid,
       ic.relname AS name,
       i.indisunique AS is_unique,
       am.amname AS method,
       i.indkey::pg_catalog.int2[] AS columns,
       i.indnkeyatts AS key_count,
       i.indoption::pg_catalog.int2[] AS sort_options,
       i.indclass::pg_catalog.oid[] AS opclasses,
       i.indcollation::pg_catalog.oid[] AS collations,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT ARRAY[pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, false),
                            NULLIF(i.indcollation[k.ord::int - 1], et.typcollation)::text]
               FROM unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, ord)
               -- The index's own attribute has the expression's type.
               JOIN pg_catalog.pg_attribute ea ON ea.attrelid = i.indexrelid AND ea.attnum = k.ord
               JOIN pg_catalog.pg_type et ON et.oid = ea.atttypid
               WHERE k.attnum = 0
               ORDER BY k.ord)
       END AS expressions,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       COALESCE({{i.indnullsnotdistinct}}, false) AS nulls_not_distinct,
       COALESCE(ic.reloptions, '{}') AS options,
       d.description AS comment
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class r ON r.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE r.relkind IN ('r', 'p', 'm')
  AND n.nspname = ANY (%(schemas)s::text[])
  -- NOT IN over all constraint indexes is one hashed scan; NOT EXISTS probed pg_constraint once
  -- per index. conindid is never NULL (0 when unused).
  AND i.indexrelid NOT IN (
        SELECT c.conindid FROM pg_catalog.pg_constraint c WHERE c.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
