"""Where itsms keeps what it may reuse between runs: ``<root>/.cache/itsms/<part>/``.

Everything kept there is derived from the repository's files, the settings and the
installed packages, and is keyed by all three: deleting the folder only makes the next
run as slow as a first one. ``itsms build --no-cache`` (or ``ITSMS_NO_CACHE=1``) reads
and writes none of it.
"""

from __future__ import annotations

import hashlib
import os
import sys
from importlib import metadata
from pathlib import Path

CACHE_FOLDER = Path(".cache") / "itsms"
NO_CACHE_ENV = "ITSMS_NO_CACHE"

#: the packages whose versions change what a build writes
_PACKAGES = ("itsms", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jieba", "nh3")


def cache_dir(root: Path, part: str) -> Path | None:
    """The folder for one kind of cached data, or None when caching is off."""
    if os.environ.get(NO_CACHE_ENV) == "1":
        return None
    return root / CACHE_FOLDER / part


def tool_versions() -> str:
    """A digest of Python's and the relevant packages' versions (part of every key)."""
    parts = [sys.version]
    for name in _PACKAGES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
