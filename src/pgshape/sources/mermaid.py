"""A Mermaid ``erDiagram`` (a ``.mmd`` file, or the first ```mermaid erDiagram block of a
Markdown file) as a source: a sketched ERD becomes a schema model.

The rules (docs/erd-sources.md has them with examples):

- entity → table. ``id["schema.name"]`` (the alias form) names the table; otherwise the id is
  the name. A name without a schema is in ``public``. ``#34;``-style codes are decoded.
- attribute → column, in order; types are mapped to PostgreSQL's spelling (``int`` →
  ``integer``, ``string`` → ``text``, ``timestamptz`` → ``timestamp with time zone``;
  ``serial`` → an identity column); unknown types are kept as written.
- ``PK`` attributes form the primary key (NOT NULL); each ``UK`` attribute is UNIQUE on its own.
- a comment ``"[not null] [default: expr] [enum: a, b] text"``: the bracketed facts (as the
  Mermaid renderer writes them) set NOT NULL, the default and an enum type; the rest is the
  column comment. A ``%% comment: text`` line above an entity is the table comment.
- relationship → foreign key on the entity at the "many" end (for one-to-one: the entity with
  matching FK attributes, else the one whose end is not ``||``, else the right-hand one). Its
  columns: the columns the label names — ``"name (a, b)"`` (the FK is called ``name``; this is
  how the renderer writes FKs whose names are not PostgreSQL's defaults), PostgreSQL's default
  FK name, or a column list ``"a, b"`` — else columns named after the parent key (its PK, else
  its first UK attribute): ``{parent}_id`` for a key ``id``, the key's own name when it already
  starts with ``{parent}_``, ``{parent}_{key}`` otherwise; else
  the one FK attribute not yet used, else new columns with those names, typed like the parent
  key. The referenced columns are the parent's primary key (a parent without one gets
  ``id bigint PK``). The parent end ``||``/``|{`` makes the FK columns NOT NULL, ``|o``/``}o``
  nullable; a child end of at most one adds a UNIQUE constraint (one-to-one).
- many-to-many (``}o--o{``) → a link table named by the label (or ``{left}_{right}``) with one
  FK to each side and a primary key over both.
- names of keys and constraints are the ones PostgreSQL would choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pgshape.errors import InputError
from pgshape.model import (
    Column,
    Database,
    EnumType,
    ForeignKey,
    Identity,
    Origin,
    PrimaryKey,
    SchemaInfo,
    Table,
    UniqueConstraint,
)
from pgshape.sources.mermaid_syntax import (
    Attribute,
    Diagram,
    Entity,
    Relation,
    decode,
    extract_markdown,
    parse,
    strip_front_matter,
)
from pgshape.sources.mermaid_types import canonical_type
from pgshape.sources.pg_names import NameChooser, make_object_name, name_addition

_FACT = re.compile(r"\[(not null|default: (?P<default>[^\]]*)|enum: (?P<enum>[^\]]*))\]\s*")
_ONE = {"exactly_one", "zero_or_one"}
_MANDATORY = {"exactly_one", "one_or_many"}


def load(path: str | Path) -> Database:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", location=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", location=str(path)) from None
    return loads(text, str(path), markdown=path.suffix.lower() in {".md", ".markdown"})


def loads(text: str, path: str = "<mermaid>", *, markdown: bool = False) -> Database:
    first_line = 1
    if markdown:
        text, first_line = extract_markdown(text, path)
    text, skipped = strip_front_matter(text)
    return _Builder(parse(text, path, first_line + skipped), path).build()


@dataclass
class _Draft:
    """A table under construction (mutable until the end)."""

    schema: str
    name: str
    line: int
    columns: list[Column] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    unique: list[tuple[str, ...]] = field(default_factory=list)
    fk_marked: list[str] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)
    # (name or None for PostgreSQL's default, columns, parent, referenced columns, line)
    foreign_keys: list[tuple[str | None, tuple[str, ...], tuple[str, str], tuple[str, ...], int]] = field(
        default_factory=list
    )
    comment: str | None = None

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def set_column(self, column: Column) -> None:
        self.columns = [column if c.name == column.name else c for c in self.columns]


def split_display(display: str) -> tuple[str, str]:
    """``schema.name`` → (schema, name); a name without a dot is in ``public``. A dot inside a
    part is written ``#46;`` and only decoded after the split."""
    if "." in display:
        schema, _, name = display.partition(".")
        return decode(schema), decode(name)
    return "public", decode(display)


