"""Material's search parse of a page, a piece at a time, with what each piece gave kept.

Material's search indexes a page by feeding its whole HTML to an ``HTMLParser`` that
splits it into sections at headings and collects each section's text. On the portal's
long pages (2,000 procedures in an index, a RACI section per procedure) that is a fifth
of a second a page, and an edit changes one row or one section. ``RowParses`` feeds a
page's HTML to the same parser in pieces, cut before each ``<tr`` and before each
heading that opens a line; a piece seen on the page's last parse, met in the same
parser state, is not parsed again: what it gave is put where the parse would put it
(a row's text appended to its section; a heading's section, with its text, added).

Feeding ``HTMLParser`` in pieces is feeding it the whole: it holds back an unfinished
construct until the rest comes, and a cut before ``<`` never splits a text. A piece is
taken from the last parse only when what it gave depends on nothing but the piece and
that state: no script, style or search exclusion in it; a row holds no heading and no
tag whose text Material keeps (it may take back what it appended, looking from the
section's start); a heading's piece holds no second heading; and the piece left the
parser as it found it but for what it gave (same open elements, nothing held back).
Before it is used, the parse is tried on a probe page against Material's own
(``parsing``); when Material parses differently (another version), its own is used.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Callable
from typing import Any

#: where a page is cut: before every table row, and before a heading that opens a line
_CUT = re.compile(r"(?=<tr[\s>])|(?<=\n)(?=<h[1-6][\s>])")
_HEADING = re.compile(r"<h[1-6][\s>]")
#: a piece holding any of these is fed to the parser, never taken from a last parse
_UNSAFE = re.compile(
    r"<\s*(?:script|style|object|textarea|title)[\s/>]|data-search-exclude|linenodiv"
    r"|<!\[CDATA\[",
    re.IGNORECASE,
)
#: ... nor a row holding one of these (Material keeps these tags in a section's text,
#: and may take back what it appended, looking from the section's start)
_UNSAFE_ROW = re.compile(r"<\s*(?:h[1-6]|p|code|pre|li|ol|ul|sub|sup)[\s/>]", re.IGNORECASE)
#: pages cut in fewer pieces than this are parsed whole, their pieces not kept (memory)
ROWS_KEPT = 64

State = tuple[object, ...]
#: what a row gave: the text it appended; what a heading's piece gave: its section as
#: the piece left it (the section, its depth, title and text)
Gave = tuple[str, ...] | tuple[Any, object, tuple[str, ...], tuple[str, ...]]


class RowParses:
    """The pieces of each long page's last parse (by page url), with what each gave."""

    def __init__(self, keep: bool = True) -> None:
        self.kept: dict[str, dict[tuple[str, State], Gave]] = {}
        #: pieces taken from a last parse (tests)
        self.taken = 0
        #: keep a page's pieces from its first parse (serve); else from its second: a
        #: build parses each page once, and keeping them all cost 100 MB at L
        self.keep = keep
        self.seen: set[str] = set()

    def sections(self, parser_class: Any, url: str, html: str) -> list[Any]:
        """Material's sections of ``html`` as ``parser_class`` (its ``Parser``) finds them."""
        parser = parser_class()
        first = not self.keep and url not in self.seen
        self.seen.add(url)
        pieces = [] if first else _CUT.split(html)
        if len(pieces) <= ROWS_KEPT:
            self.kept.pop(url, None)
            parser.feed(html)
            parser.close()
            return list(parser.data)
        last = self.kept.get(url, {})
        now: dict[tuple[str, State], Gave] = {}
        for piece in pieces:
            row = piece.startswith("<tr")
            state = _state(parser) if row or piece.startswith("<h") else None
            if state is None or _UNSAFE.search(piece) or not _alone(piece, row):
                parser.feed(piece)
                continue
            key = (piece, state)
            gave = last.get(key) or now.get(key)
            if gave is not None:
                _replay(parser, gave, row)
                self.taken += 1
            else:
                gave = _fed(parser, piece, row)
            if gave is not None:
                now[key] = gave
        parser.close()
        self.kept[url] = now
        return list(parser.data)


def _alone(piece: str, row: bool) -> bool:
    """A row holds no heading and no tag Material keeps; a heading's piece holds no
    other heading."""
    if row:
        return _UNSAFE_ROW.search(piece) is None
    return _HEADING.search(piece, 1) is None


def _state(parser: Any) -> State | None:
    """What a piece's parse depends on besides the piece, or None when it may depend
    on more (no section yet, an unfinished construct held back, a CDATA element open)."""
    section = parser.section
    if section is None or parser.rawdata or getattr(parser, "cdata_elem", None):
        return None
    text = section.text
    return (
        tuple(e.tag for e in parser.context),
        bool(parser.skip.intersection(parser.context)),
        section.el in parser.context,
        section.depth,
        bool(text) and text[-1].isspace(),
    )


