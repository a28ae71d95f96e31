"""Python names for database names: valid, unshadowing, readable."""

from __future__ import annotations

import keyword
import unicodedata

import pytest
from hypothesis import given

from pgshape.render.sqlmodel import naming
from strategies import identifiers


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("users", "User"),
        ("blog_posts", "BlogPost"),
        ("categories", "Category"),
        ("addresses", "Address"),
        ("status", "Status"),
        ("people", "Person"),
        ("InvoiceLine", "InvoiceLine"),
        ("order", "Order"),
        ("1st place", "T1stPlace"),
        ("-", "Table"),
    ],
)
def test_class_names(table: str, expected: str) -> None:
    assert naming.class_name(table) == expected


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("email", "email"),
        ("class", "class_"),
        ("from", "from_"),
        ("match", "match_"),
        ("FirstName", "first_name"),
        ("my column", "my_column"),
        ("1st", "c1st"),
        ("_private", "private"),
        ("é", "é"),
        ("ﬁle", "file"),
    ],
)
def test_attribute_names(column: str, expected: str) -> None:
    assert naming.attribute_name(column) == expected


@pytest.mark.parametrize(
    ("word", "plural"), [("post", "posts"), ("category", "categories"), ("box", "boxes"), ("day", "days")]
)
def test_plural_and_singular_are_inverse(word: str, plural: str) -> None:
    assert naming.plural(word) == plural
    assert naming.singular(plural) == word


def test_plural_class_for_the_list_envelope() -> None:
    assert naming.plural_class("Hero") == "Heros" or naming.plural_class("Hero") == "Heroes"
    assert naming.plural_class("BlogCategory") == "BlogCategories"


@given(identifiers)
def test_every_generated_name_is_a_usable_identifier(name: str) -> None:
    for generated in (naming.attribute_name(name), naming.class_name(name), naming.module_name(name)):
        assert generated.isidentifier()
        assert not keyword.iskeyword(generated)
        assert not generated.startswith("_")
        assert unicodedata.normalize("NFKC", generated) == generated
    assert naming.member_name(name).isidentifier()


def test_namespace_never_hands_out_a_name_twice() -> None:
    names = naming.Namespace({"metadata"})
    assert [names.claim("metadata"), names.claim("x"), names.claim("x")] == ["metadata_2", "x", "x_2"]
