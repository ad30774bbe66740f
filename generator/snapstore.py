"""The snapshot on disk (generator.snapshot), its search entries in shards.

Most of a snapshot is the search entries of every page and what writing the index
computed about them (60 MB at 2,000 documents). A quick rebuild changes the entries of
the pages it made again only: the entries are kept in shards by page, and a save writes
again the shards whose pages' entries changed, then the rest of the snapshot, which
names each shard by the token it was written with. A shard written by another save
(a build killed between the two writes) does not carry the token named: the snapshot
is then none, and the next build a whole one. Every file is signed (generator.cachedir).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import zlib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .cachedir import cache_dir, write_signed
from .gcpause import collector_paused
from .searchindex import EntryMemo
from .snapshot import FORMAT, Snapshot
from .sourcecache import read_pickle

SHARDS = 8


@dataclass
class Stored:
    """What the files of a loaded (or saved) snapshot hold, by shard: the token each was
    written with and its pages' entries (the very objects: a shard whose pages hold the
    same entry objects is as it is on disk)."""

    tokens: list[str] = field(default_factory=lambda: [""] * SHARDS)
    pages: list[dict[str, list[Any]]] = field(default_factory=lambda: [{} for _ in range(SHARDS)])


def _folder(root: Path) -> Path | None:
    return cache_dir(root, "snapshot")


def _main(folder: Path) -> Path:
    return folder / f"snapshot-{FORMAT}.pickle"


def _shard_file(folder: Path, shard: int) -> Path:
    return folder / f"snapshot-{FORMAT}.search.{shard}.pickle"


def _page(entry: Any) -> str:
    return str(entry.get("location", "")).split("#", 1)[0] if isinstance(entry, dict) else ""


def _shard(page: str) -> int:
    return zlib.crc32(page.encode("utf-8", "surrogateescape")) % SHARDS


def _by_page(entries: list[Any]) -> tuple[list[str], dict[str, list[Any]]]:
    """The pages in the index's order, and each page's entries."""
    order: list[str] = []
    pages: dict[str, list[Any]] = {}
    for entry in entries:
        page = _page(entry)
        found = pages.get(page)
        if found is None:
            found = pages[page] = []
            order.append(page)
        found.append(entry)
    return order, pages


def _same(was: dict[str, list[Any]], now: dict[str, list[Any]]) -> bool:
    """Whether two shards' pages hold the very same entry objects."""
    if was.keys() != now.keys():
        return False
    for page, entries in now.items():
        old = was[page]
        if len(old) != len(entries) or any(a is not b for a, b in zip(old, entries, strict=True)):
            return False
    return True


def exists(root: Path) -> bool:
    """Whether a snapshot is kept (whether a quick rebuild may be had)."""
    folder = _folder(root)
    return folder is not None and _main(folder).is_file()


def forget(root: Path) -> None:
    folder = _folder(root)
    if folder is not None:
        with contextlib.suppress(OSError):
            _main(folder).unlink(missing_ok=True)


@collector_paused
def save(root: Path, snap: Snapshot, stored: Stored | None = None) -> None:
    """Keep ``snap``; ``stored``: what the files held when it was loaded (its shards
    whose pages hold the same entries are not written again). A read-only checkout
    keeps none."""
    folder = _folder(root)
    if folder is None:
        return
    order, pages = _by_page(snap.entries)
    memo = snap.memo
    shards: list[dict[str, list[Any]]] = [{} for _ in range(SHARDS)]
    for page in order:
        shards[_shard(page)][page] = pages[page]
    tokens = [""] * SHARDS
    try:
        for n, shard in enumerate(shards):
            if stored is not None and stored.tokens[n] and _same(stored.pages[n], shard):
                tokens[n] = stored.tokens[n]
                continue
            token = os.urandom(12).hex()
            kept = {
                page: (found, [memo.kept.get(id(e)) for e in found])
                for page, found in shard.items()
            }
            data = {"format": FORMAT, "shard": n, "token": token, "pages": kept}
            write_signed(
                _shard_file(folder, n), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
            )
            tokens[n] = token
        rest = EntryMemo()
        rest.sums = dict(memo.sums)
        main = replace(snap, entries=[], memo=rest)
        data = {"format": FORMAT, "snapshot": main, "order": order, "tokens": tokens}
        write_signed(_main(folder), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        names = {_main(folder).name} | {_shard_file(folder, n).name for n in range(SHARDS)}
        for other in folder.glob("snapshot-*.pickle"):  # another format's: useless
            if other.name not in names:
                other.unlink(missing_ok=True)
    except OSError:
        return


@collector_paused
def load(root: Path) -> tuple[Snapshot, Stored] | None:
    """The snapshot of the last build and what its files hold; None when there is none
    or it cannot be trusted."""
    folder = _folder(root)
    if folder is None:
        return None
    try:
        data = read_pickle(_main(folder))
        snap, order, tokens = data["snapshot"], data["order"], data["tokens"]
        if data.get("format") != FORMAT or not isinstance(snap, Snapshot):
            return None
        if any(not hasattr(snap, f.name) for f in fields(snap)) or len(tokens) != SHARDS:
            return None
        stored = Stored(list(tokens))
        pages: dict[str, list[Any]] = {}
        memo = EntryMemo()
        memo.sums = dict(snap.memo.sums)
        for n in range(SHARDS):
            part = read_pickle(_shard_file(folder, n))
            if part.get("format") != FORMAT or part.get("shard") != n:
                return None
            if part.get("token") != tokens[n]:
                return None  # written by another save: not this snapshot's
            for page, (found, kept) in part["pages"].items():
                pages[page] = found
                stored.pages[n][page] = list(found)
                memo.kept.update((id(e.entry), e) for e in kept if e is not None)
        if set(pages) != set(order):
            return None
        snap.entries = [entry for page in order for entry in pages[page]]
        snap.memo = memo
    except Exception:  # noqa: BLE001 - an unreadable snapshot is none
        return None
    return snap, stored
