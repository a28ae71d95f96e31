-- Functions, procedures, window functions and aggregates. pg_get_functiondef cannot print an
-- aggregate, so an executable CREATE AGGREGATE is assembled from pg_aggregate; options at
-- their defaults are left out. depends_on lists the relations and user types the routine
-- depends on (a table's row type counts as the table, an array type as its element type).
SELECT n.nspname AS schema,
       p.proname AS name,
       p.prokind AS kind,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       CASE WHEN p.prokind = 'a' THEN
         'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
         || '(' || CASE WHEN p.pronargs = 0 THEN '*'
                        ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END || ') ('
         || concat_ws(', ',
              'SFUNC = ' || ag.aggtransfn::pg_catalog.regproc,
              'STYPE = ' || pg_catalog.format_type(ag.aggtranstype, NULL),
              'SSPACE = ' || NULLIF(ag.aggtransspace, 0),
              'FINALFUNC = ' || NULLIF(ag.aggfinalfn, 0)::pg_catalog.regproc,
              CASE WHEN ag.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
              'FINALFUNC_MODIFY = ' || CASE WHEN ag.aggfinalmodify <> CASE WHEN ag.aggkind = 'n' THEN 'r' ELSE 'w' END
                                            THEN CASE ag.aggfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                      WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
              'COMBINEFUNC = ' || NULLIF(ag.aggcombinefn, 0)::pg_catalog.regproc,
              'SERIALFUNC = ' || NULLIF(ag.aggserialfn, 0)::pg_catalog.regproc,
              'DESERIALFUNC = ' || NULLIF(ag.aggdeserialfn, 0)::pg_catalog.regproc,
              'INITCOND = ' || pg_catalog.quote_literal(ag.agginitval),
              'MSFUNC = ' || NULLIF(ag.aggmtransfn, 0)::pg_catalog.regproc,
              'MINVFUNC = ' || NULLIF(ag.aggminvtransfn, 0)::pg_catalog.regproc,
              'MSTYPE = ' || CASE WHEN ag.aggmtranstype <> 0
                                  THEN pg_catalog.format_type(ag.aggmtranstype, NULL) END,
              'MSSPACE = ' || NULLIF(ag.aggmtransspace, 0),
              'MFINALFUNC = ' || NULLIF(ag.aggmfinalfn, 0)::pg_catalog.regproc,
              CASE WHEN ag.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
              'MFINALFUNC_MODIFY = ' || CASE WHEN ag.aggmtransfn <> 0 AND ag.aggmfinalmodify
                                                  <> CASE WHEN ag.aggkind = 'n' THEN 'r' ELSE 'w' END
                                             THEN CASE ag.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                       WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
              'MINITCOND = ' || pg_catalog.quote_literal(ag.aggminitval),
              'SORTOP = ' || CASE WHEN ag.aggsortop <> 0
                                  THEN 'OPERATOR(' || ag.aggsortop::pg_catalog.regoper || ')' END,
              'PARALLEL = ' || CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' END,
              CASE WHEN ag.aggkind = 'h' THEN 'HYPOTHETICAL' END)
         || ')'
       ELSE pg_catalog.pg_get_functiondef(p.oid) END AS definition,
       pg_catalog.pg_get_function_result(p.oid) AS returns,
       l.lanname AS language,
       p.prosecdef AS security_definer,
       p.provolatile AS volatility,
       COALESCE(p.proconfig, '{}') AS config,
       COALESCE((
         SELECT jsonb_agg(DISTINCT jsonb_build_array(dn.nspname, COALESCE(rc.relname, dt.typname)))
         FROM pg_catalog.pg_depend dep
         LEFT JOIN pg_catalog.pg_type ty
                ON dep.refclassid = 'pg_catalog.pg_type'::regclass AND ty.oid = dep.refobjid
         -- An array type stands for its element type.
         LEFT JOIN pg_catalog.pg_type dt
                ON dt.oid = CASE WHEN ty.typcategory = 'A' AND ty.typelem <> 0 THEN ty.typelem ELSE ty.oid END
         -- A table's row type (or a relation itself) stands for the table; a composite type
         -- (relkind c) is named as the type.
         LEFT JOIN pg_catalog.pg_class rc
                ON rc.oid = CASE WHEN dep.refclassid = 'pg_catalog.pg_class'::regclass THEN dep.refobjid
                                 ELSE dt.typrelid END
               AND rc.relkind <> 'c'
         JOIN pg_catalog.pg_namespace dn ON dn.oid = COALESCE(rc.relnamespace, dt.typnamespace)
         WHERE dep.classid = 'pg_catalog.pg_proc'::regclass AND dep.objid = p.oid
           AND dep.refclassid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass)
           AND dep.deptype = 'n'
           AND dn.nspname NOT IN ('pg_catalog', 'information_schema')), '[]') AS depends_on,
       (SELECT d.description FROM pg_catalog.pg_description d
        WHERE d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objsubid = 0) AS comment
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN pg_catalog.pg_aggregate ag ON ag.aggfnoid = p.oid
WHERE n.nspname = ANY (%(schemas)s::text[])
  AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_depend e
        WHERE e.classid = 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
