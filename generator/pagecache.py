"""The MkDocs side of the build cache: per-page work that depends only on its inputs.

Three steps of a build cost most of its time and are pure functions of what they are
given, so their results are kept (in memory on the plugin across ``mkdocs serve``
rebuilds, and on disk under ``.cache/itsms/pages/``) and reused when the same inputs
come again:

- ``Page.render`` (Markdown to HTML): keyed by the page's final Markdown, its place
  (src_uri, url), every file's url (relative links), the Markdown settings and the
  packages' versions;
- the sanitiser (``on_page_content``): keyed by its input HTML;
- Material's search entries for a page: keyed by what its indexer reads (url, title,
  content, table of contents, meta) and the search settings.

A key is a digest of all of that, so a changed input is a different key: nothing is
ever invalidated by hand. An entry that cannot be read (truncated, foreign, from an
older format) is a miss. A build prunes the entries it did not use.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from . import searchparse, sections
from .cachedir import cache_dir, read_signed, tool_versions, write_signed
from .searchindex import find_toc_once, segment_once

#: bumped when what an entry holds changes shape
FORMAT = "1"

#: Markdown extensions whose output depends on files other than the page
_READ_FILES = frozenset({"pymdownx.snippets", "markdown_include.include", "mdx_include"})

#: loggers whose messages during a render are kept with its result and said again on reuse
_RENDER_LOGGERS = ("mkdocs.structure.pages", "MARKDOWN")


def stable(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-able data that is the same in every process (no addresses):
    settings hold functions (a slugify) and extension objects."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    if depth > 8:  # deep object graphs (and cycles) are named by their type only
        return kind
    more = depth + 1
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        return {str(k): stable(v, more) for k, v in items}
    if isinstance(value, list | tuple | set | frozenset):
        out = [stable(v, more) for v in value]
        return sorted(out, key=repr) if isinstance(value, set | frozenset) else out
    if isinstance(value, functools.partial):
        f, args, kw = value.func, value.args, value.keywords
        return ["partial", stable(f, more), stable(args, more), stable(kw, more)]
    if callable(value) and hasattr(value, "__qualname__"):
        cells = getattr(value, "__closure__", None) or ()
        closure = [stable(c.cell_contents, more) for c in cells if _has_contents(c)]
        return [f"{getattr(value, '__module__', '')}.{value.__qualname__}", closure]
    fields = getattr(value, "__dict__", None)
    return [kind, stable(fields, more) if isinstance(fields, dict) else None]


def _has_contents(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def digest(*parts: Any) -> str:
    text = json.dumps([FORMAT, *parts], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PageWork:
    """The memo: one per plugin object, so it lives across ``mkdocs serve`` rebuilds."""

    def __init__(self) -> None:
        self.memory: dict[str, Any] = {}
        #: keys this build used (kept in memory and on disk afterwards)
        self.used: set[str] = set()
        #: in a worker process: the entries it computed or read (it hands them back)
        self.touched: dict[str, Any] = {}
        self.collect = False
        #: a one-off build (not ``mkdocs serve``): each entry is used once, so one taken
        #: from memory is dropped there, and nothing is kept for a next build
        self.once = False
        self.folder: Path | None = None
        self.versions = ""
        #: False when a Markdown extension reads other files (the key cannot hold them)
        self.renders = True
        self.render_context = ""
        self.search_context = ""
        #: False in ``itsms serve``'s live site: it renders a page again only when its
        #: Markdown changed, so entries are not worth their memory there (disk only)
        self.in_memory = True
        #: page -> its sections' renders by key, as it was last rendered (``sections``)
        self.sections: dict[str, dict[str, Any]] = {}
        #: long pages' table rows as Material's search last parsed them (``searchparse``;
        #: kept from a page's first parse when serving: ``ItsmsPlugin.on_startup``)
        self.rows = searchparse.RowParses(keep=False)

    # -- one build -------------------------------------------------------------------

    def begin(self, root: Path, config: Any, files: Any) -> None:
        """Called from on_nav: the settings and the site's files, for every key."""
        self.folder = cache_dir(root, "pages")
        if self.folder is None:  # no cache: nothing from an earlier build either
            self.memory = {}
        self.used = set()
        self.touched = {}
        urls = sorted((f.src_uri, f.url, str(f.inclusion)) for f in files if f.url is not None)
        validation = config.validation
        self.versions = tool_versions()  # once a build: it reads every package's metadata
        names = {str(e if isinstance(e, str) else type(e).__module__) for e in extensions(config)}
        self.renders = not names & _READ_FILES
        self.render_context = digest(
            self.versions,
            stable(config.markdown_extensions),
            stable(config.mdx_configs),
            config.use_directory_urls,
            stable(dict(validation.links)),
            urls,
        )
        self.search_context = ""

    def finish(self, *, prune: bool = True) -> None:
        """After the build: forget what it did not use, in memory and on disk."""
        self.memory = {k: v for k, v in self.memory.items() if k in self.used}
        self.touched = {}
        folder, self.folder = self.folder, None
        if not prune or folder is None or not folder.is_dir():
            return
        wanted = {f"{k}.json" for k in self.used}
        stale = time.time() - 3600  # a temporary file no running build is still writing
        for sub in folder.iterdir():
            if not sub.is_dir():
                continue
            for entry in sub.iterdir():
                with contextlib.suppress(OSError):
                    if entry.name.endswith(".json"):
                        if entry.name not in wanted:
                            entry.unlink()
                    elif entry.stat().st_mtime < stale:
                        entry.unlink()

    # -- entries ---------------------------------------------------------------------

    def get(self, key: str, *, keep: bool = True) -> Any:
        """The value kept for ``key``, or None. ``keep=False``: a large value, kept on
        disk only (not in this process's memory, nor handed back by a worker)."""
        if key in self.memory:
            value = self.memory.pop(key) if self.once else self.memory[key]
        else:
            value = self._read(key)
            if value is None:
                return None
            if keep and self.in_memory and not self.once:
                self.memory[key] = value
        self.used.add(key)
        if keep and self.collect:
            self.touched[key] = value
        return value

    def known(self, key: str) -> bool:
        """Whether ``key`` is probably kept (in memory, or a file on disk)."""
        path = self._path(key)
        return key in self.memory or (path is not None and path.is_file())

    def put(self, key: str, value: Any, *, keep: bool = True) -> None:
        if keep and self.in_memory and not self.once:
            self.memory[key] = value
        if keep and self.collect:
            self.touched[key] = value
        self.used.add(key)
        self._write(key, value)

    def merge(self, entries: dict[str, Any]) -> None:
        """What a worker process computed (already on disk when the cache is on)."""
        self.memory.update(entries)

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / key[:2] / f"{key}.json"

    def _read(self, key: str) -> Any:
        path = self._path(key)
        if path is None:
            return None
        try:
            blob = read_signed(path)
            if blob is None:  # not signed with this user's key: a miss, whoever wrote it
                return None
            data = json.loads(blob)
        except (OSError, ValueError):  # missing, truncated, not JSON: a miss
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None  # foreign: not what this key names
        return data.get("value")

    def _write(self, key: str, value: Any) -> None:
        path = self._path(key)
        if path is None:
            return
        text = json.dumps({"key": key, "value": value}, ensure_ascii=False)
        try:
            write_signed(path, text.encode("utf-8"))
        except OSError:  # a read-only or full disk: the build goes on without keeping it
            return

    # -- Page.render -----------------------------------------------------------------

    def install_render(self, page: Any, markdown: str, sectioned: bool = False) -> None:
        """From on_page_markdown (the last one, given the final Markdown): the page's
        render goes through the memo; a ``sectioned`` page's (a portal page) a section
        at a time (``generator.sections``)."""
        if not self.renders:
            return
        # a page rendered again (serve) is wrapped once: around MkDocs' own render
        original = getattr(page.render, "itsms_original", page.render)
        parts = sections.split(markdown) if sectioned else None

        def render(config: Any, files: Any) -> None:
            if parts is not None and self._render_sections(
                page, original, markdown, parts, (config, files)
            ):
                return
            key = digest("render", self.render_context, page.file.src_uri, page.url, markdown)
            kept = self.get(key)
            if kept is not None and _restore_render(page, kept, files):
                return
            records = _capture(lambda: original(config, files))
            self.put(key, _render_result(page, records))

        render.itsms_original = original  # type: ignore[attr-defined]
        setattr(page, "render", render)  # noqa: B010 - on this page object only

    def _render_sections(
        self, page: Any, original: Any, markdown: str, parts: list[str], args: tuple[Any, Any]
    ) -> bool:
        """Render ``page`` a section at a time (``sections``): kept sections taken, then,
        should a kept one name a file no longer there, every one afresh. False: the
        page is rendered whole."""
        for fresh in (False, True):
            last = self.sections.get(page.file.src_uri, {})
            now: dict[str, Any] = {}
            made = [self._section(page, original, p, args, last, now, fresh) for p in parts]
            self.sections[page.file.src_uri] = now
            page.markdown = markdown
            if _restore_render(page, sections.combine(made), args[1]):
                return True
        return False

    def _section(
        self,
        page: Any,
        original: Any,
        text: str,
        args: tuple[Any, Any],
        last: dict[str, Any],
        now: dict[str, Any],
        fresh: bool,
    ) -> dict[str, Any]:
        """One section's render (``sections``): kept by the page's last render (``last``;
        in memory, also in ``serve`` where whole pages are not) or on disk (unless
        ``fresh``), else made as MkDocs renders a page of this text alone (what it said
        is said now, and again when it is reused). ``now`` keeps it for the next."""
        key = digest("render", self.render_context, page.file.src_uri, page.url, "§", text)
        kept = None if fresh else last.get(key)
        if kept is not None:
            self.used.add(key)  # its entry on disk stays for the next build
        elif not fresh:
            kept = self.get(key)
        if kept is not None and sections.fits(kept):
            now[key] = kept
            return dict(kept)
        page.markdown = text
        records = _capture(lambda: original(*args))
        made = _render_result(page, records)
        self.put(key, made)
        now[key] = made
        return {**made, "log": []}

    # -- sanitize --------------------------------------------------------------------

    def sanitized(self, html: str, clean: Callable[[str], str]) -> str:
        key = digest("sanitize", self.versions, html)
        kept = self.get(key)
        if isinstance(kept, str):
            return kept
        out = clean(html)
        self.put(key, out)
        return out

    # -- Material's search -----------------------------------------------------------

    def install_search(
        self, config: Any, wait: Callable[[Any], None], cut: Callable[[str], list[str]] | None
    ) -> Any:
        """Route Material's per-page indexing through the memo; the search plugin or None.
        ``wait(page)`` runs first (a worker may be computing that page's entries); ``cut``
        (see segment_once): jieba's cut with a dictionary read in shares."""
        plugin = search_plugin(config)
        if plugin is None:
            return None
        index = plugin.search_index
        segment_once(index, cut)
        find_toc_once(index)
        original = index.add_entry_from_context
        if getattr(original, "itsms_memo", False):
            return plugin
        from .segmenter import dictionaries

        self.search_context = digest(
            "search", self.versions, stable(dict(plugin.config)), dictionaries(plugin)
        )
        parse = searchparse.parsing(index, original, self.rows)

        def add_entry_from_context(page: Any) -> None:
            wait(page)
            key = self.search_key(page)
            kept = self.get(key)
            if isinstance(kept, list):
                index.entries.extend(dict(e) for e in kept)
                return
            before = len(index.entries)
            parse(page)
            entries = index.entries[before:]
            self.put(key, json.loads(json.dumps(entries, default=str)))

        add_entry_from_context.itsms_memo = True  # type: ignore[attr-defined]
        setattr(index, "add_entry_from_context", add_entry_from_context)  # noqa: B010
        return plugin

    def search_key(self, page: Any) -> str:
        meta = page.meta
        return digest(
            "search",
            self.search_context,
            page.url,
            page.title,
            page.content,
            toc_tokens(page.toc),
            stable(meta.get("search")),
            stable(meta.get("tags")),
            stable(meta.get("title")),
        )


