"""Safe Markdown for values taken from metadata, tables, links and banners.

A value (a title, a role name, an activity) is text: it is escaped so that no
HTML, Markdown or template syntax in it takes effect, wherever it lands.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
from collections.abc import Iterable, Sequence

# Characters that Markdown, its extensions, HTML or a template language would act on.
_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>\\`*_[]|{}~^=$!#"}


def md(value: object) -> str:
    """A metadata value as inert Markdown text (one line)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return "".join(_SPECIAL.get(c, c) for c in text)


def attr(value: object) -> str:
    """A value for an HTML attribute or a title that MkDocs writes unescaped."""
    return html.escape(" ".join(str(value).split()), quote=True)


def rel(from_src: str, to_src: str) -> str:
    """A relative Markdown link from one page's source path to another's."""
    anchor = ""
    if "#" in to_src:
        to_src, frag = to_src.split("#", 1)
        anchor = "#" + frag
    if not to_src:
        return anchor
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".") + anchor


def link(text: str, from_src: str, to_src: str) -> str:
    """[text](relative link); ``text`` must already be safe Markdown."""
    return f"[{text}]({rel(from_src, to_src)})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """A pipe table; cells must already be safe Markdown (md() or link())."""
    lines = []
    if css:
        lines.append(f'<div class="{css}" markdown>\n')
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "---|" * len(headers))
    count = 0
    for row in rows:
        lines.append("| " + " | ".join(cell or " " for cell in row) + " |")
        count += 1
    if count == 0:
        return ""
    if css:
        lines.append("\n</div>")
    return "\n".join(lines) + "\n"


def admonition(kind: str, title: str, text: str) -> str:
    body = "\n".join("    " + line if line else "" for line in text.split("\n"))
    return f'!!! {kind} "{attr(title)}"\n\n{body}\n'


def anchor_id(value: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in value.lower())
