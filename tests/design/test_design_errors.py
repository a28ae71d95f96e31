"""Broken design files: each gives ONE precise error line naming file:line, exit code 2, and
no output file.

Every case marks the line the error must point at with ``# <-`` and names words the message
must contain (the offending key or value and, for typos, the suggested fix).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pgshape.cli.main import main

_BASE = """\
version: 1
project: {timestamps: false}
"""

CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "unknown top-level key": (
        """\
tabels:  # <-
  post: {columns: {title: text}}
""",
        ("unknown key 'tabels'", "did you mean 'tables'"),
    ),
    "unknown column key": (
        """\
tables:
  post:
    columns:
      title: {type: text, nullabel: true}  # <-
""",
        ("nullabel", "did you mean 'nullable'"),
    ),
    "unknown table key": (
        """\
tables:
  post:
    columns: {title: text}
    indexs: [[title]]  # <-
""",
        ("indexs", "did you mean 'indexes'"),
    ),
    "unknown project key": (
        """\
tables:
  post:
    columns: {title: text}
""",
        ("primary_kee", "did you mean 'primary_key'"),
    ),
    "unknown type": (
        """\
tables:
  post:
    columns:
      title: txt  # <-
""",
        ("unknown type 'txt'", "did you mean 'text'"),
    ),
    "serial type": (
        """\
tables:
  post:
    columns:
      number: serial  # <-
""",
        ("serial", "identity"),
    ),
    "dangling reference": (
        """\
tables:
  author:
    columns: {name: text}
  post:
    columns:
      author_id: references autor  # <-
""",
        ("unknown table 'autor'", "did you mean 'author'"),
    ),
    "reference to an unknown column": (
        """\
tables:
  author:
    columns: {name: text}
  post:
    columns:
      author_name: {references: author.nmae}  # <-
""",
        ("nmae",),
    ),
    "duplicate key": (
        """\
tables:
  post:
    columns:
      title: text
      title: text?  # <-
""",
        ("duplicate key 'title'",),
    ),
    "duplicate names after naming": (
        """\
tables:
  post:
    columns:
      title: text
    unique:
      - {columns: [title], name: pk_post}  # <-
""",
        ("pk_post", "same name"),
    ),
    "index named like a table": (
        """\
tables:
  tag:
    columns: {name: text}
  post:
    columns:
      title: text
    indexes:
      - {columns: [title], name: tag}  # <-
""",
        ("'tag'", "same name"),
    ),
    "cycle without deferrable foreign keys": (
        """\
tables:
  a:
    columns:
      b_id: {type: bigint, references: b}  # <-
  b:
    columns:
      a_id: {type: bigint, references: a}
""",
        ("cycle", "deferrable"),
    ),
    "reserved word as table name": (
        """\
tables:
  user:  # <-
    columns: {email: text}
""",
        ("'user'", "reserved word"),
    ),
    "reserved word as column name": (
        """\
tables:
  purchase:
    columns:
      order: integer  # <-
""",
        ("'order'", "reserved word"),
    ),
    "64-byte table name": (
        """\
tables:
  a_table_name_that_is_much_too_long_for_postgresql_to_keep_it_who:  # <-
    columns: {title: text}
""",
        ("64 bytes", "63"),
    ),
    "64-byte index name": (
        """\
tables:
  post:
    columns: {title: text}
    indexes:
      - {columns: [title], name: an_index_name_that_is_much_too_long_for_postgresql_to_keep_it_xy}  # <-
""",
        ("64 bytes",),
    ),
    "enum default not among the values": (
        """\
enums:
  status: [draft, published]
tables:
  post:
    columns:
      status: {enum: status, default: archived}  # <-
""",
        ("'archived'", "draft"),
    ),
    "unknown enum": (
        """\
enums:
  status: [draft, published]
tables:
  post:
    columns:
      status: {enum: statuss}  # <-
""",
        ("unknown enum 'statuss'", "did you mean 'status'"),
    ),
    "bad index column": (
        """\
tables:
  post:
    columns: {title: text}
    indexes:
      - [titel]  # <-
""",
        ("'titel'", "did you mean 'title'"),
    ),
    "foreign key type mismatch": (
        """\
project: {primary_key: uuid}
tables:
  author:
    columns: {name: text}
  post:
    columns:
      author_id: {type: bigint, references: author}  # <-
""",
        ("bigint", "uuid"),
    ),
    "not YAML": (
        """\
tables:
  post:
    columns: {title: text
  other: x  # <-
""",
        ("not valid YAML",),
    ),
    "wrong value type": (
        """\
tables:
  post:
    columns:
      title: {type: text, nullable: maybe}  # <-
""",
        ("nullable", "boolean"),
    ),
    "unknown referential action": (
        """\
tables:
  author:
    columns: {name: text}
  post:
    columns:
      author_id: {references: author, on_delete: explode}  # <-
""",
        ("on_delete", "CASCADE"),
    ),
    "identity on a text column": (
        """\
tables:
  post:
    columns:
      code: {type: text, identity: true}  # <-
""",
        ("identity", "integer"),
    ),
    "primary key on an unknown column": (
        """\
tables:
  post_tag:
    columns: {post_id: bigint, tag_id: bigint}
    primary_key: [post_id, tagid]  # <-
""",
        ("tagid", "did you mean 'tag_id'"),
    ),
    "partitions without partition_by": (
        """\
tables:
  event:
    columns: {at: timestamptz}
    partitions:
      event_2024: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"  # <-
""",
        ("partition_by",),
    ),
}
# The project key typo lives in the project section itself.
CASES["unknown project key"] = (
    "project: {timestamps: false, primary_kee: uuid}  # <-\n" + CASES["unknown project key"][0],
    CASES["unknown project key"][1],
)


def _design(body: str) -> tuple[str, int]:
    text = body if body.startswith("project:") else _BASE + body
    if body.startswith("project:"):
        text = "version: 1\n" + body
    lines = text.splitlines()
    marked = [n for n, line in enumerate(lines, start=1) if line.rstrip().endswith("# <-")]
    assert len(marked) == 1, "each case marks exactly one line"
    return text, marked[0]


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_there_are_at_least_twenty_kinds() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_design_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: str, name: str
) -> None:
    body, needles = CASES[name]
    text, line = _design(body)
    design = tmp_path / "bad.yaml"
    design.write_text(text)
    output = tmp_path / "out.sql"

    for argv in (["verify", str(design)], ["dump", str(design), "-f", "sql", "-o", str(output)]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, err
        message = _one_line(err)
        assert f"{design}:{line}:" in message, message
        for needle in needles:
            assert needle in message, message
    assert not output.exists()


def test_toml_errors_name_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    design = tmp_path / "bad.toml"
    design.write_text(
        "version = 1\n\n[project]\ntimestamps = false\n\n"
        '[tables.post.columns]\ntitle = "text"\nbody = "txet"\n'
    )
    assert main(["dump", str(design), "-f", "sql"]) == 2
    message = _one_line(capsys.readouterr().err)
    assert f"{design}:8:" in message and "unknown type 'txet'" in message


def test_toml_unknown_key_is_located(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    design = tmp_path / "bad.toml"
    design.write_text('version = 1\n\n[tables.post]\ncolumns = { title = "text" }\ncoment = "x"\n')
    assert main(["dump", str(design), "-f", "sql"]) == 2
    message = _one_line(capsys.readouterr().err)
    assert f"{design}:5:" in message and "did you mean 'comment'" in message
