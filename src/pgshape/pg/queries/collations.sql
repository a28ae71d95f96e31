-- Every collation by oid, qualified and quoted for SQL (pg_catalog."C"). Columns and index keys
-- return collation oids and are named from this list: cheaper than joining pg_collation and its
-- namespace for each of them.
SELECT co.oid,
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(co.collname) AS name
FROM pg_catalog.pg_collation co
JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
