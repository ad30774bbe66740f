"""How an evidence file is put in the site. The portal's origin never serves a
file a browser would run: HTML, SVG, XML and scripts are offered as a zip (a
download, never opened in place); Markdown and text become a UTF-8 HTML page
(readable Chinese, whatever the web server says of ``.md``); everything else
(PDF, images, office files) is copied byte for byte."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path, PurePosixPath

#: Types a browser runs or renders with script when served from the portal's origin.
ACTIVE = frozenset(
    {".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".svg", ".svgz"}
    | {".xml", ".xsl", ".xslt", ".js", ".mjs"}
)
MARKDOWN = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
TEXT = MARKDOWN | {".txt", ".text", ".log"}


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def is_active(name: str) -> bool:
    return _suffix(name) in ACTIVE


def site_name(inside: str) -> str:
    """The site path of an evidence file (``inside``: its path under records/)."""
    suffix = _suffix(inside)
    if suffix in ACTIVE:
        return inside + ".zip"
    if suffix in TEXT:
        return inside + ".html"
    return inside


def published(site_path: str, source: Path) -> bytes | None:
    """What the site holds for an evidence file: new bytes, or None to copy it as is."""
    if site_path.endswith(".zip") and is_active(site_path[:-4]):
        return _zipped(source)
    if site_path.endswith(".html") and _suffix(site_path[:-5]) in TEXT:
        return _page(source, _suffix(site_path[:-5]) in MARKDOWN)
    return None


def _zipped(source: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(source.name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, source.read_bytes())
    return buf.getvalue()


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _page(source: Path, markdown_text: bool) -> bytes:
    text = _decode(source.read_bytes())
    if markdown_text:
        import markdown

        from .sanitize import sanitize

        body = sanitize(markdown.markdown(text, extensions=["tables", "fenced_code"]))
    else:
        body = f"<pre>{html.escape(text)}</pre>"
    name = html.escape(source.name)
    page = (
        '<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{name}</title>\n"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
        "line-height:1.6}pre{white-space:pre-wrap}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .5em}</style>\n"
        f"</head>\n<body>\n<p><small>{name}</small></p>\n{body}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
