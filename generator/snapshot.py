"""The snapshot of a whole ``itsms build`` (generator.quickbuild starts from it).

Kept under ``.cache/itsms/snapshot/``, signed like every cache file: a digest of what
the pages are made from but documents' texts (``world_key``: the settings, every record's,
role's and catalogue's file stamps, git's refs, every finding, the evidence states, the
pictures texts show), MkDocs' settings as the pages see them (``config_key``), each
text's metadata and digest, the portal's frame (pages' paths and titles, navigation,
files), the search entries and their memo, the files MkDocs copied, every folder, link
and file of the site it wrote, and what MkDocs said about the pages. On disk: see
generator.snapstore.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import posixpath
import stat as stat_module
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .cachedir import tool_versions
from .check import CheckResult
from .pagecache import digest, search_plugin, stable
from .portal import PortalOptions
from .portal.site import Portal, PortalPage
from .searchindex import EntryMemo
from .segmenter import dictionaries
from .sourcecache import SourceCache, stamp

#: bumped when what a snapshot holds changes shape
FORMAT = "7"

#: an entry of a built site: ("dir", mode), ("link", target) or ("file", size, mode, sha256)
Mark = tuple[Any, ...]
#: the sources read from content/ and procedures/ (a document, or a plain page): known
#: by their text here, not by their files' stamps as every other source
TEXTS = ("document", "page")


@dataclass
class DocState:
    """What a snapshot knows of one document's file."""

    front: str  # digest of its metadata's text and place
    body: str  # digest of its text
    refers: list[str] = field(default_factory=list)  # the documents it cites


@dataclass
class Snapshot:
    config: str  # MkDocs' configuration once the plugins set it up, with the versions
    world: str  # everything else the pages are made from, but documents' texts
    docs: dict[str, DocState]
    frame: Portal  # pages without their Markdown; no publication
    copied: dict[str, Any]  # source file -> its stamp, for every file MkDocs copied
    site: dict[str, Mark]  # every file of the built site
    entries: list[Any]  # the search entries, in the index's order
    memo: EntryMemo  # what writing the index computed about them
    pages: int
    #: what MkDocs said about the pages (a dead link...): said again for the pages a
    #: quick rebuild does not make again, as a whole build says it each time
    said: list[tuple[str, int, str]] = field(default_factory=list)


# --- what a build is made from --------------------------------------------------------


def config_key(config: Any, build_date: str) -> str:
    """MkDocs' settings as the pages see them (where the site is written aside)."""
    from .templatecache import _own_templates

    values = {k: stable(v) for k, v in config.items() if k not in ("site_dir", "plugins")}
    values.pop("config_file_path", None)
    plugins = {name: stable(dict(p.config)) for name, p in config.plugins.items()}
    theme = config.theme
    return digest(
        FORMAT,
        tool_versions(),
        build_date,
        values,
        getattr(theme, "name", None),
        stable(dict(theme.items())),
        plugins,
        _own_templates(theme),
        dictionaries(search_plugin(config)),  # the words search cuts Chinese into
    )


def world_key(result: CheckResult, options: PortalOptions, cache: SourceCache) -> str:
    """A digest of what the check and the portal read, but documents' files."""
    sha = hashlib.sha256()
    # (pickled: strings, numbers and tuples of them pickle the same in every process)
    # (in path order: the cache's order is the order its files were read in)
    kept = sorted((k, e.stamp) for k, e in cache.entries.items() if k[1] != "document")
    sha.update(pickle.dumps(kept, protocol=4))
    # a file read but not kept (saved just before it was read: its stamp cannot be
    # trusted yet) counts by what it holds
    stamped = {key[0] for key, _ in kept}
    unstamped = [
        (s.path, s.kind, s.front, s.body)
        for s in result.loaded.sources
        if s.kind not in TEXTS and s.path not in stamped
    ]
    sha.update(pickle.dumps(unstamped, protocol=4))
    git = result.root / ".git"
    for name in ("HEAD", "packed-refs", "index"):
        sha.update(f"{name}\0{stamp(str(git), name, False)}\n".encode())
    refs = git / "refs"
    if refs.is_dir():
        for ref in sorted(refs.rglob("*")):
            sha.update(f"{ref.relative_to(git)}\0{stamp('', str(ref), False)}\n".encode())
    from .edit import default_mode  # the site's modes (a linked file keeps its own)

    sha.update(f"modes\0{default_mode()}\0{default_mode(directory=True)}\n".encode())
    for path, mark in picture_marks(result):  # a picture appearing beside a text
        sha.update(f"{path}\0{mark}\n".encode())
    states = result.coverage.evidence
    evidence = [(rec.id or rec.path, str(states.get(id(rec)))) for rec in result.corpus.records]
    sha.update(pickle.dumps(evidence, protocol=4))
    sha.update(
        digest(
            stable(result.settings),
            stable(result.standard),
            result.as_of.isoformat(),
            stable(options),
            [stable(f) for f in result.findings],
            result.notes,
            sorted(result.versions or {}),
        ).encode()
    )
    return sha.hexdigest()


