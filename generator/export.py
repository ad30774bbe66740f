"""Render a Table as a text table, CSV (UTF-8 with BOM, for Excel), JSON or a
workbook an auditor can file (what it covers on top and in its properties, set up
for printing)."""

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

from .i18n import Translator, text
from .views import Ref, Stamp, Table

#: The spreadsheet's first rows state what it covers; the table's header follows.
HEADER_ROW = 7
#: The widest column; longer text wraps.
MAX_WIDTH = 60
#: The most characters a spreadsheet cell holds.
CELL_LIMIT = 32767


def cell_text(value: Any, lang: str = "zh") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Ref):
        return f"{value.id} {value.title}".strip()
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v, lang) for v in value)
    return str(value)


def shown(table: Table, key: str, row: dict[str, Any], lang: str) -> Any:
    """A row's value as a reader's format shows it: a code put into words, an id (a
    role's) by its name."""
    value = row.get(key)
    name = table.names.get(key)
    if name is not None and row.get(name) is not None:
        return row[name]
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
        [terminal_text(cell_text(shown(table, k, row, lang), lang)) for k, _ in table.columns]
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


def one_line(value: str) -> str:
    """A field shown on one line of text output: a line break or tab is written as
    ``\\n``, ``\\r``, ``\\t``, and the other control characters are removed
    (``terminal_text``)."""
    escaped = value.replace("\r", "\\r").replace("\n", "\\n")
    return terminal_text(escaped.replace("\t", "\\t"))


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
            [safe_csv_cell(cell_text(shown(table, k, row, lang), lang)) for k, _ in table.columns]
        )
    return "\ufeff" + buf.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Ref):
        return {"id": value.id, "title": value.title}
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
        "rows": [
            {
                key: _json_value(row.get(key))
                for k, _ in table.columns
                for key in (k, table.names.get(k))
                if key is not None
            }
            for row in table.rows
        ],
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
    text = clean_text(cell_text(value, lang))
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _stamp_rows(sheet: Any, table: Table, stamp: Stamp, t: Translator) -> None:
    """Rows 1-5: the view's name, the standard, the audit period, the as-of date and the
    time of generation (dates as dates); row 6 stays empty."""
    from openpyxl.styles import Font

    sheet.append([clean_text(table.name)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([t("view.standard"), clean_text(stamp.standard), clean_text(stamp.standard_id)])
    sheet.append([t("view.period"), stamp.period.start, stamp.period.end])
    sheet.append([t("view.as_of"), stamp.as_of])
    sheet.append([t("view.generated"), stamp.generated])
    for row in sheet.iter_rows(min_row=2, max_row=5):
        row[0].font = Font(bold=True)
        for cell in row[1:]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.data_type = "s"
    sheet.append([])


def _print_setup(sheet: Any) -> None:
    """Landscape A4, fitted to the page width, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.gridLines = True


def _properties(book: Any, tables: list[Table], stamp: Stamp, t: Translator) -> None:
    """Core and custom document properties, so a file manager or DMS shows what it covers."""
    from openpyxl.packaging.custom import DateTimeProperty, StringProperty

    names = "; ".join(table.name for table in tables)
    caption = t(
        "view.caption",
        standard=stamp.standard,
        period=str(stamp.period),
        as_of=stamp.as_of.isoformat(),
    )
    props = book.properties
    props.title = names
    props.subject = stamp.standard
    props.description = caption
    props.keywords = f"{stamp.standard_id}; {stamp.period}; {stamp.as_of.isoformat()}"
    props.creator = "itsms"
    props.created = props.modified = stamp.generated
    for name, value in (
        ("standard", stamp.standard_id),
        ("audit_period", str(stamp.period)),
        ("as_of", stamp.as_of.isoformat()),
    ):
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    book.custom_doc_props.append(DateTimeProperty(name="generated", value=stamp.generated))


def write_xlsx(tables: list[Table], path: Path, lang: str, stamp: Stamp) -> None:
    """One sheet per table: what it covers on top (standard, audit period, as-of date,
    generation time; in the document properties too), then a bold, frozen header with
    filters, sensible widths, dates as dates, text a spreadsheet never runs as a formula;
    printed landscape, fitted to width, header repeated. Written whole or not at all, 0644."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    t = Translator(lang)
    wrap = Alignment(wrap_text=True, vertical="top")
    book = Workbook()
    book.remove(book.active)
    _properties(book, tables, stamp, t)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name, book.sheetnames))
        _stamp_rows(sheet, table, stamp, t)
        sheet.append([clean_text(label) for _, label in table.columns])
        for cell in sheet[HEADER_ROW]:
            cell.font = Font(bold=True)
            cell.data_type = "s"  # a header (a role's name) is text too, never a formula
        widths = [_width(label) for _, label in table.columns]
        for row in table.rows:
            values = [_xlsx_value(shown(table, k, row, lang), lang) for k, _ in table.columns]
            sheet.append(values)
            for i, value in enumerate(values):
                cell = sheet.cell(row=sheet.max_row, column=i + 1)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=SUM(...)" in a title stays text
                    if _width(value) > MAX_WIDTH:
                        cell.alignment = wrap
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                widths[i] = max(widths[i], _width(cell_text(value, lang)))
        for i, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), MAX_WIDTH)
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        if table.rows:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{sheet.max_row}"
        _print_setup(sheet)
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
