"""The search index the portal ships: Material's, re-encoded and kept within a budget,
and the portal's query handling put in front of Material's search worker."""

from __future__ import annotations

import bisect
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


def compact_search_index(path: Path, budget_mb: float = 0) -> None:
    """Material writes its index as ASCII JSON: every Chinese character (and every
    zero-width space between jieba's words) as a six-byte \\uXXXX escape. The same JSON
    in UTF-8 is about half the download, and reads the same (``index_text``)."""
    if not path.is_file():
        return
    import json

    from .edit import write_atomic

    data = json.loads(path.read_text(encoding="utf-8"))
    write_atomic(path, index_text(data.get("config"), data.get("docs") or [], budget_mb))


class EntryMemo:
    """Each search entry's JSON (whole, and clipped to the last limit), kept between
    two writes of an index whose entries mostly stay the same objects (``serve``)."""

    def __init__(self) -> None:
        self.kept: dict[tuple[int, int], tuple[Any, str]] = {}

    def json(self, entry: Any, limit: int | None) -> str:
        key = (id(entry), -1 if limit is None else limit)
        found = self.kept.get(key)
        if found is not None and found[0] is entry:
            return found[1]
        shown = entry if limit is None else {**entry, "text": _clip(entry.get("text", ""), limit)}
        out = _dumps(shown)
        self.kept[key] = (entry, out)
        return out

    def keep_only(self, entries: list[Any], limit: int | None) -> None:
        live, limits = {id(e) for e in entries}, {-1, -1 if limit is None else limit}
        self.kept = {k: v for k, v in self.kept.items() if k[0] in live and k[1] in limits}


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
    memo = memo or EntryMemo()
    parts = [memo.json(d, None) for d in docs]
    head = '{"config":' + _dumps(config) + ',"docs":['
    size = len(head.encode()) + 2 + max(len(parts) - 1, 0) + sum(len(p.encode()) for p in parts)
    budget = int(budget_mb * 1_000_000)
    limit = None
    if budget and size > budget:
        limit = _limit(docs, size, budget)
        parts = [memo.json(d, limit) for d in docs]
    memo.keep_only(docs, limit)
    return head + ",".join(parts) + "]}"


def _limit(docs: list[Any], size: int, budget: int) -> int:
    """The longest section text (in characters) that keeps the index within budget."""
    texts = [str(d.get("text", "")) for d in docs]
    fixed = size - sum(len(t.encode()) for t in texts)
    ranked = sorted(texts, key=len)
    lengths = [len(t) for t in ranked]
    whole = [0]
    for t in ranked:  # the bytes of the shortest texts, kept whole under any limit above
        whole.append(whole[-1] + len(t.encode()))

    def fits(limit: int) -> bool:
        short = bisect.bisect_right(lengths, limit)
        clipped = sum(len(_clip(t, limit).encode()) for t in ranked[short:])
        return fixed + whole[short] + clipped <= budget

    low, high = 0, lengths[-1] if lengths else 0
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if fits(mid) else (low, mid - 1)
    return low


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if cut.rfind("<") > cut.rfind(">"):  # never end inside a tag
        cut = cut[: cut.rfind("<")]
    return cut + "…"
