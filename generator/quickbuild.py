"""A rebuild after edits of documents' texts only, from the snapshot of the last build.

``itsms build`` always runs the whole check: what is published is judged every time.
After a whole build it keeps a snapshot (under ``.cache/itsms/snapshot/``, signed like
every cache file): a digest of everything the portal is made from except documents'
texts (the settings and MkDocs' configuration, the packages' versions, the build date,
every record's, role's and catalogue's file stamps, git's refs, every finding, the
evidence states), each document's metadata, the portal's frame (its pages' paths and
titles, navigation, files), the search entries, the files MkDocs copied and the site it
wrote.

The next build compares. When only documents' texts changed, and each change is one the
live preview also makes on one page (``portal.live``: no new citation, no picture, no
version in git, no finding changed), the site is the last one (hard-linked into the new
folder, which then replaces it whole) with those documents' pages rendered again and the
search index written again. Anything else, or a site folder touched since, is a whole
build. Either way the site equals a whole build of the same files (tests).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import pickle
import posixpath
import stat as stat_module
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .cachedir import cache_dir, sign, tool_versions, verified
from .check import CheckResult
from .gcpause import collector_paused
from .pagecache import digest, search_plugin, stable
from .portal import PortalOptions
from .portal.site import Portal, PortalPage
from .searchindex import EntryMemo, write_index
from .sourcecache import SourceCache, stamp

log = logging.getLogger("mkdocs.plugins.itsms")

#: bumped when what a snapshot holds changes shape
FORMAT = "4"
#: the plugins whose work on one page a quick rebuild redoes (as ``serve``'s live site)
QUICK_PLUGINS = frozenset({"material/search", "search", "itsms"})

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
    pictures: bool  # its text names a file beside it (a picture the site copies)
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
    )


def world_key(result: CheckResult, options: PortalOptions, cache: SourceCache) -> str:
    """A digest of what the check and the portal read, but documents' files."""
    sha = hashlib.sha256()
    for (path, kind, link), entry in cache.entries.items():
        if kind != "document":
            sha.update(f"{path}\0{kind}\0{link}\0{entry.stamp}\n".encode())
    known = sum(1 for key in cache.entries if key[1] != "document")
    others = sum(1 for s in result.loaded.sources if s.kind not in TEXTS)
    sha.update(f"{known}:{others}\n".encode())  # a file read but not kept: never equal
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
    for rec in result.corpus.records:
        sha.update(f"{rec.id or rec.path}\0{states.get(id(rec))}\n".encode())
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
    from .portal.attachments import _IMAGE

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
            _IMAGE.search(src.body) is not None,
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


# --- the snapshot on disk --------------------------------------------------------------


def _file(root: Path) -> Path | None:
    folder = cache_dir(root, "snapshot")
    return None if folder is None else folder / f"snapshot-{FORMAT}.pickle"


@collector_paused
def save(root: Path, snap: Snapshot) -> None:
    """Kept whole or not at all; a read-only checkout keeps none."""
    path = _file(root)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(sign(pickle.dumps(snap, protocol=pickle.HIGHEST_PROTOCOL)))
        os.replace(temp, path)
    except OSError:
        return


def forget(root: Path) -> None:
    path = _file(root)
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


@collector_paused
def load(root: Path) -> Snapshot | None:
    """The snapshot of the last build; None when there is none or it cannot be trusted."""
    from .sourcecache import _Unpickler

    path = _file(root)
    if path is None:
        return None
    try:
        blob = verified(path.read_bytes())
        if blob is None:
            return None
        snap = _Unpickler(io.BytesIO(blob)).load()
    except Exception:  # noqa: BLE001 - an unreadable snapshot is none
        return None
    if not isinstance(snap, Snapshot) or any(not hasattr(snap, f.name) for f in fields(snap)):
        return None
    return snap


# --- the quick rebuild -----------------------------------------------------------------


class Bail(Exception):
    """The quick rebuild cannot make this site: a whole build makes it."""


@dataclass
class Plan:
    """A quick rebuild found possible by what the check read: the documents whose
    pages change (none: the site as it is)."""

    snap: Snapshot
    changed: list[Any]  # Document
    bodies: dict[str, str] = field(default_factory=dict)  # path -> digest of its new text
    #: the last site's files' marks by inode: the new site links them
    known: dict[int, Mark] = field(default_factory=dict)


@collector_paused
def plan(result: CheckResult, world: str, target: Path) -> Plan | None:
    """The documents a quick rebuild makes again, or None (a whole build). ``world``:
    ``world_key`` of this build ("" without a source cache: no quick rebuild)."""
    from .portal.attachments import _IMAGE

    root = result.root
    snap = load(root) if world else None
    if snap is None or not target.is_dir():
        return None
    if world != snap.world:
        return None
    marks, known = site_marks(target)
    if marks != snap.site:
        return None
    if copied_marks(snap.copied) != snap.copied:
        return None
    sources = [s for s in result.loaded.sources if s.kind in TEXTS]
    if {s.path for s in sources} != set(snap.docs) or len(sources) != len(snap.docs):
        return None
    docs = {d.path: d for d in result.corpus.documents}
    read_badly = {f.file for f in result.loaded.findings}
    changed, bodies = [], {}
    for src in sources:
        old = snap.docs[src.path]
        if digest(src.front, src.meta_line, src.body_line) != old.front:
            return None
        if digest(src.body) == old.body:
            continue
        doc = docs.get(src.path)
        if (
            doc is None
            or src.path in read_badly
            or old.pictures
            or _IMAGE.search(src.body) is not None
            or (root / src.path).is_symlink()
        ):
            return None
        changed.append(doc)
        bodies[src.path] = digest(src.body)
    return Plan(snap, changed, bodies, known)


