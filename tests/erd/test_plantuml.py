"""PlantUML output, checked structurally (no PlantUML jar or Java is installed for the tests).

A small reader of the subset pgshape writes: ``@startuml``/``@enduml``, balanced braces (``~``
escapes a brace), ``entity "…" as alias {`` blocks, ``package`` blocks, relation lines with IE
crow's-foot ends, ``note`` lines. Every line must be one of those; every relation names defined
entities; counts and cardinalities are compared with the model's foreign keys.
"""

from __future__ import annotations

import re

import pytest
from erd_corpus import SCHEMAS, corpus  # noqa: F401
from hypothesis import HealthCheck, given, settings

from conftest import CORPUS
from pgshape.model import Database
from pgshape.render import plantuml
from pgshape.render.erd_common import ErdOptions, build_erd
from pgshape.render.erd_select import group_by_schema
from strategies import databases

ENTITY = re.compile(r'entity "([^"\n]*)" as ([A-Za-z_][A-Za-z0-9_]*) \{')
PACKAGE = re.compile(r'package "([^"\n]*)" \{')
RELATION = re.compile(r"([A-Za-z_]\w*) (\|\||\|o|\}o|\}\|)(--|\.\.)(\|\||o\||o\{|\|\{) ([A-Za-z_]\w*) : (.+)")
NOTE = re.compile(r"note top of ([A-Za-z_]\w*) : .+")
ATTRIBUTE = re.compile(r"(\* )?(?:[^{}~]|~.)+")


def _unescaped(line: str, char: str) -> int:
    return len(re.findall(r"(?<!~)" + re.escape(char), re.sub(r"~.", "", line)))


def read(text: str) -> dict[str, object]:
    """Entities (alias → (title, attribute lines)), packages, relations; AssertionError when a
    line is not valid in the subset."""
    lines = text.splitlines()
    assert lines[0] == "@startuml" and lines[-1] == "@enduml"
    entities: dict[str, tuple[str, list[str]]] = {}
    packages: dict[str, list[str]] = {}
    relations: list[tuple[str, str, str, str, str]] = []
    notes: list[str] = []
    stack: list[tuple[str, str]] = []  # ("entity"|"package", name)
    for number, raw in enumerate(lines[1:-1], 2):
        line = raw.strip()
        if not line or line in ("hide circle", "skinparam linetype ortho"):
            continue
        if match := ENTITY.fullmatch(line):
            assert not stack or stack[-1][0] == "package", f"line {number}: entity inside an entity"
            alias = match.group(2)
            assert alias not in entities, f"line {number}: {alias} defined twice"
            entities[alias] = (match.group(1), [])
            if stack:
                packages[stack[-1][1]].append(alias)
            stack.append(("entity", alias))
        elif match := PACKAGE.fullmatch(line):
            assert not stack, f"line {number}: nested package"
            packages[match.group(1)] = []
            stack.append(("package", match.group(1)))
        elif line == "}":
            assert stack, f"line {number}: unbalanced closing brace"
            stack.pop()
        elif stack and stack[-1][0] == "entity":
            assert _unescaped(line, "{") == 0 and _unescaped(line, "}") == 0, f"line {number}: raw brace"
            assert ATTRIBUTE.fullmatch(line) or line == "--", f"line {number}: {line!r}"
            entities[stack[-1][1]][1].append(line)
        elif match := RELATION.fullmatch(line):
            assert not stack, f"line {number}: relation inside a block"
            relations.append(match.groups()[:5])  # type: ignore[arg-type]
        elif match := NOTE.fullmatch(line):
            notes.append(match.group(1))
        else:
            raise AssertionError(f"line {number}: not PlantUML pgshape writes: {line!r}")
    assert not stack, "unclosed block"
    for left, *_, right in relations:
        assert left in entities and right in entities, f"relation to an undefined entity: {left}, {right}"
    assert all(n in entities for n in notes)
    return {"entities": entities, "packages": packages, "relations": relations}


def _check(database: Database, text: str, options: ErdOptions | None = None) -> dict[str, object]:
    parsed = read(text)
    erd = build_erd(database, options)
    entities = parsed["entities"]
    assert isinstance(entities, dict)
    assert len(entities) == len(erd.tables)
    aliases = plantuml.aliases([t.key for t in erd.tables])
    assert set(entities) == set(aliases.values())
    relations = parsed["relations"]
    assert isinstance(relations, list)
    child_ends = {"zero_or_one": "|o", "zero_or_many": "}o", "exactly_one": "||", "one_or_many": "}|"}
    parent_ends = {"zero_or_one": "o|", "exactly_one": "||", "zero_or_many": "o{", "one_or_many": "|{"}
    expected = sorted(
        (aliases[r.child], child_ends[r.child_end], parent_ends[r.parent_end], aliases[r.parent])
        for r in erd.relationships
    )
    assert sorted((a, left, right, b) for a, left, _, right, b in relations) == expected
    for table in erd.tables:
        body = entities[aliases[table.key]][1]
        attributes = [line for line in body if line != "--"]
        assert len(attributes) == len(table.columns)
    return parsed


def _fk_count(database: Database) -> int:
    drawn = {t.key for t in database.tables if not t.is_partition}
    return sum(
        1 for t in database.tables if t.key in drawn for fk in t.foreign_keys if fk.referenced in drawn
    )


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("corpus", SCHEMAS, indirect=True)
def test_corpus_plantuml_is_structurally_valid(corpus: Database) -> None:  # noqa: F811
    parsed = _check(corpus, plantuml.render(corpus))
    relations = parsed["relations"]
    assert isinstance(relations, list) and len(relations) == _fk_count(corpus)
    full = ErdOptions(show_nullability=True, show_defaults=True, show_enum_values=True, collapse_links=True)
    _check(corpus, plantuml.render(corpus, full), full)
    keys = [t.key for t in corpus.tables if not t.is_partition]
    grouped = read(plantuml.render(corpus, ErdOptions(columns="keys"), group_by_schema(keys)))
    packages = grouped["packages"]
    assert isinstance(packages, dict) and set(packages) == {s for s, _ in keys}
    aliases = plantuml.aliases(keys)
    for schema, members in packages.items():
        assert sorted(members) == sorted(aliases[k] for k in keys if k[0] == schema)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(databases())
def test_awkward_identifiers_stay_valid(database: Database) -> None:
    full = ErdOptions(show_nullability=True, show_defaults=True)
    _check(database, plantuml.render(database, full), full)


def test_syntax_in_names_is_escaped() -> None:
    from pgshape.model import Column, Table

    table = Table("public", 'we}"ird{', (Column("} --", "text", comment="{x} <<y>>"),), comment="a\nb")
    text = plantuml.render(Database(tables=(table,)))
    parsed = read(text)
    entities = parsed["entities"]
    assert isinstance(entities, dict)
    ((title, body),) = entities.values()
    assert title == "we}'ird{"
    assert body == ["~} -- : text // ~{x~} ~<~<y~>~>"]
