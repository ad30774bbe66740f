"""Where itsms keeps what it may reuse between runs: ``<root>/.cache/itsms/<part>/``.

Everything kept there is derived from the repository's files, the settings and the
installed packages, and is keyed by all three: deleting the folder only makes the next
run as slow as a first one. ``itsms build --no-cache`` (or ``ITSMS_NO_CACHE=1``) reads
and writes none of it.

The folder is git-ignored, so a change to it would show in no review: every file kept
there is signed (HMAC-SHA256) with a key of the user's own, kept outside the repository
(``$XDG_CACHE_HOME/itsms/secret``, by default ``~/.cache/itsms/secret``, mode 0600). A
file whose signature does not verify is not read, whoever wrote it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import stat
import sys
import tempfile
from importlib import metadata
from pathlib import Path

CACHE_FOLDER = Path(".cache") / "itsms"
NO_CACHE_ENV = "ITSMS_NO_CACHE"
_TAG = 32  # bytes of an HMAC-SHA256 signature

#: the packages whose versions change what a build writes
_PACKAGES = ("itsms", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jieba", "nh3")


def cache_dir(root: Path, part: str) -> Path | None:
    """The folder for one kind of cached data, or None when caching is off: turned off,
    no signing key can be had, or a link on the way would lead out of the repository."""
    if os.environ.get(NO_CACHE_ENV) == "1" or _secret() is None:
        return None
    folder = root / CACHE_FOLDER / part
    for step in (root / CACHE_FOLDER.parent, root / CACHE_FOLDER, folder):
        if step.is_symlink():
            return None
    return folder


def tool_versions() -> str:
    """A digest of Python's and the relevant packages' versions (part of every key)."""
    parts = [sys.version]
    for name in _PACKAGES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def sign(data: bytes) -> bytes:
    """``data`` with its signature in front (what a cache file holds)."""
    key = _secret()
    if key is None:
        raise OSError("no cache signing key")
    return hmac.digest(key, data, "sha256") + data


def verified(blob: bytes) -> bytes | None:
    """The data of a signed cache file, or None when its signature does not verify."""
    key = _secret()
    if key is None or len(blob) < _TAG:
        return None
    tag, data = blob[:_TAG], blob[_TAG:]
    return data if hmac.compare_digest(tag, hmac.digest(key, data, "sha256")) else None


def read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file at ``path``; None for anything else: missing, a
    link (never followed), a FIFO or a device (never waited on), unreadable."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def read_signed(path: Path) -> bytes | None:
    """The data of the signed cache file at ``path``, or None: not a regular file (see
    read_regular), or its signature does not verify."""
    blob = read_regular(path)
    return None if blob is None else verified(blob)


def write_signed(path: Path, data: bytes) -> None:
    """Write ``data`` signed to ``path``, whole or not at all (a temporary file beside
    it, then a rename; two writers at once each leave a whole file). Raises OSError (a
    read-only or full disk, a file where a folder should be): callers keep nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(sign(data))
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "itsms" / "secret"


@functools.lru_cache(maxsize=1)
def _secret() -> bytes | None:
    """The user's signing key, made on first use (32 random bytes, readable by the user
    only); None when it can be neither read nor made."""
    path = _key_file()
    data = read_regular(path)
    if data is not None and len(data) == 32:
        return data
    try:
        # made inside a home folder (or beside XDG_CACHE_HOME) that is there: a missing
        # home (a service account's /nonexistent) is never made
        base = os.environ.get("XDG_CACHE_HOME")
        if not (Path(base).parent if base else Path.home()).is_dir():
            return None
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = os.urandom(32)
        temp = path.with_name(f".secret.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        os.replace(temp, path)
        return key
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
