"""The search index the portal ships: Material's, re-encoded and kept within a budget,
and the portal's query handling put in front of Material's search worker."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).parent / "portal" / "assets"


def patch_search_worker(site_dir: Path) -> None:
    """Put the portal's query handling in front of Material's search worker (see
    assets/search-worker.js): every word of a query must be found, and a query with a
    character no indexed word holds finds nothing."""
    patch = (ASSETS / "search-worker.js").read_text(encoding="utf-8")
    for worker in sorted((site_dir / "assets" / "javascripts" / "workers").glob("search*.js")):
        text = worker.read_text(encoding="utf-8")
        if not text.startswith(patch):
            from .edit import write_atomic

            write_atomic(worker, patch + "\n" + text)


def import_jieba() -> None:
    """Import jieba (Material's search segments Chinese with it) before MkDocs loads
    the search plugin. jieba finds its dictionary through ``pkg_resources`` when that
    imports: setuptools' deprecated API, whose import scans every installed package,
    0.1 to 0.3 s of each build. Without it, jieba opens the same file by its path."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # its import fails
    try:
        import jieba  # noqa: F401
    except ImportError:  # not installed: Material's search does without it
        pass
    finally:
        del sys.modules["pkg_resources"]


#: a text whose segmentation shows that Material's is the one ``segment_once`` repeats
_PROBE = "服务台应在2小时内记录 IT 服务管理体系的变更，文件管理员核对。"


def segment_once(index: Any, cut: Callable[[str], list[str]] | None = None) -> None:
    """Material's search cuts every run of Chinese characters of every section into
    words with jieba, the build's costliest step. The same runs come back on page after
    page (role names, 应在, a table's column of statuses): ``index`` cuts each distinct
    run once a build. The index is the same: jieba's cut is a function of the run and
    the dictionary, loaded before the first page. Should Material's segmentation differ
    from this one (another version), Material's own is kept, and the segment function's
    ``itsms_agrees`` says so (``[True]``: the same).

    ``cut``: jieba's cut with the dictionary read a share at a time (generator.segmenter,
    a quick rebuild), kept only by a build whose segmentation was found the same."""
    original = getattr(index, "_segment_chinese", None)
    if original is None or getattr(original, "itsms_once", False):
        return
    try:
        import jieba
        from backrefs import bre
    except ImportError:
        return
    han = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)
    runs: dict[str, str] = {}
    agrees: list[bool] = [] if cut is None else [True]
    cutting = cut or (lambda value: jieba.cut(value.encode("utf-8")))

    def words(match: Any) -> str:
        value = match.group(0)
        done = runs.get(value)
        if done is None:
            done = "\u200b" + "\u200b".join(cutting(value)) + "\u200b"
            runs[value] = done
        return done

    def segment(data: str) -> str:
        if not agrees:  # the first call: the same as Material's, or Material's from now on
            agrees.append(han.sub(words, _PROBE).strip("\u200b") == original(_PROBE))
        if not agrees[0]:
            return str(original(data))
        return str(han.sub(words, data).strip("\u200b"))

    segment.itsms_once = True  # type: ignore[attr-defined]
    segment.itsms_agrees = agrees  # type: ignore[attr-defined]
    setattr(index, "_segment_chinese", segment)  # noqa: B010 - this build's index only


def find_toc_once(index: Any) -> None:
    """Material finds each section's heading in the page's table of contents by walking
    it from the top, once per section: a page of 2,000 headings (the RACI matrix at
    2,000 documents) took two million steps. ``index`` looks it up in a table of the
    page's headings instead, made in the same order (the first heading with the id,
    parents before their children), so it finds the same heading."""
    original = getattr(index, "_find_toc_by_id", None)
    if original is None or getattr(original, "itsms_once", False):
        return
    last: list[Any] = []  # [toc, {id: heading}] of the page indexed last

    def find(toc: Any, anchor: Any) -> Any:
        if not last or last[0] is not toc:
            table: dict[Any, Any] = {}
            todo = list(reversed(list(toc)))
            while todo:  # depth first, each heading before its children
                item = todo.pop()
                table.setdefault(item.id, item)
                todo.extend(reversed(list(item.children)))
            last[:] = [toc, table]
        return last[1].get(anchor)

    find.itsms_once = True  # type: ignore[attr-defined]
    setattr(index, "_find_toc_by_id", find)  # noqa: B010 - this build's index only


