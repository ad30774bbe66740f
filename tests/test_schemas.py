"""The JSON Schemas explain themselves in an editor: every property has a title and a
description in Chinese followed by English, and examples that the schema accepts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from .conftest import AS_OF, run
from .test_rules import P30, doc30

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((REPO / "generator" / "schemas").glob("*.json"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, schema) of every property, in properties, items, $defs and branches."""
    if isinstance(node, list):
        for item in node:
            yield from properties(item, path)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, prop in value.items():
                    yield f"{path}{name}", prop
                    yield from properties(prop, f"{path}{name}.")
            elif key == "$defs":
                for name, sub in value.items():
                    yield from properties(sub, f"{name}.")
            elif key not in ("examples", "enum", "const", "default"):
                yield from properties(value, path)


def test_every_schema_is_found() -> None:
    assert {p.name for p in SCHEMAS} >= {
        "document.schema.json",
        "record.schema.json",
        "roles.schema.json",
        "settings.schema.json",
        "catalogue.schema.json",
    }


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_is_explained_in_chinese_then_english(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    found = list(properties(schema))
    assert found
    for name, prop in found:
        title, description = prop.get("title", ""), prop.get("description", "")
        assert CJK.search(title) and re.search("[A-Za-z]", title), (name, title)
        chinese, _, english = description.partition("。 ")  # Chinese first, then English
        assert CJK.search(chinese) and english, (name, description)
        assert len(re.findall(r"\b[A-Za-z]{2,}\b", english)) >= 3, (name, description)
        examples = prop.get("examples")
        assert isinstance(examples, list) and examples, name
        for example in examples:
            errors = list(validator.evolve(schema=prop).iter_errors(example))
            assert not errors, (name, example, [e.message for e in errors])
    for key in ("title", "description"):
        assert CJK.search(schema[key]) and re.search("[A-Za-z]", schema[key])


def editor_blocks() -> list[dict[str, Any]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Schemas in your editor", 1)[1].split("\n## ", 1)[0]
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)```", section, re.S)]


def test_the_readme_vscode_settings_map_existing_schemas_to_shipped_files() -> None:
    settings, _ = editor_blocks()
    mapped = settings["yaml.schemas"]
    assert len(mapped) == 2
    for schema, globs in mapped.items():
        assert (REPO / schema).is_file(), schema
        for pattern in globs:
            assert list(REPO.glob(pattern)), pattern


def test_the_readme_vscode_task_reads_the_github_format(corpus: Callable[..., Path]) -> None:
    _, tasks = editor_blocks()
    (task,) = tasks["tasks"]
    assert task["command"].endswith("itsms check --format github")
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    root = corpus({P30: doc30(approved_by="张伟")})
    out = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "github").stdout
    matched = [m for m in map(regexp.match, out.splitlines()) if m]
    assert matched
    first = matched[0]
    assert first.group(pattern["severity"]) == "error"
    assert first.group(pattern["file"]) == P30 and (root / P30).is_file()
    assert first.group(pattern["line"]) == "9"
    assert first.group(pattern["code"]) == "self-approval"
    assert "张伟" in first.group(pattern["message"])
