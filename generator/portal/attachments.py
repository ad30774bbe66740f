"""Pictures a document shows: a Markdown image with a relative path to a file beside
the document (``itsms import`` puts a Word file's pictures in ``<folder>/<id>/``) is
copied into the site under ``attachments/`` and its link rewritten for the page.

Only pictures inside the document's own folder are copied (never records/ or a link
leading out of the repository), and only for pages that are published."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from ..model import Document
from .site import Publication

ATTACHMENTS_DIR = "attachments"
#: pictures a browser shows without running anything (no SVG: it can carry script)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")
_IMAGE = re.compile(r"(!\[[^\]\n]*\]\()(<[^>\n]+>|[^)\s]+)((?:\s+\"[^\"\n]*\")?\))")


def publish_images(pub: Publication, doc: Document, body: str, page_path: str) -> str:
    root = Path(pub.result.root).resolve()
    folder = posixpath.dirname(doc.path)

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip("<>")
        if re.match(r"[a-zA-Z][\w+.-]*:|[/#]", target):
            return match.group(0)  # a URL, an absolute path or an anchor: as written
        rel = posixpath.normpath(posixpath.join(folder, unquote(target)))
        if not rel.startswith(folder + "/") or not rel.lower().endswith(IMAGE_SUFFIXES):
            return match.group(0)
        local = (root / rel).resolve()
        if not local.is_relative_to(root / folder) or not local.is_file():
            return match.group(0)
        site_path = f"{ATTACHMENTS_DIR}/{rel}"
        pub.evidence[site_path] = str(local)
        href = posixpath.relpath(site_path, posixpath.dirname(page_path))
        return f"{match.group(1)}<{href}>{match.group(3)}"

    return _IMAGE.sub(replace, body)
