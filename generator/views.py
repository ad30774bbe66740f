"""Tabular views of a checked corpus (coverage, ...): columns and rows as data,
for every output format to render in the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .check import CheckResult
from .i18n import text


@dataclass
class Table:
    name: str  # sheet / section name
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict[str, Any]]
    caption: str = ""


def coverage_table(result: CheckResult, lang: str) -> Table:
    zh = lang == "zh"
    columns = [
        ("clause", "条款" if zh else "clause"),
        ("title", "标题" if zh else "title"),
        ("documents", "文件" if zh else "documents"),
        ("covered", "覆盖" if zh else "covered"),
        ("records", "记录数" if zh else "records"),
        ("latest", "最近记录" if zh else "latest record"),
        ("evidenced", "有证据" if zh else "evidenced"),
    ]
    rows = []
    for status in result.coverage.leaves.values():
        docs = [d.id or d.path for d in status.documents]
        if status.excluded:
            docs.append(f"{text('ui.excluded', lang)}: {status.excluded.justification}")
        rows.append(
            {
                "clause": status.clause.id,
                "title": status.clause.title(lang),
                "documents": docs,
                "covered": status.covered,
                "records": len(status.records),
                "latest": status.latest_record,
                "evidenced": status.evidenced,
            }
        )
    caption = (
        f"{result.standard.title(lang)}；审核期 {result.period}；截至 {result.as_of}"
        if zh
        else f"{result.standard.title(lang)}; audit period {result.period}; as of {result.as_of}"
    )
    return Table("条款覆盖" if zh else "coverage", columns, rows, caption)
