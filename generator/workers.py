"""Both cores for a cold build: worker processes fill the page memo (generator.pagecache).

After on_nav, the build forks: each child takes a share of the pages and runs the same
steps MkDocs runs for them (on_pre_page, read_source, on_page_markdown, render,
on_page_content), which fills its copy of the memo; it hands the entries back through a
file and exits. The parent does the first share itself meanwhile, and when MkDocs reaches
a child's pages it takes that child's entries: its own render and sanitize then hit the
memo. After the pages are populated (on_env) the same happens for Material's search
entries, while the parent renders templates.

A child never writes into the site. A child that fails (or is killed) hands back
nothing: the parent does that share itself, with the same output. There are no workers
on one core, under ``mkdocs serve`` (the memo makes rebuilds cheap) or for a small site.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import pickle
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .pagecache import PageWork, search_plugin

log = logging.getLogger("mkdocs.plugins.itsms")

#: below this many pages a fork costs more than it saves
MIN_PAGES = 50


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def processes(pages: int, *, serving: bool, forced: int | None) -> int:
    """How many processes share the pages (1: the build stays in this one).

    ``forced`` (tests, benchmarks) overrides the choice: 0 or 1 is none, n is n."""
    if forced is not None:
        return max(1, min(forced, pages))
    if serving or pages < MIN_PAGES or not hasattr(os, "fork"):
        return 1
    return max(1, cores())


@dataclass
class _Child:
    pid: int
    result: Path
    pages: set[str] = field(default_factory=set)  # src_uri of the pages in its share


class Workers:
    """The children of one build, and the pages each is working on."""

    def __init__(self, memo: PageWork) -> None:
        self.memo = memo
        self.children: list[_Child] = []
        self.owner: dict[str, _Child] = {}
        self.folder: Path | None = None
        #: set by ``itsms build`` (or a test): the number of processes, None to choose
        self.forced: int | None = None

    # -- phases --------------------------------------------------------------------

    def fork_render(self, config: Any, files: Any, *, serving: bool) -> None:
        """From on_nav: children render the later shares of the pages."""
        from mkdocs.structure.files import InclusionLevel

        todo = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        count = processes(len(todo), serving=serving, forced=self.forced)
        if count < 2:
            return
        for share in _shares(todo, count)[1:]:
            self._fork(share, functools.partial(_populate, share, config, files))

    def fork_search(self, config: Any, files: Any, *, serving: bool) -> None:
        """From on_env: children compute the search entries of the later shares."""
        plugin = self.memo.install_search(config, self.wait_for)
        if plugin is None:
            return
        from mkdocs.structure.files import InclusionLevel

        pages = [  # only those whose entries are not kept already
            f.page
            for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
            if f.page is not None and not self.memo.known(self.memo.search_key(f.page))
        ]
        count = processes(len(pages), serving=serving, forced=self.forced)
        if count < 2:
            return
        with contextlib.suppress(Exception):  # load jieba's dictionary once, shared
            import jieba

            jieba.initialize()
        index = plugin.search_index
        # the parent also renders every page's template meanwhile: a smaller share
        for share in _shares(pages, count, first=0.8)[1:]:
            self._fork(share, functools.partial(_index, share, index))

    def wait_for(self, page: Any) -> None:
        """Before the parent works on ``page``: take the entries of the child doing it."""
        child = self.owner.get(page.file.src_uri)
        if child is not None:
            self._collect(child)

    def finish(self) -> None:
        """After the build (or when it failed): no child outlives it."""
        for child in list(self.children):
            with contextlib.suppress(OSError):
                os.kill(child.pid, signal.SIGKILL)
            self._collect(child)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    # -- processes -----------------------------------------------------------------

    def _fork(self, pages: list[Any], work: Callable[[], None]) -> None:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="itsms-workers-"))
        result = self.folder / f"{len(self.children)}.pickle"
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns into MkDocs
            self.children, self.owner = [], {}
            _child(self.memo, work, result)
        uris = {getattr(p, "file", p).src_uri for p in pages}  # files or pages
        child = _Child(pid, result, uris)
        self.children.append(child)
        for uri in uris:
            self.owner[uri] = child

    def _collect(self, child: _Child) -> None:
        self.children.remove(child)
        for page in child.pages:
            self.owner.pop(page, None)
        try:
            _, status = os.waitpid(child.pid, 0)
        except ChildProcessError:
            status = -1
        if status != 0:
            log.debug("itsms: a worker process failed; its pages are built here")
            return
        try:
            entries = pickle.loads(child.result.read_bytes())
        except Exception:  # noqa: BLE001 - whatever went wrong, the parent does the work
            return
        if isinstance(entries, dict):
            self.memo.merge(entries)


def _shares(items: list[Any], count: int, first: float = 1.0) -> list[list[Any]]:
    """``items`` in ``count`` consecutive shares, the first weighted by ``first``."""
    weights = [first] + [1.0] * (count - 1)
    total = sum(weights)
    out: list[list[Any]] = []
    start = 0
    for n, weight in enumerate(weights):
        end = len(items) if n == count - 1 else start + round(len(items) * weight / total)
        out.append(items[start:end])
        start = end
    return out


def _child(memo: PageWork, work: Callable[[], None], result: Path) -> NoReturn:
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)  # the parent says what needs saying
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        memo.touched = {}
        try:
            work()
        finally:
            tmp = result.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(memo.touched, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, result)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent redoes the share
        code = 1
    finally:
        os._exit(code)


def _populate(files: list[Any], config: Any, all_files: Any) -> None:
    """MkDocs' _populate_page for a share, in a child: it fills the child's memo."""
    from mkdocs.structure.pages import Page

    for file in files:
        page = file.page if file.page is not None else Page(None, file, config)
        config._current_page = page
        page = config.plugins.on_pre_page(page, config=config, files=all_files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(
            page.markdown, page=page, config=config, files=all_files
        )
        page.render(config, all_files)
        page.content = config.plugins.on_page_content(
            page.content, page=page, config=config, files=all_files
        )


def _index(pages: list[Any], index: Any) -> None:
    """Material's indexing of a share, in a child: it fills the child's memo."""
    for page in pages:
        index.add_entry_from_context(page)


__all__ = ["MIN_PAGES", "Workers", "cores", "processes", "search_plugin"]
