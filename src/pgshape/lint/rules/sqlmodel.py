"""SQLModel (SM): mistakes visible only in the Python source of SQLModel models.

These rules read the source-level facts of :mod:`pgshape.sources.python_facts_extra` (from the
syntax tree), so they also explain modules that fail to import because of the very mistake
they describe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pgshape.lint.core import CodeEdit, Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.rules._shapes import source_facts
from pgshape.sources.python_facts_extra import ClassFact, FieldFact, SourceFacts, annotated_class

_NOT_APPLICABLE_SQL = "-- not applicable: a rule about SQLModel source code\n"

_TEAM_HERO = """\
from sqlmodel import Field, Relationship, SQLModel


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    heroes: list["Hero"] = Relationship(back_populates="team")


class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    team_id: int | None = Field(default=None, foreign_key="team.id")
    team: Team | None = Relationship(back_populates="heroes")
"""


def _path(context: LintContext, facts: SourceFacts, cls: ClassFact, field_name: str | None = None) -> str:
    """``schema.table[.column]`` for a table model, ``Class[.field]`` for any other class."""
    if cls.table:
        name = facts.table_name(cls)
        schema = next((t.schema for t in context.database.tables if t.name == name), "public")
        base = f"{schema}.{name}"
    else:
        base = cls.name
    return f"{base}.{field_name}" if field_name else base


def _facts(context: LintContext) -> SourceFacts | None:
    return source_facts(context)


# --- SM001 ----------------------------------------------------------------------------------------


@rule(
    code="SM001",
    name="future-annotations-breaks-relationships",
    severity=Severity.ERROR,
    summary="`from __future__ import annotations` in a module that defines Relationship()",
    python_only=True,
    doc=RuleDoc(
        what="Finds modules with `from __future__ import annotations` that declare `Relationship()` fields.",
        why=(
            "With postponed annotations every annotation is a string; SQLModel passes "
            "`'list[Hero]'` to SQLAlchemy as the relationship target, and configuring the mappers fails "
            '("seems to be using a generic class as the argument to relationship()").'
        ),
        example_sqlmodel="from __future__ import annotations\n\n"
        + _TEAM_HERO.replace('list["Hero"]', "list[Hero]"),
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel=_TEAM_HERO,
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix=(
            "None (not mechanical): remove the `__future__` import, then quote the annotations that "
            'name classes defined later (`list["Hero"]`).'
        ),
    ),
)
def future_annotations_breaks_relationships(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for module in facts.modules:
        if module.future_annotations is None:
            continue
        owners = [c for c in module.classes if any(f.is_relationship for f in c.fields)]
        if not owners:
            continue
        yield context.finding(
            self,
            _path(context, facts, owners[0]),
            "`from __future__ import annotations` turns Relationship() "
            "annotations into strings SQLModel cannot resolve",
            origin=module.future_annotations,
        )


# --- SM002 ----------------------------------------------------------------------------------------

RESERVED_ATTRIBUTES = frozenset(
    {"metadata", "registry", "__mapper__", "__table__", "_sa_registry", "_sa_class_manager"}
)


@rule(
    code="SM002",
    name="reserved-attribute-name",
    severity=Severity.ERROR,
    summary="a field named `metadata` (or other declarative-reserved name)",
    python_only=True,
    doc=RuleDoc(
        what=(
            "Finds table-model fields named like attributes SQLAlchemy's "
            "declarative base reserves (`metadata`, `registry`)."
        ),
        why=(
            "`Model.metadata` is the `MetaData` holding every table; a field of that name shadows it "
            "(SQLModel warns, plain SQLAlchemy refuses), and code or tools reading `Model.metadata` get "
            "a column instead."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    metadata: str | None = None
""",
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel="""\
from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    metadata_: str | None = Field(default=None, sa_column=Column("metadata", Text))
""",
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix='None: rename the attribute and keep the column name with `sa_column=Column("metadata", …)`.',
    ),
)
def reserved_attribute_name(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for cls in facts.table_classes():
        for fact in facts.all_fields(cls):
            if fact.name in RESERVED_ATTRIBUTES:
                yield context.finding(
                    self,
                    _path(context, facts, cls, fact.name),
                    f"{cls.name}.{fact.name} uses a name the declarative base reserves",
                    origin=fact.origin,
                )


# --- SM003 / SM004 ---------------------------------------------------------------------------------


def _relationships(facts: SourceFacts) -> Iterator[tuple[ClassFact, FieldFact]]:
    for cls in facts.table_classes():
        for fact in facts.all_fields(cls):
            if fact.is_relationship:
                yield cls, fact


@rule(
    code="SM003",
    name="relationship-without-back-populates",
    severity=Severity.WARNING,
    summary="Relationship() with no back_populates",
    python_only=True,
    doc=RuleDoc(
        what="Finds `Relationship()` fields without `back_populates` (or a legacy `backref`).",
        why=(
            "The two sides are then two unrelated relationships: appending a hero to `team.heroes` does "
            "not set `hero.team` in memory until a flush and reload, and both sides may try to write "
            "the same foreign key."
        ),
        example_sqlmodel=_TEAM_HERO.replace('Relationship(back_populates="team")', "Relationship()").replace(
            'Relationship(back_populates="heroes")', "Relationship()"
        ),
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel=_TEAM_HERO,
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix="None: name the attribute on the other side in both directions (`back_populates=`).",
    ),
)
def relationship_without_back_populates(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for cls, fact in _relationships(facts):
        if fact.keyword("back_populates") or "backref" in (fact.value or ""):
            continue
        yield context.finding(
            self,
            _path(context, facts, cls, fact.name),
            f"relationship {cls.name}.{fact.name} has no back_populates",
            origin=fact.origin,
        )


def _literal(text: str | None) -> str | None:
    if text and len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return None


@rule(
    code="SM004",
    name="back-populates-mismatch",
    severity=Severity.ERROR,
    summary="back_populates naming an attribute that does not point back",
    python_only=True,
    doc=RuleDoc(
        what=(
            'Finds `back_populates="x"` where the related model has no relationship `x`, or `x` targets '
            "another class, or `x` names a different attribute as its own back_populates."
        ),
        why=(
            "SQLAlchemy fails when it configures the mappers (at the first query, often in production "
            "code paths tests did not touch), or, when the names happen to exist, links the wrong pair "
            "of attributes."
        ),
        example_sqlmodel=_TEAM_HERO.replace(
            'Relationship(back_populates="heroes")', 'Relationship(back_populates="members")'
        ),
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel=_TEAM_HERO,
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix="None: decide which attribute pair belongs together and name each other on both sides.",
    ),
)
def back_populates_mismatch(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for cls, fact in _relationships(facts):
        other_name = _literal(fact.keyword("back_populates"))
        target = facts.find(annotated_class(fact.annotation) or "")
        if other_name is None or target is None:
            continue
        other = next((f for f in facts.all_fields(target) if f.name == other_name), None)
        problem = None
        if other is None or not other.is_relationship:
            problem = f"{target.name} has no relationship {other_name}"
        elif annotated_class(other.annotation) not in {cls.name, *[a.name for a in facts.ancestors(cls)]}:
            problem = (
                f"{target.name}.{other_name} points to {annotated_class(other.annotation)}, not {cls.name}"
            )
        elif _literal(other.keyword("back_populates")) not in {None, fact.name}:
            problem = (
                f"{target.name}.{other_name} pairs with "
                f"{_literal(other.keyword('back_populates'))}, not {fact.name}"
            )
        if problem:
            yield context.finding(
                self,
                _path(context, facts, cls, fact.name),
                f"{cls.name}.{fact.name} back_populates={other_name!r}, but {problem}",
                origin=fact.origin,
            )


# --- SM005 ----------------------------------------------------------------------------------------


@rule(
    code="SM005",
    name="field-shadows-import",
    severity=Severity.ERROR,
    summary="a field named like a module used in annotations (`uuid: uuid.UUID`)",
    python_only=True,
    doc=RuleDoc(
        what=(
            "Finds fields named like an imported module that annotations "
            "use (`uuid: uuid.UUID`, `datetime: datetime.datetime`)."
        ),
        why=(
            "Inside the class body the field's default replaces the module name: the next annotation "
            "`uuid.UUID` is looked up on the field's default, and the class fails to build "
            "(`'FieldInfo' object has no attribute 'UUID'`)."
        ),
        example_sqlmodel="""\
import uuid

from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: uuid.UUID = Field(default_factory=uuid.uuid4)
    parent_uuid: uuid.UUID | None = None
""",
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel="""\
from uuid import UUID, uuid4

from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: UUID = Field(default_factory=uuid4)
    parent_uuid: UUID | None = None
""",
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix="None: import the names (`from uuid import UUID`) or the module under another name.",
    ),
)
def field_shadows_import(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for module in facts.modules:
        annotations = [f.annotation or "" for c in module.classes for f in c.fields]
        for cls in module.classes:
            for fact in cls.fields:
                if fact.name not in module.imported_modules:
                    continue
                used = re.compile(rf"(?<![\w.]){re.escape(fact.name)}\.")
                if any(used.search(text) for text in annotations) or used.search(fact.value or ""):
                    yield context.finding(
                        self,
                        _path(context, facts, cls, fact.name),
                        f"field {cls.name}.{fact.name} shadows the "
                        f"imported module {fact.name} used in annotations",
                        origin=fact.origin,
                    )


# --- SM006 ----------------------------------------------------------------------------------------


@rule(
    code="SM006",
    name="shared-sa-column",
    severity=Severity.ERROR,
    summary="one Column object shared through a mixin by several table models",
    python_only=True,
    doc=RuleDoc(
        what="Finds mixins declaring a field with `sa_column=Column(...)` that several table models inherit.",
        why=(
            "The `Column(...)` is built once, when the mixin class is defined; a Column belongs to one "
            'table, so the second table model fails ("Column object … already assigned to Table …").'
        ),
        example_sqlmodel="""\
from datetime import datetime

from sqlalchemy import Column, DateTime, func
from sqlmodel import Field, SQLModel


class Timestamped(SQLModel):
    created_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class Author(Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)


class Book(Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
""",
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel="""\
from datetime import datetime

from sqlalchemy import DateTime, func
from sqlmodel import Field, SQLModel


class Timestamped(SQLModel):
    created_at: datetime | None = Field(
        default=None, sa_type=DateTime(timezone=True), sa_column_kwargs={"server_default": func.now()}
    )


class Author(Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)


class Book(Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
""",
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix="None: use `sa_type=` and `sa_column_kwargs=` (a new Column per table) instead of `sa_column=`.",
    ),
)
def shared_sa_column(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for mixin in facts.classes:
        if mixin.table:
            continue
        shared = [
            f
            for f in mixin.fields
            if (f.keyword("sa_column") or "")
            .lstrip()
            .startswith(("Column(", "sa.Column(", "sqlalchemy.Column("))
        ]
        if not shared:
            continue
        users = [c for c in facts.table_classes() if mixin in facts.ancestors(c)]
        if len(users) < 2:
            continue
        for fact in shared:
            yield context.finding(
                self,
                f"{mixin.name}.{fact.name}",
                f"{mixin.name}.{fact.name} shares one Column object among {', '.join(c.name for c in users)}",
                origin=fact.origin,
            )


# --- SM007 ----------------------------------------------------------------------------------------


@rule(
    code="SM007",
    name="table-model-inherits-table-model",
    severity=Severity.WARNING,
    summary="`class X(Y, table=True)` where Y is a table model",
    python_only=True,
    doc=RuleDoc(
        what="Finds table models that inherit from another table model.",
        why=(
            "SQLModel does not support table inheritance: SQLAlchemy treats it as joined/single-table "
            "inheritance it was never told about (no discriminator, no FK to the parent), producing "
            "surprising tables or mapper errors. Share fields through a non-table base instead."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str


class Employee(Person, table=True):
    __tablename__ = "employee"

    employee_id: int | None = Field(default=None, primary_key=True)
    salary: int
""",
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class PersonBase(SQLModel):
    name: str


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class Employee(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    salary: int
""",
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix="None: move the shared fields to a base class without `table=True`.",
    ),
)
def table_model_inherits_table_model(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for cls in facts.table_classes():
        parents = [a.name for a in facts.ancestors(cls) if a.table]
        if parents:
            yield context.finding(
                self,
                _path(context, facts, cls),
                f"table model {cls.name} inherits table model {parents[0]}",
                origin=cls.origin,
            )


# --- SM008 ----------------------------------------------------------------------------------------

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+")


def snake_case(name: str) -> str:
    return "_".join(w.lower() for w in _WORDS.findall(name))


@rule(
    code="SM008",
    name="implicit-tablename",
    severity=Severity.WARNING,
    summary=(
        "multi-word class without `__tablename__`: SQLModel "
        "names `UserAccount` `useraccount`, not `user_account`"
    ),
    python_only=True,
    doc=RuleDoc(
        what="Finds table models with a multi-word class name and no `__tablename__`.",
        why=(
            "SQLModel lower-cases the class name: `UserAccount` becomes the table `useraccount`, which "
            "matches neither the snake_case convention nor what people type in SQL; renaming later is "
            "a migration."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class UserAccount(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str
""",
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str
""",
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix=(
            'None (a decision): add `__tablename__ = "user_account"` — for an existing database that is a '
            'table rename; to keep the current table, write `__tablename__ = "useraccount"`.'
        ),
    ),
)
def implicit_tablename(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for cls in facts.table_classes():
        if (
            cls.tablename
            or any(a.tablename for a in facts.ancestors(cls))
            or len(_WORDS.findall(cls.name)) < 2
        ):
            continue
        wanted = snake_case(cls.name)
        yield context.finding(
            self,
            _path(context, facts, cls),
            f"{cls.name} has no __tablename__: SQLModel names its table {cls.name.lower()!r}, not {wanted!r}",
            origin=cls.origin,
        )


# --- SM009 ----------------------------------------------------------------------------------------


def _relates(facts: SourceFacts, cls: ClassFact, other: ClassFact) -> bool:
    return any(
        f.is_relationship and annotated_class(f.annotation) == other.name for f in facts.all_fields(cls)
    )


def _link_model_between(facts: SourceFacts, link: ClassFact, other: ClassFact) -> bool:
    """``link`` is the ``link_model=`` of a many-to-many Relationship() on ``other`` or pointing at
    it: its foreign keys are navigated through that relationship, so a decision was made."""

    def names_link(field: FieldFact) -> bool:
        value = field.keyword("link_model")
        return value is not None and value.strip("'\"").rpartition(".")[2] == link.name

    for cls in facts.table_classes():
        for field in facts.all_fields(cls):
            if (
                field.is_relationship
                and names_link(field)
                and (cls.name == other.name or annotated_class(field.annotation) == other.name)
            ):
                return True
    return False


@rule(
    code="SM009",
    name="foreign-key-without-relationship",
    severity=Severity.INFO,
    summary="FK field with no Relationship() on either side (navigation and cascade left undecided)",
    python_only=True,
    doc=RuleDoc(
        what=(
            "Finds `Field(foreign_key=...)` fields with no "
            "`Relationship()` between the two models on either side."
        ),
        why=(
            "Without a relationship, code joins by hand, and nobody decided how deletes cascade in the "
            "ORM (`cascade_delete`, `passive_deletes`) — an omission rather than a choice."
        ),
        example_sqlmodel=_TEAM_HERO.replace(
            '    heroes: list["Hero"] = Relationship(back_populates="team")\n', ""
        ).replace('    team: Team | None = Relationship(back_populates="heroes")\n', ""),
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel=_TEAM_HERO,
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix="None: add the Relationship() pair (with back_populates) on the models.",
    ),
)
def foreign_key_without_relationship(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    for cls in facts.table_classes():
        for fact in facts.all_fields(cls):
            reference = _literal(fact.keyword("foreign_key"))
            if reference is None or "." not in reference:
                continue
            target = facts.class_for_table(reference.split(".")[-2])
            if (
                target is None
                or _relates(facts, cls, target)
                or _relates(facts, target, cls)
                or _link_model_between(facts, cls, target)
            ):
                continue
            yield context.finding(
                self,
                _path(context, facts, cls, fact.name),
                f"{cls.name}.{fact.name} references {target.name} "
                "but neither model has a Relationship() to the other",
                origin=fact.origin,
            )


# --- SM010 ----------------------------------------------------------------------------------------

_STR_ANNOTATIONS = frozenset({"str", "str | None", "None | str", "Optional[str]", "typing.Optional[str]"})


@rule(
    code="SM010",
    name="str-without-max-length",
    severity=Severity.INFO,
    summary="`str` field mapped to unbounded VARCHAR where the project wants a limit",
    python_only=True,
    doc=RuleDoc(
        what=(
            "Finds `str` fields of table models without `max_length` (or an explicit `sa_type`/"
            "`sa_column`): SQLModel maps them to `VARCHAR` without a limit. With the threshold "
            "`str-max-length` set, also fields whose limit exceeds it."
        ),
        why=(
            "An unbounded VARCHAR is `text` under another name: the API validates nothing, and a "
            'megabyte "name" is stored happily. Either choose a limit (validated by pydantic and the '
            "database) or say `text` explicitly with `sa_type=Text`."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
""",
        example_sql=_NOT_APPLICABLE_SQL,
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
""",
        use_instead_sql=_NOT_APPLICABLE_SQL,
        fix="Code edit (unsafe: it changes the column type): add `max_length=` to the Field.",
    ),
)
def str_without_max_length(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = _facts(context)
    if facts is None:
        return
    limit = context.config.threshold("str-max-length")
    for cls in facts.table_classes():
        module = facts.module_of(cls)
        for fact in facts.all_fields(cls):
            if (fact.annotation or "").strip() not in _STR_ANNOTATIONS:
                continue
            if fact.call not in {None, "Field"} or fact.keyword("sa_type") or fact.keyword("sa_column"):
                continue
            given = fact.keyword("max_length")
            if given is not None and not (limit and given.isdigit() and int(given) > limit):
                continue
            length = str(limit or 255)
            fixes: tuple[Fix, ...] = ()
            if module is not None:
                edit = CodeEdit(
                    file=module.file,
                    kind="field-kwarg",
                    target=(cls.name, fact.name),
                    arguments={"max_length": length},
                )
                fixes = (Fix(description=f"add max_length={length}", safe=False, edit=edit),)
            reason = "has no max_length" if given is None else f"allows {given} characters (limit {limit})"
            yield context.finding(
                self,
                _path(context, facts, cls, fact.name),
                f"str field {cls.name}.{fact.name} {reason}: unbounded VARCHAR",
                origin=fact.origin,
                fixes=fixes,
            )
