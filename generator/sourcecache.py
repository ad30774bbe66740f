"""Re-read only the files that changed: the parsed sources of the last check, kept.

A file is taken as unchanged when its size, modification and change times, inode
and mode are those it had when it was read (git's index trusts the same). A file
modified within ``RACY_NS`` of its reading may change again within the clock's
resolution unseen: it is read again next time, as git does with "racily clean"
entries. ``itsms serve`` keeps one cache in memory across rebuilds; ``itsms check``
and ``itsms build`` keep it on disk under ``cache_dir(root, "sources")``, in ``SHARDS``
files by path (an edit of one file writes one sixteenth of it again). What is loaded
through the cache equals what a cold ``load`` reads, findings included.
"""

from __future__ import annotations

import io
import os
import pickle
import stat
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cachedir import cache_dir, read_signed, tool_versions, write_signed
from .findings import Finding
from .gcpause import collector_paused
from .load import Files, Kind, Loaded, Read, Source, collect, discover, kind_of, read_all
from .standards import Standard, catalogue_files, load_standard

#: bump when Source, Finding, Record, Document or what load_file makes of a file changes
#: shape or meaning (a kept document carries what it worked out: when it took effect)
FORMAT = 6
#: a file modified this close to its reading is read again next time (racily clean)
RACY_NS = 2_000_000_000
#: how many files the cache is kept in on disk (each file's entries by its path)
SHARDS = 16

Stamp = tuple[object, ...]
Key = tuple[str, Kind, bool]  # (path, kind, is a symbolic link)


def stamp(root: str, rel: str, link: bool) -> Stamp | None:
    """What says that a file is as it was; None when it cannot be told."""
    return stamp_and_names(root, rel, link)[0]


def stamp_and_names(root: str, rel: str, link: bool) -> tuple[Stamp | None, int]:
    """The file's stamp, and how many names it has (more than one: it may be written
    through another, out of the file watcher's sight)."""
    path = f"{root}/{rel}" if root and not root.endswith("/") else os.path.join(root, rel)
    try:
        st = os.lstat(path)
        out: Stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode)
        if link:  # where the link leads, and the state of what it leads to
            to = os.stat(path)
            out += (os.path.realpath(path), to.st_size, to.st_mtime_ns, to.st_ctime_ns, to.st_ino)
    except OSError:
        return None, 0
    return out, st.st_nlink


Scanned = tuple[int, list[tuple[tuple[str, Kind, bool], "Stamp | None"]], frozenset[str]]


def scan(root: Path) -> Scanned:
    """When the scan started, every file the check reads with its stamp, in one pass
    (100,000 files at 2,000 documents: ``itsms build`` has a child do it while the cache
    is read), and the files with more than one name."""
    started, top = time.time_ns(), str(root)
    out, shared = [], []
    for file in discover(root):
        mark, names = stamp_and_names(top, file[0], file[2])
        out.append((file, mark))
        if names > 1:
            shared.append(file[0])
    return started, out, frozenset(shared)


def _recent(mark: Stamp, since_ns: int) -> bool:
    """Modified (the file, or what its link leads to) too close to ``since_ns``."""
    times = [mark[1]] + ([mark[7]] if len(mark) > 5 else [])
    return any(isinstance(t, int) and t >= since_ns - RACY_NS for t in times)


@dataclass
class _Entry:
    stamp: Stamp
    source: Source | None
    findings: list[Finding]
    #: the record or document the check made of ``source`` (``check.build_corpus``),
    #: kept with it: made again each time, records were a third of a quick rebuild's
    #: check at L (100,000 of them)
    made: Any = None


