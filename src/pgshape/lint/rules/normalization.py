"""Normalization (NF): repeating groups (1NF), partial (2NF) and transitive (3NF) dependencies,
and stored values that can be computed. The data rules report their evidence: support,
confidence and a counterexample when a dependency almost holds."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.data import (
    Dependency,
    TableSample,
    convincing,
    delimited_list,
    dependencies,
    distinct_count,
    is_unique_in_sample,
)
from pgshape.lint.helpers import base_type, column_path, is_texty, user_tables
from pgshape.lint.rules._shapes import foreign_key_columns, key_columns, unique_column_sets
from pgshape.model import Column, Table
from pgshape.render.identifiers import qualified, quote_ident

_NOT_APPLICABLE_SQLMODEL = (
    "# not applicable: a data rule (needs a live database); SQLModel cannot declare rows\n"
)

# --- NF001 ----------------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(?P<stem>[a-z][a-z_]*?[a-z])_?(?P<number>\d{1,2})$")
# Numbered pairs that are one fact each, by convention: address lines, coordinates, hashes.
_NUMBERED_OK = frozenset(
    {
        "address_line",
        "addressline",
        "line",
        "street",
        "x",
        "y",
        "lat",
        "lon",
        "sha",
        "md",
        "ipv",
        "utf",
        "base",
        "int",
        "float",
    }
)
_LIST_NAMES = frozenset(
    {
        "tags",
        "keywords",
        "categories",
        "emails",
        "email_addresses",
        "phones",
        "phone_numbers",
        "roles",
        "permissions",
        "labels",
        "skills",
        "languages",
        "urls",
        "links",
        "recipients",
        "members",
        "attendees",
        "ids",
    }
)
_LIST_SUFFIXES = ("_ids", "_list", "_csv", "_tags")


def numbered_groups(table: Table) -> dict[str, list[Column]]:
    """``phone1, phone2`` → {"phone": [...]}; only runs that start at 0 or 1 and have two or more."""
    groups: dict[str, list[tuple[int, Column]]] = {}
    for column in table.columns:
        match = _NUMBERED.match(column.name)
        if match and match["stem"].rstrip("_") not in _NUMBERED_OK:
            groups.setdefault(match["stem"].rstrip("_"), []).append((int(match["number"]), column))
    found = {}
    for stem, members in groups.items():
        numbers = sorted(n for n, _ in members)
        if len(numbers) >= 2 and numbers[0] in (0, 1) and numbers[1] == numbers[0] + 1:
            found[stem] = [c for _, c in sorted(members, key=lambda m: m[0])]
    return found


def list_named(column: Column) -> bool:
    return (
        is_texty(column)
        and not column.is_array
        and (column.name in _LIST_NAMES or column.name.endswith(_LIST_SUFFIXES))
    )


@rule(
    code="NF001",
    name="repeating-group",
    severity=Severity.WARNING,
    summary="numbered columns or plural text column holding lists (1NF)",
    doc=RuleDoc(
        what=(
            "Finds repeating groups: numbered columns (`phone1`, `phone2`, `phone3`) and text columns "
            "whose plural name says they hold a list (`tags`, `emails`, `*_ids`)."
        ),
        why=(
            "The table caps how many values a row can have, queries must look in every column "
            "(`WHERE phone1 = $1 OR phone2 = $1 …`), nothing can be indexed or referenced per value, "
            "and a list in a string cannot be checked or joined at all."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    phone1: str | None = None
    phone2: str | None = None
    phone3: str | None = None
""",
        example_sql="""\
CREATE TABLE contact (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    phone1 text,
    phone2 text,
    phone3 text
);
""",
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str


class ContactPhone(SQLModel, table=True):
    __tablename__ = "contact_phone"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    phone: str = Field(primary_key=True)
""",
        use_instead_sql="""\
