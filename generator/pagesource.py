"""The Markdown file MkDocs reads for a portal page: its front matter and body."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from .portal.markup import attr
from .portal.site import PortalPage

#: a page of tables: Material's own switch hides the contents panel; CSS the rest
WIDE_MARK = '<div class="itsms-page-wide" hidden></div>'

_DECIMAL = re.compile(r"\d+\.\d+")


def page_source(page: PortalPage) -> str:
    """The Markdown file MkDocs reads for a portal page."""
    body = page.markdown
    if page.wide:
        body = WIDE_MARK + "\n\n" + body
    return "---\n" + _front(attr(page.title), page.search, page.boost, page.wide) + "---\n\n" + body


def _front(title: str, search: bool, boost: float | None, wide: bool) -> str:
    """The front matter's YAML. A title of printable characters but ``"`` and ``\\``
    is itself in double quotes (YAML reads it back as it is); anything else is put
    into YAML by PyYAML (it took a quarter of a quick rebuild, once per page)."""
    if title.isprintable() and '"' not in title and "\\" not in title:
        rest = _rest(search, boost, wide)
        if rest is not None:
            return f'title: "{title}"\n' + rest
    meta: dict[str, Any] = {"title": title, **_meta(search, boost, wide)}
    return yaml.safe_dump(meta, allow_unicode=True)


def _meta(search: bool, boost: float | None, wide: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if not search:
        meta["search"] = {"exclude": True}
    elif boost is not None:
        meta["search"] = {"boost": boost}
    if wide:
        meta["hide"] = ["toc"]
    return meta


@lru_cache(maxsize=64)
def _rest(search: bool, boost: float | None, wide: bool) -> str | None:
    """The front matter but the title (a few kinds of page: put into YAML once)."""
    if boost is not None and not _DECIMAL.fullmatch(repr(boost)):
        return None
    meta = _meta(search, boost, wide)
    return yaml.safe_dump(meta, allow_unicode=True) if meta else ""