@dataclass
class SourceCache:
    """The sources of the last load, by file; ``path`` is where it is kept on disk."""

    path: Path | None = None
    root: str = ""
    entries: dict[Key, _Entry] = field(default_factory=dict)
    #: git's answers by commit ids (generator.history), for a serve session
    git: dict[Any, Any] = field(default_factory=dict)
    #: the standard last read, by its id and the stamps of the catalogue files
    standards: dict[Any, Standard] = field(default_factory=dict)
    #: the records and documents the last check made (``check.RecordMemo``): a serve
    #: session makes only the changed ones again, and a check through the cache on disk
    #: those whose files changed (what they were made under: ``RecordMemo.under``)
    records: Any = None
    #: what the records and documents kept on disk were made under (None: none kept)
    saved_under: Any = None
    #: how many files the last load read (the rest came from the cache)
    read: int = 0
    changed: bool = False
    #: the shards whose entries changed since they were last saved
    dirty: set[int] = field(default_factory=set)
    #: a child process scanning the repository's files meanwhile (``scan``; itsms build)
    scanning: Any = None
    #: ``itsms serve``: the only files changed since the last load, as the file watcher
    #: named them (the live site keeps it); the next load stamps only these instead of
    #: scanning every file. None: not known (a scan), and so after each load
    changed_since: set[str] | None = None
    #: the files the last load found, in order, and whether any is a symbolic link
    listed: list[Key] | None = None
    links: bool = True
    #: the files with more than one name (a hard link): stamped on every load, as the
    #: watcher does not see a file written through its other name
    shared: frozenset[str] = frozenset()
    #: ``serve``: the state each file had when an update last looked at it (``unseen``;
    #: forgotten at each load, which reads the states again)
    looked: dict[str, Stamp | None] = field(default_factory=dict)

    @classmethod
    def on_disk(cls, root: Path) -> SourceCache | None:
        """The cache kept under the repository (None when caching is off)."""
        folder = cache_dir(root, "sources")
        if folder is None:
            return None
        path = folder / f"sources-{FORMAT}-{tool_versions()}.pickle"
        entries, under = _read(path, str(root.resolve()))
        return cls(path, str(root.resolve()), entries, saved_under=under)

    def kept_records(self) -> tuple[Any, dict[str, Any]]:
        """(what they were made under, path -> record or document): those kept with
        entries whose files are as they were read (``RecordMemo``'s fields)."""
        if self.saved_under is None:
            return None, {}
        kept = {
            key[0]: entry.made
            for key, entry in self.entries.items()
            if entry.made is not None and entry.source is not None
        }
        return self.saved_under, kept

    def shard_file(self, shard: int) -> Path:
        """Where the entries of one shard are kept (beside ``path``)."""
        assert self.path is not None
        return _shard_file(self.path, shard)

    def load(self, root: Path, progress: Callable[[int, int], None] | None = None) -> Loaded:
        """Like ``load.load``, reading only the files not known unchanged."""
        here = str(root.resolve())
        if here != self.root:  # another repository: nothing known applies
            self.entries, self.root, self.listed = {}, here, None
            self.dirty = set(range(SHARDS))
        done, found = self.scanning.result() if self.scanning is not None else (False, None)
        self.scanning = None
        hinted = self._rescan(root, self.changed_since)
        self.changed_since = None
        self.looked = {}
        if hinted is not None:
            started, scanned, self.shared = hinted
        else:
            by_child: Scanned | None = found if done and isinstance(found, tuple) else None
            if by_child is None or len(by_child) != 3:
                by_child = scan(root)
            started, scanned, self.shared = by_child
        self.listed = [file for file, _ in scanned]
        self.links = any(file[2] for file in self.listed)
        entries = self.entries
        kept: dict[Key, _Entry] = {}
        reads: list[Read] = []
        missing: Files = []
        marks: list[tuple[int, Stamp | None]] = []  # of each missing file: its place, stamp
        for file, mark in scanned:
            entry = entries.get(file)
            if mark is None or entry is None or entry.stamp != mark:
                missing.append(file)
                marks.append((len(reads), mark))
                reads.append((None, []))  # read below
            else:
                kept[file] = entry
                reads.append((entry.source, entry.findings))
        fresh = read_all(root, missing, progress)
        for file, (place, mark), (source, found) in zip(missing, marks, fresh, strict=True):
            if mark is not None and not _recent(mark, started):
                kept[file] = _Entry(mark, source, found)
            else:  # read, not kept: the state it was read in, for ``unseen``
                self.looked[file[0]] = mark
            reads[place] = (source, found)
        # with nothing read again, every file found its entry: the same files iff as many
        if missing or len(kept) != len(entries):
            self.changed = True
            self.dirty.update(_shard(file[0]) for file in missing)
            self.dirty.update(_shard(key[0]) for key in entries.keys() - kept.keys())
        self.entries, self.read = kept, len(missing)
        return collect(root, reads)

    def unseen(self, root: Path, named: set[str]) -> set[str]:
        """The documents, and the other files known to have a second name, whose state
        changed since they were last read or looked at, though the file watcher did not
        name them (``named``): written through a hard link, out of its sight. Every
        document is looked at (2,000 at L: milliseconds; the watcher does not say when
        a link is made), other files only once a scan found their second name."""
        if self.listed is None:
            return set()
        top, out = str(root.resolve()), set()
        shared = set(self.shared)
        for key in self.listed:
            rel = key[0]
            if key[1] != "document" and rel not in shared:
                continue
            mark, names = stamp_and_names(top, rel, key[2])
            _named(shared, rel, names)
            entry = self.entries.get(key)
            last = self.looked.get(rel, entry.stamp if entry is not None else None)
            if mark != last:
                self.looked[rel] = mark
                if rel not in named:
                    out.add(rel)
        self.shared = frozenset(shared)
        return out

    def _rescan(self, root: Path, hint: set[str] | None) -> Scanned | None:
        """``scan``'s answer when only the files at ``hint`` (and those with more than
        one name) can have changed since the last load: the same files, those stamped
        again; None when that cannot be told so (a file the check reads came or went, a
        symbolic link, another repository)."""
        listed, top = self.listed, str(root.resolve())
        if hint is None or listed is None or self.links or top != self.root:
            return None
        started = time.time_ns()
        again = hint | self.shared
        at = {file[0]: n for n, file in enumerate(listed)} if again else {}
        marks: list[Stamp | None] = []
        for file in listed:
            entry = self.entries.get(file)
            marks.append(entry.stamp if entry is not None else None)
        shared = set(self.shared)
        for rel in again:
            n = at.get(rel)
            if n is None:
                if kind_of(rel) is not None:
                    return None  # a new file, or one gone: where it sorts, a scan says
                continue
            mark, names = stamp_and_names(top, rel, False)
            if mark is None or not stat.S_ISREG(int(mark[4])):  # type: ignore[call-overload]
                return None
            marks[n] = mark
            _named(shared, rel, names)
        for n, mark in enumerate(marks):
            if mark is None:  # read too soon after its change to be kept: stamped again
                marks[n] = stamp(top, listed[n][0], False)
        return started, list(zip(listed, marks, strict=True)), frozenset(shared)

    def standard(self, standard_id: str, dirs: list[Path]) -> Standard:
        """``load_standard``, read again only when a catalogue file changed (parsing the
        catalogues took a quarter of a check of 500 documents whose files were cached)."""
        started = time.time_ns()
        marks = tuple((str(f), stamp("", str(f), False)) for f in catalogue_files(dirs))
        key = (standard_id, marks)
        found = self.standards.get(key)
        if found is None:
            found = load_standard(standard_id, dirs)
            recent = any(m is None or _recent(m, started) for _, m in marks)
            self.standards = {} if recent else {key: found}
        return found

    @collector_paused
    def save(self) -> None:
        """Keep what the last load read on disk: the shards that changed, each whole or
        not at all; other formats' or versions' files are removed."""
        if self.path is None or not self.changed:
            return
        folder = self.path.parent
        under = getattr(self.records, "under", None)
        made: dict[str, Any] = getattr(self.records, "by_path", None) or {}
        if under != self.saved_under:  # records made under other roles: all are new
            self.dirty = set(range(SHARDS))
        parts: dict[int, dict[Key, _Entry]] = {n: {} for n in self.dirty}
        for key, entry in self.entries.items():
            part = parts.get(_shard(key[0]))
            if part is not None:
                found = made.get(key[0]) if under is not None else None
                source = entry.source
                same = source is not None and getattr(found, "meta", None) is source.meta
                entry.made = found if same else None
                part[key] = entry
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for shard, part in sorted(parts.items()):
                data = pickle.dumps(
                    {
                        "format": FORMAT,
                        "root": self.root,
                        "shard": shard,
                        "entries": part,
                        "under": under,
                    },
                    protocol=pickle.HIGHEST_PROTOCOL,
                )
                write_signed(self.shard_file(shard), data)
            names = {self.shard_file(n).name for n in range(SHARDS)}
            for other in folder.iterdir():
                if other.name not in names and not other.name.endswith(".tmp"):
                    other.unlink(missing_ok=True)
        except OSError:
            return  # a read-only checkout: the next check reads every file again
        self.changed = False
        self.dirty = set()
        self.saved_under = under


