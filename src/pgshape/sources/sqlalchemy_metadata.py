"""SQLAlchemy ``MetaData`` (SQLModel included) → the schema model, without a database.

The result describes what PostgreSQL will hold after ``metadata.create_all()``: types in
``format_type`` spelling, ``SERIAL`` columns as integer + owned sequence + ``nextval`` default,
and every constraint and index under the name it will really get — SQLAlchemy's name
(explicit or from the naming convention, truncated as SQLAlchemy truncates it) or, when
SQLAlchemy leaves the name to the server, the name PostgreSQL chooses (:mod:`pg_names`).

Expressions (defaults, checks, index expressions and predicates) are kept as SQLAlchemy
renders them; ``expressions_canonical`` is False until :func:`pgshape.pg.normalize.normalize`
has let a server print them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    CheckConstraint as SACheckConstraint,
)
from sqlalchemy import (
    Column as SAColumn,
)
from sqlalchemy import (
    ForeignKeyConstraint,
    MetaData,
)
from sqlalchemy import (
    Index as SAIndex,
)
from sqlalchemy import (
    Sequence as SASequence,
)
from sqlalchemy import (
    Table as SATable,
)
from sqlalchemy import (
    UniqueConstraint as SAUniqueConstraint,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy import types as sqltypes
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.sql import elements, operators, visitors

from pgshape.errors import InputError
from pgshape.model import (
    CheckConstraint,
    Column,
    Database,
    Deferral,
    EnumType,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexKey,
    PrimaryKey,
    SchemaInfo,
    Sequence,
    Table,
    UniqueConstraint,
)
from pgshape.sources import mapped_classes
from pgshape.sources.pg_names import NameChooser, truncate_identifier
from pgshape.sources.sql_script import tokens

DEFAULT_SCHEMA = "public"

# The driver-neutral dialect: a driver's implementation types may compile differently (psycopg's
# maps Text to a VARCHAR-compiling string type), while DDL renders the declared type.
_DIALECT = PGDialect()
_PREPARER = _DIALECT.identifier_preparer

_INTEGER_RANGES = {
    "smallint": (-32768, 32767),
    "integer": (-2147483648, 2147483647),
    "bigint": (-9223372036854775808, 9223372036854775807),
}


def to_database(metadata: MetaData, *, origin_file: str | None = None) -> Database:
    """The model of what ``metadata.create_all()`` creates on PostgreSQL.

    ``origin_file`` is the module that defines plain ``Table(...)`` objects; mapped classes
    find their own source file.
    """
    origins = mapped_classes.find_origins(metadata, origin_file)
    builder = _Builder(metadata, origins)
    try:
        return builder.build()
    except (sa_exc.SQLAlchemyError, ValueError) as error:
        raise InputError(f"cannot convert the SQLAlchemy metadata: {_first_line(error)}") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# --- types ----------------------------------------------------------------------------------

_SIMPLE_TYPES = {
    "VARCHAR": "character varying",
    "NVARCHAR": "character varying",
    "CHAR": "character",
    "NCHAR": "character",
    "FLOAT": "double precision",
    "DECIMAL": "numeric",
    "INT": "integer",
    "BOOL": "boolean",
    "BIT VARYING": "bit varying",
    "VARBIT": "bit varying",
    "DATETIME": "timestamp without time zone",
    "DOUBLE PRECISION": "double precision",
    "DOUBLE": "double precision",
}
_EXTENSION_TYPES = {"hstore", "citext", "ltree", "vector", "geometry", "geography"}
_TYPE_SHAPE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_ ]*?)\s*(?:\((?P<args>[^)]*)\))?"
    r"(?P<zone>\s+WITH(?:OUT)?\s+TIME\s+ZONE)?(?P<fields>\s+[A-Z ]+?)?$"
)


def canonical_type(sa_type: sqltypes.TypeEngine[Any]) -> str:
    """``format_type`` spelling of a SQLAlchemy type on PostgreSQL (collation left out)."""
    impl = _unwrap(sa_type)
    if isinstance(impl, sqltypes.ARRAY):
        # format_type shows one pair of brackets whatever the declared dimensions.
        return canonical_type(impl.item_type) + "[]"
    if isinstance(impl, sqltypes.Enum) and impl.native_enum:
        schema, name = enum_key(impl)
        return f"{_quote(schema)}.{_quote(name)}"
    if isinstance(impl, postgresql.DOMAIN):
        return f"{_quote(impl.schema or DEFAULT_SCHEMA)}.{_quote(_ident(impl.name))}"
    if isinstance(impl, sqltypes.Float) and not isinstance(impl, sqltypes.Double | sqltypes.REAL):
        # FLOAT(p): real up to 24 binary digits of precision, double precision above.
        precision = impl.precision
        return "real" if precision is not None and precision <= 24 else "double precision"
    compiled = _DIALECT.type_compiler_instance.process(impl)
    compiled = re.sub(r"\s+COLLATE\s+.*$", "", compiled)
    return _canonical_spelling(compiled)


def _unwrap(sa_type: sqltypes.TypeEngine[Any]) -> sqltypes.TypeEngine[Any]:
    """The type SQLAlchemy renders in DDL on PostgreSQL: TypeDecorators and variants resolved."""
    impl = sa_type.dialect_impl(_DIALECT)
    while isinstance(impl, sqltypes.TypeDecorator):
        impl = impl.load_dialect_impl(_DIALECT).dialect_impl(_DIALECT)
    return impl


def _canonical_spelling(compiled: str) -> str:
    brackets = ""
    while compiled.endswith("[]"):
        compiled, brackets = compiled[:-2], "[]"
    if compiled.strip().upper() in _SIMPLE_TYPES and compiled.strip().upper() not in {"CHAR", "NCHAR"}:
        return _SIMPLE_TYPES[compiled.strip().upper()] + brackets
    match = _TYPE_SHAPE.match(compiled.strip())
    if match is None:
        return compiled.lower() + brackets
    name = match["name"].strip().upper()
    args = (match["args"] or "").replace(" ", "")
    zone = " ".join((match["zone"] or "").split()).lower()
    fields = " ".join((match["fields"] or "").split()).lower()
    if name in {"TIMESTAMP", "TIME"}:
        base = name.lower() + (f"({args})" if args else "")
        return f"{base} {zone or 'without time zone'}" + brackets
    if name == "INTERVAL":
        return " ".join(p for p in ("interval", fields) if p) + (f"({args})" if args else "") + brackets
    base = _SIMPLE_TYPES.get(name, name.lower())
    if base in _EXTENSION_TYPES:
        base = f"{DEFAULT_SCHEMA}.{base}"  # assumed installed in public, the usual place
    if name in {"NUMERIC", "DECIMAL"} and args and "," not in args:
        args += ",0"  # NUMERIC(p) means NUMERIC(p,0)
    if name in {"CHAR", "NCHAR"} and not args:
        args = "1"  # CHAR alone is character(1)
    return base + (f"({args})" if args else "") + brackets


def enum_key(enum: sqltypes.Enum) -> tuple[str, str]:
    if not enum.name:
        raise InputError(f"a native Enum of {list(enum.enums)} has no name (PostgreSQL needs one)")
    schema = _PREPARER.schema_for_object(enum)
    return (schema or DEFAULT_SCHEMA, _ident(enum.name))


def _quote(name: str) -> str:
    return _PREPARER.quote(name)


def _collation(sa_type: sqltypes.TypeEngine[Any]) -> str | None:
    collation = getattr(sa_type, "collation", None)
    if not collation:
        return None
    if "." in collation:
        return collation
    # Collations created by initdb live in pg_catalog; format them as PostgreSQL does.
    return (
        f'pg_catalog."{collation}"' if _quote(collation) == collation else f"pg_catalog.{_quote(collation)}"
    )


# --- the conversion -------------------------------------------------------------------------


@dataclass
class _Builder:
    metadata: MetaData
    origins: mapped_classes.Origins
    choosers: dict[str, NameChooser] = field(default_factory=dict)
    enums: dict[tuple[str, str], EnumType] = field(default_factory=dict)
    sequences: dict[tuple[str, str], Sequence] = field(default_factory=dict)
    ddl: Any = None

    def __post_init__(self) -> None:
        self.ddl = _DIALECT.ddl_compiler(_DIALECT, None)

    def chooser(self, schema: str) -> NameChooser:
        return self.choosers.setdefault(schema, NameChooser())

    def build(self) -> Database:
        sa_tables = _creation_order(self.metadata)
        for sa_table in sa_tables:
            self.chooser(_schema_of(sa_table)).add_relation(_ident(sa_table.name))
        tables = [self.table(sa_table) for sa_table in sa_tables]
        tables = self.add_deferred_foreign_keys(sa_tables, tables)
        for sa_sequence in self.metadata._sequences.values():  # standalone Sequence(metadata=...)
            self.sequence(sa_sequence)
        schemas = {DEFAULT_SCHEMA} | {t.schema for t in tables}
        schemas |= {key[0] for key in self.enums} | {key[0] for key in self.sequences}
        return Database(
            schemas=tuple(SchemaInfo(name) for name in sorted(schemas)),
            enums=tuple(self.enums.values()),
            sequences=tuple(self.sequences.values()),
            tables=tuple(tables),
            expressions_canonical=False,
        )

    # tables ------------------------------------------------------------------------------

    def table(self, sa_table: SATable) -> Table:
        schema = _schema_of(sa_table)
        names = self.chooser(schema)
        columns = [self.column(sa_table, c) for c in sa_table.columns]
        # PostgreSQL names CHECK constraints when the table is created, then the indexes of
        # the primary key and unique constraints, then foreign keys; SQLAlchemy's CREATE
        # INDEX statements follow. Names are chosen in that order so collisions resolve alike.
        checks = self.checks(sa_table, names)
        primary_key = self.primary_key(sa_table, names)
        uniques = self.uniques(sa_table, names)
        foreign_keys = [
            self.foreign_key(sa_table, fk, names)
            for fk in _sorted_constraints(sa_table)
            if isinstance(fk, ForeignKeyConstraint) and not _uses_alter(fk)
        ]
        indexes = [self.index(sa_table, index, names) for index in _sorted_indexes(sa_table)]
        return Table(
            schema=schema,
            name=_ident(sa_table.name),
            columns=tuple(columns),
            primary_key=primary_key,
            foreign_keys=tuple(foreign_keys),
            unique_constraints=tuple(uniques),
            check_constraints=tuple(checks),
            indexes=tuple(indexes),
            comment=sa_table.comment or None,  # PostgreSQL stores no empty comments
            origin=self.origins.table(sa_table),
        )

    def add_deferred_foreign_keys(self, sa_tables: list[SATable], tables: list[Table]) -> list[Table]:
        """Foreign keys with ``use_alter`` are added by ALTER TABLE after every table exists."""
        result = []
        for sa_table, table in zip(sa_tables, tables, strict=True):
            late = [
                self.foreign_key(sa_table, fk, self.chooser(table.schema))
                for fk in _sorted_constraints(sa_table)
                if isinstance(fk, ForeignKeyConstraint) and _uses_alter(fk)
            ]
            result.append(replace(table, foreign_keys=table.foreign_keys + tuple(late)) if late else table)
        return result

    # columns -----------------------------------------------------------------------------

    def column(self, sa_table: SATable, sa_column: SAColumn[Any]) -> Column:
        self.collect_enums(sa_column.type)
        type_ = canonical_type(sa_column.type)
        default = self.ddl.get_column_default_string(sa_column)
        identity = _identity(sa_column, type_)
        if _is_serial(sa_column):
            type_ = {"smallint": "smallint", "bigint": "bigint"}.get(type_, "integer")
            default = self.serial_sequence(sa_table, sa_column, type_)
        elif isinstance(sa_column.default, SASequence):
            self.sequence(sa_column.default)
        generated = None
        if sa_column.computed is not None:
            expression = self.sql(sa_column.computed.sqltext)
            kind = "stored" if sa_column.computed.persisted else "virtual"
            generated = Generated(expression=expression, kind=kind)
        return Column(
            name=_ident(sa_column.name),
            type=type_,
            # Primary key and identity columns are NOT NULL whatever the Column says.
            nullable=bool(sa_column.nullable) and not sa_column.primary_key and identity is None,
            default=default,
            identity=identity,
            generated=generated,
            collation=_collation(sa_column.type),
            comment=sa_column.comment or None,
            origin=self.origins.column(sa_table, sa_column),
        )

    def serial_sequence(self, sa_table: SATable, sa_column: SAColumn[Any], type_: str) -> str:
        schema = _schema_of(sa_table)
        name = self.chooser(schema).serial_sequence(_ident(sa_table.name), _ident(sa_column.name))
        self.sequences[(schema, name)] = Sequence(
            schema=schema,
            name=name,
            type=type_,
            owned_by=(schema, _ident(sa_table.name), _ident(sa_column.name)),
            origin=self.origins.column(sa_table, sa_column),
        )
        qualified = f"{_quote(schema)}.{_quote(name)}"
        return f"nextval('{qualified.replace(chr(39), chr(39) * 2)}'::regclass)"

    def sequence(self, sa_sequence: SASequence) -> None:
        if sa_sequence.optional:
            return  # PostgreSQL uses SERIAL instead; SQLAlchemy does not create it
        schema = _PREPARER.schema_for_object(sa_sequence) or DEFAULT_SCHEMA
        name = truncate_identifier(sa_sequence.name)
        type_ = canonical_type(sa_sequence.data_type) if sa_sequence.data_type is not None else "bigint"
        increment = sa_sequence.increment or 1
        low, high = _INTEGER_RANGES.get(type_, _INTEGER_RANGES["bigint"])
        min_value = sa_sequence.minvalue
        max_value = sa_sequence.maxvalue
        effective_min = min_value if min_value is not None else (1 if increment > 0 else low)
        effective_max = max_value if max_value is not None else (high if increment > 0 else -1)
        start = sa_sequence.start
        if start is None:
            start = effective_min if increment > 0 else effective_max
        self.chooser(schema).add_relation(name)
        self.sequences[(schema, name)] = Sequence(
            schema=schema,
            name=name,
            type=type_,
            start=start,
            increment=increment,
            min_value=min_value
            if min_value is not None and min_value != (1 if increment > 0 else low)
            else None,
            max_value=max_value
            if max_value is not None and max_value != (high if increment > 0 else -1)
            else None,
            cache=sa_sequence.cache or 1,
            cycle=bool(sa_sequence.cycle),
        )

    def collect_enums(self, sa_type: sqltypes.TypeEngine[Any]) -> None:
        impl = _unwrap(sa_type)
        if isinstance(impl, sqltypes.ARRAY):
            self.collect_enums(impl.item_type)
        elif isinstance(impl, sqltypes.Enum) and impl.native_enum:
            schema, name = enum_key(impl)
            self.enums.setdefault(
                (schema, name), EnumType(schema=schema, name=name, labels=tuple(impl.enums))
            )

    # constraints -------------------------------------------------------------------------

    def checks(self, sa_table: SATable, names: NameChooser) -> list[CheckConstraint]:
        # Column-level checks come first in CREATE TABLE, then table-level ones.
        found = [c for col in sa_table.columns for c in col.constraints if isinstance(c, SACheckConstraint)]
        found += [c for c in _sorted_constraints(sa_table) if isinstance(c, SACheckConstraint)]
        taken: list[str] = []
        result = []
        for sa_check in found:
            if not _is_created(sa_check, self.ddl):
                continue
            expression = self.sql(sa_check.sqltext)
            name = _sqlalchemy_name(sa_check)
            if name is None:
                column = _single_column(sa_check, expression, sa_table)
                name = names.check(_ident(sa_table.name), column, taken)
            else:
                names.add_constraint(name)
            taken.append(name)
            result.append(
                CheckConstraint(
                    name=name,
                    expression=expression,
                    comment=sa_check.comment or None,
                    origin=self.origins.table(sa_table),
                )
            )
        return result

    def primary_key(self, sa_table: SATable, names: NameChooser) -> PrimaryKey | None:
        sa_pk = sa_table.primary_key
        if sa_pk is None or not sa_pk.columns:
            return None
        name = _sqlalchemy_name(sa_pk)
        if name is None:
            name = names.primary_key(_ident(sa_table.name))
        else:
            names.add_relation(name)
            names.add_constraint(name)
        return PrimaryKey(
            name=name,
            columns=tuple(_ident(c.name) for c in sa_pk.columns),
            include=_include(sa_pk),
            deferrable=_deferral(sa_pk),
            comment=sa_pk.comment or None,
            origin=self.origins.table(sa_table),
        )

    def uniques(self, sa_table: SATable, names: NameChooser) -> list[UniqueConstraint]:
        result = []
        for sa_unique in _sorted_constraints(sa_table):
            if not isinstance(sa_unique, SAUniqueConstraint) or not _is_created(sa_unique, self.ddl):
                continue
            columns = tuple(_ident(c.name) for c in sa_unique.columns)
            include = _include(sa_unique)
            name = _sqlalchemy_name(sa_unique)
            if name is None:
                # PostgreSQL names the index after all its columns, INCLUDE columns too.
                name = names.unique(_ident(sa_table.name), columns + include)
            else:
                names.add_relation(name)
                names.add_constraint(name)
            nulls = sa_unique.dialect_options["postgresql"]["nulls_not_distinct"]
            result.append(
                UniqueConstraint(
                    name=name,
                    columns=columns,
                    include=include,
                    nulls_not_distinct=bool(nulls),
                    deferrable=_deferral(sa_unique),
                    comment=sa_unique.comment or None,
                    origin=self.origins.table(sa_table),
                )
            )
        return result

    def foreign_key(self, sa_table: SATable, sa_fk: ForeignKeyConstraint, names: NameChooser) -> ForeignKey:
        columns = tuple(_ident(c.name) for c in sa_fk.columns)
        try:
            targets = [element.column for element in sa_fk.elements]
        except sa_exc.NoReferenceError as error:
            location = self.origins.table(sa_table)
            raise InputError(_first_line(error), location=str(location) if location else None) from None
        target_table = targets[0].table
        name = _sqlalchemy_name(sa_fk)
        if name is None:
            name = names.foreign_key(_ident(sa_table.name), columns)
        else:
            names.add_constraint(name)
        return ForeignKey(
            name=name,
            columns=columns,
            referenced_schema=_schema_of(target_table),
            referenced_table=_ident(target_table.name),
            referenced_columns=tuple(_ident(c.name) for c in targets),
            on_delete=_action(sa_fk.ondelete),
            on_update=_action(sa_fk.onupdate),
            match=(sa_fk.match or "SIMPLE").upper(),  # type: ignore[arg-type]
            deferrable=_deferral(sa_fk),
            comment=sa_fk.comment or None,
            origin=self.origins.foreign_key(sa_table, sa_fk),
        )

    # indexes -----------------------------------------------------------------------------

    def index(self, sa_table: SATable, sa_index: SAIndex, names: NameChooser) -> Index:
        name = _sqlalchemy_name(sa_index)
        if name is None:
            raise InputError(f"an index on {sa_table.fullname} has no name", location=None)
        names.add_relation(name)
        options = sa_index.dialect_options["postgresql"]
        ops: dict[str, str] = options["ops"] or {}
        keys = tuple(self.index_key(expression, ops) for expression in sa_index.expressions)
        where = options["where"]
        with_options = options["with"] or {}
        return Index(
            name=name,
            keys=keys,
            unique=bool(sa_index.unique),
            method=(options["using"] or "btree").lower(),
            include=_include(sa_index),
            predicate=self.sql(where) if where is not None else None,
            nulls_not_distinct=bool(options["nulls_not_distinct"]),
            options=tuple(f"{key}={value}" for key, value in with_options.items()),
            comment=getattr(sa_index, "comment", None) or None,
            origin=self.origins.index(sa_table, sa_index),
        )

    def index_key(self, expression: Any, ops: dict[str, str]) -> IndexKey:
        descending = False
        nulls_first: bool | None = None
        opclass = _qualified_opclass(ops.get(getattr(expression, "key", None) or ""))
        # Unwrap .desc() / .nulls_first() modifiers into the key's options.
        while isinstance(expression, elements.UnaryExpression) and expression.modifier in _ORDER_MODIFIERS:
            modifier = expression.modifier
            if modifier is operators.desc_op:
                descending = True
            elif modifier is operators.nulls_first_op:
                nulls_first = True
            elif modifier is operators.nulls_last_op:
                nulls_first = False
            expression = expression.element
        if nulls_first is not None and nulls_first == descending:
            nulls_first = None  # the default for the direction
        if isinstance(expression, SAColumn) or (
            isinstance(expression, elements.ColumnClause) and not expression.is_literal
        ):
            return IndexKey(
                column=_ident(expression.name),
                descending=descending,
                nulls_first=nulls_first,
                opclass=opclass,
            )
        text = self.sql(expression)
        if isinstance(expression, elements.TextClause):
            return _text_index_key(text, opclass)
        return IndexKey(expression=text, descending=descending, nulls_first=nulls_first, opclass=opclass)

    def sql(self, clause: Any) -> str:
        """SQL of an expression as SQLAlchemy renders it in DDL (no table prefixes, literals inline)."""
        if isinstance(clause, str):
            return clause
        return str(self.ddl.sql_compiler.process(clause, include_table=False, literal_binds=True))


def _qualified_opclass(opclass: str | None) -> str | None:
    """Built-in operator classes live in pg_catalog; the IR spells them qualified, as
    PostgreSQL prints them with an empty search_path."""
    if opclass is None or "." in opclass:
        return opclass
    return f"pg_catalog.{opclass}"


def _text_index_key(text: str, opclass: str | None) -> IndexKey:
    """A key written as ``text("placed_at DESC")``: PostgreSQL sees a column with a sort order."""
    found = list(tokens(text))
    descending = False
    nulls_first: bool | None = None
    words = [token.upper for token in found]
    if words[-2:] in (["NULLS", "FIRST"], ["NULLS", "LAST"]):
        nulls_first = words[-1] == "FIRST"
        found, words = found[:-2], words[:-2]
    if words[-1:] in (["ASC"], ["DESC"]):
        descending = words[-1] == "DESC"
        found = found[:-1]
    if nulls_first is not None and nulls_first == descending:
        nulls_first = None
    if len(found) == 1 and found[0].kind in {"word", "quoted"}:
        return IndexKey(
            column=_ident(found[0].name), descending=descending, nulls_first=nulls_first, opclass=opclass
        )
    end = found[-1].start + len(found[-1].text) if found else 0
    return IndexKey(expression=text[:end], descending=descending, nulls_first=nulls_first, opclass=opclass)


_ORDER_MODIFIERS = (
    operators.desc_op,
    operators.asc_op,
    operators.nulls_first_op,
    operators.nulls_last_op,
)


# --- helpers -------------------------------------------------------------------------------


def _schema_of(sa_table: SATable) -> str:
    return _ident(sa_table.schema or DEFAULT_SCHEMA)


def _ident(name: str) -> str:
    """PostgreSQL silently truncates identifiers longer than 63 bytes; so does the model."""
    return truncate_identifier(name)


def _creation_order(metadata: MetaData) -> list[SATable]:
    """Tables in the order ``create_all`` creates them (it matters for name collisions)."""
    from sqlalchemy.sql.ddl import sort_tables_and_constraints

    return [table for table, _ in sort_tables_and_constraints(metadata.tables.values()) if table is not None]


def _sorted_constraints(sa_table: SATable) -> list[Any]:
    return [c for c in sa_table._sorted_constraints if c is not sa_table.primary_key]


def _sorted_indexes(sa_table: SATable) -> list[SAIndex]:
    # create_all walks a set; indexes always have a name, so the order cannot change names.
    return sorted(sa_table.indexes, key=lambda index: str(index.name))


def _uses_alter(sa_fk: ForeignKeyConstraint) -> bool:
    return bool(getattr(sa_fk, "use_alter", False))


def _is_created(constraint: Any, ddl: Any) -> bool:
    return bool(constraint._should_create_for_compiler(ddl))


def _sqlalchemy_name(constraint: Any) -> str | None:
    """The name SQLAlchemy renders (explicit or from the naming convention), or None."""
    if constraint.name is None:
        return None
    name = _PREPARER.format_constraint(constraint, _alembic_quote=False)
    return truncate_identifier(name) if name is not None else None


def _include(constraint: Any) -> tuple[str, ...]:
    include = constraint.dialect_options["postgresql"]["include"] or ()
    return tuple(_ident(c) if isinstance(c, str) else _ident(c.name) for c in include)


def _deferral(constraint: Any) -> Deferral | None:
    if not constraint.deferrable:
        return None
    return Deferral(initially_deferred=(constraint.initially or "").upper() == "DEFERRED")


_ACTIONS = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"}


def _action(action: str | None) -> Any:
    if action is None:
        return "NO ACTION"
    normal = " ".join(action.upper().split())
    if normal not in _ACTIONS:
        raise InputError(f"unsupported referential action {action!r}")
    return normal


def _is_serial(sa_column: SAColumn[Any]) -> bool:
    """Does SQLAlchemy's PostgreSQL dialect render this column as SERIAL/BIGSERIAL/SMALLSERIAL?"""
    if not sa_column.primary_key or sa_column is not sa_column.table._autoincrement_column:
        return False
    if sa_column.identity is not None:
        return False
    default = sa_column.default
    return default is None or (isinstance(default, SASequence) and default.optional)


