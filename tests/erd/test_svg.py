"""The SVG renderer on hand-built and generated models: crow's-foot ends, escaping, themes,
column modes, schema frames, collapsed link tables; random FK graphs never overlap."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st
from svg_geometry import SVG, edges_through_boxes, misplaced_edge_ends, overlapping_pairs, parse

from pgshape.model import Column, Database, ForeignKey, PrimaryKey, SchemaInfo, Table, UniqueConstraint
from pgshape.render.erd_common import ErdOptions
from pgshape.render.svg import end_marker, render_svg
from pgshape.render.svg_style import PALETTES
from strategies import databases


def _table(name: str, *columns: Column, schema: str = "public", **extra) -> Table:  # type: ignore[no-untyped-def]
    return Table(schema=schema, name=name, columns=columns, **extra)


def _fk(name: str, column: str, parent: str, schema: str = "public") -> ForeignKey:
    return ForeignKey(name, (column,), schema, parent, ("id",))


def _shop() -> Database:
    customer = _table("customer", Column("id", "bigint", False), Column("email", "text", False),
                      primary_key=PrimaryKey("customer_pkey", ("id",)),
                      unique_constraints=(UniqueConstraint("customer_email_key", ("email",)),))  # fmt: skip
    orders = _table("order", Column("id", "bigint", False), Column("customer_id", "bigint", False),
                    Column("coupon_id", "bigint", True), Column("total", "numeric(12,2)", False),
                    primary_key=PrimaryKey("order_pkey", ("id",)),
                    foreign_keys=(_fk("order_customer_id_fkey", "customer_id", "customer"),
                                  _fk("order_coupon_id_fkey", "coupon_id", "coupon")))  # fmt: skip
    coupon = _table("coupon", Column("id", "bigint", False), primary_key=PrimaryKey("coupon_pkey", ("id",)))
    profile = _table("profile", Column("id", "bigint", False), Column("customer_id", "bigint", False),
                     primary_key=PrimaryKey("profile_pkey", ("id",)),
                     unique_constraints=(UniqueConstraint("profile_customer_id_key", ("customer_id",)),),
                     foreign_keys=(_fk("profile_customer_id_fkey", "customer_id", "customer"),))  # fmt: skip
    return Database(schemas=(SchemaInfo("public"),), tables=(customer, orders, coupon, profile))


def _edges(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {
        g.get("data-label") or "": g
        for g in root.iter(f"{SVG}g")
        if "erd-edge" in (g.get("class") or "").split()
    }


def test_crows_feet_follow_the_model() -> None:
    edges = _edges(render_svg(_shop()))
    # NOT NULL FK: exactly one parent; nullable FK: zero or one; unique FK: one-to-one.
    order = edges["order_customer_id_fkey"]
    assert (order.get("data-parent-end"), order.get("data-child-end")) == (
        "exactly_one",
        "zero_or_many",
    )
    assert edges["order_coupon_id_fkey"].get("data-parent-end") == "zero_or_one"
    assert edges["profile_customer_id_fkey"].get("data-child-end") == "zero_or_one"
    # "zero" ends draw a circle, "one" ends do not.
    for label, circles in (
        ("order_customer_id_fkey", 1),
        ("order_coupon_id_fkey", 2),
        ("profile_customer_id_fkey", 1),
    ):
        drawn = [p for p in edges[label].iter(f"{SVG}path") if p.get("class") == "erd-end-circle"]
        assert sum((p.get("d") or "").count("a4 4 0 1 0 8 0") for p in drawn) == circles, label


def test_end_marker_shapes() -> None:
    # At (100, 50) on a right side: every stroke lies within 20 px outside the box.
    for end in ("exactly_one", "zero_or_one", "one_or_many", "zero_or_many"):
        strokes, circles = end_marker(end, (100.0, 50.0), "right")
        assert ("a4" in circles) == end.startswith("zero"), end
        many = "L100 43" in strokes and "L100 57" in strokes  # the foot's prongs meet the box side
        assert many == end.endswith("many"), end
        assert (
            strokes.count("V56")
            == {"exactly_one": 2, "zero_or_one": 1, "one_or_many": 1, "zero_or_many": 0}[end]
        )
    strokes, _ = end_marker("exactly_one", (100.0, 50.0), "left")
    assert "M93 44" in strokes and "M88 44" in strokes  # mirrored to the left side


def test_awkward_names_are_escaped_and_kept() -> None:
    name = "a<b>&\"c' </text>"
    column = "]]><!-- x"
    table = _table(name, Column(column, "text"), Column("ctl\x01", "integer"), comment="line\x02 & <tag>")
    svg = render_svg(Database(tables=(table,)))
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("data-name") == name)
    texts = [t.text for t in group.iter(f"{SVG}text")]
    assert name in texts and column in texts and "ctl\ufffd" in texts
    assert group.get("data-table") == f"public.{name}"


def test_columns_modes_and_anchor_rows() -> None:
    keys = parse(render_svg(_shop(), ErdOptions(columns="keys")))
    everything = parse(render_svg(_shop()))
    none = parse(render_svg(_shop(), ErdOptions(columns="none")))
    assert keys.boxes["public.order"].height < everything.boxes["public.order"].height
    assert {round(r.height) for r in none.boxes.values()} == {28}
    for drawing in (keys, everything, none):
        assert misplaced_edge_ends(drawing) == [] and overlapping_pairs(drawing.boxes) == []
    # An edge leaves the child at the row of its FK column.
    root = everything.root
    order = next(g for g in root.iter(f"{SVG}g") if g.get("data-table") == "public.order")
    row = next(g for g in order.iter(f"{SVG}g") if g.get("data-column") == "coupon_id")
    rect = next(r for r in row.iter(f"{SVG}rect"))
    top, height = float(rect.get("y") or 0), float(rect.get("height") or 0)
    edge = next(e for e in everything.edges if e.child == "public.order" and e.parent == "public.coupon")
    assert top < edge.start[1] < top + height


def test_themes() -> None:
    light, dark = render_svg(_shop()), render_svg(_shop(), theme="dark")
    assert f'fill="{PALETTES["light"]["bg"]}"' in light and f'fill="{PALETTES["dark"]["bg"]}"' in dark
    for svg in (light, dark):
        assert "prefers-color-scheme: dark" in svg and "var(--erd-box)" in svg


def test_schemas_are_framed() -> None:
    tables = [
        _table("a", Column("id", "bigint", False), primary_key=PrimaryKey("a_pkey", ("id",))),
        _table("b", Column("id", "bigint", False), Column("a_id", "bigint"), schema="audit",
               primary_key=PrimaryKey("b_pkey", ("id",)), foreign_keys=(_fk("b_a_fkey", "a_id", "a"),)),
        _table("c", Column("id", "bigint", False), Column("b_id", "bigint"), schema="audit",
               primary_key=PrimaryKey("c_pkey", ("id",)),
               foreign_keys=(_fk("c_b_fkey", "b_id", "b", "audit"),)),
    ]  # fmt: skip
    drawing = parse(render_svg(Database(tables=tuple(tables))))
    frames = {
        g.get("data-schema"): next(g.iter(f"{SVG}rect"))
        for g in drawing.root.iter(f"{SVG}g")
        if g.get("class") == "erd-frame"
    }
    assert set(frames) == {"public", "audit"}
    for name, rect in drawing.boxes.items():
        frame = frames[name.split(".")[0]]
        fx, fy = float(frame.get("x") or 0), float(frame.get("y") or 0)
        fw, fh = float(frame.get("width") or 0), float(frame.get("height") or 0)
        assert fx <= rect.x and rect.right <= fx + fw and fy <= rect.y and rect.bottom <= fy + fh
    assert misplaced_edge_ends(drawing) == [] and overlapping_pairs(drawing.boxes) == []


def test_collapsed_link_table() -> None:
    film = _table("film", Column("id", "bigint", False), primary_key=PrimaryKey("film_pkey", ("id",)))
    actor = _table("actor", Column("id", "bigint", False), primary_key=PrimaryKey("actor_pkey", ("id",)))
    link = _table("film_actor", Column("film_id", "bigint", False), Column("actor_id", "bigint", False),
                  primary_key=PrimaryKey("film_actor_pkey", ("film_id", "actor_id")),
                  foreign_keys=(_fk("fa_film", "film_id", "film"),
                                _fk("fa_actor", "actor_id", "actor")))  # fmt: skip
    database = Database(tables=(film, actor, link))
    collapsed = parse(render_svg(database, ErdOptions(collapse_links=True)))
    assert set(collapsed.boxes) == {"public.film", "public.actor"}
    [edge] = collapsed.edges
    assert (edge.child_end, edge.parent_end) == ("zero_or_many", "zero_or_many")
    assert len(parse(render_svg(database)).edges) == 2


# Generated models ---------------------------------------------------------------------------


@st.composite
def fk_graphs(draw: st.DrawFn) -> Database:
    """Tables in 1-3 schemas with random FKs: self-references, cycles, several per pair."""
    count = draw(st.integers(1, 24))
    schemas = draw(st.sampled_from([("public",), ("public", "audit"), ("public", "audit", "x")]))
    places = [(draw(st.sampled_from(schemas)), f"t{i}") for i in range(count)]
    tables = []
    for schema, name in places:
        extra = draw(st.integers(0, 10))
        columns = [Column("id", "bigint", False)] + [
            Column(f"c{k}", draw(st.sampled_from(["text", "integer", "timestamp with time zone"])))
            for k in range(extra)
        ]
        fks = []
        uniques = []
        for k in range(draw(st.integers(0, 3))):
            target = draw(st.sampled_from(places))
            column = f"ref{k}"
            columns.append(Column(column, "bigint", draw(st.booleans())))
            fks.append(ForeignKey(f"{name}_fk{k}", (column,), target[0], target[1], ("id",)))
            if draw(st.booleans()):
                uniques.append(UniqueConstraint(f"{name}_u{k}", (column,)))
        tables.append(
            Table(
                schema, name, tuple(columns), PrimaryKey(f"{name}_pkey", ("id",)), tuple(fks), tuple(uniques)
            )
        )
    return Database(tables=tuple(tables))


@settings(max_examples=80, deadline=None)
@given(fk_graphs(), st.sampled_from(["all", "keys", "none"]))
def test_random_fk_graphs_never_overlap(database: Database, columns: str) -> None:
    svg = render_svg(database, ErdOptions(columns=columns))  # type: ignore[arg-type]
    drawing = parse(svg)
    assert len(drawing.boxes) == len(database.tables)
    assert overlapping_pairs(drawing.boxes) == []
    assert misplaced_edge_ends(drawing) == []
    same_schema = [e for e in drawing.edges if e.child.split(".")[0] == e.parent.split(".")[0]]
    assert edges_through_boxes(drawing, same_schema) == []
    assert render_svg(database, ErdOptions(columns=columns)) == svg  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(databases(max_tables=6))
def test_awkward_generated_models_give_valid_xml(database: Database) -> None:
    drawing = parse(render_svg(database))  # ET.fromstring raises on invalid XML
    names = {
        g.get("data-name")
        for g in drawing.root.iter(f"{SVG}g")
        if "erd-table" in (g.get("class") or "").split()
    }
    assert names == {t.name for t in database.tables}
    assert overlapping_pairs(drawing.boxes) == []
