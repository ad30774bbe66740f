"""Both cores for a cold build: worker processes do a share of the per-page work.

After on_nav, the build forks: each child takes a share of the pages and runs the same
steps MkDocs runs for them (on_pre_page, read_source, on_page_markdown, render,
on_page_content), which fills its copy of the memo (generator.pagecache); it hands the
entries back through a file and exits. The parent does the first share itself
meanwhile, and when MkDocs reaches a child's pages it takes that child's entries: its
own render and sanitize then hit the memo.

After the pages are populated (on_env) it forks again: each child runs MkDocs' steps of
writing a page for its share (the template context, on_page_context, the theme's
template), which leaves Material's search entries in its memo and the rendered template
with generator.templatecache; the parent, building those pages, takes both instead of
computing them, and runs the rest (its own on_page_context, on_post_page, the write)
as MkDocs does.

A child never writes into the site. A child that fails (or is killed) hands back
nothing: the parent does that share itself, with the same output. There are no workers
on one core, under ``mkdocs serve`` (the memo makes rebuilds cheap) or for a small site.
"""

from __future__ import annotations

import contextlib
import functools
import gc
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
from .searchindex import EntryMemo, write_compact
from .templatecache import TemplateMemo, keep_bytecode

log = logging.getLogger("mkdocs.plugins.itsms")

#: below this many pages a fork costs more than it saves
MIN_PAGES = 50

#: the parent's share of the Markdown to render (weighted against a child's 1): it also
#: reads every page's source and takes the children's renders
PARENT_RENDER = 0.95
#: the parent's share of the pages when children render their templates: it also takes
#: their outputs and writes every page (each child does the whole work of its share)
PARENT_SHARE = 0.8


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
        #: the build's navigation (on_nav): a child builds its pages' template context
        self.nav: Any = None
        #: objects were frozen before the first fork (``itsms build`` froze its check's):
        #: the last child done leaves them so
        self.found_frozen = False

    # -- phases --------------------------------------------------------------------

    def fork_render(self, config: Any, files: Any, *, serving: bool, nav: Any = None) -> None:
        """From on_nav: children render the later shares of the pages."""
        from mkdocs.structure.files import InclusionLevel

        self.nav = nav
        self.memo.once = not serving  # only ``mkdocs serve`` builds again with the memo
        todo = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        count = processes(len(todo), serving=serving, forced=self.forced)
        if count < 2:
            return
        for share in _shares(todo, count, first=PARENT_RENDER, cost=_source_cost)[1:]:
            self._fork(share, functools.partial(_populate, share, config, files))

    def fork_pages(self, env: Any, config: Any, files: Any, *, serving: bool) -> None:
        """From on_env: children compute the search entries and render the page template
        of the later shares, the template's output kept for the parent."""
        from mkdocs.structure.files import InclusionLevel

        templates = TemplateMemo(self.memo, config, files, wait=self.wait_for)
        templates.install(env)
        if config.config_file_path:  # compiled templates kept under the repository
            keep_bytecode(env, Path(config.config_file_path).parent)
        itsms = config.plugins.get("itsms")
        plugin = self.memo.install_search(config, self.wait_for, getattr(itsms, "cutter", None))
        settings = getattr(itsms, "settings", None)
        if plugin is not None and settings is not None:
            memo = EntryMemo() if getattr(itsms, "want_key", False) else None
            if memo is not None:  # itsms build keeps it for a quick rebuild
                itsms.search_memo = memo
            write_compact(plugin.search_index, settings.search_index_mb, memo)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = [  # only those whose entries are not kept already (not a warm rebuild)
            f.page
            for f in doc_files
            if f.page is not None
            and (plugin is None or not self.memo.known(self.memo.search_key(f.page)))
        ]
        count = processes(len(pages), serving=serving, forced=self.forced)
        if count < 2 or self.nav is None:
            return
        if plugin is not None:
            with contextlib.suppress(Exception):  # load jieba's dictionary once, shared
                import jieba

                jieba.initialize()
        if templates.work.folder is None:
            templates.handoff = self._folder() / "templates"
            templates.handoff.mkdir(exist_ok=True)
        build = functools.partial(_build, config=config, env=env, nav=self.nav, docs=doc_files)
        for share in _shares(pages, count, first=PARENT_SHARE, cost=_page_cost)[1:]:
            self._fork(share, functools.partial(_hand_off, templates, build, share))

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

    def _folder(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="itsms-workers-"))
        return self.folder

    def _fork(self, pages: list[Any], work: Callable[[], None]) -> None:
        result = self._folder() / f"{len(self.children)}.pickle"
        sys.stdout.flush()
        sys.stderr.flush()
        # Neither process's collector walks the build's objects while both share them:
        # it writes to each, and the system then copies every memory page it touched
        # (the parent's are walked again once the last child is done, unless something
        # had frozen them before: itsms build, whose check's objects live to the end)
        if not self.children:
            self.found_frozen = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            self._thaw()
            raise
        if pid == 0:  # the child: never returns into MkDocs
            self.children, self.owner = [], {}
            _child(self.memo, work, result)
        uris = {getattr(p, "file", p).src_uri for p in pages}  # files or pages
        child = _Child(pid, result, uris)
        self.children.append(child)
        for uri in uris:
            self.owner[uri] = child

    def _thaw(self) -> None:
        if not self.children and not self.found_frozen:
            gc.unfreeze()

    def _collect(self, child: _Child) -> None:
        self.children.remove(child)
        for page in child.pages:
            self.owner.pop(page, None)
        try:
            _, status = os.waitpid(child.pid, 0)
        except ChildProcessError:
            status = -1
        self._thaw()
        if status != 0:
            log.debug("itsms: a worker process failed; its pages are built here")
            return
        try:
            entries = pickle.loads(child.result.read_bytes())
        except Exception:  # noqa: BLE001 - whatever went wrong, the parent does the work
            return
        if isinstance(entries, dict):
            self.memo.merge(entries)


