-- Table constraints: primary key (p), unique (u), foreign key (f), check (c), exclusion (x).
-- NOT NULL constraints (n, PostgreSQL 18) are read from the columns instead. Constraints a
-- partition or inheritance child receives from its parent (conparentid <> 0, or not
-- conislocal) are left out: they are the parent's. Column lists keep conkey order.
-- confdelsetcols (15+) and indnullsnotdistinct (15+) are read through to_jsonb so the same
-- text runs on every supported version.
SELECT c.conrelid AS relation_oid,
       c.conname AS name,
       c.contype AS type,
       ARRAY(SELECT a.attname
             FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       c.condeferrable AS deferrable,
       c.condeferred AS initially_deferred,
       c.convalidated AS validated,
       c.connoinherit AS no_inherit,
       CASE WHEN c.contype = 'c' THEN pg_catalog.pg_get_expr(c.conbin, c.conrelid) END AS expression,
       CASE WHEN c.contype = 'x' THEN pg_catalog.pg_get_constraintdef(c.oid) END AS definition,
       fn.nspname AS referenced_schema,
       f.relname AS referenced_table,
       ARRAY(SELECT a.attname
             FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS referenced_columns,
       c.confdeltype AS on_delete,
       c.confupdtype AS on_update,
       c.confmatchtype AS match,
       CASE WHEN c.contype = 'f' THEN
         ARRAY(SELECT a.attname
               FROM jsonb_array_elements_text(
                      COALESCE(NULLIF(to_jsonb(c) -> 'confdelsetcols', 'null'), '[]')) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum::int2
               ORDER BY k.ord)
       END AS on_delete_columns,
       CASE WHEN c.contype IN ('p', 'u') THEN
         ARRAY(SELECT a.attname
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
               WHERE k.ord > i.indnkeyatts
               ORDER BY k.ord)
       END AS include,
       COALESCE((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
WHERE c.contype IN ('p', 'u', 'f', 'c', 'x')
  AND r.relkind IN ('r', 'p')
  AND n.nspname = ANY (%(schemas)s::text[])
  AND c.conparentid = 0
  AND c.conislocal
