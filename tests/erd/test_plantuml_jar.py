"""PlantUML output accepted by PlantUML itself (``plantuml -checkonly``), where it is installed.

PlantUML is a Java program; pgshape does not need it and the tests do not download it. Where
the ``plantuml`` command exists (Debian: ``apt-get install --no-install-recommends plantuml``, or
``PGSHAPE_PLANTUML`` naming a command) these tests run it; elsewhere they are skipped and the
structural checks of test_plantuml.py stand alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from erd_corpus import SCHEMAS, loadable

from conftest import CORPUS
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, SchemaInfo, Table
from pgshape.render import plantuml
from pgshape.render.erd_common import ErdOptions
from pgshape.render.erd_select import group_by_schema
from pgshape.sources.load import LoadOptions, load

OPTION_SETS = [
    ErdOptions(),
    ErdOptions(show_nullability=True, show_defaults=True, show_enum_values=True, collapse_links=True),
    ErdOptions(columns="keys", show_types=False),
]
# Names that are PlantUML syntax somewhere: braces, quotes, stereotypes, separators, escapes.
AWKWARD = [
    "{",
    "}",
    'a"b',
    "<<PK>>",
    "--",
    "..",
    "~",
    "\\",
    "it's",
    "x: y",
    "*star",
    "// c",
    "日本語",
    "end",
    "a b",
]


def _plantuml() -> str:
    command = os.environ.get("PGSHAPE_PLANTUML") or shutil.which("plantuml")
    if not command:
        pytest.skip("plantuml is not installed (apt-get install --no-install-recommends plantuml)")
    return command


def _check_files(paths: list[Path]) -> None:
    command = _plantuml()
    result = subprocess.run(
        [command, "-checkonly", *map(str, paths)], capture_output=True, text=True, timeout=300
    )
    if result.returncode == 0:
        return
    for path in paths:  # name the file and PlantUML's complaint
        single = subprocess.run([command, "-syntax"], input=path.read_text(), capture_output=True, text=True)
        if "ERROR" in single.stdout or single.returncode != 0:
            raise AssertionError(f"PlantUML refused {path.name}: {single.stdout.strip()}")
    raise AssertionError(f"plantuml -checkonly failed: {result.stdout}{result.stderr}")


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
def test_plantuml_accepts_every_corpus_diagram(pg_server: str, pg_major: int, tmp_path: Path) -> None:
    _plantuml()
    paths = []
    for name in SCHEMAS:
        if not loadable(name, pg_server, pg_major):
            continue
        database = load(str(CORPUS / name), LoadOptions(scratch_url=pg_server))
        for number, options in enumerate(OPTION_SETS):
            path = tmp_path / f"{name}.{number}.puml"
            path.write_text(plantuml.render(database, options))
            paths.append(path)
        grouped = tmp_path / f"{name}.grouped.puml"
        keys = [t.key for t in database.tables if not t.is_partition]
        grouped.write_text(plantuml.render(database, ErdOptions(columns="keys"), group_by_schema(keys)))
        paths.append(grouped)
    assert len(paths) >= 8
    _check_files(paths)


def test_plantuml_accepts_awkward_names(tmp_path: Path) -> None:
    _plantuml()
    tables = []
    for number, name in enumerate(AWKWARD):
        columns = [
            Column("id", "bigint", nullable=False, comment=name),
            Column(name, "text", default=f"'{name}'::text"),
        ]
        fks = ()
        if number:
            columns.append(Column("up", "bigint"))
            fks = (
                ForeignKey(
                    f"fk {name}", ("up",), "s{" if number % 2 else "public", AWKWARD[number - 1], ("id",)
                ),
            )
        schema = "s{" if number % 2 == 0 else "public"
        tables.append(
            Table(schema, name, tuple(columns), PrimaryKey(f"pk{number}", ("id",)), fks, comment=name)
        )
    database = Database(schemas=(SchemaInfo("public"), SchemaInfo("s{")), tables=tuple(tables))
    paths = []
    for number, options in enumerate(OPTION_SETS):
        path = tmp_path / f"awkward{number}.puml"
        path.write_text(plantuml.render(database, options, group_by_schema(t.key for t in tables)))
        paths.append(path)
    _check_files(paths)
