"""The names PostgreSQL chooses for objects created without one.

A port of ``makeObjectName``, ``ChooseRelationName``, ``ChooseConstraintName`` and the
``Choose*NameAddition`` helpers of PostgreSQL (src/backend/commands/indexcmds.c and
catalog/pg_constraint.c), so a source that leaves names to the server (SQLAlchemy's
``Column(unique=True)``, an unnamed CHECK, ``serial``) can know them without a server.

Lengths are in bytes (UTF-8, the server encoding pgshape uses); identifiers are cut on
character boundaries as ``pg_mbcliplen`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

NAMEDATALEN = 64
MAX_IDENTIFIER_BYTES = NAMEDATALEN - 1


def byte_length(name: str) -> int:
    return len(name.encode("utf-8"))


def clip(name: str, max_bytes: int) -> str:
    """The longest prefix of ``name`` that fits in ``max_bytes`` without splitting a character."""
    encoded = name.encode("utf-8")
    if len(encoded) <= max_bytes:
        return name
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def truncate_identifier(name: str) -> str:
    """What PostgreSQL keeps of an over-long identifier (it truncates with a NOTICE)."""
    return clip(name, MAX_IDENTIFIER_BYTES)


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """``makeObjectName``: ``name1_name2_label``, shortening the longer of name1/name2 to fit."""
    overhead = 0  # bytes for the label and the underscores
    if name2 is not None:
        overhead += 1
    if label is not None:
        overhead += byte_length(label) + 1
    available = MAX_IDENTIFIER_BYTES - overhead
    name1_bytes = byte_length(name1)
    name2_bytes = byte_length(name2) if name2 is not None else 0
    while name1_bytes + name2_bytes > available:
        if name1_bytes > name2_bytes:
            name1_bytes -= 1
        else:
            name2_bytes -= 1
    parts = [clip(name1, name1_bytes)]
    if name2 is not None:
        parts.append(clip(name2, name2_bytes))
    if label is not None:
        parts.append(label)
    return "_".join(parts)


def name_addition(column_names: Sequence[str]) -> str:
    """``ChooseIndexNameAddition`` / ``ChooseForeignKeyConstraintNameAddition``.

    Column names joined by ``_``, stopping once the text reaches NAMEDATALEN bytes (the result
    is shortened again by :func:`make_object_name`).
    """
    buffer = b""
    for name in column_names:
        if buffer:
            buffer += b"_"
        buffer += clip(name, MAX_IDENTIFIER_BYTES).encode("utf-8")
        if len(buffer) >= NAMEDATALEN:
            break
    return buffer.decode("utf-8", errors="ignore")


def index_column_names(names: Sequence[str | None]) -> list[str]:
    """``ChooseIndexColumnNames``: ``None`` (an expression without a name) becomes ``expr``;
    duplicates get a numeric suffix (``lower``, ``lower1``)."""
    result: list[str] = []
    for original in names:
        base = original or "expr"
        current = base
        number = 0
        while current in result:
            number += 1
            suffix = str(number)
            current = clip(base, MAX_IDENTIFIER_BYTES - len(suffix)) + suffix
        result.append(current)
    return result


@dataclass
class NameChooser:
    """Chooses names within one schema the way PostgreSQL does, remembering what it gave out.

    PostgreSQL avoids (for relations: tables, indexes, sequences) names of existing relations
    and, for index-backed constraints and other constraints, names of existing constraints of
    the schema. Feed it the names that already exist with :meth:`add_relation` /
    :meth:`add_constraint` in the order the objects are created.
    """

    relations: set[str] = field(default_factory=set)
    constraints: set[str] = field(default_factory=set)

    def add_relation(self, name: str) -> None:
        self.relations.add(name)

    def add_constraint(self, name: str) -> None:
        self.constraints.add(name)

    def relation_name(self, name1: str, name2: str | None, label: str, *, is_constraint: bool = False) -> str:
        """``ChooseRelationName`` (indexes, serial sequences); the name is then taken."""
        chosen = self._choose(name1, name2, label, self._relation_taken(is_constraint))
        self.relations.add(chosen)
        if is_constraint:
            self.constraints.add(chosen)
        return chosen

    def constraint_name(self, name1: str, name2: str | None, label: str, others: Iterable[str] = ()) -> str:
        """``ChooseConstraintName`` (check and foreign key constraints); the name is then taken."""
        extra = set(others)
        chosen = self._choose(name1, name2, label, lambda n: n in self.constraints or n in extra)
        self.constraints.add(chosen)
        return chosen

    def _relation_taken(self, is_constraint: bool) -> Callable[[str], bool]:
        return lambda n: n in self.relations or (is_constraint and n in self.constraints)

    @staticmethod
    def _choose(name1: str, name2: str | None, label: str, taken: Callable[[str], bool]) -> str:
        attempt = 0
        modified = label
        while True:
            name = make_object_name(name1, name2, modified)
            if not taken(name):
                return name
            attempt += 1
            # snprintf into a NAMEDATALEN buffer: the label itself is never longer than that.
            modified = clip(f"{label}{attempt}", MAX_IDENTIFIER_BYTES)

    # Helpers for the usual cases -------------------------------------------------------

    def primary_key(self, table: str) -> str:
        return self.relation_name(table, None, "pkey", is_constraint=True)

    def unique(self, table: str, columns: Sequence[str]) -> str:
        return self.relation_name(table, name_addition(columns), "key", is_constraint=True)

    def index(self, table: str, columns: Sequence[str | None]) -> str:
        return self.relation_name(table, name_addition(index_column_names(columns)), "idx")

    def foreign_key(self, table: str, columns: Sequence[str]) -> str:
        return self.constraint_name(table, name_addition(columns), "fkey")

    def check(self, table: str, column: str | None, others: Iterable[str] = ()) -> str:
        """``{table}_{column}_check`` when the expression uses one column, else ``{table}_check``."""
        return self.constraint_name(table, column, "check", others)

    def serial_sequence(self, table: str, column: str) -> str:
        return self.relation_name(table, column, "seq")