CREATE TABLE contact (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE contact_phone (
    contact_id bigint NOT NULL REFERENCES contact (id),
    phone text NOT NULL,
    PRIMARY KEY (contact_id, phone)
);
""",
        fix="None: moving values to a child table is a data migration that needs a person.",
    ),
)
def repeating_group(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for stem, columns in numbered_groups(table).items():
            names = ", ".join(c.name for c in columns)
            yield context.finding(
                self,
                column_path(table, columns[0].name),
                f"{table.name} repeats {stem} in numbered columns ({names}): use a child table",
                origin=columns[0].origin,
            )
        for column in table.columns:
            if list_named(column):
                yield context.finding(
                    self,
                    column_path(table, column.name),
                    f"{table.name}.{column.name} is {column.type} named "
                    "like a list: use a child table (or an array)",
                    origin=column.origin,
                )


# --- NF002 ----------------------------------------------------------------------------------------


@rule(
    code="NF002",
    name="multi-valued-text",
    severity=Severity.WARNING,
    summary="sampled text values containing delimited lists (1NF)",
    needs_data=True,
    doc=RuleDoc(
        what=(
            "Samples text columns of a live database and finds those whose values are delimited lists "
            "(`'rock, pop'`, `'a@x.org; b@y.org'`): many values split into short items of one kind that "
            "recur across rows."
        ),
        why=(
            "A list inside a string cannot be constrained, indexed, joined or counted without parsing "
            "it in every query; renaming one item means rewriting every string that contains it."
        ),
        example_sqlmodel=_NOT_APPLICABLE_SQLMODEL,
        example_sql="""\
CREATE TABLE article (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    tags text
);
INSERT INTO article (title, tags)
SELECT 'Article number ' || n,
       (ARRAY['postgres, sql', 'python, sqlmodel, postgres', 'sql', 'python, testing'])[n % 4 + 1]
FROM generate_series(1, 40) AS n;
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_SQLMODEL,
        use_instead_sql="""\
CREATE TABLE article (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL
);
CREATE TABLE article_tag (
    article_id bigint NOT NULL REFERENCES article (id),
    tag text NOT NULL,
    PRIMARY KEY (article_id, tag)
);
INSERT INTO article (title) SELECT 'Article number ' || n FROM generate_series(1, 40) AS n;
INSERT INTO article_tag (article_id, tag)
SELECT n, (ARRAY['postgres', 'sql', 'python', 'testing'])[n % 4 + 1] FROM generate_series(1, 40) AS n;
""",
        fix="None: splitting the lists into a child table is a data migration.",
    ),
)
def multi_valued_text(self: Rule, context: LintContext) -> Iterator[Finding]:
    if context.data is None:
        return
    for table in user_tables(context.database):
        sample = context.data.table(table.key)
        if sample is None:
            continue
        keys = key_columns(table)
        for column in table.columns:
            if not is_texty(column) or column.is_array or column.name in keys or not sample.has(column.name):
                continue
            found = delimited_list(sample.values(column.name))
            if found is None:
                continue
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name}: {found.lists} of {found.values} sampled values are "
                f"lists separated by {' '.join(repr(d) for d in found.delimiters)} "
                f"(e.g. {found.examples[0]!r})",
                origin=column.origin,
                evidence=found.evidence(),
            )


# --- NF003 / NF004: functional dependencies -------------------------------------------------------

MIN_CONFIDENCE = 0.95
MIN_GROUPS = 3
_UNSUITABLE = (
    "double precision",
    "real",
    "timestamp",
    "time ",
    "json",
    "bytea",
    "tsvector",
    "interval",
    "boolean",
)
_NUMERIC = ("smallint", "integer", "bigint", "numeric", "decimal")
_CODE_NAMES = re.compile(r"(^|_)(id|code|key|no|number|type|kind|status)$")
# Labels of a row rather than names of a thing: two tracks called "Collision" are not one entity.
_LABEL_NAMES = re.compile(r"(^|_)(name|title|description|summary|comment|comments|note|notes|body|label)$")


def _comparable(column: Column) -> bool:
    kind = base_type(column.type)
    return column.generated is None and not column.is_array and not kind.startswith(_UNSUITABLE)


def _determinant(table: Table, column: Column) -> bool:
    """Columns that can name a thing: text, references and codes, not measures such as
    ``milliseconds`` or ``bytes`` (whose repeats are coincidences)."""
    if not _comparable(column) or _LABEL_NAMES.search(column.name):
        return False
    if base_type(column.type).startswith(_NUMERIC):
        return column.name in foreign_key_columns(table) or bool(_CODE_NAMES.search(column.name))
    return base_type(column.type) != "date"


def _significant(found: Dependency) -> bool:
    return convincing(found, min_confidence=MIN_CONFIDENCE)


