"""``itsms serve``: MkDocs' live-reload server over the site ``generator.livesite`` keeps.

The server is MkDocs' own (it serves the files and reloads the browsers once an update
is done); it watches with the system's file notifications rather than by reading every
file twice a second, and hands the live site the files that changed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer, _serve_url
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from .i18n import text
from .livesite import WATCHED, LiveSite
from .searchindex import import_jieba

log = logging.getLogger("mkdocs.plugins.itsms")

#: what an editor writes beside a file while saving it (never read by the check)
_SCRATCH = re.compile(r"^\.|~$|\.sw[a-p]$|^\d+$|\.tmp$")
#: the files of .git whose change means other commits: HEAD and the packed branches
_GIT_TOP = frozenset({"HEAD", "packed-refs"})
#: events that say a file was read, not changed (our own build reads every file)
_READS = frozenset({"opened", "closed_no_write"})


class _Handler(FileSystemEventHandler):
    def __init__(self, call: Callable[[FileSystemEvent], None]) -> None:
        super().__init__()
        self.call = call

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.call(event)


class ServeError(Exception):
    """The preview could not start: what to tell the person who asked for it."""


class Server(LiveReloadServer):
    """MkDocs' server; the files each event names are kept for the next update."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:  # the system's notifications (inotify); else MkDocs' polling
            from watchdog.observers import Observer

            self.observer = Observer()  # type: ignore[assignment]
        except Exception:  # pragma: no cover - a system without a native observer
            pass
        self._lock = threading.Lock()
        self._changed: set[str] | None = set()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        self._watch_refs[path] = self.observer.schedule(
            _Handler(self._event), path, recursive=recursive
        )

    def _note(self, paths: list[str] | None) -> None:
        """``paths`` changed (None: something changed, not known what); wake the update."""
        with self._lock:
            if paths is None:
                self._changed = None
            elif self._changed is not None:
                self._changed.update(paths)
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def _event(self, event: FileSystemEvent) -> None:
        if event.event_type in _READS:
            return
        if event.is_directory:
            if event.event_type != "modified":  # a modified folder: its file's event says
                self._note(None)  # a folder came or went: what changed is not known
            return
        wanted = [p for p in _paths(event) if not _SCRATCH.search(os.path.basename(p))]
        if wanted:
            self._note(wanted)

    def watch_repository(self, root: Path, folders: tuple[str, ...], config_file: Path) -> None:
        """The ``folders`` of ``root`` (whole), and ``root`` itself for the folders coming
        and going (deleted and made again, moved away and back: watched anew each time)
        and for ``config_file``; nothing else at the top (.git, site/, .cache/)."""
        top = os.path.abspath(root)
        wanted = {os.path.join(top, name) for name in folders}
        config = os.path.abspath(config_file)

        def event(found: FileSystemEvent) -> None:
            paths = set(_paths(found))
            if not found.is_directory:
                if config in paths:
                    self._event(found)
            elif found.event_type != "modified" and paths & wanted:
                for folder in sorted(wanted):
                    self._rewatch(folder)
                self._note(None)

        self.observer.schedule(_Handler(event), top, recursive=False)
        for folder in sorted(wanted):
            if os.path.isdir(folder):
                self.watch(folder)
        self._watch_git(Path(top) / ".git")

    def _watch_git(self, git: Path) -> None:
        """A commit, a checkout, a reset: the versions in git the portal shows change
        (``.git/HEAD`` and the branches; not the index, which ``git status`` rewrites)."""
        if not (git / "refs").is_dir():
            return

        def event(found: FileSystemEvent) -> None:
            paths = _paths(found)
            names = {os.path.basename(p) for p in paths}
            if found.is_directory or found.event_type in _READS:
                return
            if any(n.endswith(".lock") for n in names) and len(paths) < 2:
                return  # git writing a lock file; its rename onto the ref is the change
            if names & _GIT_TOP or any("/refs/" in p for p in paths):
                self._note([str(git / "HEAD")])

        self.observer.schedule(_Handler(event), str(git), recursive=False)
        self.observer.schedule(_Handler(event), str(git / "refs"), recursive=True)

    def _rewatch(self, folder: str) -> None:
        """Watch ``folder`` afresh: a watch follows the folder it was given, not its name."""
        if folder in self._watched_paths:
            self._watched_paths.pop(folder)
            with contextlib.suppress(Exception):  # a watch the system already dropped
                self.observer.unschedule(self._watch_refs.pop(folder))
        if os.path.isdir(folder):
            self.watch(folder)

    def take(self) -> set[str] | None:
        """The files changed since the last call (None: not known which)."""
        with self._lock:
            out, self._changed = self._changed, set()
        return out


