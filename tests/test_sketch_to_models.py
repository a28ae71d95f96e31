"""A sketched ERD becomes models (issue: Mermaid and DBML sources for ``generate models``).

The sketch is loaded as a source, models are generated from it, and the module — imported in a
fresh interpreter and created with ``create_all()`` — must build exactly the schema the sketch
describes (compared after PostgreSQL canonicalises the sketch's expressions).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgshape.model.compare import compare
from pgshape.pg.verify import canonical
from pgshape.render.sqlmodel import render
from pgshape.sources.load import LoadOptions, load
from render.sqlmodel.codegen_support import rebuild, ruff_problems

MERMAID = """\
# Shop sketch

```mermaid
erDiagram
    customer ||--o{ customer_order : places
    customer_order ||--|{ order_item : contains
    product ||--o{ order_item : "is ordered in"
    customer {
        bigint id PK
        text email UK "login and receipts"
        text name
    }
    customer_order {
        bigint id PK
        bigint customer_id FK
        timestamptz placed_at
    }
    product {
        bigint id PK
        text sku UK
        numeric(10,2) price
    }
    order_item {
        bigint id PK
        bigint customer_order_id FK
        bigint product_id FK
        integer quantity
    }
```
"""

DBML = """\
Table author {
  id bigint [pk, increment]
  name text [not null]
  email text [unique, not null, note: 'contact']
}

Table book {
  id bigint [pk, increment]
  author_id bigint [not null, ref: > author.id]
  title text [not null]
  published_on date
  indexes {
    author_id
    (author_id, published_on) [name: 'ix_book_author_published']
  }
}
"""


@pytest.mark.parametrize(("name", "text"), [("shop.md", MERMAID), ("library.dbml", DBML)])
def test_sketch_becomes_models_that_build_it(name: str, text: str, pg_server: str, tmp_path: Path) -> None:
    sketch = tmp_path / name
    sketch.write_text(text)
    design = load(str(sketch), LoadOptions(scratch_url=pg_server))
    assert len(design.tables) >= 2 and any(t.foreign_keys for t in design.tables)
    code = tmp_path / "models.py"
    code.write_text(render(design, source=name))
    assert "Relationship(" in code.read_text()
    assert ruff_problems(code) == []
    rebuilt, _report = rebuild(code, pg_server)
    differences = compare(canonical(design, pg_server), rebuilt)
    assert differences == [], "\n".join(map(str, differences[:40]))