def extensions(config: Any) -> list[Any]:
    return list(config.markdown_extensions or [])


def search_plugin(config: Any) -> Any:
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search") and hasattr(
            plugin, "search_index"
        ):
            return plugin if plugin.config.enabled else None
    return None


class _Records(logging.Filter):
    """Notes what a logger says and lets it through (a filter, not a handler: where
    the messages go, Python's last-resort output included, stays as it was)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.records.append(record)
        return True


def _capture(run: Callable[[], None]) -> list[list[Any]]:
    """Run ``run``, noting what the render loggers said (said again when reused)."""
    notes = _Records()
    loggers = [logging.getLogger(name) for name in _RENDER_LOGGERS]
    for logger in loggers:
        logger.addFilter(notes)
    try:
        run()
    finally:
        for logger in loggers:
            logger.removeFilter(notes)
    return [[r.name, r.levelno, r.getMessage()] for r in notes.records]


def toc_tokens(toc: Any) -> list[Any]:
    return [
        {"level": a.level, "id": a.id, "name": a.title, "children": toc_tokens(a.children)}
        for a in toc or []
    ]


def _render_result(page: Any, records: list[list[Any]]) -> dict[str, Any]:
    links = page.links_to_anchors
    return {
        "content": page.content,
        "toc": toc_tokens(page.toc),
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None
        if links is None
        else {f.src_uri: dict(v) for f, v in sorted(links.items(), key=lambda kv: kv[0].src_uri)},
        "log": records,
    }


def _restore_render(page: Any, kept: Any, files: Any) -> bool:
    """Put a kept render on the page as ``Page.render`` would; False when it does not fit."""
    from mkdocs.structure.toc import get_toc

    try:
        links: dict[Any, dict[str, str]] | None = None
        if kept["links"] is not None:
            links = {}
            for src_uri, anchors in kept["links"].items():
                target = files.get_file_from_path(src_uri)
                if target is None:
                    return False
                links[target] = dict(anchors)
        content, title = kept["content"], kept["title"]
        if not isinstance(content, str) or not (title is None or isinstance(title, str)):
            return False
        toc = get_toc(kept["toc"])
        anchors = set(kept["anchors"])
        records = [(str(n), int(lv), str(m)) for n, lv, m in kept["log"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return False  # an entry of another shape: render afresh
    page.content, page.toc, page._title_from_render = content, toc, title
    page.present_anchor_ids = anchors
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = links
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)
    return True
