"""Safe Markdown for values taken from metadata, tables, links and banners.

A value (a title, a role name, an activity) is text: it is escaped so that no
HTML, Markdown or template syntax in it takes effect, wherever it lands.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable, Sequence

# Characters that Markdown, its extensions, HTML or a template language would act on.
_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>\\`*_[]|{}~^=$!#"}
# ... and in an HTML attribute, its quotes. Python-Markdown parses links, images and
# emphasis inside inline HTML (attributes included): every value placed in HTML is
# escaped for Markdown as well, as character references the browser decodes.
_HTML_SPECIAL = {**_SPECIAL, '"': "&quot;", "'": "&#39;"}
# the same as str.translate tables (C speed: a portal escapes millions of characters)
_MD_TABLE = str.maketrans(_SPECIAL)
_HTML_TABLE = str.maketrans(_HTML_SPECIAL)
_URL_TABLE = str.maketrans({c: v for c, v in _HTML_SPECIAL.items() if c != "#"})
#: a full-width space: Chinese text spaces words with it on purpose, and browsers keep it
_IDEOGRAPHIC_SPACE = "\u3000"
#: runs of every other space, tab and line break
_SPACES = re.compile(r"[^\S\u3000]+")


def one_line(text: str) -> str:
    """``text`` on one line: each run of spaces, tabs and line breaks one space, none at
    either end; a full-width space kept as written (a title 文件　控制程序)."""
    if _IDEOGRAPHIC_SPACE not in text:
        return " ".join(text.split())
    return " ".join(part for part in _SPACES.split(text) if part)


def md(value: object) -> str:
    """A metadata value as inert Markdown text (one line)."""
    if type(value) is str:
        return one_line(value).translate(_MD_TABLE)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return one_line(str(value)).translate(_MD_TABLE)


def _inert_html(text: str) -> str:
    return one_line(text).translate(_HTML_TABLE)


def attr(value: object) -> str:
    """A value for an HTML attribute or a title that MkDocs writes unescaped: inert
    as HTML and as Markdown, wherever the attribute stands."""
    return _inert_html(str(value))


def rel(from_src: str, to_src: str) -> str:
    """A relative Markdown link from one page's source path to another's."""
    anchor = ""
    if "#" in to_src:
        to_src, frag = to_src.split("#", 1)
        anchor = "#" + frag
    if not to_src:
        return anchor
    return _relpath(to_src, posixpath.dirname(from_src)) + anchor


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start or ".")`` for two site paths; without its two
    ``abspath`` calls where neither path has a part to resolve (a portal makes tens of
    thousands of links)."""
    to = path.split("/")
    here = start.split("/") if start else []
    if any(part in ("", ".", "..") for part in (*to, *here)):
        return posixpath.relpath(path, start or ".")
    common = 0
    while common < len(here) and common < len(to) and here[common] == to[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def link(text: str, from_src: str, to_src: str) -> str:
    """[text](relative link); ``text`` must already be safe Markdown."""
    return f"[{text}]({rel(from_src, to_src)})"


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "", searchable: bool = True
) -> str:
    """A pipe table; cells must already be safe Markdown (md() or link()). Unless
    ``searchable``, its text stays out of the search index."""
    lines = []
    if css or not searchable:
        exclude = "" if searchable else " data-search-exclude"
        lines.append(f'<div class="{css or "itsms-table"}"{exclude} markdown>\n')

    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "---|" * len(headers))
    count = 0
    for row in rows:
        lines.append("| " + " | ".join(cell or " " for cell in row) + " |")
        count += 1
    if count == 0:
        return ""
    if css or not searchable:
        lines.append("\n</div>")

    return "\n".join(lines) + "\n"


def admonition(kind: str, title: str, text: str) -> str:
    body = "\n".join("    " + line if line else "" for line in text.split("\n"))
    return f'!!! {kind} "{attr(title)}"\n\n{body}\n'


#: what is not alphanumeric (``str.isalnum``: ``\w`` is that and ``_``)
_NOT_ALNUM = re.compile(r"[\W_]")


def anchor_id(value: str) -> str:
    """``value`` lower-cased, each character that is not alphanumeric a hyphen."""
    return _NOT_ALNUM.sub("-", value.lower())


def page_url(src: str, dir_urls: bool) -> str:
    """The URL path of a page (or file) in the site, as MkDocs will write it."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        base = stem[: -len("index")]
        return base if dir_urls else base + "index.html"
    return stem + "/" if dir_urls else stem + ".html"


def url(from_src: str, to_src: str, dir_urls: bool, static: bool = False) -> str:
    """A relative URL from one page to another (or to a file), for raw HTML."""
    return url_from(url_folder(from_src, dir_urls), to_src, dir_urls, static)


def url_folder(src: str, dir_urls: bool) -> list[str]:
    """The folder a page's URL is in, as its parts (what ``url_from`` starts from)."""
    return page_url(src, dir_urls).split("/")[:-1]


def url_anchor(fragment: str) -> str:
    """``#fragment`` as ``url_from`` ends a URL with it."""
    return ("#" + fragment).translate(_URL_TABLE)


def url_from(here_parts: list[str], to_src: str, dir_urls: bool, static: bool = False) -> str:
    """A relative URL from the folder of a page's URL (``url_folder``) to a page or file."""
    anchor = ""
    if "#" in to_src:
        to_src, frag = to_src.split("#", 1)
        anchor = "#" + frag
    target = (to_src if static else page_url(to_src, dir_urls)).split("/")

    common = 0
    while (
        common < len(here_parts)
        and common < len(target) - 1
        and here_parts[common] == target[common]
    ):
        common += 1
    rel_path = "/".join([".."] * (len(here_parts) - common) + target[common:]) or "./"
    return (rel_path + anchor).translate(_URL_TABLE)


def h(value: object) -> str:
    """A metadata value as HTML text (HTML, Markdown and template syntax shown as text)."""
    if type(value) is str:  # most of the hundreds of thousands of calls: no call further
        return one_line(value).translate(_HTML_TABLE)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return _inert_html(str(value))


def a(text_html: str, href: str) -> str:
    return f'<a href="{href}">{text_html}</a>'


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    css: str = "",
    searchable: bool = False,
    html_headers: bool = False,
) -> str:
    """A raw HTML table for large listings (cells must already be safe HTML): MkDocs
    passes it through untouched, far faster than a Markdown table of links. Unless
    ``searchable``, its text is kept out of the search index. Headers are text unless
    ``html_headers`` (then they are safe HTML, like the cells).

    A searchable table has a line break between its cells, as a Markdown table has:
    the search index reads the page's text, and cells run together would be one word."""
    sep = "\n" if searchable else ""
    cell = f"</td>{sep}<td>"
    body = sep.join(
        f"<tr>{sep}<td>" + cell.join(row) + f"</td>{sep}</tr>" if row else "<tr></tr>"
        for row in rows
    )
    if not body:
        return ""
    attrs = "" if searchable else " data-search-exclude"
    head = sep.join(f"<th>{x if html_headers else h(x)}</th>" for x in headers)
    table_html = (
        f"<table{attrs}><thead><tr>{sep}{head}{sep}</tr></thead><tbody>{sep}{body}{sep}"
        "</tbody></table>"
    )
    if css:
        table_html = f'<div class="{css}">{table_html}</div>'
    return table_html + "\n"
