"""Small hand-built models the pattern tests expand (no design file needed)."""

from __future__ import annotations

from pgshape.design.settings import truncate_identifier
from pgshape.model import (
    Column,
    Database,
    ForeignKey,
    Identity,
    Index,
    IndexKey,
    PrimaryKey,
    SchemaInfo,
    Table,
    UniqueConstraint,
)


def entity(name: str, *columns: Column, key_type: str = "bigint", **parts: object) -> Table:
    if key_type == "uuid":
        key = Column("id", "uuid", nullable=False, default="gen_random_uuid()")
    else:
        key = Column("id", "bigint", nullable=False, identity=Identity(always=True))
    return Table(
        schema="public",
        name=name,
        columns=(key, *columns),
        primary_key=PrimaryKey(truncate_identifier(f"pk_{name}"), ("id",)),
        **parts,  # type: ignore[arg-type]
    )


def blog(schemas: tuple[SchemaInfo, ...], key_type: str = "bigint") -> Database:
    """author, post (author FK, unique slug, index on title), category, place; ``schemas`` as an
    empty database of the test server has them (its public schema's comment varies by version)."""
    author = entity(
        "author",
        Column("email", "text", nullable=False),
        key_type=key_type,
        unique_constraints=(UniqueConstraint("uq_author_email", ("email",)),),
    )
    post = entity(
        "post",
        Column("author_id", key_type, nullable=False),
        Column("title", "text", nullable=False),
        Column("slug", "text", nullable=False),
        key_type=key_type,
        unique_constraints=(UniqueConstraint("uq_post_slug", ("slug",)),),
        foreign_keys=(
            ForeignKey("fk_post_author_id", ("author_id",), "public", "author", ("id",), on_delete="CASCADE"),
        ),
        indexes=(
            Index("ix_post_author_id", (IndexKey(column="author_id"),)),
            Index("ix_post_title", (IndexKey(column="title"),)),
        ),
    )
    category = entity("category", Column("name", "text", nullable=False), key_type=key_type)
    place = entity("place", Column("name", "text", nullable=False), key_type=key_type)
    return Database(
        schemas=schemas,
        tables=(author, post, category, place),
        expressions_canonical=False,
    )
