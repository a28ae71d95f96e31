"""`pgshape schema-json`: a valid JSON Schema that accepts real design files and rejects typos."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from design.design_texts import blog
from pgshape.cli.main import main
from pgshape.render.design_yaml import render
from render.sample_models import full_database


def _schema(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["schema-json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_is_a_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    schema = _schema(capsys)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "pgshape design file"
    assert "tables" in schema["properties"]  # type: ignore[operator]


def test_accepts_friendly_and_dumped_files(capsys: pytest.CaptureFixture[str]) -> None:
    validator = jsonschema.Draft202012Validator(_schema(capsys))
    for text in (blog("uuid", 15), render(full_database(True))):
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(yaml.safe_load(text))]
        assert errors == []


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"version": 1, "tabels": {}}, []),
        ({"version": 1, "tables": {"post": {"columns": {"title": {"type": "text", "nulable": True}}}}}, None),
        ({"version": 2}, ["version"]),
        ({"version": 1, "project": {"primary_key": "serial"}}, ["project", "primary_key"]),
    ],
)
def test_rejects_what_the_loader_rejects(
    capsys: pytest.CaptureFixture[str], document: dict[str, object], where: list[str] | None
) -> None:
    validator = jsonschema.Draft202012Validator(_schema(capsys))
    errors = list(validator.iter_errors(document))
    assert errors
    if where is not None:
        assert any(list(e.path) == where for e in errors)


def test_writes_a_file_and_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "pgshape.schema.json"
    assert main(["schema-json", "-o", str(target)]) == 0
    assert json.loads(target.read_text())["title"] == "pgshape design file"
    assert main(["schema-json", "-o", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
