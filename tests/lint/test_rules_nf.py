"""NF rules on real databases: repeating groups, dependencies with evidence, derived columns."""

from __future__ import annotations

from rules_partb import lint_url

from conftest import run_sql


def test_repeating_groups_spare_address_lines_and_coordinates(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE contact (id bigint PRIMARY KEY, phone1 text, phone2 text, phone3 text,
                              address_line1 text, address_line2 text, x1 int, x2 int,
                              sha256 text, tags text, keywords text[], member_ids text);
        """,
    )
    found = {f.path: f.message for f in lint_url(scratch_url, "repeating-group")}
    assert sorted(found) == ["public.contact.member_ids", "public.contact.phone1", "public.contact.tags"]
    assert "phone1, phone2, phone3" in found["public.contact.phone1"]


def test_partial_dependency_reports_evidence(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE enrollment (student_id bigint, course_id bigint, student_name text NOT NULL,
                                 course_title text NOT NULL, grade int NOT NULL,
                                 PRIMARY KEY (student_id, course_id));
        INSERT INTO enrollment
        SELECT s, c, 'Student ' || s, 'Course ' || c, (s * 3 + c * 5) % 7
        FROM generate_series(1, 20) AS s, generate_series(1, 6) AS c;
        -- One student's name was edited on one row only: the dependency almost holds.
        UPDATE enrollment SET student_name = 'Student 1 (old)' WHERE student_id = 1 AND course_id = 1;
        """,
    )
    found = {f.path: f for f in lint_url(scratch_url, "partial-dependency", data=True)}
    assert sorted(found) == ["public.enrollment.course_title", "public.enrollment.student_name"]
    name = found["public.enrollment.student_name"]
    assert name.evidence is not None
    assert name.evidence["determinant"] == ["student_id"] and name.evidence["support"] == 120
    assert name.evidence["confidence"] == round(119 / 120, 4)
    assert name.evidence["counterexample"]["lhs"] == {"student_id": "1"}
    assert "Student 1 (old)" in name.evidence["counterexample"]["rhs"]
    assert found["public.enrollment.course_title"].evidence["confidence"] == 1.0  # type: ignore[index]


def test_transitive_dependency_needs_evidence_beyond_chance(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE customer (id bigint PRIMARY KEY, name text, zip_code text, city text, plan text,
                               signup_ms bigint);
        INSERT INTO customer
        SELECT n, 'Customer ' || n, 'Z' || (n % 12), 'City ' || (n % 12),
               (ARRAY['free', 'pro'])[1 + (n * 7919 % 13) % 2], (n % 5) * 1000
        FROM generate_series(1, 120) AS n;
        """,
    )
    found = lint_url(scratch_url, "transitive-dependency", data=True)
    # zip → city and city → zip are one finding; plan and the measure signup_ms determine nothing.
    assert len(found) == 1
    (finding,) = found
    assert finding.path in {"public.customer.zip_code", "public.customer.city"}
    assert finding.evidence is not None and finding.evidence["expected_impure_groups_if_independent"] > 10


def test_derived_column_is_confirmed_or_dropped_by_data(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE order_line (id bigint PRIMARY KEY, quantity int NOT NULL,
                                 unit_price numeric(10,2) NOT NULL,
                                 total numeric(12,2) NOT NULL);
        INSERT INTO order_line SELECT n, n % 4 + 1, (n % 9) + 0.5, (n % 4 + 1) * ((n % 9) + 0.5)
        FROM generate_series(1, 50) AS n;
        CREATE TABLE discounted_line (id bigint PRIMARY KEY, quantity int NOT NULL,
                                      unit_price numeric(10,2) NOT NULL, total numeric(12,2) NOT NULL);
        INSERT INTO discounted_line SELECT n, 2, 10, 15 FROM generate_series(1, 50) AS n;
        """,
    )
    without_data = sorted(f.path for f in lint_url(scratch_url, "derived-column"))
    assert without_data == ["public.discounted_line.total", "public.order_line.total"]
    with_data = lint_url(scratch_url, "derived-column", data=True)
    assert [f.path for f in with_data] == ["public.order_line.total"]  # the discount is a fact of its own
    assert with_data[0].evidence == {"checked_rows": 50, "agreeing_rows": 50, "confidence": 1.0}
    assert "confirmed on 50 of 50" in with_data[0].message


def test_multi_valued_text_and_typed_text(scratch_url: str) -> None:
    run_sql(
        scratch_url,
        """
        CREATE TABLE article (id bigint PRIMARY KEY, tags text, summary text, legacy_id text, zip text);
        INSERT INTO article
        SELECT n, (ARRAY['sql, postgres', 'python', 'python; testing', 'postgres, python, sql'])[n % 4 + 1],
               'Summary of article ' || n || ', written for readers, revised in draft ' || (n * 31 % 97),
               (n * 17)::text, lpad((n * 37 % 9999)::text, 5, '0')
        FROM generate_series(1, 60) AS n;
        """,
    )
    lists = lint_url(scratch_url, "multi-valued-text", data=True)
    assert [f.path for f in lists] == ["public.article.tags"]
    assert lists[0].evidence is not None and set(lists[0].evidence["delimiters"]) == {",", ";"}
    typed = lint_url(scratch_url, "text-holds-typed-values", data=True)
    assert [f.path for f in typed] == ["public.article.legacy_id"]  # zip codes keep their zeros
    assert typed[0].evidence is not None and typed[0].evidence["kind"] == "integer"