def _named(shared: set[str], rel: str, names: int) -> None:
    """``shared`` told whether the file at ``rel`` has more than one name."""
    if names > 1:
        shared.add(rel)
    else:
        shared.discard(rel)


def _shard_file(base: Path, shard: int) -> Path:
    return base.with_name(f"{base.stem}.{shard:02d}{base.suffix}")


def _shard(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % SHARDS


class _Unpickler(pickle.Unpickler):
    """Only the classes a cache holds: a foreign file makes no other object."""

    def find_class(self, module: str, name: str) -> Any:
        if "." in name:  # a dotted name reaches through a module (os.system): never
            raise pickle.UnpicklingError(name)
        if module.startswith("generator.") or module in ("datetime", "copyreg", "builtins"):
            if module == "builtins" and name not in ("set", "frozenset", "list", "dict"):
                raise pickle.UnpicklingError(name)
            found = super().find_class(module, name)
            if module.startswith("generator.") and not isinstance(found, type):
                raise pickle.UnpicklingError(name)  # a function would be called: never
            return found
        raise pickle.UnpicklingError(f"{module}.{name}")


@collector_paused  # 100,000 entries made: the collector's passes would walk them all again
def _read(path: Path, root: str) -> tuple[dict[Key, _Entry], Any]:
    """The entries kept in the shards beside ``path`` for ``root``, and what their
    records were made under (None, and no record, unless every shard says the same); a
    shard that is missing, truncated, corrupt or not one of ours holds nothing (its
    files are read again, and it is written again)."""
    out: dict[Key, _Entry] = {}
    unders: list[Any] = []
    for shard in range(SHARDS):
        entries, under = _read_shard(_shard_file(path, shard), root, shard)
        out.update(entries)
        unders.append(under)
    if any(u is None or u != unders[0] for u in unders):
        for entry in out.values():
            entry.made = None
        return out, None
    return out, unders[0]


def read_pickle(path: Path) -> Any:
    """What the signed pickle at ``path`` holds, made of the classes a cache holds only;
    None when it is missing, not a regular file, not signed with this user's key (never
    unpickled) or unreadable."""
    blob = read_signed(path)
    if blob is None:
        return None
    try:
        return _Unpickler(io.BytesIO(blob)).load()
    except Exception:  # noqa: BLE001 - any unreadable cache file is none
        return None


def _read_shard(path: Path, root: str, shard: int) -> tuple[dict[Key, _Entry], Any]:
    data = read_pickle(path)
    if not (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and data.get("root") == root
        and data.get("shard") == shard
        and isinstance(data.get("entries"), dict)
    ):
        return {}, None
    entries: dict[Key, _Entry] = data["entries"]
    if not all(isinstance(e, _Entry) and _shard(k[0]) == shard for k, e in entries.items()):
        return {}, None
    return entries, data.get("under")
