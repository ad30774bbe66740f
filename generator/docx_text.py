"""Word XML -> Markdown text: namespaces, escaping, runs joined with their bold and
italic marks, blocks assembled with blank lines (pure functions; docx_read walks)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


#: elements that carry no content of their own (bookmarks, spelling marks, ...)
SILENT = {
    q(W, t)
    for t in (
        "pPr",
        "rPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "sectPr",
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "permStart",
        "permEnd",
        "lastRenderedPageBreak",
        "commentRangeStart",
        "commentRangeEnd",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "tblPrEx",
    )
}
_ESCAPE = re.compile(r"([\\`*_\[\]])")
#: what would start a heading, a quote or a list at the beginning of a paragraph
_LINE_START = re.compile(r"^([#>+-]|\d+(?=[.)]\s))")


def escape(text: str) -> str:
    """Word text as Markdown text: marks escaped, HTML shown as text."""
    return _ESCAPE.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def literal_start(text: str) -> str:
    match = _LINE_START.match(text)
    if match is None:
        return text
    if match.group(1)[0].isdigit():
        return text[: match.end()] + "\\" + text[match.end() :]  # 1\. not a list
    return "\\" + text


_DIGITS = "零一二三四五六七八九"


def counted(n: int, fmt: str) -> str:
    """A list number as Word shows it: 3, or 三 for Chinese counting (up to 99)."""
    if fmt.startswith(("chinese", "ideograph", "japanese", "taiwanese")) and 0 < n < 100:
        tens, ones = divmod(n, 10)
        head = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
        return head + (_DIGITS[ones] if ones else "")
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= 26:
        letter = chr(ord("A") + n - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    return str(n)


def text_of(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(q(W, "t"), q(W, "delText"))).strip()


def blocks(parent: Any) -> Iterator[Any]:
    """Block-level children in order; content controls and inserted text unwrapped."""
    for el in parent:
        if el.tag == q(W, "sdt"):
            content = el.find(q(W, "sdtContent"))
            if content is not None:
                yield from blocks(content)
        elif el.tag in (q(W, "ins"), q(W, "customXml")):
            yield from blocks(el)
        else:
            yield el


def plain(text: str) -> str:
    """Heading and cell text without the bold / italic marks (still escaped)."""
    return re.sub(r"(?<!\\)\*+", "", text).strip()


def join_runs(parts: list[tuple[str, bool, bool]]) -> str:
    """Runs -> text, with runs of one format merged and marked once."""
    merged: list[tuple[str, bool, bool]] = []
    for text, bold, italic in parts:
        if merged and merged[-1][1:] == (bold, italic):
            merged[-1] = (merged[-1][0] + text, bold, italic)
        else:
            merged.append((text, bold, italic))
    out = []
    for text, bold, italic in merged:
        mark = ("**" if bold else "") + ("*" if italic else "")
        core = text.strip()
        if not mark or not core:
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return "".join(out)


def assemble(blocks: list[str]) -> str:
    """Blocks separated by blank lines; the items of one list kept together."""
    out: list[str] = []
    item = re.compile(r"^(\s*)(-|\d+\.) ")

    def kind(line: str) -> tuple[int, bool] | None:
        match = item.match(line)
        return (len(match.group(1)), match.group(2) == "-") if match else None

    for block in blocks:
        this, last = kind(block), kind(out[-1].rsplit("\n", 1)[-1]) if out else None
        if this is not None and last is not None:
            if this[0] != last[0] or this == last:
                out[-1] += "\n" + block  # one list goes on (or nests)
                continue
            # a list of the other kind: Markdown would run both into one list
            out.append("<!-- -->")
        out.append(block)
    return "\n\n".join(out) + "\n" if out else ""
