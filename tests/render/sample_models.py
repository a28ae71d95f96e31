"""Hand-built models for the SQL renderer tests, covering every object kind and option.

Expressions, types and definitions are written in canonical form (as PostgreSQL prints them
with an empty search_path), so the models can be compared with what introspection reads back.
"""

from __future__ import annotations

from typing import Any

from pgshape.model import (
    CheckConstraint,
    Column,
    CompositeAttribute,
    CompositeType,
    Database,
    Deferral,
    Domain,
    EnumType,
    ExclusionConstraint,
    Extension,
    ForeignKey,
    Function,
    Generated,
    Identity,
    Index,
    IndexKey,
    PartitionOf,
    Policy,
    PrimaryKey,
    SchemaInfo,
    Sequence,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)

# 63 bytes exactly: 20 two-byte characters and 23 ASCII ones.
LONG_NAME = "é" * 20 + "x" * 23
assert len(LONG_NAME.encode()) == 63

SALES = "Sales Dept"
QUOTED = 'say "hi"'


def _types() -> dict[str, tuple[object, ...]]:
    mood = EnumType("public", "mood", ("sad", "ok", "happy", "it's"), comment="How it feels")
    positive = Domain(
        "app",
        "positive_int",
        "integer",
        checks=(CheckConstraint("positive_int_check", "(VALUE > 0)", comment="must be positive"),),
        comment="A positive integer",
    )
    # Named to sort before the domain it is based on, so only dependency order is right.
    small = Domain(
        "app",
        "a_small",
        "app.positive_int",
        nullable=False,
        default="1",
        checks=(
            CheckConstraint("a_small_check", "((VALUE)::integer < 100)"),
            CheckConstraint("a_small_even", "(((VALUE)::integer % 2) = 0)", validated=False),
        ),
    )
    # A check calling a function: the function must exist before the domain.
    code = Domain(
        "app",
        "code",
        "text",
        collation='pg_catalog."C"',
        checks=(CheckConstraint("code_short", "public.is_short(VALUE)"),),
    )
    address = CompositeType(
        SALES,
        "Address",
        (
            CompositeAttribute("street", "text", collation='pg_catalog."C"'),
            CompositeAttribute("zip", "app.positive_int"),
            CompositeAttribute("user", "app.a_small[]"),
        ),
        comment="Postal address",
    )
    return {"enums": (mood,), "domains": (positive, small, code), "composite_types": (address,)}


def _sequences() -> tuple[Sequence, ...]:
    return (
        Sequence(
            "app",
            "counter",
            type="integer",
            start=10,
            increment=5,
            min_value=5,
            max_value=1000,
            cache=3,
            cycle=True,
            comment="Counts",
        ),
        Sequence("public", "user_id_seq", owned_by=("public", "user", "id")),
        Sequence("public", "down", type="smallint", start=-1, increment=-1),
    )


def _functions() -> tuple[Function, ...]:
    add_one = Function(
        "public",
        "add_one",
        "x integer",
        "CREATE OR REPLACE FUNCTION public.add_one(x integer)\n RETURNS integer\n LANGUAGE sql\n"
        " IMMUTABLE\nAS $function$select x + 1$function$\n",
        returns="integer",
        volatility="immutable",
        comment="Adds one",
    )
    touch = Function(
        "public",
        "touch",
        "",
        "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\n"
        'AS $function$begin new."Name" := coalesce(new."Name", \'x\'); return new; end$function$\n',
        returns="trigger",
        language="plpgsql",
    )
    # An SQL-standard body is parsed at creation, so it must come after its table.
    order_count = Function(
        "public",
        "order_count",
        "",
        "CREATE OR REPLACE FUNCTION public.order_count()\n RETURNS bigint\n LANGUAGE sql\n"
        'BEGIN ATOMIC\n SELECT count(*) AS count\n    FROM public."order";\nEND\n',
        returns="bigint",
        depends_on=(("public", "order"),),
    )
    active_count = Function(
        "public",
        "active_count",
        "",
        "CREATE OR REPLACE FUNCTION public.active_count()\n RETURNS bigint\n LANGUAGE sql\n"
        "BEGIN ATOMIC\n SELECT count(*) AS count\n    FROM public.active_users;\nEND\n",
        returns="bigint",
        depends_on=(("public", "active_users"),),
        comment="Counts active users",
    )
    total = Function(
        "public",
        "total",
        "integer",
        "CREATE AGGREGATE public.total(integer) (SFUNC = public.zz_plus, STYPE = integer)",
        kind="aggregate",
        returns="integer",
        language="internal",
        volatility="immutable",
        comment="An aggregate",
    )
    # Named to sort after the aggregate that uses it.
    plus = Function(
        "public",
        "zz_plus",
        "integer, integer",
        "CREATE OR REPLACE FUNCTION public.zz_plus(integer, integer)\n RETURNS integer\n LANGUAGE sql\n"
        " IMMUTABLE STRICT\nAS $function$select $1 + $2$function$\n",
        returns="integer",
        volatility="immutable",
    )
    is_short = Function(
        "public",
        "is_short",
        "t text",
        "CREATE OR REPLACE FUNCTION public.is_short(t text)\n RETURNS boolean\n LANGUAGE sql\n"
        " IMMUTABLE\nAS $function$select length(t) < 10$function$\n",
        returns="boolean",
        volatility="immutable",
    )
    # A signature naming a user type: created after the types.
    cheer = Function(
        "public",
        "cheer",
        "m public.mood",
        "CREATE OR REPLACE FUNCTION public.cheer(m public.mood)\n RETURNS public.mood\n LANGUAGE sql\n"
        " IMMUTABLE\nAS $function$select 'happy'::public.mood$function$\n",
        returns="public.mood",
        volatility="immutable",
        depends_on=(("public", "mood"),),
    )
    keep = Function(
        "public",
        "keep",
        "",
        "CREATE OR REPLACE FUNCTION public.keep()\n RETURNS trigger\n LANGUAGE plpgsql\n"
        "AS $function$begin return new; end$function$\n",
        returns="trigger",
        language="plpgsql",
    )
    return (add_one, touch, order_count, active_count, total, plus, is_short, cheer, keep)


