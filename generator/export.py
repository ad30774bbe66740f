"""Render a Table as a text table, CSV (UTF-8 with BOM, for Excel) or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from .i18n import text
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


def shown(table: Table, key: str, value: Any, lang: str) -> Any:
    """A row's value as a reader's format shows it: a code put into words."""
    prefix = table.words.get(key)
    if prefix and isinstance(value, str):
        return text(prefix + value, lang)
    return value


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def render_table(table: Table, lang: str) -> str:
    header = [label for _, label in table.columns]
    body = [
        [
            terminal_text(cell_text(shown(table, k, row.get(k), lang), lang))
            for k, _ in table.columns
        ]
        for row in table.rows
    ]
    widths = [max([_width(h)] + [_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [table.caption] if table.caption else []
    lines.append("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for r in body:
        lines.append("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


#: Control characters no spreadsheet (nor XML) holds: Word's line break (\x0b) and form
#: feed become a line break, the others are dropped; tab, CR and LF stay.
_CONTROLS = {c: None for c in range(32) if c not in (9, 10, 13)} | {0x0B: "\n", 0x0C: "\n"}
_CONTROLS |= {0x7F: None}


def clean_text(value: str) -> str:
    """Text a spreadsheet can hold: no control characters."""
    return value.translate(_CONTROLS)


#: An escape sequence a terminal acts on (OSC sets its title, CSI moves the cursor...),
#: whole, then every C0 and C1 control character but tab and line feed.
_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def terminal_text(value: str) -> str:
    """Text output as a terminal shows it, and nothing it would act on: escape sequences
    and control characters from titles and other fields are removed."""
    return _SEQUENCE.sub("", value)


def safe_csv_cell(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is written as text; control
    characters are left out."""
    value = clean_text(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(table: Table, lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_csv_cell(label) for _, label in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                safe_csv_cell(cell_text(shown(table, k, row.get(k), lang), lang))
                for k, _ in table.columns
            ]
        )
    return "\ufeff" + buf.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def render_json(table: Table, meta: dict[str, Any]) -> str:
    payload = dict(meta)
    payload["rows"] = table_json(table)["rows"]

    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def table_json(table: Table) -> dict[str, Any]:
    return {
        "name": table.name,
        "columns": [{"key": k, "label": label} for k, label in table.columns],
        "rows": [{k: _json_value(row.get(k)) for k, _ in table.columns} for row in table.rows],
    }


def render_json_tables(tables: list[Table], meta: dict[str, Any]) -> str:
    payload = dict(meta)
    payload["tables"] = [table_json(t) for t in tables]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _xlsx_value(value: Any, lang: str) -> Any:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return clean_text(cell_text(value, lang))


def write_xlsx(tables: list[Table], path: Path, lang: str) -> None:
    """One sheet per table: a bold, frozen header with filters, sensible widths, dates as
    dates, and text a spreadsheet never runs as a formula. Written whole or not at all."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name, book.sheetnames))
        sheet.append([clean_text(label) for _, label in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"  # a header (a role's name) is text too, never a formula
        widths = [_width(label) for _, label in table.columns]
        for row in table.rows:
            values = [
                _xlsx_value(shown(table, k, row.get(k), lang), lang) for k, _ in table.columns
            ]
            sheet.append(values)
            for i, value in enumerate(values):
                cell = sheet.cell(row=sheet.max_row, column=i + 1)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=SUM(...)" in a title stays text
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                widths[i] = max(widths[i], _width(cell_text(value, lang)))
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    from .edit import default_mode

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else default_mode())
        book.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sheet_name(name: str, taken: list[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base[:28]} {n}"
        n += 1
    return candidate
