"""A Word (.docx) file -> Markdown body, header-table rows, images and notes.

python-docx opens the package and gives the parts (numbering definitions, images,
page headers, comments); the body is walked element by element in document order so
that every element is either converted or reported in ``notes`` - nothing is dropped
silently. Knows nothing of front matter: generator.importer maps the header rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import Msg

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


#: elements that carry no content of their own (bookmarks, spelling marks, ...)
_SILENT = {
    _q(W, t)
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


class DocxError(Exception):
    """The file is not a readable Word document (nothing is written)."""


@dataclass
class Converted:
    body: str
    header: list[tuple[str, str]]  # (label, value) rows of the header / cover table
    title: str | None  # a paragraph in the Title style, if any
    images: list[tuple[str, bytes]]  # (file name, bytes), linked from the body
    notes: list[Msg] = field(default_factory=list)  # what could not be mapped


def escape(text: str) -> str:
    """Word text as Markdown text: marks escaped, HTML shown as text."""
    return _ESCAPE.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def _literal_start(text: str) -> str:
    match = _LINE_START.match(text)
    if match is None:
        return text
    if match.group(1)[0].isdigit():
        return text[: match.end()] + "\\" + text[match.end() :]  # 1\. not a list
    return "\\" + text


def _text_of(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(_q(W, "t"))).strip()


class _Reader:
    def __init__(self, document: Any, image_dir: str, is_label: Any) -> None:
        self.doc = document
        self.part = document.part
        self.image_dir = image_dir
        self.is_label = is_label
        self.images: list[tuple[str, bytes]] = []
        self.notes: list[Msg] = []
        self.counters: dict[tuple[str, int], int] = {}
        self.formats = self._numbering()
        self.style_num: dict[str, tuple[str, int]] = {}
        self.title: str | None = None
        self.header: list[tuple[str, str]] = []
        self.in_table = 0

    # --- numbering ---------------------------------------------------------------------
    def _numbering(self) -> dict[tuple[str, int], str]:
        """(numId, level) -> numFmt ('bullet', 'decimal', ...)."""
        try:
            root = self.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract: dict[str, dict[int, str]] = {}
        for node in root.iterchildren(_q(W, "abstractNum")):
            levels: dict[int, str] = {}
            for lvl in node.iterchildren(_q(W, "lvl")):
                fmt = lvl.find(_q(W, "numFmt"))
                levels[int(lvl.get(_q(W, "ilvl"), "0"))] = (
                    fmt.get(_q(W, "val"), "decimal") if fmt is not None else "decimal"
                )
            abstract[node.get(_q(W, "abstractNumId"), "")] = levels
        out: dict[tuple[str, int], str] = {}
        for num in root.iterchildren(_q(W, "num")):
            ref = num.find(_q(W, "abstractNumId"))
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(_q(W, "val"), ""), {}).items():
                out[(num.get(_q(W, "numId"), ""), level)] = fmt
        return out

    def _style(self, p: Any) -> tuple[str, Any]:
        """The paragraph style's name (English built-in names) and its element."""
        style_id = p.find(f"{_q(W, 'pPr')}/{_q(W, 'pStyle')}")
        styles = self.doc.styles
        try:
            style = styles.get_by_id(
                style_id.get(_q(W, "val")) if style_id is not None else None,
                1,  # WD_STYLE_TYPE.PARAGRAPH
            )
        except (KeyError, ValueError, AttributeError):
            return "", None
        return (style.name or "" if style is not None else ""), style

    def _num(self, p: Any, style: Any) -> tuple[str, int] | None:
        for node in (p, getattr(style, "element", None)):
            if node is None:
                continue
            num = node.find(f"{_q(W, 'pPr')}/{_q(W, 'numPr')}")
            if num is not None:
                num_id = num.find(_q(W, "numId"))
                ilvl = num.find(_q(W, "ilvl"))
                if num_id is None or num_id.get(_q(W, "val")) == "0":
                    return None
                return num_id.get(_q(W, "val"), ""), int(
                    ilvl.get(_q(W, "val"), "0") if ilvl is not None else 0
                )
        return None

    # --- inline content ----------------------------------------------------------------
    def _image(self, rel_id: str | None, alt: str) -> str:
        part: Any = self.part.related_parts.get(rel_id) if rel_id else None
        blob = getattr(part, "blob", None)
        if not isinstance(blob, bytes):
            self.notes.append(Msg("import.note.image_missing", {"ref": rel_id or "?"}))
            return ""
        ext = Path(str(part.partname)).suffix.lower() or ".bin"
        name = f"image{len(self.images) + 1}{ext}"
        if ext not in (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"):
            self.notes.append(Msg("import.note.image_format", {"name": name}))
        self.images.append((name, blob))
        return f"![{escape(alt)}]({self.image_dir}/{name})"

    def _drawing(self, el: Any) -> str:
        if next(el.iter(_q(W, "txbxContent")), None) is not None:
            self.notes.append(Msg("import.note.textbox", {"text": _text_of(el)[:80] or "（空）"}))
            return ""
        blip = next(el.iter(_q(A, "blip")), None)
        if blip is None:
            self.notes.append(Msg("import.note.shape", {}))
            return ""
        doc_pr = next(el.iter(_q(WP, "docPr")), None)
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        return self._image(blip.get(_q(R, "embed")), alt.strip())

    def _run(self, r: Any, fmt: list[tuple[str, bool, bool]]) -> None:
        rpr = r.find(_q(W, "rPr"))

        def on(tag: str) -> bool:
            el = rpr.find(_q(W, tag)) if rpr is not None else None
            return el is not None and el.get(_q(W, "val"), "true") not in ("0", "false", "none")

        bold, italic = on("b"), on("i")
        for child in r:
            tag = child.tag
            if tag == _q(W, "t"):
                fmt.append((escape(child.text or ""), bold, italic))
            elif tag == _q(W, "tab"):
                fmt.append((" ", bold, italic))
            elif tag in (_q(W, "br"), _q(W, "cr")):
                if child.get(_q(W, "type")) == "page":
                    continue
                fmt.append(("<br>" if self.in_table else "  \n", False, False))
            elif tag == _q(W, "drawing"):
                fmt.append((self._drawing(child), False, False))
            elif tag == _q(W, "pict"):
                data = next(child.iter(_q(V, "imagedata")), None)
                if data is not None and next(child.iter(_q(W, "txbxContent")), None) is None:
                    fmt.append((self._image(data.get(_q(R, "id")), ""), False, False))
                else:
                    self.notes.append(Msg("import.note.textbox", {"text": _text_of(child)[:80]}))
            elif tag in (_q(W, "footnoteReference"), _q(W, "endnoteReference")):
                self.notes.append(Msg("import.note.footnote", {"id": child.get(_q(W, "id"))}))
            elif tag == _q(W, "commentReference"):
                pass  # comments are reported once, from the comments part
            elif tag in (_q(W, "fldChar"), _q(W, "instrText")):
                if tag == _q(W, "instrText") and (child.text or "").strip():
                    self.notes.append(Msg("import.note.field", {"code": child.text.strip()}))
            elif tag in (_q(W, "noBreakHyphen"), _q(W, "softHyphen")):
                fmt.append(("-" if tag == _q(W, "noBreakHyphen") else "", bold, italic))
            elif tag == _q(W, "sym"):
                fmt.append((chr(int(child.get(_q(W, "char"), "3F"), 16)), bold, italic))
            elif tag == _q(MC, "AlternateContent"):
                choice = child.find(_q(MC, "Choice"))
                for sub in choice if choice is not None else []:
                    if sub.tag == _q(W, "drawing"):
                        fmt.append((self._drawing(sub), False, False))
            elif tag not in _SILENT:
                self._unsupported(child)

    def _unsupported(self, el: Any) -> None:
        tag = str(el.tag).split("}")[-1]
        self.notes.append(Msg("import.note.element", {"tag": tag, "text": _text_of(el)[:80]}))

    def _inline(self, p: Any) -> str:
        parts: list[tuple[str, bool, bool]] = []
        for child in p:
            tag = child.tag
            if tag == _q(W, "r"):
                self._run(child, parts)
            elif tag == _q(W, "hyperlink"):
                inner: list[tuple[str, bool, bool]] = []
                for r in child.iter(_q(W, "r")):
                    self._run(r, inner)
                label = _join(inner)
                rel_id = child.get(_q(R, "id"))
                rel = self.part.rels.get(rel_id) if rel_id else None
                url = rel.target_ref if rel is not None and rel.is_external else None
                parts.append((f"[{label}](<{url}>)" if url else label, False, False))
            elif tag == _q(W, "ins") or tag == _q(W, "smartTag") or tag == _q(W, "sdt"):
                content = child.find(_q(W, "sdtContent")) if tag == _q(W, "sdt") else child
                for r in content if content is not None else []:
                    if r.tag == _q(W, "r"):
                        self._run(r, parts)
            elif tag == _q(W, "fldSimple"):
                self.notes.append(Msg("import.note.field", {"code": child.get(_q(W, "instr"))}))
                for r in child.iter(_q(W, "r")):
                    self._run(r, parts)
            elif tag in (_q(W, "del"), _q(W, "moveFrom")):
                self.notes.append(Msg("import.note.deleted", {"text": _text_of(child)[:80]}))
            elif tag not in _SILENT:
                self._unsupported(child)
        return _join(parts).strip()

    # --- blocks ------------------------------------------------------------------------
    def paragraph(self, p: Any, out: list[str]) -> None:
        name, style = self._style(p)
        text = self._inline(p)
        lower = name.lower()
        if lower == "title" and self.title is None and not out:
            self.title = _text_of(p)
            return
        match = re.match(r"(?:heading|标题)\s*([1-9])$", lower)
        outline = p.find(f"{_q(W, 'pPr')}/{_q(W, 'outlineLvl')}")
        if outline is None and style is not None:
            outline = style.element.find(f"{_q(W, 'pPr')}/{_q(W, 'outlineLvl')}")
        level = int(match.group(1)) if match else None
        if level is None and outline is not None and outline.get(_q(W, "val"), "9").isdigit():
            level = int(outline.get(_q(W, "val"), "9")) + 1
            level = level if level <= 6 else None
        if not text:
            return
        if level is not None:
            out.append(f"{'#' * min(level + 1, 6)} {_plain(text)}")
            return
        num = self._num(p, style)
        if num is None and lower.startswith(("list bullet", "list number")):
            num = (lower, 0)
        if num is not None:
            fmt = self.formats.get(num, "bullet" if "bullet" in num[0] else "decimal")
            indent = "    " * num[1]
            if fmt in ("bullet", "none"):
                out.append(f"{indent}- {text}")
            else:
                for key in [k for k in self.counters if k[0] == num[0] and k[1] > num[1]]:
                    del self.counters[key]
                n = self.counters[num] = self.counters.get(num, 0) + 1
                out.append(f"{indent}{n}. {text}")
            return
        self.counters.clear()
        out.append(_literal_start(text))

    def cell_text(self, tc: Any) -> str:
        lines: list[str] = []
        for child in tc:
            if child.tag == _q(W, "p"):
                line = self._inline(child)
                if line:
                    lines.append(line)
            elif child.tag == _q(W, "tbl"):
                self.notes.append(Msg("import.note.nested_table", {"text": _text_of(child)[:80]}))
            elif child.tag not in _SILENT:
                self._unsupported(child)
        return "<br>".join(lines).replace("\n", " ").replace("|", "\\|")

    def table(self, tbl: Any, out: list[str]) -> None:
        self.in_table += 1
        rows: list[list[str]] = []
        for tr in tbl.iterchildren(_q(W, "tr")):
            row: list[str] = []
            for tc in tr.iterchildren(_q(W, "tc")):
                span = tc.find(f"{_q(W, 'tcPr')}/{_q(W, 'gridSpan')}")
                text = self.cell_text(tc)
                row.append(text)
                row.extend([""] * (int(span.get(_q(W, "val"), "1")) - 1 if span is not None else 0))
            rows.append(row)
        self.in_table -= 1
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        out.append("\n".join(lines))

    def header_rows(self, tbl: Any) -> list[tuple[str, str]] | None:
        """The (label, value) pairs of a header table, or None when it is not one."""
        rows: list[list[str]] = []
        for tr in tbl.iterchildren(_q(W, "tr")):
            cells: list[str] = []
            for tc in tr.iterchildren(_q(W, "tc")):
                merged = tc.find(f"{_q(W, 'tcPr')}/{_q(W, 'vMerge')}")
                if merged is not None and merged.get(_q(W, "val")) != "restart":
                    continue  # the continuation of a vertically merged cell
                cells.append(" ".join(_text_of(p) for p in tc.iter(_q(W, "p"))).strip())
            rows.append(cells)
        labels = sum(1 for row in rows for c in row if self.is_label(c))
        if labels < 2:
            return None
        pairs: list[tuple[str, str]] = []
        skip = False
        for n, row in enumerate(rows):
            if skip:
                skip = False
                continue
            below = rows[n + 1] if n + 1 < len(rows) else []
            filled = [c for c in row if c]
            if (
                len(filled) > 1
                and all(self.is_label(c) for c in filled)
                and len(below) == len(row)
                and not any(self.is_label(c) for c in below)
            ):  # labels across one row, their values in the row below
                pairs += [(label, value) for label, value in zip(row, below, strict=True) if label]
                skip = True
                continue
            i = 0
            while i < len(row):
                if not row[i]:
                    i += 1
                    continue
                value = row[i + 1] if i + 1 < len(row) else ""
                pairs.append((row[i], value))
                i += 2
        return pairs

    def body(self) -> str:
        out: list[str] = []
        body = self.doc.element.body
        for el in _blocks(body):
            if el.tag == _q(W, "p"):
                self.paragraph(el, out)
            elif el.tag == _q(W, "tbl"):
                if not self.header:
                    pairs = self.header_rows(el)
                    if pairs is not None:
                        self.header = pairs
                        continue
                self.counters.clear()
                self.table(el, out)
            elif el.tag not in _SILENT:
                self._unsupported(el)
        return _assemble(out)

    def page_headers(self) -> None:
        """Page headers and footers: a header table there fills the front matter; any
        other text in them is reported."""
        seen: set[int] = set()
        for section in self.doc.sections:
            for attr in ("header", "first_page_header", "even_page_header", "footer"):
                part = getattr(section, attr)
                if part.is_linked_to_previous or id(part._element) in seen:
                    continue
                seen.add(id(part._element))
                for el in part._element:
                    if el.tag == _q(W, "tbl") and not self.header:
                        pairs = self.header_rows(el)
                        if pairs is not None:
                            self.header = pairs
                            continue
                    text = _text_of(el)
                    if text and not re.fullmatch(r"[\d\s第页共/-]*", text):
                        self.notes.append(Msg("import.note.page_header", {"text": text[:80]}))

    def comments(self) -> None:
        try:
            comments = list(self.doc.comments)
        except (KeyError, AttributeError, NotImplementedError):
            return
        for comment in comments:
            self.notes.append(Msg("import.note.comment", {"text": (comment.text or "")[:80]}))


def _blocks(parent: Any) -> Iterator[Any]:
    """Block-level children in order; content controls and inserted text unwrapped."""
    for el in parent:
        if el.tag == _q(W, "sdt"):
            content = el.find(_q(W, "sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif el.tag in (_q(W, "ins"), _q(W, "customXml")):
            yield from _blocks(el)
        else:
            yield el


def _plain(text: str) -> str:
    """Heading and cell text without the bold / italic marks (still escaped)."""
    return re.sub(r"(?<!\\)\*+", "", text).strip()


def _join(parts: list[tuple[str, bool, bool]]) -> str:
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


def _assemble(blocks: list[str]) -> str:
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


def convert(path: Path, image_dir: str, is_label: Any) -> Converted:
    """Read ``path``; images are linked as ``image_dir/imageN.ext``."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        raise DocxError("not-docx")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocxError(str(exc) or type(exc).__name__) from None
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds
        raise DocxError(f"{type(exc).__name__}: {exc}") from None
    try:
        reader = _Reader(document, image_dir, is_label)
        reader.page_headers()
        body = reader.body()
        reader.comments()
    except Exception as exc:  # noqa: BLE001 - a package python-docx opened but cannot walk
        raise DocxError(f"{type(exc).__name__}: {exc}") from None
    return Converted(body, reader.header, reader.title, reader.images, reader.notes)