def _users() -> Table:
    return Table(
        "public",
        "user",
        columns=(
            Column(
                "id",
                "bigint",
                nullable=False,
                default="nextval('public.user_id_seq'::regclass)",
                comment="Surrogate key",
            ),
            Column("Name", "text", collation='pg_catalog."C"'),
            Column("email", "text"),
            Column("mood", "public.mood", default="'ok'::public.mood"),
            Column("last_order_id", "bigint"),
            Column("address", '"Sales Dept"."Address"'),
            Column("score", "app.positive_int", default="public.add_one(1)"),
        ),
        primary_key=PrimaryKey("user_pkey", ("id",), comment="The key"),
        unique_constraints=(
            UniqueConstraint("user_email_key", ("email",), include=("Name",), nulls_not_distinct=True),
        ),
        check_constraints=(
            CheckConstraint("email_has_at", "(POSITION(('@'::text) IN (email)) > 0)", validated=False),
            CheckConstraint("name not empty", "(\"Name\" <> ''::text)", comment="No empty names"),
        ),
        foreign_keys=(
            # Half of a cycle with "order"; deferred so both rows can be inserted in one go.
            ForeignKey(
                "user_last_order_fk",
                ("last_order_id",),
                "public",
                "order",
                ("id",),
                match="FULL",
                deferrable=Deferral(initially_deferred=True),
                validated=False,
                comment="Cycle",
            ),
        ),
        indexes=(
            Index("user_lower_email_idx", (IndexKey(expression="lower(email)"),), unique=True),
            Index(
                "user_name_idx",
                (
                    IndexKey(column="Name", descending=True, nulls_first=False),
                    IndexKey(column="email", opclass="pg_catalog.text_pattern_ops"),
                    IndexKey(column="email", collation='pg_catalog."C"'),
                ),
                include=("mood",),
                predicate="(id > 10)",
                options=("fillfactor=70",),
                comment="Sorted names",
            ),
            Index(
                "user_mood_idx",
                (IndexKey(column="mood", nulls_first=True),),
                nulls_not_distinct=True,
                unique=True,
            ),
        ),
        triggers=(
            Trigger(
                "touch_user",
                'CREATE TRIGGER touch_user BEFORE INSERT OR UPDATE ON public."user" FOR EACH ROW '
                "EXECUTE FUNCTION public.touch()",
                events=("INSERT", "UPDATE"),
                function="public.touch",
                comment="Keeps names",
            ),
            Trigger(
                "touch_off",
                'CREATE TRIGGER touch_off BEFORE UPDATE ON public."user" FOR EACH ROW '
                "EXECUTE FUNCTION public.touch()",
                events=("UPDATE",),
                function="public.touch",
                enabled="DISABLED",
            ),
        ),
        policies=(
            Policy("own rows", using='("Name" = CURRENT_USER)', comment="Only yours"),
            Policy(
                "no_sad",
                command="INSERT",
                permissive=False,
                roles=("pg_read_all_data", "pg_write_all_data"),
                with_check="(mood <> 'sad'::public.mood)",
            ),
        ),
        rls_enabled=True,
        rls_forced=True,
        comment="People",
    )


