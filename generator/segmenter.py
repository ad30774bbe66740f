"""jieba's dictionary, a share at a time, for a quick rebuild.

A quick rebuild (generator.quickbuild) cuts the Chinese of one edited page or a few
into search words. Loading jieba's whole prefix dictionary for that takes most of a
second (350,000 words unmarshalled). jieba's cut of a run of text looks up only strings
of that run: the words starting with one of its characters are all it reads. A whole
build, which loaded the dictionary anyway, keeps it in the cache folder split by first
character; a quick rebuild reads the shares of the characters its new text holds. The
words and their frequencies are the same, so the cut is the same.

The store is keyed by the packages' versions and the dictionaries in use (the contents
of the files Material's ``jieba_dict`` and ``jieba_dict_user`` settings name), and
signed like every cache file (generator.cachedir). It is written only by a build whose
segmentation was found to be Material's (generator.searchindex.segment_once).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cachedir import cache_dir, read_signed, tool_versions, write_signed

FOLDER = "jieba"


def dictionaries(search: Any) -> str:
    """A digest of the dictionaries jieba cuts with for Material's search plugin
    ``search``: jieba's own (its version), and the contents of the files Material's
    ``jieba_dict`` and ``jieba_dict_user`` name (resolved as Material resolves them).
    A word added to a department's list is another digest: every page's search entries
    are cut again."""
    sha = hashlib.sha256(tool_versions().encode())
    options = getattr(search, "config", {}) or {}
    for name in ("jieba_dict", "jieba_dict_user"):
        value = options.get(name)
        sha.update(f"\0{name}\0".encode())
        if not value:
            continue
        try:
            with open(os.path.normpath(str(value)), "rb") as handle:
                sha.update(hashlib.file_digest(handle, "sha256").digest())
        except OSError:
            sha.update(b"unreadable")
    return sha.hexdigest()[:24]


def store_path(root: Path, search: Any) -> Path | None:
    """Where the store of the dictionaries ``search`` (Material's search plugin) has
    jieba use is kept; None without a cache folder."""
    folder = cache_dir(root, FOLDER)
    return None if folder is None else folder / f"{dictionaries(search)}.dict"


def keep(path: Path | None) -> None:
    """Write the store for ``path`` from jieba's loaded dictionary, unless it is there
    or the dictionary was never loaded in this process."""
    if path is None or path.is_file():
        return
    import jieba

    tokenizer = jieba.dt
    if not tokenizer.initialized:
        return
    shares: dict[str, list[str]] = {}
    for word, freq in tokenizer.FREQ.items():
        if word:
            shares.setdefault(word[0], []).append(f"{word}\t{freq}")
    data = marshal.dumps((tokenizer.total, {ch: "\n".join(v) for ch, v in shares.items()}))
    try:
        write_signed(path, data)
        for other in path.parent.glob("*.dict"):  # other dictionaries': no build's now
            if other.name != path.name:
                other.unlink(missing_ok=True)
    except OSError:  # .cache not a folder, read-only: quick rebuilds load the whole one
        return


def cutter(path: Path | None) -> Callable[[str], list[str]] | None:
    """jieba's cut with the store at ``path`` for dictionary, or None without one."""
    if path is None:
        return None
    try:
        data = read_signed(path)
        total, shares = marshal.loads(data) if data is not None else (None, None)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(total, int) or not isinstance(shares, dict):
        return None
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = {}, total
    tokenizer.initialized = True  # never loads the whole dictionary
    read: set[str] = set()

    def cut(text: str) -> list[str]:
        for ch in set(text) - read:
            read.add(ch)
            share = shares.get(ch)
            if share:
                for line in share.split("\n"):
                    word, _, freq = line.rpartition("\t")
                    tokenizer.FREQ[word] = int(freq)
        return list(tokenizer.cut(text))

    return cut