def compact_search_index(path: Path, budget_mb: float = 0) -> None:
    """Material writes its index as ASCII JSON: every Chinese character (and every
    zero-width space between jieba's words) as a six-byte \\uXXXX escape. The same JSON
    in UTF-8 is about half the download, and reads the same (``index_text``). An index
    ``write_compact`` had Material write is left as it is: this would write it again."""
    if not path.is_file():
        return
    import json

    from .edit import write_atomic

    raw = path.read_bytes()
    if (not budget_mb or len(raw) <= budget_mb * 1_000_000) and not _ESCAPED.search(raw):
        return  # no character escaped, within the budget: index_text gives these bytes
    data = json.loads(raw.decode("utf-8"))
    del raw
    write_atomic(path, index_text(data.get("config"), data.get("docs") or [], budget_mb))


#: a character beyond ASCII written as an escape (what ``index_text`` never writes); not
#: an escaped backslash before a u (a separator's ``\\u200b``)
_ESCAPED = re.compile(
    rb"(?<!\\)(?:\\\\)*\\u(?:00[89a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]|[1-9a-fA-F][0-9a-fA-F]{2})"
)


def write_compact(index: Any, budget_mb: float, memo: EntryMemo | None = None) -> None:
    """Material's search ``index`` writes the portal's index (``index_text``) itself: its
    own ASCII JSON of every entry, read back and written again, was the build's largest
    moment of memory. (A ``--dirty`` rebuild's merge stays Material's.) ``memo``: what
    writing it computes about each entry, kept (the quick rebuild's snapshot)."""
    original = getattr(index, "generate_search_index", None)
    if original is None or getattr(original, "itsms_compact", False):
        return

    def generate_search_index(prev: Any) -> str:
        if prev:
            return str(original(prev))
        return index_text(_fields(index.config), index.entries, budget_mb, memo)

    generate_search_index.itsms_compact = True  # type: ignore[attr-defined]
    setattr(index, "generate_search_index", generate_search_index)  # noqa: B010


def written_compact(search: Any) -> bool:
    """Material's ``search`` plugin wrote the portal's index itself (``write_compact``):
    ``compact_search_index`` has nothing to do (reading 10 MB back to find out took half
    a second at 500 documents). Not so for a ``--dirty`` merge, which stays Material's."""
    index = getattr(search, "search_index", None)
    made = getattr(index, "generate_search_index", None)
    return bool(getattr(made, "itsms_compact", False)) and not getattr(
        search, "search_index_prev", None
    )


@dataclass
class _Entry:
    entry: Any
    size: int  # bytes of its JSON, whole
    text: str
    text_size: int  # bytes of its text
    clipped: tuple[int, str] | None = None  # (limit or -1: whole, its JSON so)


