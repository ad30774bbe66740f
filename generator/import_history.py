"""A Word file's revision table (修订记录: 版本, 日期, 修订内容, 修订人, 批准) -> the
``history`` entries of the imported document. Rows that cannot become an entry (no
version or no date) are reported, never dropped."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .i18n import Msg

#: revision-table column headings -> the history field they fill
COLUMNS: dict[str, str] = {
    **dict.fromkeys(("版本", "版次", "版本号", "版本/版次", "修订版本", "文件版本"), "version"),
    **dict.fromkeys(
        (
            "日期",
            "修订日期",
            "修改日期",
            "变更日期",
            "更改日期",
            "发布日期",
            "批准日期",
            "生效日期",
            "实施日期",
        ),
        "date",
    ),
    **dict.fromkeys(
        (
            "修订内容",
            "修改内容",
            "变更内容",
            "更改内容",
            "修订说明",
            "修改说明",
            "变更说明",
            "修订摘要",
            "修订描述",
            "内容",
            "说明",
            "摘要",
        ),
        "summary",
    ),
    **dict.fromkeys(
        ("修订人", "修改人", "变更人", "编制", "编写", "编制人", "编写人", "起草人", "拟制"),
        "author",
    ),
    **dict.fromkeys(("批准", "批准人", "审批", "审批人", "签发"), "approved_by"),
    **dict.fromkeys(("序号", "编号", "审核", "审核人"), ""),  # known; no history field
}


def column(text: str) -> str | None:
    return COLUMNS.get(re.sub(r"[\s\u3000:：]", "", text))


def is_revision_table(rows: list[list[str]]) -> bool:
    """A first row naming a version column and a date or change column."""
    if len(rows) < 2:
        return False
    heads = {column(c) for c in rows[0]}
    return "version" in heads and bool(heads & {"date", "summary"})


def entries(
    rows: list[list[str]], find_date: Any, map_version: Any, notes: list[Msg]
) -> list[dict[str, Any]]:
    """History entries from a revision table, in version order."""
    heads = [column(c) for c in rows[0]]
    for text, head in zip(rows[0], heads, strict=True):
        if head is None and text:
            notes.append(Msg("import.note.history_column", {"label": text}))
    out: list[dict[str, Any]] = []
    for row in rows[1:]:
        if not any(row):
            continue
        cells = dict(zip(heads, row, strict=False))
        version = map_version(cells.get("version", "")) if cells.get("version") else None
        day: dt.date | None = find_date(cells.get("date", ""))[0]
        if version is None or day is None:
            notes.append(Msg("import.note.history_row", {"row": " | ".join(row)}))
            continue
        entry: dict[str, Any] = {"version": version, "date": day}
        for key in ("author", "approved_by", "summary"):
            value = find_date(cells.get(key, ""))[1] if key != "summary" else cells.get(key)
            if value and value.strip():
                entry[key] = value.strip()
        out.append(entry)
    return sorted(out, key=lambda e: tuple(int(n) for n in e["version"].split(".")))
