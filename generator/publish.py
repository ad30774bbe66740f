"""Publish: build the portal with MkDocs into a temporary folder beside the site
and move it into place only when the build succeeded, so that a failed build
leaves the previously published site as it was."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check import CheckResult
from .portal import PortalOptions
from .settings import CONFIG_FILE
from .sourcecache import SourceCache

log = logging.getLogger("mkdocs.plugins.itsms")


class PublishError(Exception):
    """The portal could not be built; the published site is untouched."""


class SiteDirError(PublishError):
    """The site folder is not one ``itsms`` may replace: the command cannot run (exit 2).
    ``key`` is its message in the catalogue (generator/i18n.py)."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


#: A file in every site and temporary folder itsms makes: only such folders are replaced
#: or swept, so that a site folder named by mistake (the repository, a user's folder) is
#: never emptied.
MARKER = ".itsms-site"
_MARKER_TEXT = "A folder made by itsms build; itsms replaces it whole.\n"
#: Folders of the repository a site may never be put in (nor be, nor contain).
_PROTECTED = ("content", "procedures", "records", ".git")


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def is_marked(folder: Path) -> bool:
    """A folder itsms made: its marker, or (a site from before the marker) its assets."""
    return (folder / MARKER).is_file() or (folder / "assets" / "itsms" / "itsms.css").is_file()


def check_docs_dir(root: Path, docs_dir: Path) -> None:
    """Refuse a docs folder outside the repository (``../x``, ``/etc``), the repository
    itself, or one of its sources (``procedures/``, ``records/``) or ``.git``: MkDocs
    copies every file of the docs folder into the site."""
    root = root.resolve()
    real = docs_dir.resolve()
    if real == root or not real.is_relative_to(root):
        raise SiteDirError("docs.outside", path=str(docs_dir), root=str(root))
    for name in _PROTECTED[1:]:
        if real.is_relative_to(root / name):
            raise SiteDirError("docs.source", path=str(docs_dir), folder=name)


def check_site_dir(root: Path, target: Path, docs_dir: Path | None = None) -> None:
    """Refuse a site folder that is the repository, contains it, lies in its sources or
    its .git, is a link, or is a folder (or file) that itsms did not make."""
    root = root.resolve()
    given = Path(os.path.abspath(target))
    if given.is_symlink():
        raise SiteDirError("site.not_ours", path=str(given))
    target = target.resolve()
    if target == root or root.is_relative_to(target):
        raise SiteDirError("site.repository", path=str(target), root=str(root))
    inside = [root / name for name in _PROTECTED] + ([docs_dir.resolve()] if docs_dir else [])
    for folder in inside:
        if target.is_relative_to(folder.resolve()):
            raise SiteDirError("site.inside", path=str(target), folder=str(folder))
    if target.exists() and not target.is_dir():
        raise SiteDirError("site.not_ours", path=str(target))
    if target.is_dir() and any(target.iterdir()) and not is_marked(target):
        raise SiteDirError("site.not_ours", path=str(target))


def check_folders(root: Path, docs_dir: Path, site_dir: Path) -> None:
    """The folders a build reads and replaces, checked before anything is touched: what
    ``itsms build`` and the plugin (on ``mkdocs build`` and ``serve``) both ask."""
    check_docs_dir(root, docs_dir)
    check_site_dir(root, site_dir, docs_dir)


@dataclass
class Published:
    site_dir: Path
    pages: int
    files: int
    #: the pages a quick rebuild made again (generator.quickbuild); None: a whole build
    remade: list[str] | None = None


