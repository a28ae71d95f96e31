"""Origins: statements of a script matched to IR objects by name (no server needed)."""

from __future__ import annotations

from pathlib import Path

from pgshape.model import (
    Column,
    Database,
    Domain,
    EnumType,
    ForeignKey,
    Function,
    Index,
    IndexKey,
    Policy,
    PrimaryKey,
    Sequence,
    Table,
    Trigger,
    View,
)
from pgshape.sources.sql_origins import apply_origins
from pgshape.sources.sql_script import LineIndex, split

LIBRARY = Path(__file__).resolve().parents[1] / "fixtures" / "sql" / "library.sql"


def library_ir() -> Database:
    """Roughly what introspecting tests/fixtures/sql/library.sql gives (origins left out)."""
    author = Table(
        "public",
        "author",
        columns=(Column("id", "integer", nullable=False), Column("name", "text", nullable=False)),
        primary_key=PrimaryKey("author_pkey", ("id",)),
        policies=(Policy("author_all", using="true"),),
    )
    book = Table(
        "public",
        "Book",
        columns=(
            Column("id", "integer", nullable=False),
            Column("author_id", "integer", nullable=False),
            Column("ISBN", "public.isbn"),
            Column("kind", "public.genre"),
        ),
        primary_key=PrimaryKey("Book_pkey", ("id",)),
        foreign_keys=(ForeignKey("book_author_fk", ("author_id",), "public", "author", ("id",)),),
        indexes=(Index("book_author_idx", (IndexKey(column="author_id"),)),),
        triggers=(Trigger("book_touch", "CREATE TRIGGER ...", function="public.touch"),),
    )
    return Database(
        enums=(EnumType("public", "genre", ("fiction", "poetry")),),
        domains=(Domain("public", "isbn", "text"),),
        sequences=(Sequence("public", "ticket_seq"),),
        tables=(author, book),
        views=(View("public", "shelf", "SELECT ..."),),
        functions=(
            Function("public", "add", "a integer", "..."),
            Function("public", "add", "a integer, b integer", "..."),
            Function("public", "touch", "", "...", returns="trigger"),
        ),
    )


def where(obj: object) -> tuple[int | None, int | None]:
    origin = obj.origin  # type: ignore[attr-defined]
    assert origin is not None and origin.file == "library.sql"
    return origin.line, origin.column


def test_origins_of_a_hand_written_schema() -> None:
    text = LIBRARY.read_text()
    database = apply_origins(library_ir(), split(text), file="library.sql", lines=LineIndex(text))
    author = database.table("public", "author")
    book = database.table("public", "Book")
    assert author is not None and book is not None
    assert where(author) == (5, 1)
    assert [where(column) for column in author.columns] == [(6, 5), (7, 5)]
    assert author.primary_key is not None and where(author.primary_key) == (8, 5)
    assert [where(policy) for policy in author.policies] == [(36, 1)]
    assert where(book) == (11, 1)
    assert [where(column) for column in book.columns] == [(12, 5), (13, 5), (14, 5), (15, 5)]
    assert book.primary_key is not None and where(book.primary_key) == (12, 16)
    assert [where(fk) for fk in book.foreign_keys] == [(18, 5)]
    assert [where(index) for index in book.indexes] == [(19, 1)]
    assert [where(trigger) for trigger in book.triggers] == [(34, 1)]
    assert [where(enum) for enum in database.enums] == [(2, 1)]
    assert [where(domain) for domain in database.domains] == [(3, 1)]
    assert [where(sequence) for sequence in database.sequences] == [(21, 1)]
    assert [where(view) for view in database.views] == [(23, 1)]
    assert {f.signature: where(f) for f in database.functions} == {
        "public.add(a integer)": (32, 1),
        "public.add(a integer, b integer)": (31, 1),
        "public.touch()": (26, 1),
    }
    assert database == library_ir()  # origins never take part in equality


def test_qualified_and_quoted_names() -> None:
    text = 'SET x = 1;\nCREATE TABLE IF NOT EXISTS "Sales"."Order Lines" (\n  "Qty" int\n);\n'
    table = Table("Sales", "Order Lines", columns=(Column("Qty", "integer"),))
    database = apply_origins(Database(tables=(table,)), split(text), file="f.sql", lines=LineIndex(text))
    loaded = database.tables[0]
    assert loaded.origin is not None and (loaded.origin.line, loaded.origin.column) == (2, 1)
    assert loaded.columns[0].origin is not None and loaded.columns[0].origin.line == 3


def test_unknown_objects_keep_no_origin() -> None:
    text = "CREATE TABLE other (id int);\n"
    table = Table("public", "t", columns=(Column("id", "integer"),))
    database = apply_origins(Database(tables=(table,)), split(text), file="f.sql", lines=LineIndex(text))
    assert database.tables[0].origin is None and database.tables[0].columns[0].origin is None
