-- Table constraints: primary key (p), unique (u), foreign key (f), check (c), exclusion (x).
-- NOT NULL constraints (n, PostgreSQL 18) are read from the columns instead. Constraints a
-- partition or inheritance child receives from its parent (conparentid <> 0, or not
-- conislocal) are left out: they are the parent's.
-- Column lists are attnum arrays in key order (conkey, confkey, confdelsetcols, and the index's
-- indkey after its key_count key columns for INCLUDE), named in Python from columns.sql: one
-- pg_attribute lookup per key in SQL was most of this query's time. columns.sql only reads the
-- introspected schemas, so a foreign key to a table elsewhere gets its referenced column names
-- here (referenced_names).
-- confdelsetcols and indnullsnotdistinct only exist on PostgreSQL 15+: the reader substitutes
-- the double-braced markers per server version (see introspect.py).
SELECT c.conrelid AS relation_oid,
       c.conname AS name,
       c.contype AS type,
       c.conkey AS columns,
       c.condeferrable AS deferrable,
       c.condeferred AS initially_deferred,
       c.convalidated AS validated,
       c.connoinherit AS no_inherit,
       CASE WHEN c.contype = 'c' THEN pg_catalog.pg_get_expr(c.conbin, c.conrelid) END AS expression,
       CASE WHEN c.contype = 'x' THEN pg_catalog.pg_get_constraintdef(c.oid) END AS definition,
       c.confrelid AS referenced_oid,
       fn.nspname AS referenced_schema,
       f.relname AS referenced_table,
       c.confkey AS referenced_columns,
       CASE WHEN c.contype = 'f' AND fn.nspname <> ALL (%(schemas)s::text[]) THEN
         ARRAY(SELECT a.attname
               FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
               ORDER BY k.ord)
       END AS referenced_names,
       c.confdeltype AS on_delete,
       c.confupdtype AS on_update,
       c.confmatchtype AS match,
       {{c.confdelsetcols}} AS on_delete_columns,
       i.indkey::pg_catalog.int2[] AS index_columns,
       i.indnkeyatts AS key_count,
       COALESCE({{i.indnullsnotdistinct}}, false) AS nulls_not_distinct,
       d.description AS comment
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objsubid = 0
WHERE c.contype IN ('p', 'u', 'f', 'c', 'x')
  AND r.relkind IN ('r', 'p')
  AND n.nspname = ANY (%(schemas)s::text[])
  AND c.conparentid = 0
  AND c.conislocal