def _paths(event: FileSystemEvent) -> list[str]:
    """The paths an event names: where a file was, and where it went (a move)."""
    return [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]


def _relative(root: Path, paths: set[str] | None) -> set[str] | None:
    if paths is None:
        return None
    top = Path(os.path.abspath(root))
    out = set()
    for path in paths:
        full = Path(os.path.abspath(path))
        if not full.is_relative_to(top):
            return None
        out.add(full.relative_to(top).as_posix())
    return out


def serve(
    root: Path, config_file: Path, dev_addr: str, lang: str, overrides: Callable[[], Any]
) -> None:
    """Build the portal, serve it on ``dev_addr`` and keep it up to date until Ctrl+C.
    ``overrides()``: what to hand MkDocs on top of mkdocs.yml, read again on each change
    (mkdocs.yml may have changed)."""
    import_jieba()
    site_dir = tempfile.mkdtemp(prefix="itsms-serve-")
    first = load_config(str(config_file), site_dir=site_dir, dev_addr=dev_addr, **overrides())
    host, port = first.dev_addr
    try:  # before the first build, which takes minutes on a large repository
        socket.create_server((host, port)).close()
    except OSError as exc:
        shutil.rmtree(site_dir, ignore_errors=True)
        raise ServeError(
            text("ui.serve_port", lang, addr=dev_addr, error=exc.strerror or exc)
        ) from None
    mount_path = urlsplit(first.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)

    def new_config() -> Any:
        extra = overrides()
        config = load_config(str(config_file), site_dir=site_dir, dev_addr=dev_addr, **extra)
        config.site_url = serve_url
        return config

    first.site_url = serve_url
    live = LiveSite(root, new_config)
    server: Server

    def update() -> None:
        changed = _relative(root, server.take())
        start = time.monotonic()
        try:
            how = live.update(changed)
        except (PluginError, ConfigurationError, Abort, BuildError) as exc:
            live.config = None  # the next change builds the whole site again
            log.error(text("ui.serve_failed", lang, error=str(exc).strip()))
            return
        except Exception as exc:  # noqa: BLE001 - the preview stays up, whatever broke
            live.config = None
            error = f"{type(exc).__name__}: {exc}".strip()
            log.error(text("ui.serve_failed", lang, error=error))
            return
        seconds = f"{time.monotonic() - start:.2f}"
        log.info(text(f"ui.serve_{how}", lang, pages=len(live.remade), seconds=seconds))

    server = Server(builder=update, host=host, port=port, root=site_dir, mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        try:
            live.build(first)
        except (PluginError, ConfigurationError, Abort, BuildError) as exc:
            raise ServeError(str(exc).strip()) from None
        server.watch_repository(root, WATCHED, config_file)
        docs_dir = Path(os.path.abspath(first.docs_dir))
        if docs_dir.is_dir() and not any(
            docs_dir.is_relative_to(Path(os.path.abspath(root / n))) for n in WATCHED
        ):
            server.watch(str(docs_dir))
        log.info(text("ui.serving", lang, url=serve_url))
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            pass
        except OSError as exc:  # the address is taken, or not this machine's
            raise ServeError(
                text("ui.serve_port", lang, addr=dev_addr, error=exc.strerror or exc)
            ) from None
        finally:
            server.shutdown()
    finally:
        live.collector.cancel()
        if live.config is not None:
            live.config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
