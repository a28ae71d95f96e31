"""DOT output: parsed with pydot (on every loadable corpus schema and on awkward identifiers).

Checked from the parsed graph, not the text: one node per drawn table, one edge per foreign key
between drawn tables (tail at the child, head at the parent), crow's-foot ends that follow the
foreign key's nullability and uniqueness, HTML-like labels that are well-formed XML and show the
table's name, clusters per group.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from typing import Any

import pydot
import pytest
from erd_corpus import SCHEMAS, corpus  # noqa: F401
from hypothesis import HealthCheck, given, settings

from conftest import CORPUS
from pgshape.model import Database
from pgshape.render import dot
from pgshape.render.erd_common import ErdOptions
from pgshape.render.erd_select import group_by_schema
from strategies import databases

# pydot's grammar uses pyparsing names that newer pyparsing deprecates: not our concern here.
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")


def _unquote(text: str) -> str:
    """A DOT quoted ID back to the name (the inverse of dot._quote)."""
    assert text.startswith('"') and text.endswith('"'), text
    out, i, body = [], 0, text[1:-1]
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n"}.get(nxt, nxt))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def _endpoint(text: str) -> str:
    """``"id":port`` → the node id (ports are c0, c1…, never inside the quotes)."""
    quoted = text if text.endswith('"') else text.rsplit(":", 1)[0]
    return _unquote(quoted)


def parse(text: str) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """Nodes by name (from the graph and its clusters), edges, clusters."""
    graphs = pydot.graph_from_dot_data(text)
    assert graphs and len(graphs) == 1, "pydot could not parse the DOT"
    graph = graphs[0]
    nodes: dict[str, Any] = {}
    edges = list(graph.get_edges())
    clusters = list(graph.get_subgraphs())
    for holder in [graph, *clusters]:
        for node in holder.get_nodes():
            if node.get_name() in ("node", "edge", "graph"):
                continue
            name = _unquote(node.get_name())
            assert name not in nodes, f"node {name} defined twice"
            nodes[name] = node
        edges.extend(holder.get_edges() if holder is not graph else [])
    return nodes, edges, clusters


def _label_xml(node: Any) -> ElementTree.Element:
    label = node.get_attributes()["label"]
    assert label.startswith("<") and label.endswith(">"), "not an HTML-like label"
    return ElementTree.fromstring(label[1:-1])


def _expected_edges(database: Database) -> list[tuple[str, str, str, str]]:
    """(child, parent, tail arrow, head arrow) straight from the foreign keys."""
    drawn = {t.key for t in database.tables if not t.is_partition}
    result = []
    for table in database.tables:
        if table.key not in drawn:
            continue
        keys = [frozenset(table.primary_key.columns)] if table.primary_key else []
        keys += [frozenset(u.columns) for u in table.unique_constraints]
        keys += [
            frozenset(i.columns)
            for i in table.indexes
            if i.unique and not i.predicate and None not in i.columns
        ]
        for fk in table.foreign_keys:
            if fk.referenced not in drawn:
                continue
            mandatory = all(not table.column(c).nullable for c in fk.columns)  # type: ignore[union-attr]
            unique = any(k <= set(fk.columns) for k in keys)
            result.append(
                (
                    f"{table.schema}.{table.name}",
                    f"{fk.referenced_schema}.{fk.referenced_table}",
                    "teeodot" if unique else "crowodot",
                    "teetee" if mandatory else "teeodot",
                )
            )
    return sorted(result)


def _check(database: Database, text: str) -> None:
    nodes, edges, _ = parse(text)
    drawn = {f"{t.schema}.{t.name}" for t in database.tables if not t.is_partition}
    assert set(nodes) == drawn
    got = sorted(
        (
            _endpoint(e.get_source()),
            _endpoint(e.get_destination()),
            e.get_attributes()["arrowtail"],
            e.get_attributes()["arrowhead"],
        )
        for e in edges
    )
    assert got == _expected_edges(database)
    qualify = any(t.schema != "public" for t in database.tables if not t.is_partition)
    for table in database.tables:
        if table.is_partition:
            continue
        root = _label_xml(nodes[f"{table.schema}.{table.name}"])
        rows = root.findall("tr")
        assert "".join(rows[0].itertext()) == (f"{table.schema}.{table.name}" if qualify else table.name)
        assert ["".join(r.findall("td")[1].itertext()) for r in rows[1:]] == list(table.column_names)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("corpus", SCHEMAS, indirect=True)
def test_corpus_dot_parses_with_one_node_per_table_and_one_edge_per_fk(corpus: Database) -> None:  # noqa: F811
    text = dot.render(corpus)
    _check(corpus, text)
    assert len([t for t in corpus.tables if not t.is_partition]) > 5
    # Grouped by schema: one cluster per schema, holding exactly that schema's tables.
    keys = [t.key for t in corpus.tables if not t.is_partition]
    groups = group_by_schema(keys)
    nodes, _, clusters = parse(dot.render(corpus, ErdOptions(columns="keys"), groups))
    assert len(clusters) == len(groups)
    for cluster, (schema, members) in zip(clusters, groups.items(), strict=True):
        assert cluster.get_name().startswith("cluster_")  # Graphviz draws only cluster_* as boxes
        inside = {
            _unquote(n.get_name()) for n in cluster.get_nodes() if n.get_name() not in ("node", "graph")
        }
        assert inside == {f"{s}.{n}" for s, n in members}, schema
    assert set(nodes) == {f"{s}.{n}" for s, n in keys}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(databases())
def test_awkward_identifiers_parse(database: Database) -> None:
    _check(database, dot.render(database))


def test_collapsed_link_is_one_labelled_many_to_many_edge() -> None:
    from pgshape.model import Column, ForeignKey, PrimaryKey, Table

    a = Table("public", "a", (Column("id", "bigint", nullable=False),), PrimaryKey("a_pkey", ("id",)))
    b = Table("public", "b", (Column("id", "bigint", nullable=False),), PrimaryKey("b_pkey", ("id",)))
    link = Table(
        "public",
        "a_b",
        (Column("a_id", "bigint", nullable=False), Column("b_id", "bigint", nullable=False)),
        PrimaryKey("a_b_pkey", ("a_id", "b_id")),
        (
            ForeignKey("a_b_a_id_fkey", ("a_id",), "public", "a", ("id",)),
            ForeignKey("a_b_b_id_fkey", ("b_id",), "public", "b", ("id",)),
        ),
    )
    database = Database(tables=(a, b, link))
    nodes, edges, _ = parse(dot.render(database, ErdOptions(collapse_links=True)))
    assert set(nodes) == {"public.a", "public.b"}
    assert len(edges) == 1
    attributes = edges[0].get_attributes()
    assert (attributes["arrowtail"], attributes["arrowhead"]) == ("crowodot", "crowodot")
    assert _unquote(attributes["label"]) == "a_b"
