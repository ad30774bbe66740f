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
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import segmenter
from .check import CheckResult
from .gcpause import collector_paused
from .pagecache import digest, search_plugin
from .portal import PortalOptions
from .portal.site import Portal
from .prefetch import link_tree
from .searchindex import write_index
from .snapshot import TEXTS, Mark, Notes, Snapshot, copied_marks, site_marks
from .snapstore import Stored, load

log = logging.getLogger("mkdocs.plugins.itsms")

#: the plugins whose work on one page a quick rebuild redoes (as ``serve``'s live site)
QUICK_PLUGINS = frozenset({"material/search", "search", "itsms"})


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
    #: the last site is linked into the new folder already (generator.prefetch)
    linked: bool = False
    #: what the snapshot's files hold (generator.snapstore): the save writes the rest
    stored: Stored | None = None


@collector_paused
def plan(result: CheckResult, world: str, target: Path, linked: Any = None) -> Plan | None:
    """The documents a quick rebuild makes again, or None (a whole build). ``world``:
    ``world_key`` of this build ("" without a source cache: no quick rebuild).
    ``linked``: the Prefetch that linked the last site into the new folder (else
    ``run`` links it)."""
    root = result.root
    loaded = load(root) if world else None
    if loaded is None or not target.is_dir():
        return None
    snap, stored = loaded
    if world != snap.world:
        return None
    if linked is not None:
        done = linked.result()
        if done is None:
            return None
        marks, known = done.marks, done.known
    else:
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
        body = digest(src.body)
        if body == old.body:
            continue
        doc = docs.get(src.path)  # (a picture named or no longer named: another world)
        if doc is None or src.path in read_badly or (root / src.path).is_symlink():
            return None
        changed.append(doc)
        bodies[src.path] = body
    return Plan(snap, changed, bodies, known, linked is not None, stored)


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
    from mkdocs.structure.files import InclusionLevel

    from .livesite import site_frame
    from .plugin import ItsmsPlugin

    snap = plan.snap
    if not set(config.plugins) <= QUICK_PLUGINS:
        raise Bail
    plugin = config.plugins["itsms"]
    assert isinstance(plugin, ItsmsPlugin)
    plugin.workers.forced = 1  # one page or a few: no worker processes
    root = Path(config.config_file_path).parent
    plugin.cutter = segmenter.cutter(segmenter.store_path(root, search_plugin(config)))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    plugin.want_key = True
    config.plugins.on_pre_build(config=config)
    if plugin.portal is None or plugin.rejected or plugin.config_key != snap.config:
        raise Bail
    files, env, nav, _ = site_frame(config)
    if plugin.copied != list(snap.copied):
        raise Bail
    if not plan.linked:
        link_tree(target, work)
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
