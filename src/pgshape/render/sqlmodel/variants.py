"""``--variants``: the FastAPI family of models for every table.

- ``XBase(SQLModel)``: the columns a client provides (not the key, not secrets, not columns
  the database computes);
- ``X(XBase, table=True)``: adds the key, secrets, computed columns and relationships;
- ``XCreate(XBase)``: adds the secrets a client sends once (a password hash, a token);
- ``XUpdate(SQLModel)``: every writable column, all optional;
- ``XPublic(XBase)``: adds the key and computed columns — never a secret;
- ``XsPublic(SQLModel)``: ``data: list[XPublic]`` and ``count``, a list envelope.

Columns declared in ``XBase`` come first in the table, so the table's column order can differ
from the source's (PostgreSQL reports that as an order-only difference).
"""

from __future__ import annotations

import re

from pgshape.model import Column
from pgshape.render.sqlmodel import naming
from pgshape.render.sqlmodel.classes import Code, table_args, tablename
from pgshape.render.sqlmodel.fields import render_field
from pgshape.render.sqlmodel.plan import Plan, TablePlan
from pgshape.render.sqlmodel.relationships import Rel

_SENSITIVE_WORDS = frozenset(
    {"password", "passwd", "pwd", "secret", "token", "salt", "otp", "credential", "credentials", "apikey"}
)
_SENSITIVE_NAMES = re.compile(
    r"(api|private|access|secret|signing|encryption)_?key|.*_hash(ed)?|hashed_.*|encrypted_.*"
)


def is_sensitive(column: str) -> bool:
    """Password hashes, secrets, tokens, keys: never part of a public model."""
    name = naming.snake(column)
    parts = set(name.split("_"))
    return bool(parts & _SENSITIVE_WORDS) or _SENSITIVE_NAMES.fullmatch(name) is not None


def _computed(column: Column) -> bool:
    return column.identity is not None or column.generated is not None


def variant_classes(plan: Plan, tplan: TablePlan, rels: list[Rel]) -> Code:
    table = tplan.table
    x = tplan.name
    pk = set(table.primary_key.columns) if table.primary_key else set()
    base_cols = [
        c for c in table.columns if c.name not in pk and not is_sensitive(c.name) and not _computed(c)
    ]
    own_cols = [c for c in table.columns if c not in base_cols]
    secret_cols = [c for c in own_cols if is_sensitive(c.name) and c.name not in pk]
    public_cols = [c for c in own_cols if c not in secret_cols]
    needs: set[str] = {"SQLModel"}

    def fields(columns: list[Column]) -> str:
        out = []
        for column in columns:
            code = render_field(plan, tplan, column)
            needs.update(code.needs)
            out.append(code.text)
        return "".join(out)

    def simple(column: Column, *, optional: bool, required_key: bool = False) -> str:
        pytype = plan.types.map(column.type, column.collation)
        needs.update(
            n for n in pytype.needs if n not in {"sa", "postgresql", "PgType"} or n in pytype.annotation
        )
        annotation = pytype.annotation
        attribute = tplan.attributes[column.name]
        if required_key:
            return f"    {attribute}: {annotation}\n"
        if optional or column.nullable or column.default or _computed(column):
            return f"    {attribute}: {annotation} | None = None\n"
        return f"    {attribute}: {annotation}\n"

    blocks = []
    blocks.append(f"class {x}Base(SQLModel):\n" + (fields(base_cols) or "    pass\n"))
    args = table_args(plan, tplan)
    needs |= args.needs
    settings = tablename(tplan, x) + args.text
    members = fields(own_cols)
    for rel in rels:
        members += rel.render()
        needs |= rel.needs
    blocks.append(
        f"class {x}({x}Base, table=True):\n"
        + (settings + "\n" if settings else "")
        + (members or "    pass\n")
    )
    create = "".join(simple(c, optional=False) for c in secret_cols)
    blocks.append(f"class {x}Create({x}Base):\n" + (create or "    pass\n"))
    update = "".join(simple(c, optional=True) for c in base_cols + secret_cols)
    blocks.append(f"class {x}Update(SQLModel):\n" + (update or "    pass\n"))
    public = "".join(simple(c, optional=False, required_key=c.name in pk) for c in public_cols)
    blocks.append(f"class {x}Public({x}Base):\n" + (public or "    pass\n"))
    plural = naming.plural_class(x)
    blocks.append(f"class {plural}Public(SQLModel):\n    data: list[{x}Public]\n    count: int\n")
    needs.add(f"ref:{x}")
    return Code("\n\n".join(b.rstrip("\n") + "\n" for b in blocks), needs)
