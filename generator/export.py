"""Render a Table as a text table, CSV (UTF-8 with BOM, for Excel) or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from typing import Any

from .views import Table


def cell_text(value: Any, lang: str = "zh") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v, lang) for v in value)
    return str(value)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def render_table(table: Table, lang: str) -> str:
    header = [label for _, label in table.columns]
    body = [[cell_text(row.get(k), lang) for k, _ in table.columns] for row in table.rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [table.caption] if table.caption else []
    lines.append("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for r in body:
        lines.append("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def safe_csv_cell(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(table: Table, lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([label for _, label in table.columns])
    for row in table.rows:
        writer.writerow([safe_csv_cell(cell_text(row.get(k), lang)) for k, _ in table.columns])
    return "\ufeff" + buf.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def render_json(table: Table, meta: dict[str, Any]) -> str:
    payload = dict(meta)
    payload["rows"] = [{k: _json_value(row.get(k)) for k, _ in table.columns} for row in table.rows]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