def _shares(
    items: list[Any], count: int, first: float = 1.0, cost: Callable[[Any], int] | None = None
) -> list[list[Any]]:
    """``items`` in ``count`` consecutive shares of about equal ``cost`` (default: one
    each), the first's weighted by ``first``."""
    costs = [1 if cost is None else cost(item) for item in items]
    weights = [first] + [1.0] * (count - 1)
    whole, total = sum(costs), sum(weights)
    out: list[list[Any]] = []
    start, done, goal = 0, 0, 0.0
    for n, weight in enumerate(weights):
        goal += whole * weight / total
        end = start
        if n == count - 1:
            end = len(items)
        else:
            while end < len(items) and done + costs[end] / 2 <= goal:
                done += costs[end]
                end += 1
        out.append(items[start:end])
        start = end
    return out


#: what rendering a page costs besides its length (in bytes of its text)
_PAGE_COST = 1000


def _source_cost(file: Any) -> int:
    """About what rendering ``file``'s Markdown costs: the length of its text."""
    try:
        path = file.abs_src_path
        size = os.path.getsize(path) if path else len(file.content_bytes)
    except (OSError, TypeError, ValueError):
        size = 0
    return _PAGE_COST + size


def _page_cost(page: Any) -> int:
    """About what indexing and writing ``page`` costs: the length of its HTML."""
    return _PAGE_COST + len(page.content or "")


def _child(memo: PageWork, work: Callable[[], None], result: Path) -> NoReturn:
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)  # the parent says what needs saying
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        memo.touched, memo.collect = {}, True
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


def _hand_off(
    templates: TemplateMemo, build: Callable[[list[Any]], None], pages: list[Any]
) -> None:
    templates.hands_off = True
    build(pages)


def _build(pages: list[Any], *, config: Any, env: Any, nav: Any, docs: list[Any]) -> None:
    """MkDocs' _build_page for a share up to the template's output, in a child: it fills
    the child's memo with the search entries and keeps each template output."""
    from mkdocs.commands.build import get_context

    for page in pages:
        config._current_page = page
        page.active = True
        try:
            context = get_context(nav, docs, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            template.render(context)
        finally:
            page.active = False
            config._current_page = None


__all__ = ["MIN_PAGES", "Workers", "cores", "processes", "search_plugin"]