def _fed(parser: Any, piece: str, row: bool) -> Gave | None:
    """Feed ``piece``; what it gave when it left the parser as it found it, but for the
    text a row appended to the section, or the one section a heading's piece began."""
    section, data = parser.section, parser.data
    sections, title, text = len(data), len(section.title), len(section.text)
    context, skip = list(parser.context), set(parser.skip)
    parser.feed(piece)
    if (
        len(parser.context) != len(context)
        or any(a is not b for a, b in zip(parser.context, context, strict=True))
        or parser.skip != skip
        or len(section.title) != title
        or _state(parser) is None
    ):
        return None
    if row:
        if parser.section is not section or len(data) != sections or len(section.text) < text:
            return None
        return tuple(section.text[text:])
    made = parser.section
    if len(data) != sections + 1 or data[-1] is not made or len(section.text) != text:
        return None
    return (made, made.depth, tuple(made.title), tuple(made.text))


def _replay(parser: Any, gave: Any, row: bool) -> None:
    """What feeding the piece that gave ``gave`` does (see ``_fed``)."""
    if row:
        parser.section.text.extend(gave)
        return
    kept, depth, title, text = gave
    section = copy.copy(kept)
    section.depth, section.title, section.text = depth, list(title), list(text)
    parser.data.append(section)
    parser.section = section


def entries(index: Any, page: Any, rows: RowParses, parser_class: Any) -> None:
    """What Material's ``SearchIndex.add_entry_from_context`` does, parsing through
    ``rows``."""
    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return
    for section in rows.sections(parser_class, page.url, page.content):
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)


_PROBE_ROWS = "".join(
    f'<tr><td><a href="../{n}/">QP-{n:02d}</a></td><td>程序 &amp; 记录 {n}</td>'
    f"<td>  </td><td><span>{'在用' if n % 2 else '作废'}</span></td></tr>\n"
    for n in range(ROWS_KEPT + 8)
)
_PROBE_SECTIONS = "".join(
    f'<h3 id="s{n}">节 {n}<a class="headerlink" href="#s{n}">¶</a></h3>\n'
    f'<p><a href="../{n}/">程序 › {n}</a> <code> </code></p>\n<div data-b="{n}"></div>\n\n'
    for n in range(8)
)
#: a page with what ``RowParses`` must parse as Material does: rows, headings among
#: rows, kept tags, an excluded block, text held back at a cut, sections
PROBE = (
    '<h1 id="t">程序</h1>\n<p>前言 <code>x</code></p>\n<table><thead><tr><th>编号</th>'
    f"</tr></thead><tbody>\n{_PROBE_ROWS}<tr><td><p>段</p><code> </code></td></tr>\n"
    '<tr><td><h2 id="in">表中标题</h2></td></tr>\n</tbody></table>\n'
    f'<h2 id="b">其二</h2>\n<table data-search-exclude><tbody>{_PROBE_ROWS}</tbody></table>\n'
    f"<div><table><tbody>{_PROBE_ROWS}<tr><td>a &amp</td></tr><tr><td>b</td></tr>"
    "</tbody></table></div>\n<pre><table><tr><td> x  y </td></tr></table></pre>\n"
    f'{_PROBE_SECTIONS}<div>\n<h4>无编号</h4>\n<h4 id="n">嵌套</h4>\n</div>\n'
    f'<h2 id="last">末</h2>\n<p>完</p>\n{_PROBE_SECTIONS.replace("<h3", "<h3 data-search-exclude")}'
)


def parsing(index: Any, original: Callable[[Any], None], rows: RowParses) -> Callable[[Any], None]:
    """How to add a page's entries to Material's search ``index``: through ``rows``
    when that adds what ``original`` (its ``add_entry_from_context``) adds to a probe
    page, the first time and again with every piece kept; else ``original``. The probe
    is tried at the first page to parse (a build taking every page's entries from the
    cache parses none, and loads no dictionary for it)."""
    parser_class = getattr(sys.modules.get(type(index).__module__), "Parser", None)
    if parser_class is None or not hasattr(index, "create_entry_for_section"):
        return original
    chosen: list[Callable[[Any], None]] = []

    def parse(page: Any) -> None:
        if not chosen:
            agrees = _agrees(index, original, parser_class)
            chosen.append((lambda p: entries(index, p, rows, parser_class)) if agrees else original)
        chosen[0](page)

    return parse


def _agrees(index: Any, original: Callable[[Any], None], parser_class: Any) -> bool:
    probe = _Probe()
    try:
        want = _added(index, lambda: original(probe))
        trial = RowParses()
        for _ in range(2):
            if _added(index, lambda: entries(index, probe, trial, parser_class)) != want:
                return False
    except Exception:  # noqa: BLE001 - another Material: its own parse, as it was
        return False
    return trial.taken > 0


class _Probe:
    """A page as Material's search reads it."""

    url = "itsms-probe/"
    title = "probe"
    content = PROBE
    meta: dict[str, Any] = {}
    toc: list[Any] = []


def _added(index: Any, add: Callable[[], None]) -> list[Any]:
    """The entries ``add()`` appends to ``index``, taken out again."""
    before = len(index.entries)
    add()
    added: list[Any] = index.entries[before:]
    del index.entries[before:]
    return added
