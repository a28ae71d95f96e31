from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from pgshape.model import (
    Column,
    Database,
    Extension,
    Index,
    IndexKey,
    Origin,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from pgshape.model.compare import compare
from pgshape.model.serialize import IRFormatError, from_document, to_document
from strategies import databases


def _table(**changes: object) -> Table:
    values: dict[str, object] = {
        "schema": "public",
        "name": "film",
        "columns": (Column("id", "bigint", nullable=False), Column("title", "text")),
        "primary_key": PrimaryKey("film_pkey", ("id",)),
    }
    values.update(changes)
    return Table(**values)  # type: ignore[arg-type]


def test_origin_is_not_compared() -> None:
    with_origin = _table(
        origin=Origin("schema.sql", 3), columns=(Column("id", "bigint", origin=Origin("x", 1)),)
    )
    without = _table(columns=(Column("id", "bigint"),))
    assert with_origin == without


def test_unordered_collections_are_canonicalised_but_columns_keep_their_order() -> None:
    a = Index("a_idx", (IndexKey(column="title"),))
    b = Index("b_idx", (IndexKey(column="id"),))
    assert _table(indexes=(b, a)) == _table(indexes=(a, b))
    swapped = _table(columns=(Column("title", "text"), Column("id", "bigint", nullable=False)))
    assert swapped != _table()


def test_compare_reports_order_only_difference_separately() -> None:
    left = Database(tables=(_table(),))
    right = Database(tables=(_table(columns=tuple(reversed(_table().columns))),))
    differences = compare(left, right)
    assert [d.order_only for d in differences] == [True]
    assert "id, title" in str(differences[0])


def test_compare_matches_objects_by_name_and_names_the_field() -> None:
    left = Database(tables=(_table(unique_constraints=(UniqueConstraint("film_title_key", ("title",)),)),))
    right = Database(tables=(_table(unique_constraints=(UniqueConstraint("film_title_key", ("id",)),)),))
    (difference,) = compare(left, right)
    assert difference.path == "table public.film / unique film_title_key / columns"
    assert "('title',)" in str(difference) and "('id',)" in str(difference)


def test_extension_version_is_informative_only() -> None:
    assert Extension("citext", "public", "1.6") == Extension("citext", "public", "1.8")
    assert Extension("citext", "public") != Extension("citext", "extensions")


def test_index_key_is_a_column_or_an_expression() -> None:
    with pytest.raises(ValueError):
        IndexKey()
    with pytest.raises(ValueError):
        IndexKey(column="a", expression="lower(a)")


def test_json_document_is_versioned_and_rejects_other_versions() -> None:
    document = to_document(Database(tables=(_table(),)))
    assert document["format"] == "pgshape-ir" and document["version"] == 1
    with pytest.raises(IRFormatError, match="version 99"):
        from_document({**document, "version": 99})
    with pytest.raises(IRFormatError, match="not a pgshape IR"):
        from_document({"tables": []})


def test_json_keeps_origins_and_canonical_flag() -> None:
    database = Database(tables=(_table(origin=Origin("m.py", 12, 1)),), expressions_canonical=False)
    loaded = from_document(json.loads(json.dumps(to_document(database))))
    assert loaded.tables[0].origin == Origin("m.py", 12, 1)
    assert loaded.expressions_canonical is False


@settings(max_examples=60, deadline=None)
@given(databases())
def test_json_round_trip_of_generated_models(database: Database) -> None:
    loaded = from_document(json.loads(json.dumps(to_document(database))))
    assert loaded == database
    assert compare(loaded, database) == []