def _orders() -> Table:
    return Table(
        "public",
        "order",
        columns=(
            Column("id", "bigint", nullable=False, identity=Identity(always=True, start=100, increment=2)),
            Column("user_id", "bigint"),
            Column("owner_id", "bigint"),
            Column("total", "numeric(12,2)", nullable=False, default="0"),
            Column("tax", "numeric", generated=Generated("(total * 0.2)")),
            Column("select", "text", comment="A reserved word"),
        ),
        primary_key=PrimaryKey("order_pkey", ("id",)),
        foreign_keys=(
            ForeignKey(
                "order_user_fk",
                ("user_id",),
                "public",
                "user",
                ("id",),
                on_delete="SET NULL",
                on_update="CASCADE",
                on_delete_columns=("user_id",),
            ),
            ForeignKey("order_owner_fk", ("owner_id",), "public", "user", ("id",), on_delete="CASCADE"),
        ),
        unique_constraints=(UniqueConstraint("order_user_key", ("user_id", "id"), deferrable=Deferral()),),
    )


def _awkward_tables() -> tuple[Table, ...]:
    long_table = Table(
        SALES,
        LONG_NAME,
        columns=(
            Column(LONG_NAME, "integer", nullable=False),
            Column(QUOTED, "character varying(40)"),
            Column("MixedCase", "timestamp with time zone", default="now()"),
            Column("日本語", "text[]"),
        ),
        primary_key=PrimaryKey(LONG_NAME[:-4] + "pkey", (LONG_NAME,)),
        unique_constraints=(UniqueConstraint(QUOTED + " key", (QUOTED,)),),
        comment="Awkward names everywhere",
    )
    rooms = Table(
        "app",
        "booking",
        columns=(
            Column("room", "integer", nullable=False),
            Column("during", "tstzrange", nullable=False),
            Column("code", "app.code"),
            Column("address", '"Sales Dept"."Address"'),
        ),
        exclusion_constraints=(
            ExclusionConstraint(
                "no_overlap",
                "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0)) DEFERRABLE",
                deferrable=Deferral(),
                comment="One booking at a time",
            ),
            ExclusionConstraint("same_code", "EXCLUDE USING btree (code WITH =)"),
        ),
        unlogged=True,
        options=("autovacuum_enabled=false", "fillfactor=80"),
    )
    return (long_table, rooms)


def _keep_trigger(table: str, enabled: str = "ORIGIN") -> Trigger:
    return Trigger(
        "measurement_keep",
        f"CREATE TRIGGER measurement_keep BEFORE INSERT ON public.{table} FOR EACH ROW"
        " EXECUTE FUNCTION public.keep()",
        events=("INSERT",),
        function="public.keep",
        enabled=enabled,  # type: ignore[arg-type]
    )


def _partitioned(clones_listed: bool) -> tuple[Table, ...]:
    columns = (
        Column("id", "bigint", nullable=False),
        Column("logdate", "date", nullable=False),
        Column("city", "text", default="'nowhere'::text"),
        Column("peak", "integer"),
    )
    inherited = tuple(Column(c.name, c.type, c.nullable, c.default, inherited=True) for c in columns)
    measurement = Table(
        "public",
        "measurement",
        columns=columns,
        primary_key=PrimaryKey("measurement_pkey", ("id", "logdate")),
        check_constraints=(CheckConstraint("peak_positive", "(peak > 0)"),),
        foreign_keys=(ForeignKey("measurement_id_fk", ("id",), "public", "user", ("id",)),),
        indexes=(Index("measurement_city_idx", (IndexKey(column="city"),)),),
        triggers=(_keep_trigger("measurement"),),
        partition_by="RANGE (logdate)",
        comment="Partitioned by range",
    )

    def partition(name: str, bound: str, parent: str = "measurement", **own: Any) -> Table:
        """A partition with its own objects, plus (when asked) the clones PostgreSQL makes."""
        clones: dict[str, Any] = {}
        if clones_listed:
            clones = {
                "primary_key": PrimaryKey(f"{name}_pkey", ("id", "logdate")),
                "check_constraints": (CheckConstraint("peak_positive", "(peak > 0)"),),
                "foreign_keys": (ForeignKey("measurement_id_fk", ("id",), "public", "user", ("id",)),),
                "indexes": (Index(f"{name}_city_idx", (IndexKey(column="city"),)),),
                "triggers": (_keep_trigger(name),),
            }
        for field in ("check_constraints", "indexes"):
            clones[field] = clones.get(field, ()) + own.pop(field, ())
        return Table(
            "public",
            name,
            columns=own.pop("columns", inherited),
            partition_of=PartitionOf("public", parent, bound),
            **clones,
            **own,
        )

    y2024 = partition("measurement_y2024", "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')")
    # A sub-partitioned partition, and a partition of it with defaults and checks of its own.
    y2025 = partition(
        "measurement_y2025",
        "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        partition_by="RANGE (id)",
    )
    y2025_local = partition(
        "measurement_y2025_local",
        "FOR VALUES FROM ('0') TO ('1000')",
        parent="measurement_y2025",
        columns=(
            *inherited[:2],
            Column("city", "text", default="'here'::text", inherited=True),
            Column("peak", "integer", nullable=False, inherited=True),
        ),
        check_constraints=(CheckConstraint("peak_small", "(peak < 1000)"),),
        indexes=(Index("local_peak_idx", (IndexKey(column="peak"),)),),
        comment="A sub-partition",
    )
    rest = partition("measurement_rest", "DEFAULT")
    return (measurement, y2024, y2025, y2025_local, rest, *_list_partitioned())


