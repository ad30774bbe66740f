"""Output formats of the check, rendered in one place: text, json, junit."""

from __future__ import annotations

import json
from html import escape
from itertools import groupby
from typing import Any

from .check import CheckResult
from .export import terminal_text
from .findings import Finding
from .i18n import text
from .rules import RULES


def message(finding: Finding, lang: str) -> str:
    params = dict(finding.params)
    params.setdefault("file", finding.file or "")
    params.setdefault("id", finding.id or "")
    return text(finding.key, lang, **params)


def summary(result: CheckResult) -> dict[str, Any]:
    return {
        "documents": len(result.corpus.documents),
        "records": len(result.corpus.records),
        "errors": result.errors,
        "warnings": result.warnings,
        "coverage": {
            "leaf_clauses": len(result.coverage.leaves),
            "covered": result.coverage.covered,
            "evidenced": result.coverage.evidenced,
        },
    }


def summary_line(result: CheckResult, lang: str) -> str:
    s = summary(result)
    return text(
        "ui.summary",
        lang,
        as_of=result.as_of.isoformat(),
        standard=result.standard.id,
        documents=s["documents"],
        records=s["records"],
        errors=s["errors"],
        warnings=s["warnings"],
        covered=s["coverage"]["covered"],
        evidenced=s["coverage"]["evidenced"],
        leaves=s["coverage"]["leaf_clauses"],
    )


def as_dict(result: CheckResult, lang: str) -> dict[str, Any]:
    return {
        "as_of": result.as_of.isoformat(),
        "standard": result.standard.id,
        "summary": summary(result),
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "file": f.file,
                "line": f.line,
                "id": f.id,
                "message": message(f, lang),
            }
            for f in result.findings
        ],
    }


def render_json(result: CheckResult, lang: str) -> str:
    return json.dumps(as_dict(result, lang), ensure_ascii=False, indent=2) + "\n"


def render_text(result: CheckResult, lang: str) -> str:
    """Findings grouped by file, then one summary line."""
    lines: list[str] = []
    for file, group in groupby(result.findings, key=lambda f: f.file):
        lines.append(file or text("ui.general", lang))
        for f in group:
            where = f"{f.line}" if f.line else "-"
            if f.column:
                where += f":{f.column}"
            label = text(f"ui.{f.severity.value}", lang)
            ident = f" [{f.id}]" if f.id else ""
            lines.append(f"  {where:>7}  {label}  {f.rule}{ident}  {message(f, lang)}")
        lines.append("")
    lines.extend(text(note, lang) for note in result.notes)
    lines.append(summary_line(result, lang))
    return terminal_text("\n".join(lines) + "\n")


def quoteattr(value: str) -> str:
    """An XML attribute value, quoted (html.escape's entities are XML's)."""
    return '"' + escape(value, quote=True) + '"'


def render_junit(result: CheckResult, lang: str) -> str:
    """One test suite per rule, one test case per finding (failures) or a passing case."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(
        f'<testsuites name="itsms check" tests="{max(len(result.findings), 1)}" '
        f'failures="{len(result.findings)}">'
    )
    by_rule: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule, []).append(f)
    for code in RULES:
        items = by_rule.get(code, [])
        out.append(
            f'  <testsuite name={quoteattr(code)} tests="{max(len(items), 1)}" '
            f'failures="{len(items)}">'
        )
        if not items:
            out.append(f"    <testcase classname={quoteattr(code)} name={quoteattr(code)}/>")
        for f in items:
            where = f"{f.file or text('ui.general', lang)}:{f.line or 0}"
            name = f"{where} {f.id or ''}".strip()
            out.append(f"    <testcase classname={quoteattr(code)} name={quoteattr(name)}>")
            out.append(
                f"      <failure type={quoteattr(f.severity.value)} "
                f"message={quoteattr(message(f, lang))}>{escape(where)}</failure>"
            )
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "junit": render_junit}
