"""Bodies are text an author wrote, not code the portal runs: the HTML of every
page is cleaned with an allowlist sanitiser (nh3, Ammonia) after Markdown has
rendered it, so that ``<script>``, ``on*=`` handlers, ``javascript:`` links and
the like never reach a reader's browser. The portal's own markup (tables,
banners, anchors, its placeholders) is all on the allowlist."""

from __future__ import annotations

import nh3

_TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "abbr",
    "details",
    "summary",
    "input",
    "mark",
    "figure",
    "figcaption",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "time",
    "kbd",
    "samp",
    "var",
}
_COMMON = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": _COMMON,
    "a": {"href", "hreflang", "name", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "input": {"type", "placeholder", "checked", "disabled"},
    "details": {"open"},
    "time": {"datetime"},
    "code": set(),
}


def sanitize(html: str) -> str:
    """The page's HTML with everything that could run removed; text is kept."""
    return nh3.clean(
        html,
        tags=set(_TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in _ATTRIBUTES.items()},
        generic_attribute_prefixes={"data-itsms", "data-search"},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
