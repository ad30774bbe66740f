"""JSON Schemas (Draft 2020-12) shipped in the package, and their errors as findings.

The loader keeps dates as the text written (``format: date`` checks it). Valid data
is recognised by the schema compiled to Python (fastjsonschema); only invalid data
goes through jsonschema, which names every error. Each error is mapped to the line
of the key or item it is about, and worded so that a document controller knows what
to write instead (the words are in the catalogue, keyed ``schema.<kind>``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, cast

import fastjsonschema

from .findings import Finding, Severity
from .yamlread import LineDict, LineList, is_date

SCHEMAS = ("document", "record", "roles", "settings")
SCHEMA_DIR = Path(__file__).parent / "schemas"


def _is_string(checker: Any, instance: Any) -> bool:
    return isinstance(instance, str) or is_date(instance)


def _is_date(instance: object) -> bool:
    if is_date(instance):
        return True
    if not isinstance(instance, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", instance):
        return False
    try:
        dt.date.fromisoformat(instance)
    except ValueError:
        return False
    return True


def schema_text(name: str) -> str:
    return (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")


@cache
def validator(name: str) -> Any:
    """The jsonschema (Draft 2020-12) validator, imported only when data is invalid."""
    import jsonschema
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.TYPE_CHECKER.redefine("string", _is_string)
    formats = jsonschema.FormatChecker(formats=())
    formats.checks("date")(_is_date)
    cls: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, type_checker=checker
    )
    return cls(json.loads(schema_text(name)), format_checker=formats)


@cache
def fast_validator(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python (fastjsonschema): ~15x faster on valid data.

    It only answers "valid or not"; jsonschema (Draft 2020-12) stays the source of every
    error reported. The schemas use nothing that differs between the two drafts.
    """
    schema = json.loads(schema_text(name))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    compiled: Callable[[Any], Any] = fastjsonschema.compile(
        schema, formats={"date": lambda value: _is_date(value)}
    )
    return compiled


def is_valid(name: str, data: Any) -> bool:
    try:
        fast_validator(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _pointer(path: Any) -> str:
    return ".".join(str(p) for p in path)


def validate_plain(name: str, data: Any) -> list[str]:
    """Errors as short English strings (for settings, which stop the command)."""
    if is_valid(name, data):
        return []
    return [
        f"{_pointer(e.absolute_path) or '(top)'}: {e.message}"
        for e in sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    ]


def line_of(root: Any, path: Any, fallback: int) -> int:
    """The line of the key or item at ``path`` (the deepest one known)."""
    line = fallback
    node = root
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part] if part < len(node.item_lines) else line
            node = node[part]
        else:
            break
    return line


def _raw_scalar(source_lines: list[str] | None, line: int, key: str) -> str | None:
    if not source_lines or not 1 <= line <= len(source_lines):
        return None
    match = re.match(rf"\s*-?\s*{re.escape(key)}\s*:\s*([^#\s]+)", source_lines[line - 1])
    if match:
        return match.group(1)
    match = re.match(r"\s*-\s*([^#\s,\]]+)", source_lines[line - 1])
    return match.group(1) if match else None


def _leaf_errors(error: Any) -> list[Any]:
    """For oneOf/anyOf, the errors of the branch that came nearest."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        # Prefer the branch written for this kind of value (a mapping item of a list
        # that takes a name or a mapping is judged as a mapping), with all its errors.
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [
            errs
            for errs in branches.values()
            if not any(e.validator == "type" and not e.relative_path for e in errs)
        ]
        if len(fitting) == 1:
            return [leaf for sub in fitting[0] for leaf in _leaf_errors(sub)]
        best = best_match(error.context)
        return _leaf_errors(best) if best is not None else [error]
    return [error]


def _describe(error: Any) -> tuple[str, dict[str, Any]]:
    field = _pointer(error.absolute_path) or "(front matter)"
    value = error.instance
    kind = error.validator
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return "schema.required", {
            "field": ".".join(
                filter(None, [_pointer(error.absolute_path), missing[0] if missing else "?"])
            )
        }
    if kind == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message[:2000])
        shown = ", ".join(extra[:10]) + (" …" if len(extra) >= 10 else "")
        return "schema.unknown_field", {"field": shown or "?", "where": field}
    if kind == "type":
        expected = error.validator_value
        if expected == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            return "schema.quote_number", {"field": field, "value": value}
        return "schema.type", {"field": field, "expected": expected, "actual": type(value).__name__}
    if kind == "enum":
        return "schema.enum", {
            "field": field,
            "value": value,
            "allowed": ", ".join(str(v) for v in cast(list[Any], error.validator_value)),
        }
    if kind == "format":
        return "schema.date", {"field": field, "value": value}
    if kind == "pattern":
        return "schema.pattern", {"field": field, "value": value}
    if kind in ("minLength", "minItems", "minProperties"):
        return "schema.empty", {"field": field}
    if kind == "uniqueItems":
        return "schema.unique", {"field": field}
    return "schema.other", {"field": field, "detail": error.message}


def validate(
    name: str,
    meta: Any,
    path: str,
    item_id: str | None,
    fallback_line: int,
    source_lines: Callable[[], list[str]] | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    if is_valid(name, meta):
        return findings
    for top in validator(name).iter_errors(meta):
        for error in _leaf_errors(top):
            key, params = _describe(error)
            line = line_of(meta, error.absolute_path, fallback_line)
            if key == "schema.quote_number":
                last = error.absolute_path[-1] if error.absolute_path else ""
                if isinstance(last, int):
                    key = "schema.quote_item"
                raw = _raw_scalar(source_lines() if source_lines else None, line, str(last))
                params["raw"] = raw if raw is not None else str(params["value"])
                params["leaf"] = last
            findings.append(Finding("schema", Severity.ERROR, path, line, item_id, key, params))
    return findings