def _list_partitioned() -> tuple[Table, ...]:
    columns = (Column("name", "text", nullable=False), Column("country", "text"))
    city = Table("public", "city", columns=columns, partition_by="LIST (country)")
    inherited = tuple(Column(c.name, c.type, c.nullable, inherited=True) for c in columns)
    europe = Table(
        "public",
        "city_europe",
        columns=inherited,
        partition_of=PartitionOf("public", "city", "FOR VALUES IN ('de', 'fr')"),
        comment="A list partition",
    )
    rest = Table(
        "public", "city_rest", columns=inherited, partition_of=PartitionOf("public", "city", "DEFAULT")
    )
    return (city, europe, rest)


def _inheritance(clones_listed: bool) -> tuple[Table, ...]:
    base = Table(
        "app",
        "base",
        columns=(
            Column("id", "integer", nullable=False),
            Column("created", "timestamp without time zone", default="now()"),
        ),
        check_constraints=(
            CheckConstraint("id_positive", "(id > 0)"),
            CheckConstraint("only_here", "(id < 100)", no_inherit=True),
        ),
    )
    other = Table("app", "other", columns=(Column("note", "text"),))
    child = Table(
        "app",
        "child",
        columns=(
            Column("id", "integer", nullable=False, inherited=True),
            Column("created", "timestamp without time zone", nullable=False, inherited=True),
            Column("note", "text", default="'n'::text", inherited=True),
            Column("extra", "jsonb", default="'{}'::jsonb"),
        ),
        # The parent's check is inherited: listed only when clones are.
        check_constraints=(CheckConstraint("id_positive", "(id > 0)"),) if clones_listed else (),
        inherits=(("app", "base"), ("app", "other")),
    )
    return (base, other, child)


def _views() -> tuple[View, ...]:
    active = View(
        "public",
        "active_users",
        ' SELECT id,\n    "Name"\n   FROM public."user"\n  WHERE (mood <> \'sad\'::public.mood);',
        columns=(Column("id", "bigint"), Column("Name", "text", comment="Shown name")),
        options=("security_barrier=true",),
        triggers=(
            Trigger(
                "active_insert",
                "CREATE TRIGGER active_insert INSTEAD OF INSERT ON public.active_users FOR EACH ROW"
                " EXECUTE FUNCTION public.keep()",
                timing="INSTEAD OF",
                events=("INSERT",),
                function="public.keep",
                comment="Inserts through the view",
            ),
        ),
        depends_on=(("public", "user"),),
        comment="Everyone not sad",
    )
    # Named to sort before the view it reads.
    names = View(
        "public",
        "a_names",
        ' SELECT "Name"\n   FROM public.active_users;',
        columns=(Column("Name", "text"),),
        options=("check_option=local",),
        depends_on=(("public", "active_users"),),
    )
    totals = View(
        SALES,
        "Order Totals",
        ' SELECT user_id,\n    sum(total) AS sum\n   FROM public."order"\n  GROUP BY user_id;',
        materialized=True,
        columns=(Column("user_id", "bigint"), Column("sum", "numeric")),
        indexes=(Index("order totals user", (IndexKey(column="user_id"),), unique=True, comment="Per user"),),
        depends_on=(("public", "order"),),
        comment="Materialized",
    )
    return (active, names, totals)


def full_database(clones_listed: bool = False) -> Database:
    """A model with every object kind and option the renderer supports.

    Partitions and inheritance children list only their own objects, as introspection reads
    them; with ``clones_listed`` they also list what PostgreSQL copies from their parents
    (keys, checks, foreign keys, indexes, row triggers), as other sources may.
    """
    return Database(
        schemas=(
            SchemaInfo("public", comment="Standard public schema"),
            SchemaInfo("app"),
            SchemaInfo(SALES, comment="Mixed case and a space"),
        ),
        extensions=(Extension("btree_gist", "public"),),
        sequences=_sequences(),
        tables=(
            _users(),
            _orders(),
            *_awkward_tables(),
            *_partitioned(clones_listed),
            *_inheritance(clones_listed),
        ),
        views=_views(),
        functions=_functions(),
        **_types(),  # type: ignore[arg-type]
    )