def _config(root: Path, site_dir: Path | None, offline: bool) -> Any:
    """MkDocs' configuration from mkdocs.yml, with the portal's defaults where it is
    silent (generator.mkconfig) and ``site_dir`` replaced when given."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from .mkconfig import overrides
    from .searchindex import import_jieba

    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise PublishError(f"{config_file} not found: the portal's settings live there")
    extra = overrides(root)
    if site_dir is not None:
        extra["site_dir"] = str(site_dir)
    import_jieba()
    try:
        config = load_config(str(config_file), **extra)
    except (ConfigurationError, Abort) as exc:
        raise PublishError(f"{config_file}: {exc}") from None
    if "itsms" not in config.plugins:
        from .plugin import ItsmsPlugin

        plugin = ItsmsPlugin()
        plugin.load_config({})
        config.plugins["itsms"] = plugin
    if offline and "material/offline" not in config.plugins and "offline" not in config.plugins:
        from material.plugins.offline.plugin import OfflinePlugin

        offline_plugin = OfflinePlugin()
        offline_plugin.load_config({"enabled": True})
        config.plugins["material/offline"] = offline_plugin
    return config


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this system or file system
        return False
    raise OSError(errno, os.strerror(errno), str(b))


@contextlib.contextmanager
def _folder_lock(folder: Path, exclusive: bool = True, wait: bool = True) -> Iterator[bool]:
    """A lock on ``folder`` itself (flock on the directory): no lock file is left behind,
    and the system releases it when its holder dies. Yields False when ``wait`` is off
    and another process holds it."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fd, flags if wait else flags | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _swap(new: Path, target: Path, later: bool = False) -> None:
    """Put ``new`` where ``target`` is, so that a reader (or a kill) never sees a mixture:
    one atomic exchange where the system has it, else two renames. Builds into the same
    site take turns (a lock on the folder holding it); the last complete one wins.
    ``later``: the last site is removed by a process of its own, after this one returns
    (a kill leaves it to the next build's sweep: it is marked)."""
    remove = _remove_later if later else _remove
    with _folder_lock(target.parent):
        if target.exists() and _exchange(new, target):
            remove(new)  # ``new`` now holds the old site
            return
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            mark(old)
            os.rename(target, old / "site")
        try:
            os.rename(new, target)
        except OSError:
            if old is not None:
                os.rename(old / "site", target)
            raise
        if old is not None:
            remove(old)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _remove_later(folder: Path) -> None:
    import subprocess
    import sys

    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen(
            [sys.executable, "-c", code, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        _remove(folder)


def _sweep(target: Path) -> None:
    """Remove what killed builds left beside the site: their temporary folders, each
    known by its marker (a user's ``.site.backup-2024`` stays) and by the lock its build
    holds on it while it runs (a folder no running build holds is swept, however young)."""
    with _folder_lock(target.parent):
        for leftover in target.parent.glob(f".{target.name}.*-*"):
            try:
                if leftover.is_symlink() or not (leftover / MARKER).is_file():
                    continue
                with _folder_lock(leftover, wait=False) as free:
                    if free:
                        shutil.rmtree(leftover, ignore_errors=True)
            except OSError:
                continue


@dataclass
class Staged:
    """A build's new site folder, made before the check, the last site linked into it by
    a child process meanwhile (generator.prefetch): what a quick rebuild starts from."""

    target: Path
    work: Path
    lock: Any  # the shared lock on ``work`` (_folder_lock) while the build runs
    prefetch: Any  # generator.prefetch.Prefetch
    taken: bool = False

    def close(self) -> None:
        """Remove the folder unless build_site took it (a refused build leaves none)."""
        if self.taken:
            return
        self.taken = True
        if self.prefetch is not None:
            self.prefetch.result()  # the child is done with it
        with contextlib.suppress(OSError):
            shutil.rmtree(self.work)
        self.lock.__exit__(None, None, None)


def stage(root: Path, site_dir: Path | None, offline: bool) -> Staged | None:
    """The new site's folder, with the last site linked into it while the check runs,
    when the last build kept a snapshot (None otherwise: build_site makes the folder)."""
    from . import snapstore
    from .prefetch import Prefetch

    root = root.resolve()
    if not snapstore.exists(root):
        return None
    try:
        target = _target(root, site_dir, offline)
        if target.is_symlink() or not target.is_dir() or not is_marked(target):
            return None
        work, lock = _new_folder(target)
    except (PublishError, OSError):
        return None
    staged = Staged(target, work, lock, None)
    try:
        staged.prefetch = Prefetch(target, work)
    except BaseException:  # (an interrupt) no folder left behind
        staged.close()
        raise
    return staged


def _target(root: Path, site_dir: Path | None, offline: bool) -> Path:
    """Where the site goes (``site_dir``, else mkdocs.yml's, default site/), refused
    where it would overwrite the repository (SiteDirError)."""
    probe = _config(root, None, offline)
    target = (site_dir or Path(probe.site_dir)).resolve()
    check_folders(root, Path(probe.docs_dir), target)
    return target


def _new_folder(target: Path) -> tuple[Path, Any]:
    """A marked folder beside ``target`` for the new site, and the shared lock held on
    it while the build runs (what killed builds left there swept first)."""
    _sweep(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        lock = _folder_lock(work, exclusive=False)
        lock.__enter__()
        mark(work)
    except BaseException:  # (an interrupt) no folder left behind
        shutil.rmtree(work, ignore_errors=True)
        raise
    return work, lock


def build_site(
    result: CheckResult,
    options: PortalOptions,
    site_dir: Path | None = None,
    quiet: bool = True,
    workers: int | None = None,
    cache: SourceCache | None = None,
    staged: Staged | None = None,
) -> Published:
    """Build the portal for a checked repository into ``site_dir`` (default: the settings').

    ``workers``: how many processes render the pages (None: as many as the cores for a
    site of some size; see generator.workers). ``cache``: the sources the check read
    through; with it, a build after edits of documents' texts only is a quick one
    (generator.quickbuild). ``staged``: the folder ``stage`` made for this build."""
    from . import snapshot, snapstore
    from .edit import open_up

    root = result.root.resolve()
    target = _target(root, site_dir, options.offline)
    target.parent.mkdir(parents=True, exist_ok=True)
    linked = None
    if staged is not None and staged.target == target and not staged.taken:
        staged.taken = True
        work, building, linked = staged.work, staged.lock, staged.prefetch
    else:
        work, building = _new_folder(target)
    try:
        level = logging.getLogger("mkdocs").level
        if quiet:
            logging.getLogger("mkdocs").setLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
        try:  # what the check read but documents' texts, as the last snapshot knows it
            world = snapshot.world_key(result, options, cache) if cache is not None else ""
            quick = _quick(result, options, world, target, work, linked)
            if quick is None:  # the last site's files, linked for a quick rebuild: not this one's
                if linked is not None:
                    linked.result()
                _empty(work)
                pages, snap = _whole(result, options, world, work, workers)
            else:
                pages, plan = quick
                snap = plan.snap
        finally:
            logging.getLogger("mkdocs").setLevel(level)
        mark(work)  # MkDocs empties its site folder before building
        files = sum(1 for _ in work.rglob("*") if _.is_file() and _.name != MARKER)
        open_up(work)  # mkdtemp made it 0700: a web server running as another user reads it
        if snap is not None:  # this site's files (a build swapping after this one: others)
            snap.site = snapshot.site_marks(work, plan.known if quick else None)[0]
        _swap(work, target, later=quick is not None)
    except BaseException:
        if linked is not None:
            linked.result()
        with contextlib.suppress(OSError):
            shutil.rmtree(work)
        raise
    finally:
        building.__exit__(None, None, None)
    if snap is not None:  # the site is in place: the next build may start from it
        snapstore.save(root, snap, plan.stored if quick else None)
    remade = None if quick is None else [d.path for d in plan.changed]
    return Published(target, pages, files, remade)


def _empty(folder: Path) -> None:
    """Everything in ``folder`` but its marker removed."""
    for entry in os.scandir(folder):
        if entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _prepared(result: CheckResult, options: PortalOptions, work: Path) -> tuple[Any, Any]:
    from .plugin import ItsmsPlugin, prepare

    config = _config(result.root.resolve(), work, options.offline)
    plugin = config.plugins["itsms"]
    assert isinstance(plugin, ItsmsPlugin)
    prepare(plugin, result, options)
    plugin.make_portal, plugin.want_key, plugin.config_key = None, False, ""  # MkDocs reuses it
    return config, plugin


def _quick(
    result: CheckResult,
    options: PortalOptions,
    world: str,
    target: Path,
    work: Path,
    linked: Any = None,
) -> tuple[int, Any] | None:
    """The quick rebuild when it can be made (its pages and its quickbuild.Plan), else
    None. ``linked``: the Prefetch that linked the last site into ``work``."""
    from . import quickbuild

    plan = quickbuild.plan(result, world, target, linked)
    if plan is None:
        return None
    config, plugin = _prepared(result, options, work)
    plugin.make_portal = quickbuild.portal_maker(plan)
    try:
        pages = quickbuild.run(plan, config, target, work)
    except quickbuild.Bail:
        return None
    except Exception:  # noqa: BLE001 - never a failed build for want of a quick one
        log.debug("quick rebuild failed; a whole build follows", exc_info=True)
        return None
    finally:  # MkDocs keeps the plugin for the next build in this process (serve, tests)
        plugin.workers.finish()
        plugin.make_portal, plugin.want_key, plugin.cutter = None, False, None
    return pages, plan


def _whole(
    result: CheckResult, options: PortalOptions, world: str, work: Path, workers: int | None
) -> tuple[int, Any]:
    """A whole build (its pages), with the snapshot a quick rebuild may start from."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from . import quickbuild, segmenter, snapshot, snapstore
    from .pagecache import search_plugin
    from .searchindex import EntryMemo

    root = result.root.resolve()
    snapstore.forget(root)  # whatever happens now, the last snapshot is not this site's
    config, plugin = _prepared(result, options, work)
    plugin.workers.forced = workers
    plugin.work.memory.clear()  # a build reuses the disk cache only (serve keeps memory)
    plugin.want_key = bool(world)
    try:
        with snapshot.Notes() as notes:
            build(config)
    except MkDocsException as exc:
        raise PublishError(str(exc)) from None
    portal = plugin.portal
    if portal is None:
        return 0, None
    search = search_plugin(config)
    store = segmenter.store_path(root, search) if world and search is not None else None
    if store is not None and not store.is_file() and _segmented_as_material(search):
        segmenter.keep(store)
    snap = None
    quick = set(config.plugins) <= quickbuild.QUICK_PLUGINS
    if world and search is not None and plugin.config_key and quick:
        snap = snapshot.Snapshot(
            plugin.config_key,
            world,
            snapshot.doc_states(result, portal),
            snapshot.frame_of(portal),
            snapshot.copied_marks(plugin.copied),
            {},
            search.search_index.entries,
            plugin.search_memo or EntryMemo(),
            len(portal.pages),
            notes.said,
        )
    return len(portal.pages), snap


def _segmented_as_material(search: Any) -> bool:
    """Whether this build cut Chinese for the search index as Material's own code does
    (generator.searchindex.segment_once): then its dictionary may serve a quick rebuild."""
    segment = getattr(search.search_index, "_segment_chinese", None)
    agrees = getattr(segment, "itsms_agrees", None)
    if agrees == [] and segment is not None:  # every page's entries were cached: probe
        segment("服务")
    return agrees == [True]
