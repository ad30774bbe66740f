"""The search index the portal ships: Material's, re-encoded and kept within a budget,
and the portal's query handling put in front of Material's search worker."""

from __future__ import annotations

from pathlib import Path

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
    in UTF-8 is about half the download, and reads the same.

    With a budget (the settings' search_index_mb), a larger index keeps every title and
    heading whole and only the beginning of each section's text: a reader still finds a
    page by its title, its headings and what each section opens with, and the browser
    stays quick on thousands of documents."""
    if not path.is_file():
        return
    import json

    from .edit import write_atomic

    data = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    budget = int(budget_mb * 1_000_000)
    if budget and len(text.encode("utf-8")) > budget:
        docs = data.get("docs") or []
        fixed = len(text.encode("utf-8")) - sum(len(d.get("text", "").encode()) for d in docs)
        low, high = 0, max((len(d.get("text", "")) for d in docs), default=0)
        while low < high:  # the longest section text that keeps the index within budget
            mid = (low + high + 1) // 2
            size = sum(len(_clip(d.get("text", ""), mid).encode()) for d in docs)
            low, high = (mid, high) if fixed + size <= budget else (low, mid - 1)
        for doc in docs:
            doc["text"] = _clip(doc.get("text", ""), low)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    write_atomic(path, text)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if cut.rfind("<") > cut.rfind(">"):  # never end inside a tag
        cut = cut[: cut.rfind("<")]
    return cut + "…"