class _Builder:
    def __init__(self, diagram: Diagram, path: str) -> None:
        self.diagram = diagram
        self.path = path
        self.drafts: dict[str, _Draft] = {}
        self.enums: dict[tuple[str, str], EnumType] = {}

    def fail(self, message: str, line: int, column: int | None = None) -> InputError:
        where = f"{self.path}:{line}" + (f":{column}" if column else "")
        return InputError(message, location=where)

    def build(self) -> Database:
        seen: dict[tuple[str, str], str] = {}
        for entity in self.diagram.entities.values():
            draft = self._table(entity)
            key = (draft.schema, draft.name)
            if key in seen:
                raise self.fail(f"entities {seen[key]!r} and {entity.id!r} name the same table", entity.line)
            seen[key] = entity.id
            self.drafts[entity.id] = draft
        for relation in self.diagram.relations:
            if relation.left_card not in _ONE and relation.right_card not in _ONE:
                continue
            parent, _ = self._sides(relation)
            self._ensure_key(self.drafts[parent], relation.line)
        for relation in self.diagram.relations:
            self._relate(relation)
        for draft in self.drafts.values():
            for name in draft.fk_marked:
                if name not in draft.claimed:
                    raise self.fail(
                        f"attribute {draft.name}.{name} is marked FK but no relationship line uses it "
                        "(add one, e.g. 'parent ||--o{ child : \"" + name + "\"')",
                        draft.line,
                    )
        return self._database()

    # Entities -----------------------------------------------------------------------------

    def _table(self, entity: Entity) -> _Draft:
        schema, name = split_display(entity.display)
        if not name or not schema:
            raise self.fail(f"entity {entity.display!r}: empty schema or table name", entity.line)
        draft = _Draft(schema, name, entity.line, comment=entity.comment)
        for attribute in entity.attributes:
            if draft.column(attribute.name) is not None:
                raise self.fail(
                    f"attribute {attribute.name!r} appears twice in {entity.id!r}",
                    attribute.line,
                    attribute.column,
                )
            draft.columns.append(self._column(attribute, draft))
            if "PK" in attribute.keys:
                draft.primary_key.append(attribute.name)
            if "UK" in attribute.keys:
                draft.unique.append((attribute.name,))
            if "FK" in attribute.keys:
                draft.fk_marked.append(attribute.name)
        return draft

    def _column(self, attribute: Attribute, draft: _Draft) -> Column:
        sketch = canonical_type(attribute.type)
        nullable = "PK" not in attribute.keys
        default = None
        text = attribute.comment  # still encoded: facts are split before decoding
        enum_labels: tuple[str, ...] | None = None
        if text is not None:
            while (fact := _FACT.match(text)) is not None:
                if fact[1] == "not null":
                    nullable = False
                elif fact["default"] is not None:
                    default = decode(fact["default"])
                else:
                    enum_labels = tuple(decode(label) for label in fact["enum"].split(", "))
                text = text[fact.end() :]
            text = decode(text) or None
        if enum_labels is not None:
            self._enum(sketch.type, enum_labels, attribute)
        origin = Origin(self.path, attribute.line, attribute.column)
        identity = Identity() if sketch.serial else None
        if identity is not None:
            nullable = False
        return Column(
            attribute.name, sketch.type, nullable, default, identity=identity, comment=text, origin=origin
        )

    def _enum(self, type_name: str, labels: tuple[str, ...], attribute: Attribute) -> None:
        base = type_name.removesuffix("[]")
        schema, dot, name = base.partition(".")
        if not dot:
            raise self.fail(
                f"enum type {base!r} must be schema-qualified (e.g. public.{base})",
                attribute.line,
                attribute.column,
            )
        key = (schema, name)
        previous = self.enums.get(key)
        if previous is not None and previous.labels != labels:
            raise self.fail(f"enum {base} is given different values", attribute.line, attribute.column)
        self.enums[key] = EnumType(schema, name, labels, origin=Origin(self.path, attribute.line))

    # Relationships ------------------------------------------------------------------------

    def _sides(self, relation: Relation) -> tuple[str, str]:
        """(parent id, child id)."""
        left_one = relation.left_card in _ONE
        right_one = relation.right_card in _ONE
        if left_one and not right_one:
            return relation.left, relation.right
        if right_one and not left_one:
            return relation.right, relation.left
        # One-to-one: the side whose FK attributes match the other is the child.
        left, right = self.drafts[relation.left], self.drafts[relation.right]
        right_child = self._finds_columns(right, left, relation.label)
        left_child = self._finds_columns(left, right, relation.label)
        if right_child and not left_child:
            return relation.left, relation.right
        if left_child and not right_child:
            return relation.right, relation.left
        if relation.left_card == "zero_or_one" and relation.right_card == "exactly_one":
            return relation.right, relation.left
        return relation.left, relation.right

    def _finds_columns(self, child: _Draft, parent: _Draft, label: str) -> bool:
        if self._named_columns(child, parent, label)[1] is not None:
            return True
        return self._matching_columns(child, parent, label) is not None

    def _ensure_key(self, parent: _Draft, line: int) -> None:
        if parent.primary_key or parent.unique:
            return
        if parent.column("id") is not None:
            raise self.fail(
                f"entity {parent.name!r} is referenced but has no PK attribute (mark its key with PK)", line
            )
        parent.columns.insert(
            0, Column("id", "bigint", nullable=False, origin=Origin(self.path, parent.line))
        )
        parent.primary_key.append("id")

    def _relate(self, relation: Relation) -> None:
        if relation.left_card not in _ONE and relation.right_card not in _ONE:
            self._link_table(relation)
            return
        parent_id, child_id = self._sides(relation)
        parent, child = self.drafts[parent_id], self.drafts[child_id]
        parent_card = relation.left_card if parent_id == relation.left else relation.right_card
        child_card = relation.right_card if parent_id == relation.left else relation.left_card
        if parent_id == child_id:
            parent_card, child_card = relation.left_card, relation.right_card
        name, columns = self._named_columns(child, parent, relation.label)
        if columns is None:
            columns = self._matching_columns(child, parent, relation.label)
        if columns is None:
            columns = self._new_columns(child, parent, relation)
        mandatory = parent_card in _MANDATORY
        for column_name in columns:
            column = child.column(column_name)
            assert column is not None
            if column_name not in child.primary_key:
                child.set_column(replace(column, nullable=not mandatory))
        child.claimed.update(columns)
        if child_card in _ONE and not any(
            u and set(u) <= set(columns) for u in [tuple(child.primary_key), *child.unique]
        ):
            child.unique.append(columns)
        key = (parent.schema, parent.name)
        child.foreign_keys.append((name, columns, key, tuple(self._key(parent)), relation.line))

    @staticmethod
    def _key(parent: _Draft) -> list[str]:
        """The referenced columns: the primary key, else the first UNIQUE attribute."""
        return list(parent.primary_key) or list(parent.unique[0] if parent.unique else ())

    def _key_names(self, parent: _Draft) -> list[str]:
        names = []
        for key in self._key(parent):
            if key == "id":
                names.append(f"{parent.name}_id")
            elif key.startswith(f"{parent.name}_"):
                names.append(key)
            else:
                names.append(f"{parent.name}_{key}")
        return names

    def _named_columns(
        self, child: _Draft, parent: _Draft, label: str
    ) -> tuple[str | None, tuple[str, ...] | None]:
        """Columns the label names explicitly (they may serve several FKs): ``name (a, b)`` (an FK
        with its own name), PostgreSQL's default FK name, or a column list ``a, b``."""
        width = len(self._key(parent))
        existing = [c.name for c in child.columns]
        if label.endswith(")") and " (" in label:
            name, _, inner = label[:-1].rpartition(" (")
            listed = tuple(part.strip() for part in inner.split(","))
            if name and len(listed) == width and all(c in existing for c in listed):
                return name, listed
        for candidate in _sequences(existing, width):
            if make_object_name(child.name, name_addition(candidate), "fkey") == label:
                return None, candidate
        listed = tuple(part.strip() for part in label.split(","))
        if len(listed) == width and all(c in existing for c in listed):
            return None, listed
        return None, None

    def _matching_columns(self, child: _Draft, parent: _Draft, label: str) -> tuple[str, ...] | None:
        """Existing child columns the relationship uses, by the rules in the module docstring."""
        width = len(self._key(parent))
        if width == 0:
            return None
        free = [c.name for c in child.columns if c.name not in child.claimed]
        # columns named after the parent key
        names = self._key_names(parent)
        if all(name in free for name in names) and not (
            child is parent and set(names) & set(self._key(parent))
        ):
            return tuple(names)
        # the one FK attribute not used yet
        unused = [name for name in child.fk_marked if name not in child.claimed]
        if width == 1 and len(unused) == 1:
            return (unused[0],)
        return None

    def _new_columns(self, child: _Draft, parent: _Draft, relation: Relation) -> tuple[str, ...]:
        names = self._key_names(parent)
        for name in names:
            if child.column(name) is not None:
                raise self.fail(
                    f"relationship {relation.left} - {relation.right}: column {child.name}.{name} is already "
                    'used by another relationship (name the FK columns in the label, e.g. "col_a, col_b")',
                    relation.line,
                )
        for name, key in zip(names, self._key(parent), strict=True):
            key_column = parent.column(key)
            assert key_column is not None
            child.columns.append(Column(name, key_column.type, origin=Origin(self.path, relation.line)))
        return tuple(names)

    def _link_table(self, relation: Relation) -> None:
        left, right = self.drafts[relation.left], self.drafts[relation.right]
        for side in (left, right):
            self._ensure_key(side, relation.line)
        label = relation.label.strip()
        schema, name = split_display(label) if re.fullmatch(r"[^\s,]+", label) else ("public", "")
        if not name:
            schema, name = left.schema, f"{left.name}_{right.name}"
        if any((d.schema, d.name) == (schema, name) for d in self.drafts.values()):
            raise self.fail(f"many-to-many link table {schema}.{name} clashes with an entity", relation.line)
        link = _Draft(schema, name, relation.line)
        fks = []
        for side in (left, right):
            names = self._key_names(side)
            if side is right and left is right:
                names = [f"{n}_2" for n in names]  # a self-referencing many-to-many
            for column_name, key in zip(names, self._key(side), strict=True):
                key_column = side.column(key)
                assert key_column is not None
                link.columns.append(
                    Column(
                        column_name, key_column.type, nullable=False, origin=Origin(self.path, relation.line)
                    )
                )
            fks.append((None, tuple(names), (side.schema, side.name), tuple(self._key(side)), relation.line))
        link.primary_key = [c.name for c in link.columns]
        link.foreign_keys = fks
        link.claimed = set(link.primary_key)
        self.drafts[f"\0link:{schema}.{name}"] = link

    # The model ----------------------------------------------------------------------------

    def _database(self) -> Database:
        choosers: dict[str, NameChooser] = {}
        tables = []
        drafts = list(self.drafts.values())
        for draft in drafts:
            choosers.setdefault(draft.schema, NameChooser()).add_relation(draft.name)
        named: dict[int, tuple[PrimaryKey | None, list[UniqueConstraint]]] = {}
        for draft in drafts:
            chooser = choosers[draft.schema]
            origin = Origin(self.path, draft.line)
            pk = (
                PrimaryKey(chooser.primary_key(draft.name), tuple(draft.primary_key), origin=origin)
                if draft.primary_key
                else None
            )
            uniques = [
                UniqueConstraint(chooser.unique(draft.name, columns), columns, origin=origin)
                for columns in dict.fromkeys(draft.unique)
            ]
            named[id(draft)] = (pk, uniques)
        for draft in drafts:  # names given in labels are taken before defaults are chosen
            for name, *_ in draft.foreign_keys:
                if name is not None:
                    choosers[draft.schema].add_constraint(name)
        for draft in drafts:
            chooser = choosers[draft.schema]
            pk, uniques = named[id(draft)]
            fks = [
                ForeignKey(
                    name if name is not None else chooser.foreign_key(draft.name, columns),
                    columns,
                    parent[0],
                    parent[1],
                    referenced,
                    origin=Origin(self.path, line),
                )
                for name, columns, parent, referenced, line in draft.foreign_keys
            ]
            tables.append(
                Table(
                    draft.schema,
                    draft.name,
                    columns=tuple(draft.columns),
                    primary_key=pk,
                    foreign_keys=tuple(fks),
                    unique_constraints=tuple(uniques),
                    comment=draft.comment,
                    origin=Origin(self.path, draft.line),
                )
            )
        schemas = {t.schema for t in tables} | {e.schema for e in self.enums.values()} | {"public"}
        return Database(
            schemas=tuple(SchemaInfo(name) for name in schemas),
            tables=tuple(tables),
            enums=tuple(self.enums.values()),
            expressions_canonical=False,
        )


def _sequences(names: list[str], width: int) -> list[tuple[str, ...]]:
    """Ordered choices of ``width`` distinct names (small widths only: FK labels)."""
    if width > 3 or len(names) ** width > 20000:
        return []
    result: list[tuple[str, ...]] = [()]
    for _ in range(width):
        result = [(*seq, n) for seq in result for n in names if n not in seq]
    return result
