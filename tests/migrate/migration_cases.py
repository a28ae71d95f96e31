# ruff: noqa: E501  (a table of SQL snippets: one case per line reads best)
"""Schema-change cases: (A, B, seed rows) — the migration A → B must produce B exactly, its down
migration A again, and the seed rows must survive.

Each case runs in a schema of its own (``search_path`` is set to it, so the SQL is written
unqualified); ``{s}`` stands for that schema's name where a qualified name is needed (other
schemas of a case are named ``{s}_something``). ``renames`` are ``--rename`` values; ``min_pg``
skips a case on older servers; ``destructive`` (when given) is what the plan must say;
``notes`` a substring the plan's notes must contain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    a: str
    b: str
    seed: str = ""
    renames: tuple[str, ...] = ()
    min_pg: int = 13
    destructive: bool | None = None
    notes: str | None = None
    online: bool = True
    order_differs: bool = False  # a column order difference is expected (and reported)
    kinds: tuple[str, ...] = ()  # operation kinds the up plan must contain


def C(name: str, a: str, b: str, seed: str = "", **options: object) -> Case:
    return Case(name, a, b, seed, **options)  # type: ignore[arg-type]


T = "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, n integer);"
T_ROWS = "INSERT INTO t (name, n) VALUES ('a', 1), ('b', 2), ('c', NULL);"
P = "CREATE TABLE p (id integer PRIMARY KEY, code text UNIQUE);"
PC = P + "CREATE TABLE c (id integer PRIMARY KEY, p_id integer, note text);"
PC_ROWS = "INSERT INTO p VALUES (1, 'x'), (2, 'y'); INSERT INTO c VALUES (10, 1, 'a'), (11, 2, 'b'), (12, NULL, 'c');"
FN = "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := coalesce(NEW.n, 0); RETURN NEW; END $$;"
RANGE = (
    "CREATE TABLE m (id integer NOT NULL, at date NOT NULL, v text) PARTITION BY RANGE (at);"
    "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
)
M_ROWS = "INSERT INTO m VALUES (1, '2024-02-01', 'a'), (2, '2024-03-01', 'b');"
ENUM = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
E_T = ENUM + "CREATE TABLE e (id integer PRIMARY KEY, m mood DEFAULT 'ok', ms mood[]);"
E_ROWS = "INSERT INTO e VALUES (1, 'sad', '{sad}'), (2, 'ok', '{ok,happy}'), (3, NULL, NULL);"
V = T + "CREATE VIEW v AS SELECT id, name FROM t WHERE n > 0;"

SCHEMAS = [
    C("schema_create", "", "CREATE SCHEMA {s}_x;"),
    C("schema_drop", "CREATE SCHEMA {s}_x;", "", destructive=True),
    C("schema_create_with_table", "", "CREATE SCHEMA {s}_x; CREATE TABLE {s}_x.t (id int);"),
    C("schema_comment", "CREATE SCHEMA {s}_x;", "CREATE SCHEMA {s}_x; COMMENT ON SCHEMA {s}_x IS 'extra';"),
    C(
        "schema_move_table_between",
        "CREATE SCHEMA {s}_x; " + T,
        "CREATE SCHEMA {s}_x; CREATE TABLE {s}_x.u (id int);",
        T_ROWS,
        destructive=True,
    ),
]

EXTENSIONS = [
    C("extension_create", "", "CREATE EXTENSION citext SCHEMA {s};"),
    C("extension_drop", "CREATE EXTENSION hstore SCHEMA {s};", "", destructive=True),
    C(
        "extension_create_and_use",
        T,
        "CREATE EXTENSION pg_trgm SCHEMA {s};"
        + T
        + "CREATE INDEX t_trgm ON t USING gin (name {s}.gin_trgm_ops);",
        T_ROWS,
    ),
    C(
        "extension_type_column",
        "CREATE EXTENSION ltree SCHEMA {s};" + T,
        "CREATE EXTENSION ltree SCHEMA {s};" + T + "ALTER TABLE t ADD path {s}.ltree;",
        T_ROWS,
    ),
]

ENUMS = [
    C("enum_create", "", ENUM),
    C("enum_drop", ENUM, "", destructive=True),
    C(
        "enum_add_value_end",
        E_T,
        E_T.replace("'happy')", "'happy', 'ecstatic')"),
        E_ROWS,
        kinds=("add_enum_value",),
        destructive=False,
    ),
    C(
        "enum_add_value_middle",
        E_T,
        E_T.replace("('sad', 'ok',", "('sad', 'meh', 'ok',"),
        E_ROWS,
        kinds=("add_enum_value",),
    ),
    C(
        "enum_add_value_first",
        E_T,
        E_T.replace("('sad',", "('awful', 'sad',"),
        E_ROWS,
        kinds=("add_enum_value",),
    ),
    C("enum_add_two_values", E_T, E_T.replace("('sad', 'ok',", "('sad', 'meh', 'ok', 'fine',"), E_ROWS),
    C(
        "enum_add_value_used_by_default",
        E_T,
        E_T.replace("'happy')", "'happy', 'new')").replace("DEFAULT 'ok'", "DEFAULT 'new'"),
        E_ROWS,
    ),
    C(
        "enum_remove_unused_value",
        E_T,
        E_T.replace(", 'happy')", ")").replace("'{ok,happy}'", "'{ok}'"),
        "INSERT INTO e VALUES (1, 'sad', '{sad}'), (2, 'ok', '{ok}');",
        kinds=("recreate_enum",),
        destructive=True,
    ),
    C(
        "enum_reorder",
        E_T,
        E_T.replace("('sad', 'ok', 'happy')", "('happy', 'ok', 'sad')"),
        E_ROWS,
        kinds=("recreate_enum",),
    ),
    C("enum_comment", ENUM, ENUM + "COMMENT ON TYPE mood IS 'feelings';"),
    C("enum_column_added", E_T, E_T + "ALTER TABLE e ADD m2 mood NOT NULL DEFAULT 'happy';", E_ROWS),
    C("enum_column_to_text", E_T, E_T.replace("m mood DEFAULT 'ok'", "m text DEFAULT 'ok'"), E_ROWS),
    C(
        "enum_text_to_enum",
        E_T.replace("m mood DEFAULT 'ok'", "m text"),
        E_T.replace("m mood DEFAULT 'ok'", "m mood"),
        E_ROWS,
        destructive=True,
    ),
]

D = "CREATE DOMAIN posint AS integer CHECK (VALUE > 0);"
DOMAINS = [
    C("domain_create", "", D),
    C("domain_drop", D, "", destructive=True),
    C("domain_add_default", D, D.replace("integer", "integer DEFAULT 1")),
    C("domain_add_check", D, D + "ALTER DOMAIN posint ADD CONSTRAINT small CHECK (VALUE < 1000);"),
    C("domain_drop_check", D, "CREATE DOMAIN posint AS integer;"),
    C("domain_not_null", D, D.replace("integer", "integer NOT NULL")),
    C("domain_change_base_type", D, D.replace("integer", "bigint"), destructive=True),
    C(
        "domain_used_by_column_add_check",
        D + "CREATE TABLE d (id int PRIMARY KEY, q posint);",
        D
        + "ALTER DOMAIN posint ADD CONSTRAINT small CHECK (VALUE < 1000); CREATE TABLE d (id int PRIMARY KEY, q posint);",
        "INSERT INTO d VALUES (1, 5), (2, 999);",
    ),
    C("domain_comment", D, D + "COMMENT ON DOMAIN posint IS 'positive';"),
    C("domain_column_added", D + T, D + T + "ALTER TABLE t ADD q posint;", T_ROWS),
]

CT = "CREATE TYPE pair AS (x integer, y text);"
COMPOSITES = [
    C("composite_create", "", CT),
    C("composite_drop", CT, "", destructive=True),
    C("composite_add_attribute", CT, CT.replace("y text", "y text, z boolean")),
    C("composite_drop_attribute", CT, CT.replace(", y text", ""), destructive=True),
    C("composite_alter_attribute", CT, CT.replace("x integer", "x bigint")),
    C("composite_comment", CT, CT + "COMMENT ON TYPE pair IS 'two things';"),
]

S = "CREATE SEQUENCE s;"
SEQUENCES = [
    C("sequence_create", "", S),
    C("sequence_drop", S, "", destructive=True),
    C("sequence_increment", S, "CREATE SEQUENCE s INCREMENT BY 10;"),
    C("sequence_bounds", S, "CREATE SEQUENCE s MINVALUE 5 MAXVALUE 500 START 5 CYCLE;"),
    C("sequence_type", S, "CREATE SEQUENCE s AS integer;"),
    C("sequence_owned_by", S + T, S + T + "ALTER SEQUENCE s OWNED BY t.n;", T_ROWS),
    C("sequence_as_default", S + T, S + T.replace("n integer", "n integer DEFAULT nextval('s')"), T_ROWS),
    C("sequence_comment", S, S + "COMMENT ON SEQUENCE s IS 'numbers';"),
    C("serial_column_added", T, T + "ALTER TABLE t ADD seq serial;", T_ROWS),
]

TABLES = [
    C("table_create", "", T),
    C("table_drop", T, "", T_ROWS, destructive=True),
    C(
        "table_create_with_fk",
        P,
        PC + "ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p;",
        "INSERT INTO p VALUES (1, 'x');",
    ),
    C(
        "table_drop_referenced",
        PC + "ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p;",
        "CREATE TABLE c (id integer PRIMARY KEY, p_id integer, note text);",
        "INSERT INTO p VALUES (1, 'x'); INSERT INTO c VALUES (10, NULL, 'a');",
        destructive=True,
    ),
    C(
        "table_create_full",
        "",
        T
        + "CREATE INDEX t_name ON t (name); ALTER TABLE t ADD CHECK (n > 0); ALTER TABLE t ADD UNIQUE (name);"
        + "COMMENT ON TABLE t IS 'x'; COMMENT ON COLUMN t.n IS 'number';",
    ),
    C("table_unlogged_to_logged", T.replace("CREATE TABLE", "CREATE UNLOGGED TABLE"), T, T_ROWS),
    C("table_logged_to_unlogged", T, T.replace("CREATE TABLE", "CREATE UNLOGGED TABLE"), T_ROWS),
    C("table_fillfactor", T, T.replace(");", ") WITH (fillfactor=70);"), T_ROWS),
    C(
        "table_options_change",
        T.replace(");", ") WITH (fillfactor=70, autovacuum_enabled=false);"),
        T.replace(");", ") WITH (fillfactor=80);"),
        T_ROWS,
    ),
    C("table_rls_enable", T, T + "ALTER TABLE t ENABLE ROW LEVEL SECURITY;", T_ROWS),
    C(
        "table_rls_force",
        T + "ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
        T + "ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;",
        T_ROWS,
    ),
    C("table_comment_add", T, T + "COMMENT ON TABLE t IS 'things';", T_ROWS),
    C(
        "table_comment_change",
        T + "COMMENT ON TABLE t IS 'things';",
        T + "COMMENT ON TABLE t IS 'stuff';",
        T_ROWS,
    ),
    C(
        "table_inherits_parent_column_added",
        P + "CREATE TABLE p2 (extra text) INHERITS (p);",
        P.replace("code text UNIQUE", "code text UNIQUE, more int")
        + "CREATE TABLE p2 (extra text) INHERITS (p);",
        "INSERT INTO p VALUES (1, 'x'); INSERT INTO p2 VALUES (2, 'y', 'z');",
        order_differs=True,
    ),
    C(
        "table_inherits_child",
        P,
        P + "CREATE TABLE p2 (extra text) INHERITS (p);",
        "INSERT INTO p VALUES (1, 'x');",
    ),
    C("table_no_primary_key_create", "", "CREATE TABLE log (at timestamptz DEFAULT now(), line text);"),
    C(
        "table_two_created_with_cycle",
        "",
        "CREATE TABLE x (id int PRIMARY KEY, y_id int); CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x); ALTER TABLE x ADD FOREIGN KEY (y_id) REFERENCES y;",
    ),
    C("table_quoted_names", "", 'CREATE TABLE "Order" ("User" int, "select" text, "a b" int);'),
]

COLUMNS = [
    C("column_add_nullable", T, T.replace("n integer", "n integer, note text"), T_ROWS),
    C("column_add_default", T, T.replace("n integer", "n integer, flag boolean DEFAULT false"), T_ROWS),
    C(
        "column_add_not_null_default",
        T,
        T.replace("n integer", "n integer, k integer NOT NULL DEFAULT 7"),
        T_ROWS,
    ),
    C(
        "column_add_identity",
        "CREATE TABLE t (name text);",
        "CREATE TABLE t (name text, id bigint GENERATED BY DEFAULT AS IDENTITY);",
        "INSERT INTO t VALUES ('a'), ('b');",
    ),
    C(
        "column_add_volatile_default",
        T,
        T.replace("n integer", "n integer, at timestamptz DEFAULT clock_timestamp()"),
        T_ROWS,
    ),
    C("column_drop", T, T.replace(", n integer", ""), T_ROWS, destructive=True),
    C(
        "column_drop_indexed",
        T + "CREATE INDEX t_n ON t (n);",
        T.replace(", n integer", ""),
        T_ROWS,
        destructive=True,
    ),
    C("column_set_default", T, T.replace("n integer", "n integer DEFAULT 0"), T_ROWS),
    C("column_drop_default", T.replace("n integer", "n integer DEFAULT 0"), T, T_ROWS),
    C(
        "column_change_default",
        T.replace("n integer", "n integer DEFAULT 0"),
        T.replace("n integer", "n integer DEFAULT 42"),
        T_ROWS,
    ),
    C(
        "column_set_not_null",
        T,
        T.replace("n integer", "n integer NOT NULL"),
        "INSERT INTO t (name, n) VALUES ('a', 1), ('b', 2);",
        kinds=("validate_constraint",),
    ),
    C("column_drop_not_null", T, T.replace("name text NOT NULL", "name text"), T_ROWS),
    C(
        "column_varchar_widen",
        "CREATE TABLE w (v varchar(10));",
        "CREATE TABLE w (v varchar(20));",
        "INSERT INTO w VALUES ('abc');",
        destructive=False,
    ),
    C(
        "column_varchar_to_text",
        "CREATE TABLE w (v varchar(10));",
        "CREATE TABLE w (v text);",
        "INSERT INTO w VALUES ('abc');",
        destructive=False,
    ),
    C(
        "column_varchar_unbounded",
        "CREATE TABLE w (v varchar(10));",
        "CREATE TABLE w (v varchar);",
        "INSERT INTO w VALUES ('abc');",
        destructive=False,
    ),
    C(
        "column_varchar_narrow",
        "CREATE TABLE w (v varchar(20));",
        "CREATE TABLE w (v varchar(10));",
        "INSERT INTO w VALUES ('abc');",
        destructive=True,
    ),
    C(
        "column_text_to_varchar",
        "CREATE TABLE w (v text);",
        "CREATE TABLE w (v varchar(50));",
        "INSERT INTO w VALUES ('abc');",
        destructive=True,
    ),
    C("column_int_to_bigint", T, T.replace("n integer", "n bigint"), T_ROWS, destructive=False),
    C("column_bigint_to_int", T.replace("n integer", "n bigint"), T, T_ROWS, destructive=True),
    C(
        "column_text_to_int_using",
        "CREATE TABLE w (v text);",
        "CREATE TABLE w (v integer);",
        "INSERT INTO w VALUES ('12'), ('7');",
        destructive=True,
    ),
    C(
        "column_int_to_text",
        "CREATE TABLE w (v integer DEFAULT 3);",
        "CREATE TABLE w (v text DEFAULT '3');",
        "INSERT INTO w VALUES (12);",
    ),
    C(
        "column_numeric_precision_up",
        "CREATE TABLE w (v numeric(10,2));",
        "CREATE TABLE w (v numeric(12,2));",
        "INSERT INTO w VALUES (1.5);",
        destructive=False,
    ),
    C(
        "column_numeric_scale_change",
        "CREATE TABLE w (v numeric(10,2));",
        "CREATE TABLE w (v numeric(10,4));",
        "INSERT INTO w VALUES (1.5);",
    ),
    C(
        "column_timestamp_to_timestamptz",
        "CREATE TABLE w (at timestamp);",
        "CREATE TABLE w (at timestamptz);",
        "INSERT INTO w VALUES ('2024-01-01 10:00');",
    ),
    C(
        "column_json_to_jsonb",
        "CREATE TABLE w (j json);",
        "CREATE TABLE w (j jsonb);",
        "INSERT INTO w VALUES ('{\"a\": 1}');",
    ),
    C(
        "column_int_array_to_bigint_array",
        "CREATE TABLE w (a integer[]);",
        "CREATE TABLE w (a bigint[]);",
        "INSERT INTO w VALUES ('{1,2}');",
    ),
    C(
        "column_text_to_uuid",
        "CREATE TABLE w (u text);",
        "CREATE TABLE w (u uuid);",
        "INSERT INTO w VALUES ('00000000-0000-4000-8000-000000000001');",
        destructive=True,
    ),
    C(
        "column_collation",
        "CREATE TABLE w (v text);",
        'CREATE TABLE w (v text COLLATE "C");',
        "INSERT INTO w VALUES ('b'), ('a');",
    ),
    C(
        "column_collation_removed",
        'CREATE TABLE w (v text COLLATE "C");',
        "CREATE TABLE w (v text);",
        "INSERT INTO w VALUES ('b');",
    ),
    C(
        "column_add_identity_to_existing",
        "CREATE TABLE w (id bigint, v text);",
        "CREATE TABLE w (id bigint GENERATED BY DEFAULT AS IDENTITY, v text);",
        "INSERT INTO w VALUES (1, 'a'), (2, 'b');",
    ),
    C(
        "column_drop_identity",
        "CREATE TABLE w (id bigint GENERATED ALWAYS AS IDENTITY, v text);",
        "CREATE TABLE w (id bigint NOT NULL, v text);",
        "INSERT INTO w (v) VALUES ('a');",
    ),
    C(
        "column_identity_always_to_by_default",
        "CREATE TABLE w (id bigint GENERATED ALWAYS AS IDENTITY, v text);",
        "CREATE TABLE w (id bigint GENERATED BY DEFAULT AS IDENTITY, v text);",
        "INSERT INTO w (v) VALUES ('a');",
    ),
    C(
        "column_identity_options",
        "CREATE TABLE w (id bigint GENERATED ALWAYS AS IDENTITY, v text);",
        "CREATE TABLE w (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5), v text);",
        "INSERT INTO w (v) VALUES ('a');",
    ),
    C(
        "column_generated_add",
        "CREATE TABLE w (a int, b int);",
        "CREATE TABLE w (a int, b int, s int GENERATED ALWAYS AS (a + b) STORED);",
        "INSERT INTO w VALUES (1, 2);",
    ),
    C(
        "column_generated_change",
        "CREATE TABLE w (a int, b int, s int GENERATED ALWAYS AS (a + b) STORED);",
        "CREATE TABLE w (a int, b int, s int GENERATED ALWAYS AS (a * b) STORED);",
        "INSERT INTO w VALUES (1, 2);",
        destructive=False,
    ),
    C(
        "column_virtual_generated_add",
        "CREATE TABLE w (a int);",
        "CREATE TABLE w (a int, d int GENERATED ALWAYS AS (a * 2) VIRTUAL);",
        "INSERT INTO w VALUES (4);",
        min_pg=18,
    ),
    C("column_comment", T, T + "COMMENT ON COLUMN t.n IS 'a number';", T_ROWS),
    C("column_comment_removed", T + "COMMENT ON COLUMN t.n IS 'a number';", T, T_ROWS),
    C(
        "column_added_in_middle_note",
        "CREATE TABLE w (a int, c int);",
        "CREATE TABLE w (a int, b int, c int);",
        "INSERT INTO w VALUES (1, 3);",
        notes="column order",
    ),
    C(
        "column_several_changes",
        T,
        T.replace("name text NOT NULL", "name varchar(100)").replace(
            "n integer", "n bigint NOT NULL DEFAULT 0, extra jsonb"
        ),
        "INSERT INTO t (name, n) VALUES ('a', 1);",
    ),
]

CONSTRAINTS = [
    C(
        "pk_add",
        "CREATE TABLE w (id int NOT NULL, v text);",
        "CREATE TABLE w (id int PRIMARY KEY, v text);",
        "INSERT INTO w VALUES (1, 'a'), (2, 'b');",
        kinds=("create_index",),
    ),
    C(
        "pk_drop",
        "CREATE TABLE w (id int PRIMARY KEY, v text);",
        "CREATE TABLE w (id int NOT NULL, v text);",
        "INSERT INTO w VALUES (1, 'a');",
    ),
    C(
        "pk_change_columns",
        "CREATE TABLE w (a int NOT NULL, b int NOT NULL, CONSTRAINT w_pkey PRIMARY KEY (a));",
        "CREATE TABLE w (a int NOT NULL, b int NOT NULL, CONSTRAINT w_pkey PRIMARY KEY (a, b));",
        "INSERT INTO w VALUES (1, 1), (2, 1);",
    ),
    C("unique_add", T, T + "ALTER TABLE t ADD CONSTRAINT t_name_key UNIQUE (name);", T_ROWS),
    C("unique_drop", T + "ALTER TABLE t ADD CONSTRAINT t_name_key UNIQUE (name);", T, T_ROWS),
    C("unique_multi_column", T, T + "ALTER TABLE t ADD UNIQUE (name, n);", T_ROWS),
    C("unique_include", T, T + "ALTER TABLE t ADD CONSTRAINT t_name_key UNIQUE (name) INCLUDE (n);", T_ROWS),
    C(
        "unique_nulls_not_distinct",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT t_n_key UNIQUE NULLS NOT DISTINCT (n);",
        T_ROWS,
        min_pg=15,
    ),
    C(
        "unique_deferrable",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT t_name_key UNIQUE (name) DEFERRABLE INITIALLY DEFERRED;",
        T_ROWS,
    ),
    C(
        "check_add",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);",
        T_ROWS,
        kinds=("validate_constraint",),
    ),
    C("check_drop", T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);", T, T_ROWS),
    C(
        "check_change",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n >= 0 AND n < 100);",
        T_ROWS,
    ),
    C(
        "check_not_valid_to_valid",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0) NOT VALID;",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);",
        T_ROWS,
    ),
    C(
        "check_valid_to_not_valid",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0) NOT VALID;",
        T_ROWS,
    ),
    C(
        "check_multi_column",
        "CREATE TABLE w (a date, b date);",
        "CREATE TABLE w (a date, b date, CHECK (b > a));",
        "INSERT INTO w VALUES ('2024-01-01', '2024-02-01');",
    ),
    C(
        "fk_add",
        PC,
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC_ROWS,
        kinds=("validate_constraint",),
    ),
    C(
        "fk_drop",
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC,
        PC_ROWS,
    ),
    C(
        "fk_on_delete_change",
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC
        + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p ON DELETE CASCADE ON UPDATE SET NULL;",
        PC_ROWS,
    ),
    C(
        "fk_deferrable",
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC
        + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p DEFERRABLE INITIALLY DEFERRED;",
        PC_ROWS,
    ),
    C(
        "fk_to_unique_column",
        PC + "ALTER TABLE c ADD code text;",
        PC + "ALTER TABLE c ADD code text REFERENCES p (code);",
        PC_ROWS,
    ),
    C(
        "fk_not_valid_to_valid",
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p NOT VALID;",
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC_ROWS,
    ),
    C(
        "fk_self_reference",
        "CREATE TABLE n (id int PRIMARY KEY, parent int);",
        "CREATE TABLE n (id int PRIMARY KEY, parent int REFERENCES n);",
        "INSERT INTO n VALUES (1, NULL), (2, 1);",
    ),
    C(
        "fk_composite",
        "CREATE TABLE k (a int, b int, PRIMARY KEY (a, b)); CREATE TABLE r (a int, b int);",
        "CREATE TABLE k (a int, b int, PRIMARY KEY (a, b)); CREATE TABLE r (a int, b int, FOREIGN KEY (a, b) REFERENCES k MATCH FULL);",
        "INSERT INTO k VALUES (1, 1); INSERT INTO r VALUES (1, 1);",
    ),
    C(
        "fk_set_null_columns",
        "CREATE TABLE k (t int, id int, PRIMARY KEY (t, id)); CREATE TABLE r (t int NOT NULL, kid int);",
        "CREATE TABLE k (t int, id int, PRIMARY KEY (t, id)); CREATE TABLE r (t int NOT NULL, kid int, FOREIGN KEY (t, kid) REFERENCES k ON DELETE SET NULL (kid));",
        "INSERT INTO k VALUES (1, 1); INSERT INTO r VALUES (1, 1);",
        min_pg=15,
    ),
    C(
        "exclusion_add",
        "CREATE TABLE bk (room int, during tstzrange);",
        "CREATE TABLE bk (room int, during tstzrange, EXCLUDE USING gist (during WITH &&));",
        "INSERT INTO bk VALUES (1, '[2024-01-01, 2024-01-02)');",
    ),
    C(
        "exclusion_drop",
        "CREATE TABLE bk (room int, during tstzrange, EXCLUDE USING gist (during WITH &&));",
        "CREATE TABLE bk (room int, during tstzrange);",
        "INSERT INTO bk VALUES (1, '[2024-01-01, 2024-01-02)');",
    ),
    C(
        "constraint_comment",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);",
        T
        + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0); COMMENT ON CONSTRAINT t_n_check ON t IS 'positive';",
        T_ROWS,
    ),
    C(
        "check_no_inherit",
        P,
        P + "ALTER TABLE p ADD CONSTRAINT p_id_check CHECK (id > 0) NO INHERIT;",
        "INSERT INTO p VALUES (1, 'x');",
    ),
    C(
        "fk_add_no_online",
        PC,
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC_ROWS,
        online=False,
    ),
    C(
        "check_add_no_online",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);",
        T_ROWS,
        online=False,
    ),
    C(
        "unique_add_no_online",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT t_name_key UNIQUE (name);",
        T_ROWS,
        online=False,
    ),
    C(
        "set_not_null_no_online",
        T,
        T.replace("n integer", "n integer NOT NULL"),
        "INSERT INTO t (name, n) VALUES ('a', 1);",
        online=False,
    ),
    C(
        "pk_on_new_column",
        "CREATE TABLE w (v text);",
        "CREATE TABLE w (v text, id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
        "INSERT INTO w VALUES ('a'), ('b');",
    ),
]

INDEXES = [
    C("index_create", T, T + "CREATE INDEX t_n_idx ON t (n);", T_ROWS, kinds=("create_index",)),
    C("index_drop", T + "CREATE INDEX t_n_idx ON t (n);", T, T_ROWS),
    C("index_unique", T, T + "CREATE UNIQUE INDEX t_name_uq ON t (name);", T_ROWS),
    C("index_partial", T, T + "CREATE INDEX t_n_pos ON t (n) WHERE n > 0;", T_ROWS),
    C("index_expression", T, T + "CREATE INDEX t_lower ON t (lower(name));", T_ROWS),
    C("index_desc_nulls", T, T + "CREATE INDEX t_n_desc ON t (n DESC NULLS LAST, name);", T_ROWS),
    C("index_include", T, T + "CREATE INDEX t_name_inc ON t (name) INCLUDE (n);", T_ROWS),
    C(
        "index_gin_jsonb",
        "CREATE TABLE j (d jsonb);",
        "CREATE TABLE j (d jsonb); CREATE INDEX j_d ON j USING gin (d jsonb_path_ops);",
        "INSERT INTO j VALUES ('{}');",
    ),
    C(
        "index_change_predicate",
        T + "CREATE INDEX t_n_pos ON t (n) WHERE n > 0;",
        T + "CREATE INDEX t_n_pos ON t (n) WHERE n > 1;",
        T_ROWS,
    ),
    C(
        "index_change_columns",
        T + "CREATE INDEX t_i ON t (n);",
        T + "CREATE INDEX t_i ON t (n, name);",
        T_ROWS,
    ),
    C("index_fillfactor", T, T + "CREATE INDEX t_n_ff ON t (n) WITH (fillfactor=50);", T_ROWS),
    C("index_hash", T, T + "CREATE INDEX t_name_hash ON t USING hash (name);", T_ROWS),
    C(
        "index_brin",
        "CREATE TABLE ev (at timestamptz);",
        "CREATE TABLE ev (at timestamptz); CREATE INDEX ev_at ON ev USING brin (at);",
        "INSERT INTO ev VALUES (now());",
    ),
    C(
        "index_comment",
        T + "CREATE INDEX t_n_idx ON t (n);",
        T + "CREATE INDEX t_n_idx ON t (n); COMMENT ON INDEX t_n_idx IS 'for lookups';",
        T_ROWS,
    ),
    C(
        "index_unique_nulls_not_distinct",
        T,
        T + "CREATE UNIQUE INDEX t_n_u ON t (n) NULLS NOT DISTINCT;",
        T_ROWS,
        min_pg=15,
    ),
    C("index_collation", T, T + 'CREATE INDEX t_name_c ON t (name COLLATE "C");', T_ROWS),
    C(
        "index_on_new_column",
        T,
        T.replace("n integer", "n integer, code text") + "CREATE INDEX t_code ON t (code);",
        T_ROWS,
    ),
    C("index_no_online", T, T + "CREATE INDEX t_n_idx ON t (n);", T_ROWS, online=False),
    C("index_drop_no_online", T + "CREATE INDEX t_n_idx ON t (n);", T, T_ROWS, online=False),
]

VIEWS = [
    C("view_create", T, V, T_ROWS),
    C("view_drop", V, T, T_ROWS),
    C("view_change", V, V.replace("WHERE n > 0", "WHERE n > 1"), T_ROWS),
    C("view_add_column", V, V.replace("SELECT id, name", "SELECT id, name, n"), T_ROWS),
    C("view_on_view", V, V + "CREATE VIEW vv AS SELECT id FROM v;", T_ROWS),
    C(
        "view_on_view_base_changes",
        V + "CREATE VIEW vv AS SELECT id FROM v;",
        V.replace("WHERE n > 0", "WHERE n > 5") + "CREATE VIEW vv AS SELECT id FROM v;",
        T_ROWS,
    ),
    C("view_blocks_column_type", V, V.replace("name text NOT NULL", "name varchar(200) NOT NULL"), T_ROWS),
    C(
        "view_blocks_column_int_bigint",
        T + "CREATE VIEW v AS SELECT id, n FROM t;",
        T.replace("n integer", "n bigint") + "CREATE VIEW v AS SELECT id, n FROM t;",
        T_ROWS,
    ),
    C(
        "view_security_barrier",
        V,
        V.replace("CREATE VIEW v", "CREATE VIEW v WITH (security_barrier=true)"),
        T_ROWS,
    ),
    C("view_comment", V, V + "COMMENT ON VIEW v IS 'positive ones';", T_ROWS),
    C("view_column_comment", V, V + "COMMENT ON COLUMN v.name IS 'the name';", T_ROWS),
    C(
        "view_on_dropped_column_table",
        T + "CREATE VIEW v AS SELECT id FROM t;",
        T.replace(", n integer", "") + "CREATE VIEW v AS SELECT id FROM t;",
        T_ROWS,
        destructive=True,
    ),
]

MV = T + "CREATE MATERIALIZED VIEW mv AS SELECT n, count(*) AS k FROM t GROUP BY n;"
MATVIEWS = [
    C("matview_create", T, MV, T_ROWS),
    C("matview_drop", MV, T, T_ROWS),
    C("matview_change", MV, MV.replace("count(*)", "sum(id)"), T_ROWS),
    C("matview_index_add", MV, MV + "CREATE UNIQUE INDEX mv_n ON mv (n);", T_ROWS),
    C("matview_index_drop", MV + "CREATE INDEX mv_n ON mv (n);", MV, T_ROWS),
    C(
        "matview_blocks_column_type",
        MV + "CREATE INDEX mv_n ON mv (n);",
        MV.replace("n integer", "n bigint") + "CREATE INDEX mv_n ON mv (n);",
        T_ROWS,
    ),
    C("matview_comment", MV, MV + "COMMENT ON MATERIALIZED VIEW mv IS 'counts';", T_ROWS),
]

F = "CREATE FUNCTION add1(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$;"
FUNCTIONS = [
    C("function_create", "", F),
    C("function_drop", F, ""),
    C("function_replace_body", F, F.replace("x + 1", "x + 2")),
    C("function_change_return_type", F, F.replace("RETURNS integer", "RETURNS bigint")),
    C("function_change_volatility", F, F.replace("IMMUTABLE", "STABLE")),
    C(
        "function_plpgsql",
        "",
        "CREATE FUNCTION hello(who text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'hi ' || who; END $$;",
    ),
    C("procedure_create", "", "CREATE PROCEDURE noop() LANGUAGE sql AS $$ SELECT 1 $$;"),
    C("function_comment", F, F + "COMMENT ON FUNCTION add1(integer) IS 'adds one';"),
    C("function_used_in_default", T, F + T.replace("n integer", "n integer DEFAULT {s}.add1(1)"), T_ROWS),
    C(
        "function_overload_added",
        F,
        F + "CREATE FUNCTION add1(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$;",
    ),
    C(
        "function_security_definer",
        F,
        F.replace("IMMUTABLE", "IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog"),
    ),
    C(
        "function_used_in_check",
        T,
        F + T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK ({s}.add1(n) > 0);",
        T_ROWS,
    ),
]

TRIGGERS = [
    C(
        "trigger_create",
        FN + T,
        FN + T + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();",
        T_ROWS,
    ),
    C(
        "trigger_drop",
        FN + T + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();",
        FN + T,
        T_ROWS,
    ),
    C(
        "trigger_change_events",
        FN + T + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();",
        FN + T + "CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
        T_ROWS,
    ),
    C(
        "trigger_disable",
        FN + T + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();",
        FN
        + T
        + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch(); ALTER TABLE t DISABLE TRIGGER t_touch;",
        T_ROWS,
    ),
    C(
        "trigger_comment",
        FN + T + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();",
        FN
        + T
        + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch(); COMMENT ON TRIGGER t_touch ON t IS 'fills n';",
        T_ROWS,
    ),
    C(
        "trigger_with_new_function",
        T,
        FN + T + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();",
        T_ROWS,
    ),
    C(
        "trigger_statement_level",
        FN.replace("touch", "note_it").replace("NEW.n := coalesce(NEW.n, 0); RETURN NEW;", "RETURN NULL;")
        + T,
        FN.replace("touch", "note_it").replace("NEW.n := coalesce(NEW.n, 0); RETURN NEW;", "RETURN NULL;")
        + T
        + "CREATE TRIGGER t_stmt AFTER TRUNCATE ON t FOR EACH STATEMENT EXECUTE FUNCTION note_it();",
        T_ROWS,
    ),
    C(
        "trigger_when_condition",
        FN + T,
        FN
        + T
        + "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW WHEN (OLD.n IS DISTINCT FROM NEW.n) EXECUTE FUNCTION touch();",
        T_ROWS,
    ),
    C(
        "trigger_instead_of_on_view",
        FN.replace("NEW.n := coalesce(NEW.n, 0); RETURN NEW;", "RETURN NEW;") + V,
        FN.replace("NEW.n := coalesce(NEW.n, 0); RETURN NEW;", "RETURN NEW;")
        + V
        + "CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION touch();",
        T_ROWS,
    ),
]

R = T + "ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
POLICIES = [
    C("policy_create", R, R + "CREATE POLICY p_all ON t USING (n > 0);", T_ROWS),
    C("policy_drop", R + "CREATE POLICY p_all ON t USING (n > 0);", R, T_ROWS),
    C(
        "policy_change_using",
        R + "CREATE POLICY p_all ON t USING (n > 0);",
        R + "CREATE POLICY p_all ON t USING (n > 1);",
        T_ROWS,
    ),
    C("policy_restrictive", R, R + "CREATE POLICY p_r ON t AS RESTRICTIVE FOR SELECT USING (true);", T_ROWS),
    C("policy_with_check", R, R + "CREATE POLICY p_ins ON t FOR INSERT WITH CHECK (n IS NOT NULL);", T_ROWS),
    C("policy_with_rls_enabled_together", T, R + "CREATE POLICY p_all ON t USING (n > 0);", T_ROWS),
    C(
        "policy_comment",
        R + "CREATE POLICY p_all ON t USING (n > 0);",
        R + "CREATE POLICY p_all ON t USING (n > 0); COMMENT ON POLICY p_all ON t IS 'only positive';",
        T_ROWS,
    ),
    C(
        "policy_command_change",
        R + "CREATE POLICY p1 ON t FOR SELECT USING (true);",
        R + "CREATE POLICY p1 ON t FOR UPDATE USING (true);",
        T_ROWS,
    ),
]

COMMENTS = [
    C(
        "comments_many_added",
        T + S + F + "CREATE INDEX t_n_idx ON t (n);",
        T
        + S
        + F
        + "CREATE INDEX t_n_idx ON t (n); COMMENT ON TABLE t IS 'a'; COMMENT ON COLUMN t.name IS 'b'; COMMENT ON SEQUENCE s IS 'c'; COMMENT ON INDEX t_n_idx IS 'd'; COMMENT ON FUNCTION add1(integer) IS 'e';",
        T_ROWS,
    ),
    C("comments_many_removed", T + "COMMENT ON TABLE t IS 'a'; COMMENT ON COLUMN t.name IS 'b';", T, T_ROWS),
    C("comment_quotes", T, T + "COMMENT ON TABLE t IS 'it''s \"quoted\" \\ text';", T_ROWS),
    C(
        "comment_on_new_column",
        T,
        T.replace("n integer", "n integer, k text") + "COMMENT ON COLUMN t.k IS 'new';",
        T_ROWS,
    ),
    C("comment_on_pk", T, T + "COMMENT ON CONSTRAINT t_pkey ON t IS 'key';", T_ROWS),
]

PARTITIONS = [
    C("partitioned_create", "", RANGE),
    C("partitioned_drop", RANGE, "", M_ROWS, destructive=True),
    C(
        "partition_add",
        RANGE,
        RANGE + "CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
        M_ROWS,
    ),
    C(
        "partition_drop",
        RANGE + "CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
        RANGE,
        M_ROWS,
        destructive=True,
    ),
    C("partition_default_add", RANGE, RANGE + "CREATE TABLE m_other PARTITION OF m DEFAULT;", M_ROWS),
    C(
        "partition_detach",
        RANGE + "CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
        RANGE + "CREATE TABLE m_2025 (id integer NOT NULL, at date NOT NULL, v text);",
        M_ROWS,
    ),
    # An attached table keeps its columns as its own (attislocal), unlike one created with
    # PARTITION OF: B says so by attaching too.
    C(
        "partition_attach",
        RANGE + "CREATE TABLE m_2025 (id integer NOT NULL, at date NOT NULL, v text);",
        RANGE
        + "CREATE TABLE m_2025 (id integer NOT NULL, at date NOT NULL, v text); ALTER TABLE m ATTACH PARTITION m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
        M_ROWS,
    ),
    C("partition_change_bound", RANGE, RANGE.replace("TO ('2025-01-01')", "TO ('2024-07-01')"), M_ROWS),
    C(
        "partition_list",
        "CREATE TABLE l (id int, region text) PARTITION BY LIST (region); CREATE TABLE l_eu PARTITION OF l FOR VALUES IN ('eu');",
        "CREATE TABLE l (id int, region text) PARTITION BY LIST (region); CREATE TABLE l_eu PARTITION OF l FOR VALUES IN ('eu', 'uk'); CREATE TABLE l_us PARTITION OF l FOR VALUES IN ('us');",
        "INSERT INTO l VALUES (1, 'eu');",
    ),
    C(
        "partition_hash_create",
        "",
        "CREATE TABLE h (id int) PARTITION BY HASH (id); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0); CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 1);",
    ),
    C("partitioned_index_add", RANGE, RANGE + "CREATE INDEX m_at ON m (at);", M_ROWS),
    C("partitioned_column_add", RANGE, RANGE.replace("v text)", "v text, w integer)"), M_ROWS),
    C("partitioned_pk_add", RANGE, RANGE.replace("v text)", "v text, PRIMARY KEY (id, at))"), M_ROWS),
    C(
        "partitioned_fk_add",
        P + RANGE.replace("v text)", "v text, p_id integer)"),
        P + RANGE.replace("v text)", "v text, p_id integer REFERENCES p)"),
        "INSERT INTO p VALUES (1, 'x');" + M_ROWS,
    ),
    C(
        "partitioned_check_add",
        RANGE,
        RANGE + "ALTER TABLE m ADD CONSTRAINT m_id_check CHECK (id > 0);",
        M_ROWS,
    ),
    C("partition_comment", RANGE, RANGE + "COMMENT ON TABLE m_2024 IS 'this year';", M_ROWS),
]

RENAMES = [
    C(
        "rename_table",
        T,
        T.replace("TABLE t ", "TABLE things "),
        T_ROWS,
        renames=("t=things",),
        destructive=False,
        kinds=("rename_table",),
    ),
    C(
        "rename_column",
        T,
        T.replace(" n integer", " amount integer"),
        T_ROWS,
        renames=("t.n=amount",),
        destructive=False,
        kinds=("rename_column",),
    ),
    C(
        "rename_column_indexed",
        T + "CREATE INDEX t_n_idx ON t (n);",
        T.replace(" n integer", " amount integer") + "CREATE INDEX t_n_idx ON t (amount);",
        T_ROWS,
        renames=("t.n=amount",),
        destructive=False,
    ),
    C(
        "rename_column_with_check",
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0);",
        T.replace(" n integer", " amount integer")
        + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (amount > 0);",
        T_ROWS,
        renames=("t.n=amount",),
        destructive=False,
    ),
    C(
        "rename_referenced_column",
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC.replace("p (id integer", "p (pid integer")
        + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC_ROWS,
        renames=("p.id=pid",),
        destructive=False,
    ),
    C(
        "rename_referenced_table",
        PC + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES p;",
        PC.replace("TABLE p ", "TABLE parent ")
        + "ALTER TABLE c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES parent;",
        PC_ROWS,
        renames=("p=parent",),
        destructive=False,
    ),
    C(
        "rename_table_and_column",
        T,
        T.replace("TABLE t ", "TABLE things ").replace(" n integer", " amount integer"),
        T_ROWS,
        renames=("t=things", "t.n=amount"),
        destructive=False,
    ),
    C(
        "rename_column_and_change_type",
        T,
        T.replace(" n integer", " amount bigint"),
        T_ROWS,
        renames=("t.n=amount",),
    ),
    C(
        "rename_column_in_view",
        V.replace("SELECT id, name", "SELECT id, name, n"),
        T.replace(" n integer", " amount integer")
        + "CREATE VIEW v AS SELECT id, name, amount FROM t WHERE amount > 0;",
        T_ROWS,
        renames=("t.n=amount",),
    ),
    C(
        "rename_qualified",
        T,
        T.replace("TABLE t ", "TABLE things "),
        T_ROWS,
        renames=("{s}.t=things",),
        destructive=False,
    ),
    C(
        "rename_column_with_policy",
        R + "CREATE POLICY p_all ON t USING (n > 0);",
        R.replace(" n integer", " amount integer") + "CREATE POLICY p_all ON t USING (amount > 0);",
        T_ROWS,
        renames=("t.n=amount",),
    ),
]

# Objects whose order is not their kind's phase: a function with a SQL-standard body (checked at
# creation) between the table it reads and the tables whose defaults and checks call it; tables
# with columns of another table's row type; a function returning a view's rows.
ATOMIC = (
    "CREATE TABLE u (id int PRIMARY KEY, n int, t_id int);"
    "CREATE FUNCTION total() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM u; END;"
    "CREATE TABLE t (id int PRIMARY KEY, x bigint DEFAULT {s}.total());"
    "CREATE TABLE w (id int PRIMARY KEY, c bigint CHECK (c <= {s}.total()));"
    "ALTER TABLE u ADD CONSTRAINT u_t_fkey FOREIGN KEY (t_id) REFERENCES t (id);"
)
ROW_TYPES = (
    "CREATE TYPE pair AS (a int, b int);"
    "CREATE FUNCTION mk(int) RETURNS pair LANGUAGE sql IMMUTABLE AS $$ SELECT ($1, $1)::pair $$;"
    "CREATE TABLE t (id int PRIMARY KEY, p pair DEFAULT {s}.mk(1));"
    "CREATE TABLE s (id int PRIMARY KEY, t_row t);"
    "CREATE TABLE a (id int PRIMARY KEY, t_rows t[], s_row s);"
)
VIEW_FN = "CREATE FUNCTION from_v() RETURNS SETOF v LANGUAGE sql STABLE BEGIN ATOMIC SELECT * FROM v; END;"
DEPENDENCIES = [
    C("function_between_tables_create", "", ATOMIC, min_pg=14),
    C("function_between_tables_drop", ATOMIC, "", min_pg=14, destructive=True),
    C(
        "function_between_tables_add_table",
        "CREATE TABLE u (id int PRIMARY KEY, n int, t_id int);",
        ATOMIC,
        min_pg=14,
    ),
    C("row_type_columns_create", "", ROW_TYPES),
    C("row_type_columns_drop", ROW_TYPES, "", destructive=True),
    C("function_of_a_view_drop", V + VIEW_FN, T, min_pg=14, destructive=False),
    C("function_of_a_view_create", T, V + VIEW_FN, min_pg=14),
]

CASES: list[Case] = [
    *SCHEMAS,
    *EXTENSIONS,
    *ENUMS,
    *DOMAINS,
    *COMPOSITES,
    *SEQUENCES,
    *TABLES,
    *COLUMNS,
    *CONSTRAINTS,
    *INDEXES,
    *VIEWS,
    *MATVIEWS,
    *FUNCTIONS,
    *TRIGGERS,
    *POLICIES,
    *COMMENTS,
    *PARTITIONS,
    *RENAMES,
    *DEPENDENCIES,
]
