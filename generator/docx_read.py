"""A Word (.docx) file -> Markdown body, header-table rows, images and notes.

python-docx opens the package and gives the parts (numbering definitions, images,
page headers, comments); the body is walked element by element in document order so
that every element is either converted or reported in ``notes`` - nothing is dropped
silently. Knows nothing of front matter: generator.importer maps the header rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .docx_text import (
    MC,
    SILENT,
    WP,
    A,
    R,
    V,
    W,
    assemble,
    blocks,
    counted,
    escape,
    join_runs,
    literal_start,
    plain,
    q,
    text_of,
)
from .i18n import Msg

#: the most a Word file may unpack to (text, pictures): far beyond any procedure
MAX_UNPACKED = 512 * 1024 * 1024


class DocxError(Exception):
    """The file is not a readable Word document (nothing is written)."""


@dataclass
class Converted:
    body: str
    header: list[tuple[str, str]]  # (label, value) rows of the header / cover table
    title: str | None  # a paragraph in the Title style, if any
    images: list[tuple[str, bytes]]  # (file name, bytes), linked from the body
    notes: list[Msg] = field(default_factory=list)  # what could not be mapped
    claimed: list[list[list[str]]] = field(default_factory=list)  # tables taken by the caller


class _Reader:
    def __init__(
        self,
        document: Any,
        image_dir: str,
        label_of: Callable[[str], str | None],
        claim_table: Callable[[list[list[str]]], bool],
    ) -> None:
        self.claim_table = claim_table
        self.claimed: list[list[list[str]]] = []
        self.doc = document
        self.part = document.part
        self.image_dir = image_dir
        self.label_of = label_of
        self.images: list[tuple[str, bytes]] = []
        self.image_names: dict[str, str] = {}  # image part -> file name
        self.notes: list[Msg] = []
        self.counters: dict[tuple[str, int], int] = {}
        self.formats = self._numbering()
        self.title: str | None = None
        self.header: list[tuple[str, str]] = []
        self.in_table = 0

    # --- numbering ---------------------------------------------------------------------
    def _numbering(self) -> dict[tuple[str, int], tuple[str, str]]:
        """(numId, level) -> (numFmt 'bullet', 'decimal', ..., lvlText such as '%1.%2')."""
        try:
            root = self.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract: dict[str, dict[int, tuple[str, str]]] = {}
        for node in root.iterchildren(q(W, "abstractNum")):
            levels: dict[int, tuple[str, str]] = {}
            for lvl in node.iterchildren(q(W, "lvl")):
                fmt, pattern = lvl.find(q(W, "numFmt")), lvl.find(q(W, "lvlText"))
                level = int(lvl.get(q(W, "ilvl"), "0"))
                levels[level] = (
                    fmt.get(q(W, "val"), "decimal") if fmt is not None else "decimal",
                    pattern.get(q(W, "val"), "") if pattern is not None else f"%{level + 1}.",
                )
            abstract[node.get(q(W, "abstractNumId"), "")] = levels
        out: dict[tuple[str, int], tuple[str, str]] = {}
        for num in root.iterchildren(q(W, "num")):
            ref = num.find(q(W, "abstractNumId"))
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(q(W, "val"), ""), {}).items():
                out[(num.get(q(W, "numId"), ""), level)] = fmt
        return out

    def _count(self, num: tuple[str, int]) -> int:
        """The next number at ``num``'s level; deeper levels start again."""
        for key in [k for k in self.counters if k[0] == num[0] and k[1] > num[1]]:
            del self.counters[key]
        self.counters[num] = self.counters.get(num, 0) + 1
        return self.counters[num]

    def _heading_number(self, num: tuple[str, int]) -> str:
        """The number Word shows before a numbered heading: lvlText with its %1, %2 filled."""
        fmt, pattern = self.formats.get(num, ("decimal", ""))
        if fmt in ("bullet", "none") or not pattern:
            return ""
        self._count(num)
        return re.sub(
            r"%([1-9])",
            lambda m: counted(
                self.counters.get((num[0], int(m.group(1)) - 1), 1),
                self.formats.get((num[0], int(m.group(1)) - 1), ("decimal", ""))[0],
            ),
            pattern,
        ).strip()

    def _style(self, p: Any) -> tuple[str, Any]:
        """The paragraph style's name (English built-in names) and its element."""
        style_id = p.find(f"{q(W, 'pPr')}/{q(W, 'pStyle')}")
        styles = self.doc.styles
        try:
            style = styles.get_by_id(
                style_id.get(q(W, "val")) if style_id is not None else None,
                1,  # WD_STYLE_TYPE.PARAGRAPH
            )
        except (KeyError, ValueError, AttributeError):
            return "", None
        return (style.name or "" if style is not None else ""), style

    def _num(self, p: Any, style: Any) -> tuple[str, int] | None:
        for node in (p, getattr(style, "element", None)):
            if node is None:
                continue
            num = node.find(f"{q(W, 'pPr')}/{q(W, 'numPr')}")
            if num is not None:
                num_id = num.find(q(W, "numId"))
                ilvl = num.find(q(W, "ilvl"))
                if num_id is None or num_id.get(q(W, "val")) == "0":
                    return None
                return num_id.get(q(W, "val"), ""), int(
                    ilvl.get(q(W, "val"), "0") if ilvl is not None else 0
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
        name = self.image_names.get(str(part.partname), f"image{len(self.images) + 1}{ext}")
        if str(part.partname) in self.image_names:  # one picture shown twice: saved once
            return f"![{escape(alt)}]({self.image_dir}/{name})"
        self.image_names[str(part.partname)] = name
        if ext not in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"):  # the portal shows these
            self.notes.append(Msg("import.note.image_format", {"name": name}))
        self.images.append((name, blob))
        return f"![{escape(alt)}]({self.image_dir}/{name})"

    def _drawing(self, el: Any) -> str:
        if next(el.iter(q(W, "txbxContent")), None) is not None:
            self.notes.append(Msg("import.note.textbox", {"text": text_of(el)[:80] or "（空）"}))
            return ""
        blip = next(el.iter(q(A, "blip")), None)
        if blip is None:
            self.notes.append(Msg("import.note.shape", {}))
            return ""
        doc_pr = next(el.iter(q(WP, "docPr")), None)
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        return self._image(blip.get(q(R, "embed")), alt.strip())

    def _run(self, r: Any, fmt: list[tuple[str, bool, bool]]) -> None:
        rpr = r.find(q(W, "rPr"))

        def on(tag: str) -> bool:
            el = rpr.find(q(W, tag)) if rpr is not None else None
            return el is not None and el.get(q(W, "val"), "true") not in ("0", "false", "none")

        bold, italic = on("b"), on("i")
        for child in r:
            tag = child.tag
            if tag == q(W, "t"):
                fmt.append((escape(child.text or ""), bold, italic))
            elif tag == q(W, "tab"):
                fmt.append((" ", bold, italic))
            elif tag in (q(W, "br"), q(W, "cr")):
                if child.get(q(W, "type")) == "page":
                    continue
                fmt.append(("<br>" if self.in_table else "  \n", False, False))
            elif tag == q(W, "drawing"):
                fmt.append((self._drawing(child), False, False))
            elif tag == q(W, "pict"):
                data = next(child.iter(q(V, "imagedata")), None)
                if data is not None and next(child.iter(q(W, "txbxContent")), None) is None:
                    fmt.append((self._image(data.get(q(R, "id")), ""), False, False))
                else:
                    self.notes.append(Msg("import.note.textbox", {"text": text_of(child)[:80]}))
            elif tag in (q(W, "footnoteReference"), q(W, "endnoteReference")):
                self.notes.append(Msg("import.note.footnote", {"id": child.get(q(W, "id"))}))
            elif tag == q(W, "commentReference"):
                pass  # comments are reported once, from the comments part
            elif tag in (q(W, "fldChar"), q(W, "instrText")):
                if tag == q(W, "instrText") and (child.text or "").strip():
                    self.notes.append(Msg("import.note.field", {"code": child.text.strip()}))
            elif tag in (q(W, "noBreakHyphen"), q(W, "softHyphen")):
                fmt.append(("-" if tag == q(W, "noBreakHyphen") else "", bold, italic))
            elif tag == q(W, "sym"):
                fmt.append((chr(int(child.get(q(W, "char"), "3F"), 16)), bold, italic))
            elif tag == q(MC, "AlternateContent"):
                choice = child.find(q(MC, "Choice"))
                for sub in choice if choice is not None else []:
                    if sub.tag == q(W, "drawing"):
                        fmt.append((self._drawing(sub), False, False))
            elif tag not in SILENT:
                self._unsupported(child)

    def _unsupported(self, el: Any) -> None:
        tag = str(el.tag).split("}")[-1]
        self.notes.append(Msg("import.note.element", {"tag": tag, "text": text_of(el)[:80]}))

    def _inline(self, p: Any) -> str:
        parts: list[tuple[str, bool, bool]] = []
        for child in p:
            tag = child.tag
            if tag == q(W, "r"):
                self._run(child, parts)
            elif tag == q(W, "hyperlink"):
                inner: list[tuple[str, bool, bool]] = []
                for r in child.iter(q(W, "r")):
                    self._run(r, inner)
                label = join_runs(inner)
                rel_id = child.get(q(R, "id"))
                rel = self.part.rels.get(rel_id) if rel_id else None
                url = rel.target_ref if rel is not None and rel.is_external else None
                parts.append((f"[{label}](<{url}>)" if url else label, False, False))
            elif tag == q(W, "ins") or tag == q(W, "smartTag") or tag == q(W, "sdt"):
                content = child.find(q(W, "sdtContent")) if tag == q(W, "sdt") else child
                for r in content if content is not None else []:
                    if r.tag == q(W, "r"):
                        self._run(r, parts)
            elif tag == q(W, "fldSimple"):
                self.notes.append(Msg("import.note.field", {"code": child.get(q(W, "instr"))}))
                for r in child.iter(q(W, "r")):
                    self._run(r, parts)
            elif tag in (q(W, "del"), q(W, "moveFrom")):
                self.notes.append(Msg("import.note.deleted", {"text": text_of(child)[:80]}))
            elif tag not in SILENT:
                self._unsupported(child)
        return join_runs(parts).strip()

    # --- blocks ------------------------------------------------------------------------
    def paragraph(self, p: Any, out: list[str]) -> None:
        name, style = self._style(p)
        text = self._inline(p)
        lower = name.lower()
        if lower == "title" and self.title is None and not out:
            self.title = text_of(p)
            return
        match = re.match(r"(?:heading|标题)\s*([1-9])$", lower)
        outline = p.find(f"{q(W, 'pPr')}/{q(W, 'outlineLvl')}")
        if outline is None and style is not None:
            outline = style.element.find(f"{q(W, 'pPr')}/{q(W, 'outlineLvl')}")
        level = int(match.group(1)) if match else None
        if level is None and outline is not None and outline.get(q(W, "val"), "9").isdigit():
            level = int(outline.get(q(W, "val"), "9")) + 1
            level = level if level <= 6 else None
        if not text:
            return
        num = self._num(p, style)
        if level is not None:
            number = self._heading_number(num) if num is not None else ""
            out.append(f"{'#' * min(level + 1, 6)} {' '.join(filter(None, (number, plain(text))))}")
            return
        if num is None and lower.startswith(("list bullet", "list number")):
            num = (lower, 0)
        if num is not None:
            fmt = self.formats.get(num, ("bullet" if "bullet" in num[0] else "decimal", ""))[0]
            indent = "    " * num[1]
            if fmt in ("bullet", "none"):
                out.append(f"{indent}- {text}")
            else:  # Word goes on counting a list after a paragraph between its items
                out.append(f"{indent}{self._count(num)}. {text}")
            return
        out.append(literal_start(text))

    def cell_text(self, tc: Any) -> str:
        lines: list[str] = []
        for child in tc:
            if child.tag == q(W, "p"):
                line = self._inline(child)
                num = self._num(child, self._style(child)[1]) if line else None
                if num is not None:  # a list in a cell: its marks kept as text
                    fmt = self.formats.get(num, ("decimal", ""))[0]
                    mark = "•" if fmt in ("bullet", "none") else f"{self._count(num)}."
                    line = f"{'　' * num[1]}{mark} {line}"
                if line:
                    lines.append(line)
            elif child.tag == q(W, "tbl"):
                self.notes.append(Msg("import.note.nested_table", {"text": text_of(child)[:80]}))
            elif child.tag not in SILENT:
                self._unsupported(child)
        return "<br>".join(lines).replace("\n", " ").replace("|", "\\|")

    def table(self, tbl: Any, out: list[str]) -> None:
        self.in_table += 1
        rows: list[list[str]] = []
        for tr in tbl.iterchildren(q(W, "tr")):
            row: list[str] = []
            for tc in tr.iterchildren(q(W, "tc")):
                span = tc.find(f"{q(W, 'tcPr')}/{q(W, 'gridSpan')}")
                text = self.cell_text(tc)
                row.append(text)
                row.extend([""] * (int(span.get(q(W, "val"), "1")) - 1 if span is not None else 0))
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

    @staticmethod
    def plain_rows(tbl: Any) -> list[list[str]]:
        """A table's rows as plain text cells (a vertically merged cell once)."""
        rows: list[list[str]] = []
        for tr in tbl.iterchildren(q(W, "tr")):
            cells: list[str] = []
            for tc in tr.iterchildren(q(W, "tc")):
                merged = tc.find(f"{q(W, 'tcPr')}/{q(W, 'vMerge')}")
                if merged is not None and merged.get(q(W, "val")) != "restart":
                    continue  # the continuation of a vertically merged cell
                cells.append(" ".join(text_of(p) for p in tc.iter(q(W, "p"))).strip())
            rows.append(cells)
        return rows

    def header_rows(self, tbl: Any) -> list[tuple[str, str]] | None:
        """The (label, value) pairs of a header table, or None when it is not one."""
        rows = self.plain_rows(tbl)
        keys = [self.label_of(c) for row in rows for c in row]
        found = [k for k in keys if k is not None]
        if len(found) < 2 or not {"id", "title"} & set(found):
            return None  # e.g. a revision table (版本, 编制, 批准 but no 文件编号 / 文件名称)
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
                and all(self.label_of(c) is not None for c in filled)
                and len(below) == len(row)
                and not any(self.label_of(c) is not None for c in below)
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
        for el in blocks(body):
            if el.tag == q(W, "p"):
                self.paragraph(el, out)
            elif el.tag == q(W, "tbl"):
                if not self.header:
                    pairs = self.header_rows(el)
                    if pairs is not None:
                        self.header = pairs
                        continue
                rows = self.plain_rows(el)
                if self.claim_table(rows):
                    self.claimed.append(rows)
                    continue
                self.table(el, out)
            elif el.tag not in SILENT:
                self._unsupported(el)
        return assemble(out)

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
                    if el.tag == q(W, "tbl") and not self.header:
                        pairs = self.header_rows(el)
                        if pairs is not None:
                            self.header = pairs
                            continue
                    text = text_of(el)
                    if text and not re.fullmatch(r"[\d\s第页共/-]*", text):
                        self.notes.append(Msg("import.note.page_header", {"text": text[:80]}))

    def comments(self) -> None:
        try:
            comments = list(self.doc.comments)
        except (KeyError, AttributeError, NotImplementedError):
            return
        for comment in comments:
            self.notes.append(Msg("import.note.comment", {"text": (comment.text or "")[:80]}))


def convert(
    path: Path,
    image_dir: str,
    label_of: Callable[[str], str | None],
    claim_table: Callable[[list[list[str]]], bool] = lambda rows: False,
) -> Converted:
    """Read ``path``; images are linked as ``image_dir/imageN.ext``. ``label_of`` names
    the field of a header-table label; a body table ``claim_table`` takes (a revision
    history) is left out of the body and handed back in ``claimed``."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        raise DocxError("not-docx")
    try:
        with zipfile.ZipFile(path) as package:
            size = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocxError(str(exc)) from None
    if size > MAX_UNPACKED:
        raise DocxError(f"{size} bytes unpacked")  # a zip bomb, or far beyond any procedure
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocxError(str(exc) or type(exc).__name__) from None
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds
        raise DocxError(f"{type(exc).__name__}: {exc}") from None
    try:
        reader = _Reader(document, image_dir, label_of, claim_table)
        reader.page_headers()
        body = reader.body()
        reader.comments()
    except Exception as exc:  # noqa: BLE001 - a package python-docx opened but cannot walk
        raise DocxError(f"{type(exc).__name__}: {exc}") from None
    return Converted(body, reader.header, reader.title, reader.images, reader.notes, reader.claimed)
