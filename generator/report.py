"""Output formats of the check, rendered in one place: text, json, and for CI
junit, sarif and github (workflow commands)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import groupby
from typing import Any

from .check import CheckResult
from .export import clean_text, terminal_text
from .findings import Finding, Severity
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


def render_text(result: CheckResult, lang: str, shown: list[Finding] | None = None) -> str:
    """Findings grouped by file (``shown``: only these), then the summary line of all."""
    lines: list[str] = []
    for file, group in groupby(result.findings if shown is None else shown, key=lambda f: f.file):
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


# --- CI formats: JUnit XML, SARIF 2.1.0, GitHub workflow commands ----------------------

#: Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/FFFF; lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The corpus-wide findings (no file) are filed under this name in JUnit.
CORPUS = "itsms"


def xml_safe(value: str) -> str:
    """Text an XML parser accepts: as in the spreadsheets, Word's line break (\x0b) is a line
    break and other control characters are dropped; what XML 1.0 forbids besides, too."""
    return _NOT_XML.sub("", clean_text(value))


def fails(finding: Finding, strict: bool) -> bool:
    return finding.severity is Severity.ERROR or (strict and finding.severity is Severity.WARNING)


def _where(f: Finding) -> str:
    place = f"{f.file}:{f.line or 1}: " if f.file else ""
    return place + (f"[{f.id}] " if f.id else "")


def render_junit(result: CheckResult, lang: str, strict: bool = False) -> str:
    """A test suite per file (``file`` attribute), a test case per rule code in it with its
    findings listed inside: errors (and warnings under --strict) in one <failure>, other
    warnings in <system-out>. A last suite ``itsms`` holds the corpus-wide findings and a
    passing case for every rule that found nothing, so a clean run counts every rule."""
    by_file: dict[str | None, dict[str, list[Finding]]] = {}
    for f in result.findings:
        by_file.setdefault(f.file, {}).setdefault(f.rule, []).append(f)
    corpus = by_file.pop(None, {})
    found = {f.rule for f in result.findings}
    corpus.update({code: [] for code in RULES if code not in found})
    root = ET.Element("testsuites", name="itsms check")
    for file, cases in [*by_file.items(), (None, corpus)]:
        suite = ET.SubElement(root, "testsuite", name=xml_safe(file or CORPUS))
        if file:
            suite.set("file", xml_safe(file))
        failed = 0
        for code, items in cases.items():
            classname = file.rsplit(".", 1)[0] if file else CORPUS
            case = ET.SubElement(suite, "testcase", classname=xml_safe(classname), name=code)
            failing = [f for f in items if fails(f, strict)]
            if failing:
                failed += 1
                first = failing[0]
                headline = _where(first) + message(first, lang)
                if len(failing) > 1:
                    headline += text("ui.more", lang, count=len(failing) - 1)
                failure = ET.SubElement(case, "failure", type=code, message=xml_safe(headline))
                failure.text = xml_safe(
                    "\n".join(_where(f) + message(f, lang) for f in failing) + "\n"
                )
            others = [f for f in items if not fails(f, strict)]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = xml_safe(
                    "\n".join(
                        f"{text(f'ui.{f.severity.value}', lang)}: {_where(f)}{message(f, lang)}"
                        for f in others
                    )
                    + "\n"
                )
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
    root.set("tests", str(sum(int(s.get("tests", 0)) for s in root)))
    root.set("failures", str(sum(int(s.get("failures", 0)) for s in root)))
    root.set("errors", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_sarif(result: CheckResult, lang: str, strict: bool = False) -> str:
    """SARIF 2.1.0 for code scanning: every rule with its description in Chinese and
    English, every finding a result located in its file (corpus-wide ones: the settings)."""
    from . import __version__
    from .settings import CONFIG_FILE

    codes = list(RULES)
    codes += sorted({f.rule for f in result.findings} - set(codes))
    rules = []
    for code in codes:
        zh, en = text(f"rule.{code}", "zh"), text(f"rule.{code}", "en")
        default = RULES[code].severity.value if code in RULES else "warning"
        rules.append(
            {
                "id": code,
                "name": code,
                "shortDescription": {"text": zh if lang == "zh" else en},
                "fullDescription": {"text": f"{zh} / {en}"},
                "defaultConfiguration": {"level": "none" if default == "off" else default},
                "properties": {"description_zh": zh, "description_en": en},
            }
        )
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in result.findings:
        location: dict[str, Any] = {"artifactLocation": {"uri": f.file or CONFIG_FILE}}
        if f.file and f.line:
            region: dict[str, int] = {"startLine": f.line}
            if f.column:
                region["startColumn"] = f.column
            location["region"] = region
        item: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": "error" if fails(f, strict) else "warning",
            "message": {"text": message(f, lang)},
            "locations": [{"physicalLocation": location}],
        }
        if f.id:
            item["properties"] = {"id": f.id}
        results.append(item)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "itsms",
                        "version": __version__,
                        "language": "zh-CN" if lang == "zh" else "en",
                        "rules": rules,
                    }
                },
                "results": results,
                "properties": {"as_of": result.as_of.isoformat(), "standard": result.standard.id},
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _gh_data(value: str) -> str:
    """Escaped as the runner expects (% CR LF); other control characters dropped."""
    return xml_safe(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(result: CheckResult, lang: str, strict: bool = False) -> str:
    """GitHub Actions workflow commands: an annotation per finding, then the summary line."""
    from .settings import CONFIG_FILE

    lines = []
    for f in result.findings:
        # corpus-wide findings (a clause, the settings) are filed on the settings, as in SARIF
        props = [f"file={_gh_property(f.file or CONFIG_FILE)}"]
        if f.file:
            if f.line:
                props.append(f"line={f.line}")
            if f.column:
                props.append(f"col={f.column}")
        props.append(f"title={_gh_property(f.rule)}")
        kind = "error" if fails(f, strict) else "warning"
        ident = f"[{f.id}] " if f.id else ""
        lines.append(f"::{kind} {','.join(props)}::{_gh_data(ident + message(f, lang))}")
    lines.append(summary_line(result, lang))
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}
#: Formats whose errors/warnings split depends on --strict.
STRICT_AWARE = {"junit", "sarif", "github"}


def render(fmt: str, result: CheckResult, lang: str, strict: bool = False) -> str:
    if fmt in STRICT_AWARE:
        return RENDERERS[fmt](result, lang, strict)
    return RENDERERS[fmt](result, lang)