class EntryMemo:
    """What writing the index computed about each search entry, kept between two
    writes of an index whose entries mostly stay the same objects (``serve``): its
    JSON, and for every limit the last search tried, the bytes of all texts clipped
    to it. The result is the same as without it."""

    def __init__(self) -> None:
        self.kept: dict[int, _Entry] = {}
        self.sums: dict[int, int] = {}  # limit -> bytes of every text clipped to it

    def sync(self, docs: list[Any]) -> list[_Entry]:
        """The entries of ``docs``; the sums follow the entries that came and went."""
        out, added = [], []
        for doc in docs:
            found = self.kept.get(id(doc))
            if found is None or found.entry is not doc:
                text = str(doc.get("text", ""))
                found = _Entry(doc, len(_dumps(doc).encode()), text, len(text.encode()))
                added.append(found)
            out.append(found)
        if len(out) != len(self.kept) or added:
            live = {id(e.entry) for e in out}
            gone = [e for k, e in self.kept.items() if k not in live]
            for limit in self.sums:
                self.sums[limit] += sum(_clipped_size(e, limit) for e in added)
                self.sums[limit] -= sum(_clipped_size(e, limit) for e in gone)
            self.kept = {id(e.entry): e for e in out}
        return out

    def rekey(self) -> None:
        """After unpickling (another process): entries are known by their identity."""
        self.kept = {id(e.entry): e for e in self.kept.values()}

    def clipped_sum(self, entries: list[_Entry], limit: int) -> int:
        if limit not in self.sums:
            self.sums[limit] = sum(_clipped_size(e, limit) for e in entries)
        return self.sums[limit]

    def json(self, item: _Entry, limit: int | None) -> str:
        """The entry's JSON, its text clipped to ``limit`` (None: whole)."""
        key = -1 if limit is None else limit
        if item.clipped is None or item.clipped[0] != key:
            shown = item.entry
            if limit is not None:
                shown = {**shown, "text": _clip(shown.get("text", ""), limit)}
            item.clipped = (key, _dumps(shown))
        return item.clipped[1]


def _clipped_size(item: _Entry, limit: int) -> int:
    """Bytes of the entry's text clipped to ``limit`` (most texts are shorter: as is)."""
    if len(item.text) <= limit:
        return item.text_size
    return len(_clip(item.text, limit).encode())


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def index_text(
    config: Any, docs: list[Any], budget_mb: float = 0, memo: EntryMemo | None = None
) -> str:
    """The index as UTF-8 JSON. With a budget (the settings' search_index_mb), a larger
    index keeps every title and heading whole and only the beginning of each section's
    text: a reader still finds a page by its title, its headings and what each section
    opens with, and the browser stays quick on thousands of documents."""
    budget = int(budget_mb * 1_000_000)
    head = '{"config":' + _dumps(config) + ',"docs":['
    if memo is None:  # one write (a build): the whole index at once, if it fits
        whole = _dumps({"config": config, "docs": docs})
        if not budget or len(whole.encode()) <= budget:
            return whole
        memo = EntryMemo()
    entries = memo.sync(docs)
    size = len(head.encode()) + 2 + max(len(entries) - 1, 0) + sum(e.size for e in entries)
    limit = None
    if budget and size > budget:
        fixed = size - sum(e.text_size for e in entries)
        low, high = 0, max((len(e.text) for e in entries), default=0)
        probed = set()
        while low < high:  # the longest section text that keeps the index within budget
            mid = (low + high + 1) // 2
            probed.add(mid)
            fits = fixed + memo.clipped_sum(entries, mid) <= budget
            low, high = (mid, high) if fits else (low, mid - 1)
        memo.sums = {k: v for k, v in memo.sums.items() if k in probed}
        limit = low
    return head + ",".join(memo.json(e, limit) for e in entries) + "]}"


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if cut.rfind("<") > cut.rfind(">"):  # never end inside a tag
        cut = cut[: cut.rfind("<")]
    return cut + "…"


def write_index(site_dir: Path, search: Any, budget_mb: float, memo: EntryMemo | None) -> None:
    """The index of Material's ``search`` plugin written from the entries in memory
    (what its on_post_build and ``compact_search_index`` write, without reading it back)."""
    from .edit import write_atomic

    data = index_text(_fields(search.config), search.search_index.entries, budget_mb, memo)
    write_atomic(site_dir / "search" / "search_index.json", data)


def _fields(config: Any) -> dict[str, Any]:
    """The settings of Material's search the index carries (its ``config``)."""
    return {key: config[key] for key in ("lang", "separator", "pipeline", "fields")}