def _percent(share: float) -> str:
    """99.9% rather than a rounded 100% when there is a counterexample."""
    text = f"{share:.1%}"
    return "99.9%" if text == "100.0%" and share < 1 else text


def _message_evidence(found: Dependency) -> str:
    text = (
        f"support {found.support} rows in {found.repeated_groups} groups, "
        f"confidence {_percent(found.confidence)}, {found.impure_groups} conflicting groups "
        f"where independence predicts {found.expected_impure_groups:.0f}"
    )
    if found.counterexample is not None:
        lhs = ", ".join(f"{k}={v!r}" for k, v in found.counterexample["lhs"].items())
        a, b = found.counterexample["rhs"]
        text += f"; counterexample: {lhs} has {found.rhs}={a!r} and {b!r}"
    return text


@rule(
    code="NF003",
    name="partial-dependency",
    severity=Severity.WARNING,
    summary="in a composite-key table, a non-key column determined by part of the key (2NF), with evidence",
    needs_data=True,
    doc=RuleDoc(
        what=(
            "Samples tables with a composite primary key and finds non-key columns that depend on only "
            "part of the key (a 2NF violation), e.g. `student_name` determined by `student_id` alone in "
            "`enrollment(student_id, course_id)`. It reports support, confidence and a counterexample."
        ),
        why=(
            "The fact is repeated on every row that shares that part of the key: updating it means "
            "updating all of them, and a missed row leaves the data contradicting itself."
        ),
        example_sqlmodel=_NOT_APPLICABLE_SQLMODEL,
        example_sql="""\
CREATE TABLE enrollment (
    student_id bigint NOT NULL,
    course_id bigint NOT NULL,
    student_name text NOT NULL,
    grade integer NOT NULL,
    PRIMARY KEY (student_id, course_id)
);
INSERT INTO enrollment
SELECT s, c, 'Student ' || s, (s + c) % 7
FROM generate_series(1, 12) AS s, generate_series(1, 4) AS c;
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_SQLMODEL,
        use_instead_sql="""\
CREATE TABLE student (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE enrollment (
    student_id bigint NOT NULL REFERENCES student (id),
    course_id bigint NOT NULL,
    grade integer NOT NULL,
    PRIMARY KEY (student_id, course_id)
);
INSERT INTO student SELECT s, 'Student ' || s FROM generate_series(1, 12) AS s;
INSERT INTO enrollment
SELECT s, c, (s + c) % 7 FROM generate_series(1, 12) AS s, generate_series(1, 4) AS c;
""",
        fix="None: moving the column to the table of that part of the key is a data migration.",
    ),
)
def partial_dependency(self: Rule, context: LintContext) -> Iterator[Finding]:
    if context.data is None:
        return
    for table in user_tables(context.database):
        sample = context.data.table(table.key)
        if sample is None or table.primary_key is None or len(table.primary_key.columns) < 2:
            continue
        key = table.primary_key.columns
        if not all(sample.has(c) for c in key):
            continue
        dependents = [c for c in table.columns if c.name not in key and _comparable(c) and sample.has(c.name)]
        for size in range(1, len(key)):
            for part in itertools.combinations(key, size):
                varied = [c for c in dependents if distinct_count(sample, c.name) >= 2]
                checked = dependencies(sample, part, [c.name for c in varied], min_confidence=MIN_CONFIDENCE)
                for column, found in zip(varied, checked, strict=True):
                    if found is None or not _significant(found):
                        continue
                    yield context.finding(
                        self,
                        column_path(table, column.name),
                        f"{table.name}.{column.name} depends on {', '.join(part)} alone, part of the key "
                        f"({', '.join(key)}): {_message_evidence(found)}",
                        origin=column.origin,
                        evidence=found.evidence(),
                    )


@rule(
    code="NF004",
    name="transitive-dependency",
    severity=Severity.WARNING,
    summary="a non-key column determined by another non-key column, e.g. zip → city (3NF), with evidence",
    needs_data=True,
    doc=RuleDoc(
        what=(
            "Samples tables and finds non-key columns determined by another non-key column (a 3NF "
            "violation), e.g. `city` determined by `zip_code`. A dependency is reported only when "
            "several repeated values back it and chance agreement cannot explain it; the finding "
            "carries support, confidence and, when it almost holds, a counterexample."
        ),
        why=(
            "The same fact (which city a zip code is in) is stored once per row instead of once: "
            "updates must touch every copy, and copies drift apart."
        ),
        example_sqlmodel=_NOT_APPLICABLE_SQLMODEL,
        example_sql="""\
CREATE TABLE customer (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    zip_code text NOT NULL,
    city text NOT NULL
);
INSERT INTO customer (name, zip_code, city)
SELECT 'Customer ' || n, '1000' || (n % 8), (ARRAY['Oslo', 'Bergen', 'Lyon', 'Porto',
        'Turin', 'Ghent', 'Graz', 'Cork'])[n % 8 + 1]
FROM generate_series(1, 40) AS n;
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_SQLMODEL,
        use_instead_sql="""\
CREATE TABLE zip_code (
    zip_code text PRIMARY KEY,
    city text NOT NULL
);
CREATE TABLE customer (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    zip_code text NOT NULL REFERENCES zip_code (zip_code)
);
INSERT INTO zip_code
SELECT '1000' || n, (ARRAY['Oslo', 'Bergen', 'Lyon', 'Porto', 'Turin', 'Ghent', 'Graz', 'Cork'])[n + 1]
FROM generate_series(0, 7) AS n;
INSERT INTO customer (name, zip_code)
SELECT 'Customer ' || n, '1000' || (n % 8) FROM generate_series(1, 40) AS n;
""",
        fix="None: moving the dependent columns to their own table is a data migration.",
    ),
)
def transitive_dependency(self: Rule, context: LintContext) -> Iterator[Finding]:
    if context.data is None:
        return
    for table in user_tables(context.database):
        sample = context.data.table(table.key)
        if sample is None or len(sample.rows) < 2 * MIN_GROUPS:
            continue
        yield from _transitive_in(self, context, table, sample)


def _transitive_in(self: Rule, context: LintContext, table: Table, sample: TableSample) -> Iterator[Finding]:
    keys = key_columns(table)
    unique = {cols[0] for cols in unique_column_sets(table) if len(cols) == 1}
    candidates = [
        c
        for c in table.columns
        if c.name not in keys
        and _comparable(c)
        and sample.has(c.name)
        and distinct_count(sample, c.name) >= 2
    ]
    # Determinants: not a key, not unique (a unique column determines everything and says nothing).
    determinants = [
        c
        for c in candidates
        if _determinant(table, c) and c.name not in unique and not is_unique_in_sample(sample, [c.name])
    ]
    reported: set[frozenset[str]] = set()
    for determinant in determinants:
        dependents = [
            c.name
            for c in candidates
            if c.name != determinant.name and frozenset((determinant.name, c.name)) not in reported
        ]
        checked = dependencies(sample, [determinant.name], dependents, min_confidence=MIN_CONFIDENCE)
        found = [d for d in checked if d is not None and _significant(d)]
        if not found:
            continue
        for each in found:
            reported.add(frozenset((determinant.name, each.rhs)))
        names = ", ".join(f.rhs for f in found)
        weakest = min(found, key=lambda f: (f.confidence, f.support))
        evidence: dict[str, Any] = weakest.evidence()
        evidence["dependencies"] = [f.evidence() for f in found]
        yield context.finding(
            self,
            column_path(table, determinant.name),
            f"in {table.name}, {determinant.name} determines {names} ({_message_evidence(weakest)}): "
            "move them to a table keyed by it",
            origin=determinant.origin,
            evidence=evidence,
        )


# --- NF005 ----------------------------------------------------------------------------------------

_TOTAL_NAMES = ("total", "line_total", "total_price", "extended_price", "subtotal", "amount", "total_amount")
_QUANTITY_NAMES = ("quantity", "qty")
_PRICE_NAMES = ("unit_price", "price", "price_each")


def derivations(table: Table) -> Iterator[tuple[Column, str, tuple[str, ...]]]:
    """(stored column, expression, inputs) for the stored values a heuristic says are computable."""
    names = set(table.column_names)
    quantity = next((n for n in _QUANTITY_NAMES if n in names), None)
    price = next((n for n in _PRICE_NAMES if n in names), None)
    for column in table.columns:
        if column.generated is not None:
            continue
        if column.name in _TOTAL_NAMES and quantity and price and column.name != price:
            yield column, f"{quote_ident(quantity)} * {quote_ident(price)}", (quantity, price)
        elif column.name == "full_name" and {"first_name", "last_name"} <= names:
            yield column, "first_name || ' ' || last_name", ("first_name", "last_name")
        elif column.name == "age" and (
            birth := next((n for n in ("birth_date", "date_of_birth", "dob") if n in names), None)
        ):
            yield column, f"date_part('year', age({quote_ident(birth)}))", (birth,)


def _agreement(sample: TableSample, column: str, inputs: tuple[str, ...]) -> tuple[int, int] | None:
    """(rows checked, rows where the stored value equals the computed one), or None if not checkable."""
    if not all(sample.has(c) for c in (column, *inputs)) or len(inputs) != 2:
        return None
    checked = agreeing = 0
    for stored, a, b in zip(
        sample.values(column), sample.values(inputs[0]), sample.values(inputs[1]), strict=True
    ):
        if stored is None or a is None or b is None:
            continue
        checked += 1
        try:
            if column == "full_name":
                agreeing += stored == f"{a} {b}"
            else:
                agreeing += Decimal(stored) == (Decimal(a) * Decimal(b)).quantize(Decimal(stored))
        except (InvalidOperation, ValueError):
            return None
    return (checked, agreeing) if checked else None


@rule(
    code="NF005",
    name="derived-column",
    severity=Severity.INFO,
    summary=(
        "stored value that is computable from others (total = quantity "
        "× unit_price) (3NF heuristic, confirmed by data when available)"
    ),
    doc=RuleDoc(
        what=(
            "Finds stored columns that are computable from other columns of the row: a `total` next to "
            "`quantity` and `unit_price`, a `full_name` next to `first_name` and `last_name`, an `age` next "
            "to a birth date. With a live database sample the guess is checked against the rows and "
            "dropped when the data disagree."
        ),
        why=(
            "A stored copy of a computation drifts from its inputs as soon as one writer forgets to "
            "update it. A generated column (or computing it in the query) cannot drift."
        ),
        example_sqlmodel="""\
from decimal import Decimal

from sqlmodel import Field, SQLModel


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    quantity: int
    unit_price: Decimal = Field(max_digits=10, decimal_places=2)
    total: Decimal = Field(max_digits=12, decimal_places=2)
""",
        example_sql="""\
CREATE TABLE order_line (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    total numeric(12,2) NOT NULL
);
""",
        use_instead_sqlmodel="""\
from decimal import Decimal

from sqlalchemy import Column, Computed, Numeric
from sqlmodel import Field, SQLModel


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    quantity: int
    unit_price: Decimal = Field(max_digits=10, decimal_places=2)
    total: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(12, 2), Computed("quantity * unit_price"))
    )
""",
        use_instead_sql="""\
CREATE TABLE order_line (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    total numeric(12,2) GENERATED ALWAYS AS (quantity * unit_price) STORED
);
""",
        fix=(
            "SQL (unsafe): drop the column and add it back as `GENERATED ALWAYS AS (…) STORED`; that "
            "rewrites the table and changes what writers may send."
        ),
    ),
)
def derived_column(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        sample = context.data.table(table.key) if context.data is not None else None
        for column, expression, inputs in derivations(table):
            evidence: dict[str, Any] | None = None
            if sample is not None:
                agreement = _agreement(sample, column.name, inputs)
                if agreement is not None:
                    checked, agreeing = agreement
                    if agreeing < MIN_CONFIDENCE * checked:
                        continue  # the data say the stored value is its own fact
                    evidence = {
                        "checked_rows": checked,
                        "agreeing_rows": agreeing,
                        "confidence": round(agreeing / checked, 4),
                    }
            relation = qualified(*table.key)
            name = quote_ident(column.name)
            sql = (
                f"ALTER TABLE {relation} DROP COLUMN {name}, "
                f"ADD COLUMN {name} {column.type} GENERATED ALWAYS AS ({expression}) STORED;"
            )
            confirmed = (
                f" (confirmed on {evidence['agreeing_rows']} of {evidence['checked_rows']} sampled rows)"
                if evidence
                else ""
            )
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} looks computable as {expression}{confirmed}: "
                "use a generated column or compute it",
                origin=column.origin,
                fixes=(Fix(description="make it a generated column", safe=False, sql=sql),),
                evidence=evidence,
            )