def _identity(sa_column: SAColumn[Any], type_: str) -> Identity | None:
    sa_identity = sa_column.identity
    if sa_identity is None:
        return None
    low, high = _INTEGER_RANGES.get(type_, _INTEGER_RANGES["bigint"])
    increment = sa_identity.increment or 1
    ascending = increment > 0

    def unless(value: int | None, default: int) -> int | None:
        return None if value is None or value == default else value

    min_value = sa_identity.minvalue
    max_value = sa_identity.maxvalue
    default_start = (
        (min_value if min_value is not None else 1)
        if ascending
        else (max_value if max_value is not None else -1)
    )
    return Identity(
        always=bool(sa_identity.always),
        start=unless(sa_identity.start, default_start),
        increment=unless(increment, 1),
        min_value=unless(min_value, 1 if ascending else low),
        max_value=unless(max_value, high if ascending else -1),
        cache=unless(sa_identity.cache, 1),
        cycle=bool(sa_identity.cycle),
    )


def _single_column(check: SACheckConstraint, expression: str, sa_table: SATable) -> str | None:
    """The column PostgreSQL names an unnamed CHECK after: the only column it references."""
    referenced = {_ident(c.name) for c in _columns_in(check.sqltext) if c.table is sa_table}
    if not referenced:
        column_names = {_ident(c.name) for c in sa_table.columns}
        referenced = {_ident(name) for name in _identifiers(expression)} & column_names
    return next(iter(referenced)) if len(referenced) == 1 else None


def _columns_in(clause: Any) -> Iterator[SAColumn[Any]]:
    for element in visitors.iterate(clause):
        if isinstance(element, SAColumn):
            yield element


def _identifiers(expression: str) -> Iterable[str]:
    """Names in an SQL expression that are not function names."""
    found = list(tokens(expression))
    for index, token in enumerate(found):
        if token.kind not in {"word", "quoted"}:
            continue
        following = found[index + 1].text if index + 1 < len(found) else ""
        preceding = found[index - 1].text if index > 0 else ""
        if following == "(" or preceding in {"::", "."}:
            continue  # a function call, a cast's type, or a field of a composite
        yield token.name