def portal_maker(plan: Plan) -> Any:
    """What the plugin calls instead of ``build_portal``: the snapshot's frame, with the
    changed documents' pages made again (``portal.live``) from a new publication."""

    def make(result: CheckResult, options: PortalOptions, index: str | None) -> Portal:
        from .portal.documents import relations_of
        from .portal.live import remake_text_page
        from .portal.site import Publication

        pub = Publication(result, options)
        relations = relations_of(pub)
        frame = plan.snap.frame
        pub.evidence.clear()  # as after the whole build: every file its pages publish
        pub.evidence.update(frame.evidence)
        portal = Portal(
            list(frame.pages),
            frame.nav,
            dict(frame.evidence),
            list(frame.plain_pages),
            pub.rejected,
            dict(frame.files),
            frame.linked,
            pub,
            relations,
        )
        for doc in plan.changed:
            if relations.refers.get(doc.id, []) != plan.snap.docs[doc.path].refers:
                raise Bail  # cites other documents: their pages change too
            if remake_text_page(portal, doc) is None:
                raise Bail
        return portal

    return make


@collector_paused
def run(plan: Plan, config: Any, target: Path, work: Path) -> int:
    """The quick rebuild into ``work`` (MkDocs' site_dir), the plugin already given
    ``portal_maker(plan)``; says how many pages the site has. Raises ``Bail`` when the
    site cannot be made so (``work`` then holds anything: a whole build empties it)."""
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation

    from .plugin import ItsmsPlugin

    snap = plan.snap
    if not set(config.plugins) <= QUICK_PLUGINS:
        raise Bail
    plugin = config.plugins["itsms"]
    assert isinstance(plugin, ItsmsPlugin)
    plugin.workers.forced = 1  # one page or a few: no worker processes
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    plugin.want_key = True
    config.plugins.on_pre_build(config=config)
    if plugin.portal is None or plugin.rejected or plugin.config_key != snap.config:
        raise Bail
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    if plugin.copied != list(snap.copied):
        raise Bail
    _link_tree(target, work)
    portal = plugin.portal
    paths = [portal.publication.page_of(d) for d in plan.changed]  # type: ignore[union-attr]
    changed = [files.get_file_from_path(p) for p in paths]
    portal_paths = {p.path for p in portal.pages}
    # plain pages take their titles (the navigation's) from their text: read as a whole
    # build reads them before any template is written
    plain = [
        f
        for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
        if f.src_uri not in portal_paths
    ]
    if any(f is None or f.page is None for f in changed):
        raise Bail
    again = [f.src_uri for f in [*changed, *plain]]
    kept = [s for s in snap.said if not any(uri in s[2] for uri in again)]
    for name, level, message in kept:  # about the pages kept: said as a whole build would
        logging.getLogger(name).log(level, message)
    with Notes() as notes:
        _render(snap, config, files, nav, env, plugin, work, changed, plain)
    snap.said = kept + notes.said
    for path, body in plan.bodies.items():
        snap.docs[path].body = body
    return snap.pages


def _render(
    snap: Snapshot,
    config: Any,
    files: Any,
    nav: Any,
    env: Any,
    plugin: Any,
    work: Path,
    changed: list[Any],
    plain: list[Any],
) -> None:
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    from .livesite import _splice

    for file in [*changed, *plain]:
        _populate_page(file.page, config, files)
    env = config.plugins.on_env(env, config=config, files=files)
    search = search_plugin(config)
    entries = list(snap.entries)
    if search is not None:
        search.search_index.entries = entries
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    order = {f.page.url: n for n, f in enumerate(doc_files) if f.page is not None}
    made: dict[str, list[Any]] = {}
    for file in changed:
        with contextlib.suppress(FileNotFoundError):  # a link to the last site's file
            os.unlink(file.abs_dest_path)
        start = len(entries)
        _build_page(file.page, config, doc_files, nav, env)
        made[file.page.url] = entries[start:]
        del entries[start:]
    _splice(entries, made, order)  # every page's new entries, in one pass
    for file in [*changed, *plain]:
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    if search is not None and changed:
        budget = plugin.settings.search_index_mb if plugin.settings else 0
        snap.memo.rekey()
        write_index(work, search, budget, snap.memo)
    plugin.work.finish(prune=False)  # the other pages' entries stay for the next build
    snap.entries = entries


def _link_tree(source: Path, dest: Path) -> None:
    """Every file of the last site, hard-linked into the new folder (files MkDocs writes
    again are unlinked first: the last site stays as it was until the exchange)."""
    for top, _dirs, names in os.walk(source):
        rel = os.path.relpath(top, source)
        here = dest if rel == "." else dest / rel
        here.mkdir(exist_ok=True)
        for name in names:
            to = here / name
            if not to.exists():
                os.link(os.path.join(top, name), to)
