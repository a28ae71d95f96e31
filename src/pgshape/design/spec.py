"""The design file's structure as pydantic models (the JSON Schema for editors comes from here).

Most parts have a short form next to the full mapping — a column can be ``text`` or
``{type: text, unique: true}``, an index ``[author_id, created_at]`` — so a design stays short
to write; :class:`_Short` turns the short form into the mapping before validation and publishes
both forms in the JSON Schema. Every model forbids unknown keys so that a typo is an error.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema, WithJsonSchema
from pydantic_core import CoreSchema

from pgshape.design.patterns import PatternsSpec  # the pattern library owns `patterns:`
from pgshape.design.settings import ProjectSettings


def _action(value: Any) -> Any:
    # ``cascade``, ``set_null`` and ``SET NULL`` all mean the same referential action.
    return value.upper().replace("_", " ") if isinstance(value, str) else value


_ACTIONS = ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")
Action = Annotated[
    Literal["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"],
    BeforeValidator(_action),
    # Editors should accept every spelling the loader accepts: CASCADE, cascade, set_null…
    WithJsonSchema(
        {
            "enum": sorted(
                {f(a) for a in _ACTIONS for f in (str, str.lower, lambda a: a.lower().replace(" ", "_"))}
            )
        }
    ),
]
Scalar = str | bool | int | float


def _describe(schema: dict[str, Any]) -> str:
    """A JSON Schema fragment in words, for error messages."""
    if "anyOf" in schema:
        return " or ".join(_describe(part) for part in schema["anyOf"])
    if "enum" in schema:
        return " or ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_describe({"type": k}) for k in kind)
    return {"string": "text", "array": "a list", "boolean": "true/false", "null": "nothing"}.get(
        str(kind), str(kind)
    )


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Short(_Spec):
    """A part with a short form (text, a list, a boolean, …) besides the full mapping."""

    short_json: ClassVar[dict[str, Any]] = {"type": "string"}

    @model_validator(mode="before")
    @classmethod
    def _from_short(cls, value: Any) -> Any:
        if isinstance(value, (dict, BaseModel)):
            return value
        short = cls.from_short(value)
        if not isinstance(short, dict):
            # One clear sentence instead of pydantic's "valid dictionary or instance of …".
            raise ValueError(
                f"expected {_describe(cls.short_json)} or a mapping of {cls.__name__[:-4].lower()} keys"
            )
        return short

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return value  # not a short form: pydantic reports "should be a valid dictionary"

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        full = handler(core)
        full = handler.resolve_ref_schema(full)
        return {"anyOf": [cls.short_json, dict(full)], "description": full.get("description", "")}


class _Named(_Short):
    """Objects kept in a mapping may override the key with an explicit name and schema
    (needed for names containing dots, or the same name in two schemas)."""

    name: str | None = Field(None, description="The object's name when it differs from the key.")
    schema_: str | None = Field(
        None, alias="schema", description="Schema; default: the key's prefix or project.schema."
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- columns -----------------------------------------------------------------------------------

_FLAGS = {"unique", "index", "pk", "null", "nullable"}
_REFERENCES = re.compile(r"(?:^|\s+)references\s+(\S+)\s*$", re.IGNORECASE)


class ReferenceSpec(_Short):
    """A referenced table: ``table``, ``table.column``, ``schema.table.column`` or a mapping."""

    table: str
    schema_: str | None = Field(None, alias="schema")
    columns: list[str] | None = Field(None, description="Referenced columns; default: its primary key.")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # The short form as written; the expansion resolves it, since only it knows the tables.
    text: SkipJsonSchema[str | None] = Field(None, exclude=True)

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"table": value, "text": value} if isinstance(value, str) else value


class IdentitySpec(_Short):
    """``GENERATED ALWAYS AS IDENTITY`` (or ``BY DEFAULT``) with sequence options."""

    short_json: ClassVar[dict[str, Any]] = {
        "anyOf": [{"type": "boolean"}, {"enum": ["always", "by default"]}]
    }
    always: bool = True
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False

    @classmethod
    def from_short(cls, value: Any) -> Any:
        if value is True or value == "always":
            return {"always": True}
        if value == "by default":
            return {"always": False}
        return value


class GeneratedSpec(_Short):
    """``GENERATED ALWAYS AS (expression) STORED`` (or VIRTUAL on PostgreSQL 18)."""

    expression: str
    kind: Literal["stored", "virtual"] = "stored"

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"expression": value} if isinstance(value, str) else value


class ColumnSpec(_Short):
    """A column. Short form: ``TYPE [?] [unique] [index] [pk] [references TABLE[.COLUMN]]``;
    ``?`` after the type (or the word ``null``) makes it nullable — columns are NOT NULL unless
    said otherwise."""

    type: str | None = Field(None, description="PostgreSQL type; default: the referenced column's type.")
    nullable: bool | None = Field(None, description="Default: false (NOT NULL).")
    default: Scalar | None = Field(
        None, description="SQL expression, e.g. now() or 'draft' (quoted literal)."
    )
    unique: bool | str | None = Field(None, description="true, or the constraint's name.")
    index: bool | str | None = Field(None, description="true, or an index method (gin, brin, …).")
    check: str | None = Field(None, description="SQL boolean expression.")
    comment: str | None = None
    references: ReferenceSpec | None = None
    on_delete: Action | None = None
    on_update: Action | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    enum: str | list[str] | None = Field(
        None, description="An enum name from `enums:`, or the values inline."
    )
    max_length: int | None = Field(None, gt=0, description="text with a CHECK (char_length(col) <= n).")
    renamed_from: str | None = Field(
        None, description="Former name (a migration hint; not part of the schema)."
    )
    identity: IdentitySpec | None = None
    generated: GeneratedSpec | None = None
    collation: str | None = None
    primary_key: bool = False
    inherited: bool = Field(False, description="Received from a parent table (partitions, INHERITS).")

    @classmethod
    def from_short(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        spec: dict[str, Any] = {}
        text = value.strip()
        reference = _REFERENCES.search(text)
        if reference:
            spec["references"] = reference[1]
            text = text[: reference.start()].strip()
        words = text.split()
        while words and words[-1].lower() in _FLAGS:
            flag = words.pop().lower()
            if flag in ("null", "nullable"):
                spec["nullable"] = True
            elif flag == "pk":
                spec["primary_key"] = True
            else:
                spec[flag] = True
        text = " ".join(words)
        if text.endswith("?"):
            spec["nullable"] = True
            text = text[:-1].rstrip()
        if text:
            spec["type"] = text
        elif "references" not in spec:
            raise ValueError(f"{value!r} names no type")
        return spec


# --- constraints and indexes --------------------------------------------------------------------


def _columns_short(value: Any) -> Any:
    if isinstance(value, str):
        return {"columns": [value]}
    if isinstance(value, list):
        return {"columns": value}
    return value


class PrimaryKeySpec(_Short):
    short_json: ClassVar[dict[str, Any]] = {"type": "array", "items": {"type": "string"}}
    columns: list[str] = Field(min_length=1)
    name: str | None = None
    include: list[str] = []
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return _columns_short(value)


class ForeignKeySpec(_Spec):
    """A (multi-column) foreign key declared on the table."""

    columns: list[str] = Field(min_length=1)
    references: ReferenceSpec
    name: str | None = None
    on_delete: Action = "NO ACTION"
    on_update: Action = "NO ACTION"
    on_delete_columns: list[str] = []
    match: Literal["SIMPLE", "FULL", "PARTIAL"] = "SIMPLE"
    deferrable: bool = False
    initially_deferred: bool = False
    not_valid: bool = False
    index: bool = Field(True, description="Add the index the FK needs (when project.index_foreign_keys).")
    comment: str | None = None


class UniqueSpec(_Short):
    """A unique constraint; with ``where`` it becomes a partial unique index."""

    short_json: ClassVar[dict[str, Any]] = {"type": "array", "items": {"type": "string"}}
    columns: list[str] = Field(min_length=1)
    name: str | None = None
    include: list[str] = []
    where: str | None = None
    nulls_not_distinct: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return _columns_short(value)


class CheckSpec(_Short):
    expression: str
    name: str | None = Field(None, description="Full constraint name (default: the naming convention).")
    not_valid: bool = False
    no_inherit: bool = False
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"expression": value} if isinstance(value, str) else value


class ExclusionSpec(_Short):
    """An exclusion constraint as PostgreSQL writes it: ``EXCLUDE USING gist (room WITH &&)``."""

    definition: str
    name: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"definition": value} if isinstance(value, str) else value


class IndexKeySpec(_Short):
    """A column (``title``, ``created_at desc``) or an expression (``lower(email)``)."""

    column: str | None = None
    expression: str | None = None
    desc: bool = False
    nulls_first: bool | None = None
    opclass: str | None = None
    collation: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    # The short form as written; the expansion tells columns from expressions.
    text: SkipJsonSchema[str | None] = Field(None, exclude=True)


class IndexSpec(_Short):
    short_json: ClassVar[dict[str, Any]] = {"type": "array", "items": {"type": "string"}}
    columns: list[IndexKeySpec] = Field(min_length=1, description="Columns and/or expressions, in order.")
    name: str | None = None
    unique: bool = False
    method: Literal["btree", "hash", "gin", "gist", "spgist", "brin"] | str = "btree"
    where: str | None = None
    include: list[str] = []
    nulls_not_distinct: bool = False
    options: list[str] = Field([], description="Storage parameters, e.g. fillfactor=70.")
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return _columns_short(value)


class TriggerSpec(_Short):
    """A trigger as its CREATE TRIGGER statement (the function comes from ``functions:``)."""

    sql: str
    name: str | None = None
    timing: Literal["BEFORE", "AFTER", "INSTEAD OF"] | None = None
    events: list[Literal["INSERT", "UPDATE", "DELETE", "TRUNCATE"]] | None = None
    for_each_row: bool | None = None
    function: str | None = None
    enabled: Literal["ORIGIN", "DISABLED", "REPLICA", "ALWAYS"] = "ORIGIN"
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"sql": value} if isinstance(value, str) else value


class PolicySpec(_Spec):
    command: Literal["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"] = "ALL"
    permissive: bool = True
    roles: list[str] = ["public"]
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None


class RlsSpec(_Short):
    short_json: ClassVar[dict[str, Any]] = {"type": "boolean"}
    enabled: bool = True
    forced: bool = False

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"enabled": value} if isinstance(value, bool) else value


class PartitionOfSpec(_Spec):
    table: str
    schema_: str | None = Field(None, alias="schema")
    bound: str = Field(description="FOR VALUES … or DEFAULT")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TableSpec(_Named):
    short_json: ClassVar[dict[str, Any]] = {"type": "null"}
    comment: str | None = None
    columns: dict[str, ColumnSpec] = {}
    primary_key: PrimaryKeySpec | Literal[False] | None = Field(
        None, description="Composite key, or false for no key; default: the project's key strategy."
    )
    foreign_keys: list[ForeignKeySpec] = []
    unique: list[UniqueSpec] = []
    checks: dict[str, CheckSpec] = {}
    exclude: list[ExclusionSpec] = []
    indexes: list[IndexSpec] = []
    triggers: list[TriggerSpec] = []
    policies: dict[str, PolicySpec] = {}
    rls: RlsSpec | None = None
    unlogged: bool = False
    partition_by: str | None = Field(None, description="e.g. RANGE (created_at)")
    partition_of: PartitionOfSpec | None = None
    partitions: dict[str, str] = Field({}, description="Partitions of this table: name → bound.")
    inherits: list[str] = []
    options: list[str] = []

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {} if value is None else value


# --- other objects ------------------------------------------------------------------------------


class EnumSpec(_Named):
    short_json: ClassVar[dict[str, Any]] = {"type": "array", "items": {"type": "string"}}
    values: list[str] = Field(min_length=1)
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"values": value} if isinstance(value, list) else value


class DomainSpec(_Named):
    type: str
    nullable: bool = True
    default: Scalar | None = None
    collation: str | None = None
    checks: dict[str, CheckSpec] = {}
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


class CompositeTypeSpec(_Named):
    short_json: ClassVar[dict[str, Any]] = {"type": "object"}
    attributes: dict[str, str] = Field(min_length=1)
    collations: dict[str, str] = {}
    comment: str | None = None


class SequenceSpec(_Named):
    short_json: ClassVar[dict[str, Any]] = {"type": "null"}
    type: str = "bigint"
    start: int = 1
    increment: int = 1
    min_value: int | None = None
    max_value: int | None = None
    cache: int = 1
    cycle: bool = False
    owned_by: str | None = Field(None, description="table.column (or schema.table.column)")
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {} if value is None else value


class ExtensionSpec(_Short):
    name: str
    schema_: str | None = Field(None, alias="schema")
    version: str | None = None
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class SchemaSpec(_Short):
    short_json: ClassVar[dict[str, Any]] = {"type": ["null", "string"]}
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        if value is None:
            return {}
        return {"comment": value} if isinstance(value, str) else value


class ViewSpec(_Named):
    """A view from its SELECT. Dumped files also list the output columns and dependencies."""

    sql: str
    materialized: bool = False
    columns: dict[str, ColumnSpec] = {}
    options: list[str] = []
    depends_on: list[str] = []
    indexes: list[IndexSpec] = []
    triggers: list[TriggerSpec] = []
    comment: str | None = None

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"sql": value} if isinstance(value, str) else value


class FunctionSpec(_Short):
    """A function (or procedure, aggregate) as its complete CREATE statement.

    Signature facts are read from the statement; dumped files spell them out exactly."""

    sql: str
    schema_: str | None = Field(None, alias="schema")
    name: str | None = None
    arguments: str | None = None
    kind: Literal["function", "procedure", "aggregate", "window"] | None = None
    returns: str | None = None
    language: str | None = None
    security_definer: bool | None = None
    volatility: Literal["immutable", "stable", "volatile"] | None = None
    config: list[str] | None = None
    depends_on: list[str] = []
    comment: str | None = None
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @classmethod
    def from_short(cls, value: Any) -> Any:
        return {"sql": value} if isinstance(value, str) else value


class DesignSpec(_Spec):
    """A pgshape design file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, title="pgshape design file")

    json_schema: str | None = Field(None, alias="$schema", description="JSON Schema URL for editors.")
    version: Literal[1] = Field(description="Format version of the design file (1).")
    project: ProjectSettings = Field(default_factory=ProjectSettings)
    patterns: PatternsSpec | None = None
    schemas: dict[str, SchemaSpec] = {}
    extensions: list[ExtensionSpec] = []
    enums: dict[str, EnumSpec] = {}
    domains: dict[str, DomainSpec] = {}
    composite_types: dict[str, CompositeTypeSpec] = {}
    sequences: dict[str, SequenceSpec] = {}
    tables: dict[str, TableSpec] = {}
    views: dict[str, ViewSpec] = {}
    functions: list[FunctionSpec] = []
    triggers: list[str] = Field([], description="CREATE TRIGGER statements (attached to their tables).")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a design file, for editors (``pgshape schema-json``)."""
    schema = DesignSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