def picture_marks(result: CheckResult) -> list[tuple[str, Any]]:
    """Every local file a document's text shows as a picture, with its stamp (None: not
    there): a text's page shows it, and publishes it, only when it is there."""
    from .portal.attachments import _IMAGE

    out = []
    for src in result.loaded.sources:
        if src.kind not in TEXTS or "](" not in src.body:
            continue
        folder = posixpath.dirname(src.path)
        for match in _IMAGE.finditer(src.body):
            target = unquote(match.group(2).strip("<>"))
            rel = posixpath.normpath(posixpath.join(folder, target))
            out.append((rel, stamp(str(result.root), rel, os.path.islink(result.root / rel))))
    return out


def doc_states(result: CheckResult, portal: Portal) -> dict[str, DocState]:
    refers = portal.relations.refers if portal.relations is not None else {}
    by_path = {d.path: d for d in result.corpus.documents}
    out = {}
    for src in result.loaded.sources:
        if src.kind not in TEXTS:
            continue
        doc = by_path.get(src.path)
        out[src.path] = DocState(
            digest(src.front, src.meta_line, src.body_line),
            digest(src.body),
            list(refers.get(doc.id, [])) if doc is not None and doc.id else [],
        )
    return out


def frame_of(portal: Portal) -> Portal:
    pages = [
        PortalPage(p.path, p.title, "", search=p.search, boost=p.boost, wide=p.wide)
        for p in portal.pages
    ]
    return Portal(
        pages,
        portal.nav,
        dict(portal.evidence),
        list(portal.plain_pages),
        [],
        dict(portal.files),
        portal.linked,
    )


def site_marks(
    folder: Path, known: dict[int, Mark] | None = None
) -> tuple[dict[str, Mark], dict[int, Mark]]:
    """Every folder, link and file of a built site, each file by its content (a file
    edited by hand, its size and times put back, is another file), and the files' marks
    by inode. ``known``: marks of files already read, by inode (the last site's files,
    linked into a new one, are not read again)."""
    out: dict[str, Mark] = {}
    inodes: dict[int, Mark] = {}
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in [*dirs, *sorted(names)]:
            path = os.path.join(top, name)
            rel = os.path.relpath(path, folder)
            st = os.lstat(path)
            mark: Mark
            if stat_module.S_ISLNK(st.st_mode):
                mark = ("link", os.readlink(path))
            elif stat_module.S_ISDIR(st.st_mode):
                mark = ("dir", stat_module.S_IMODE(st.st_mode))
            else:
                found = known.get(st.st_ino) if known is not None else None
                if found is None:
                    with open(path, "rb") as handle:
                        sha = hashlib.file_digest(handle, "sha256").hexdigest()
                    found = ("file", st.st_size, stat_module.S_IMODE(st.st_mode), sha)
                mark = found
                inodes[st.st_ino] = mark
            out[rel] = mark
    return out, inodes


def copied_marks(paths: Iterable[str]) -> dict[str, Any]:
    return {p: stamp("", p, os.path.islink(p)) for p in sorted(set(paths))}


class Notes(logging.Filter):
    """What the loggers of page rendering say during a build, noted and let through (a
    filter, not a handler: where the messages go stays as it was)."""

    LOGGERS = ("mkdocs.structure.pages", "MARKDOWN")

    def __init__(self) -> None:
        super().__init__()
        self.said: list[tuple[str, int, str]] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            self.said.append((record.name, record.levelno, record.getMessage()))
        return True

    def __enter__(self) -> Notes:
        for name in self.LOGGERS:
            logging.getLogger(name).addFilter(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeFilter(self)
