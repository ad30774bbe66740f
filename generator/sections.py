"""Portal pages rendered section by section (an adapter over MkDocs' ``Page.render``).

The role-responsibility matrix lists every process under its own heading: 2,000 of
them at L, a second of Markdown each time one process's title changes. The portal
marks such a page's independent sections (``MARK`` on a line of its own, between
blocks, each section's headings carrying their own ids); the page is then rendered a
section at a time, each through the page cache under its own text, and the results
joined as one render would give them: the HTML one after another, the table of
contents nested again from all the headings in order, the first section's title, every
anchor and link. An edit renders again only the sections whose text changed.

Only portal pages are rendered so: a reader's own Markdown page holding the mark is
rendered whole (the mark is an HTML comment: nothing shows either way).
"""

from __future__ import annotations

from typing import Any

#: the line between two sections of a portal page
MARK = "<!-- itsms:section -->"
_LINE = "\n" + MARK + "\n"


def split(markdown: str) -> list[str] | None:
    """The sections of a page's Markdown, or None when it has none."""
    if _LINE not in markdown:
        return None
    return markdown.split(_LINE)


def fits(kept: Any) -> bool:
    """Is ``kept`` a section's render (``pagecache._render_result``) of the right shape?"""
    return (
        isinstance(kept, dict)
        and isinstance(kept.get("content"), str)
        and isinstance(kept.get("toc"), list)
        and (kept.get("title") is None or isinstance(kept.get("title"), str))
        and isinstance(kept.get("anchors"), list)
        and (kept.get("links") is None or isinstance(kept.get("links"), dict))
        and isinstance(kept.get("log"), list)
    )


def combine(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The render of a whole page from its sections' (each ``fits``)."""
    from markdown.extensions.toc import nest_toc_tokens

    flat: list[dict[str, Any]] = []
    for part in parts:
        flat.extend(_flat(part["toc"]))
    links: dict[str, dict[str, str]] | None = None
    for part in parts:
        if part["links"] is not None:
            links = links if links is not None else {}
            for src_uri, anchors in part["links"].items():
                links.setdefault(src_uri, {}).update(anchors)
    return {
        "content": "\n".join(part["content"] for part in parts),
        "toc": nest_toc_tokens(flat),
        "title": next((part["title"] for part in parts if part["title"] is not None), None),
        "anchors": sorted({a for part in parts for a in part["anchors"]}),
        "links": links,
        "log": [record for part in parts for record in part["log"]],
    }


def _flat(tokens: list[Any]) -> list[dict[str, Any]]:
    """Headings in document order, without their nesting (``nest_toc_tokens`` nests)."""
    out: list[dict[str, Any]] = []
    for token in tokens:
        out.append({k: v for k, v in token.items() if k != "children"})
        out.extend(_flat(token.get("children") or []))
    return out
