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
from .i18n import Msg
from .yamlread import LineDict, LineList, is_date

SCHEMAS = ("document", "record", "roles", "page", "settings")
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
    known = data.answer(name) if isinstance(data, LineDict) else None
    if known is not None:
        return known
    try:
        fast_validator(name)(data)
        answer = True
    except fastjsonschema.JsonSchemaException:
        answer = False
    if isinstance(data, LineDict):
        data.remember(name, answer)
    return answer


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


def settings_problems(data: Any) -> list[Msg]:
    """What is wrong with the itsms settings, in the catalogue's words: each names the
    setting and what it expects (none: the settings are usable)."""
    if is_valid("settings", data):
        return []
    if not isinstance(data, dict):
        return [Msg("settings.not_mapping")]
    out: list[Msg] = []
    errors = sorted(
        validator("settings").iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    for top in errors:
        for error in _leaf_errors(top):
            key, params = _describe(error, "settings")
            if key == "schema.unknown_field":
                known = list((error.schema.get("properties") or {}) if error.schema else {})
                extra = [str(k) for k in error.instance if k not in known]
                key = "settings.unknown"
                params = {"field": ", ".join(extra) or params["field"], "known": ", ".join(known)}
            elif key == "schema.quote_number":  # a number where a text is expected
                expect = Msg(_expect_key(error, "settings"))
                key = "schema.type"
                params = {
                    "field": params["field"],
                    "expect": expect,
                    "actual": shape_of(error.instance),
                }
            out.append(Msg(key, params))
    return out


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
    text = source_lines[line - 1]
    match = re.match(rf"\s*-?\s*{re.escape(key)}\s*:\s*([^#\s]+)", text)
    if match:
        return match.group(1)
    # an item of a mapping written on one line: - {version: 1.0, date: 2026-03-01}
    match = re.search(rf"[{{,]\s*{re.escape(key)}\s*:\s*([^#\s,}}\]]+)", text)
    if match:
        return match.group(1)
    match = re.match(r"\s*-\s*([^#\s,\]]+)", text)
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


#: What a field expects, by the schema's named definition ($defs) the value failed.
_DEF_EXPECT = frozenset(
    {
        "role",
        "roleName",
        "roleList",
        "version",
        "date",
        "clause",
        "clauseList",
        "clauseMap",
        "text",
        "line",
        "person",
        "idList",
    }
)


def _expect_key(error: Any, name: str) -> str:
    """The catalogue key that says, in the user's words, what this value should be:
    the schema's definition it failed (a role, a version, a date …), else its field."""
    from .i18n import MESSAGES

    for def_name, sub in _defs(name).items():
        if def_name in _DEF_EXPECT and sub == error.schema:
            return f"schema.expect.{def_name}"
    path = list(error.absolute_path)
    fields = [p for p in path if isinstance(p, str)]
    if not path:
        key = f"schema.expect.root.{name}"
    elif isinstance(path[-1], int):
        key = f"schema.expect.{fields[-1] if fields else name}.item"
    else:
        key = f"schema.expect.{fields[-1]}"
    if key in MESSAGES:
        return key
    wanted = error.schema.get("type") if isinstance(error.schema, dict) else None
    wanted = wanted if isinstance(wanted, str) else "value"
    return f"schema.expect.type.{wanted}"


@cache
def _defs(name: str) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(schema_text(name)).get("$defs", {}))


def shape_of(value: Any) -> Msg:
    """What was written, in the user's words (never a Python type name)."""
    if value is None:
        return Msg("schema.shape.null")
    if isinstance(value, bool):
        return Msg("schema.shape.bool", {"value": "true" if value else "false"})
    if isinstance(value, int | float):
        return Msg("schema.shape.number", {"value": value})
    if is_date(value):
        return Msg("schema.shape.date", {"value": value})
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return Msg("schema.shape.text", {"value": shown})
    if isinstance(value, list):
        return Msg("schema.shape.list")
    return Msg("schema.shape.mapping")


def _field(path: list[Any], name: str) -> str | Msg:
    """How a message names the field: its dotted path; a role of a roles.yml written as a
    plain list by its place (第 2 个角色); the whole file by what it is."""
    if not path:
        return Msg(f"schema.root.{name}")
    if name == "roles" and isinstance(path[0], int):
        rest = _pointer(path[1:])
        return Msg("schema.role_item", {"n": path[0] + 1, "rest": f" {rest}" if rest else ""})
    return _pointer(path)


def _describe(error: Any, name: str = "document") -> tuple[str, dict[str, Any]]:
    field = _field(list(error.absolute_path), name)
    value = error.instance
    kind = error.validator
    expect = Msg(_expect_key(error, name))
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return "schema.required", {
            "field": _field([*error.absolute_path, missing[0] if missing else "?"], name)
        }
    if kind == "additionalProperties":
        listed = error.message[:2000].split(" does not match any of the regexes")[0]
        extra = re.findall(r"'([^']+)'", listed)
        shown = ", ".join(extra[:10]) + (" …" if len(extra) >= 10 else "")
        return "schema.unknown_field", {"field": shown or "?", "where": field}
    if kind == "type":
        expected = error.validator_value
        if expected == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            return "schema.quote_number", {"field": field, "value": value}
        return "schema.type", {"field": field, "expect": expect, "actual": shape_of(value)}
    if kind == "enum":
        return "schema.enum", {
            "field": field,
            "value": value,
            "allowed": ", ".join(str(v) for v in cast(list[Any], error.validator_value)),
        }
    if kind == "format":
        return "schema.date", {"field": field, "value": value}
    if kind == "pattern" and expect.key == "schema.expect.line":
        # the value itself spans lines or holds control characters: not shown
        return "schema.one_line", {"field": field, "expect": expect}
    if kind == "pattern":
        return "schema.pattern", {"field": field, "value": value, "expect": expect}
    if kind in ("minLength", "minItems", "minProperties"):
        return "schema.empty", {"field": field, "expect": expect}
    if kind in ("maxLength", "maxItems", "maxProperties"):
        return "schema.too_long", {"field": field, "limit": error.validator_value}
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return "schema.range", {"field": field, "value": value, "expect": expect}
    if kind == "uniqueItems":
        return "schema.unique", {"field": field}
    return "schema.invalid", {"field": field, "expect": expect}


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
            key, params = _describe(error, name)
            line = line_of(meta, error.absolute_path, fallback_line)
            if key == "schema.unknown_field" and isinstance(error.instance, LineDict):
                known = error.schema.get("properties") or {}
                extra = [
                    k for k in error.instance if k not in known and not str(k).startswith("x-")
                ]
                line = error.instance.key_lines.get(extra[0], line) if extra else line
            if key == "schema.quote_number":
                last = error.absolute_path[-1] if error.absolute_path else ""
                if isinstance(last, int):
                    key = "schema.quote_item"
                raw = _raw_scalar(source_lines() if source_lines else None, line, str(last))
                params["raw"] = raw if raw is not None else str(params["value"])
                params["leaf"] = last
            findings.append(Finding("schema", Severity.ERROR, path, line, item_id, key, params))
    return findings
