"""The site ``itsms serve`` keeps in memory between edits (an adapter over MkDocs).

The first build is a whole one, in the order ``mkdocs build`` follows; its files,
navigation, template environment and search entries are kept. After an edit only what
the edit changes is made again:

- **text**: documents whose text changed and whose metadata did not. The rules that read
  a text judge those documents again; when every finding stands, only their pages are
  made again (``portal.live``);
- **pages**: anything else in the documents, records and plain pages: the check and the
  portal are made again from the sources kept in memory (only changed files are read),
  and MkDocs renders again only the pages whose Markdown changed;
- **full**: a change of settings, of the navigation, of which pages or files exist, or an
  edit the check rejects: a whole build, as ``mkdocs build`` does.

Whichever way, the served files equal a cold build of the same sources (tests).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
from mkdocs import utils
from mkdocs.commands.build import (
    _build_extra_template,
    _build_page,
    _build_theme_template,
    _populate_page,
)
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from .check import rejudge_texts
from .gcpause import IdleCollection
from .load import load_file
from .pagecache import search_plugin
from .pagesource import page_source
from .plugin import ItsmsPlugin
from .portal import evidence
from .portal.live import remake_text_page
from .portal.memo import PageMemo
from .portal.site import Portal, PortalPage
from .searchindex import EntryMemo, write_index

log = logging.getLogger("mkdocs.plugins.itsms")

#: the folders whose files the check reads (an edit elsewhere builds the whole site)
WATCHED = ("content", "procedures", "records")
INCLUSION = InclusionLevel.is_in_serve
#: the plugins whose work on a page a partial update redoes (another plugin may read
#: every page at the end of a build: with it, every update is a whole build)
PARTIAL_PLUGINS = frozenset({"material/search", "search", "itsms"})


class LiveSite:
    """Built by ``build()``; ``update(paths)`` after files changed (repository-relative)."""

    def __init__(self, root: Path, new_config: Callable[[], Any]) -> None:
        self.root = root
        self.new_config = new_config
        self.config: Any = None
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None
        self.doc_uris: frozenset[str] = frozenset()
        self.plugin: ItsmsPlugin | None = None
        #: how the last update was done: "full", "pages" or "text" (bench and tests)
        self.last = ""
        self.remade: list[str] = []
        self.entries = EntryMemo()  # the search entries' JSON between two updates
        #: the collector paused while an edit is made, run once after it
        self.collector = IdleCollection()

    # --- a whole build --------------------------------------------------------------
    def build(self, config: Any = None, configured: bool = False) -> None:
        """A whole build (``mkdocs build`` in serve mode), keeping what later edits use."""
        config = config if config is not None else self.new_config()
        if self.plugin is None:
            config.plugins.on_startup(command="serve", dirty=False)
        mine = config.plugins.get("itsms")
        if isinstance(mine, ItsmsPlugin):
            mine.work.in_memory = False
            if not configured:
                mine.memo = PageMemo()  # the pages of this build, for the next
        try:
            if not configured:
                config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            utils.clean_directory(config.site_dir)
            files, env, nav, doc_uris = site_frame(config)
            for file in files.documentation_pages(inclusion=INCLUSION):
                if file.page is None and file.inclusion.is_not_in_nav():
                    Page(None, file, config)
                assert file.page is not None
                _populate_page(file.page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
            files.copy_static_files(inclusion=INCLUSION)
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)
            doc_files = files.documentation_pages(inclusion=INCLUSION)
            for file in doc_files:
                assert file.page is not None
                excluded = file.inclusion.is_excluded()
                _build_page(file.page, config, doc_files, nav, env, excluded=excluded)
                _forget(file.page)
            for file in doc_files:
                assert file.page is not None
                file.page.validate_anchor_links(
                    files=files, log_level=config.validation.links.anchors
                )
            config.plugins.on_post_build(config=config)
        except Exception as exc:
            config.plugins.on_build_error(error=exc)
            raise
        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.doc_uris = doc_uris
        plugin = config.plugins.get("itsms")
        self.plugin = plugin if isinstance(plugin, ItsmsPlugin) else None
        self.entries = EntryMemo()
        if self.plugin is not None and set(config.plugins) <= PARTIAL_PLUGINS:
            self._write_search(search_plugin(config))  # the same bytes; the memo for edits
        self.last, self.remade = "full", []

    # --- after an edit ----------------------------------------------------------------
    def update(self, changed: Iterable[str] | None) -> str:
        """Make again what the files at ``changed`` (repository-relative; None: unknown)
        change; says how ("full", "pages" or "text")."""
        rels = None if changed is None else set(changed)
        if (
            self.config is None
            or self.plugin is None
            or not self._inside(rels)
            or not set(self.config.plugins) <= PARTIAL_PLUGINS
        ):
            self._changed(None)  # a whole build reads every file's state again
            self.build()
            return self.last
        assert rels is not None
        cache = self.plugin.sources
        if cache is not None:  # a file written through a name the watcher does not see
            rels |= cache.unseen(self.root, rels)
        self._changed(rels)
        with self.collector.busy():
            pages = self._texts(rels)
            if pages is not None:
                self._render(pages, [])
                self.last = "text"
                return self.last
            return self._pages(rels)

    def _changed(self, rels: set[str] | None) -> None:
        """The source cache told which files changed since it last loaded (its next
        load stamps those only); None: not known, it scans them all."""
        cache = self.plugin.sources if self.plugin is not None else None
        if cache is not None:
            known = cache.changed_since
            cache.changed_since = None if rels is None or known is None else known | rels

    def _loaded(self) -> None:
        """The check just loaded the sources while the watcher ran: from now on it names
        every change (not so during the first build: it starts after it)."""
        cache = self.plugin.sources if self.plugin is not None else None
        if cache is not None:
            cache.changed_since = set()

    def _inside(self, rels: set[str] | None) -> bool:
        """Every changed file is one the check reads (not mkdocs.yml, a theme file...),
        or git's HEAD (a commit: the check asks git again)."""
        return rels is not None and all(r.split("/", 1)[0] in (*WATCHED, ".git") for r in rels)

    def _sources_only(self, rels: set[str]) -> bool:
        """Every changed file is a document or record the last check read: a page made
        from the same inputs is the same page (not so after a picture, an evidence file
        or a commit changed: the portal reads those beside the check)."""
        result = self.plugin.result if self.plugin is not None else None
        if result is None:
            return False
        known = {s.path for s in result.loaded.sources if s.kind in ("document", "record")}
        return rels <= known

    def _texts(self, rels: set[str]) -> list[PortalPage] | None:
        """Only documents' texts changed: their pages made again, else None."""
        plugin = self.plugin
        assert plugin is not None
        result, portal = plugin.result, plugin.portal
        if result is None or portal is None or plugin.rejected or not rels:
            return None
        where = {s.path: n for n, s in enumerate(result.loaded.sources)}
        docs = {d.path: d for d in result.corpus.documents}
        if any(f.file in rels for f in result.loaded.findings):
            return None
        fresh = []
        for rel in sorted(rels):
            n, doc = where.get(rel), docs.get(rel)
            if n is None or doc is None or (result.versions or {}).get(rel):
                return None
            old = result.loaded.sources[n]
            if old.kind != "document" or (self.root / rel).is_symlink():
                return None
            found: list[Any] = []
            src = load_file(self.root, rel, "document", found)
            if src is None or found or (src.front, src.meta_line) != (old.front, old.meta_line):
                return None
            fresh.append((n, src, doc))
        bodies = [(doc, doc.body) for _, _, doc in fresh]
        for n, src, doc in fresh:
            result.loaded.sources[n] = src
            doc.body = src.body
        pages: list[PortalPage] = []
        if rejudge_texts(result, frozenset(rels)) == result.findings:
            for _, _, doc in fresh:
                page = remake_text_page(portal, doc)
                if page is None:
                    break
                pages.append(page)
            else:
                return pages
        for doc, body in bodies:  # the check and the portal are made again from the files
            doc.body = body
        return None

    def _pages(self, rels: set[str]) -> str:
        """The check and the portal again; MkDocs renders the pages that changed."""
        plugin, old = self.plugin, self.plugin.portal if self.plugin else None
        rejected = plugin is None or bool(plugin.rejected)  # every page carries the banner
        search = search_plugin(self.config)
        kept = search.search_index if search is not None else None
        config = self.new_config()
        if plugin is not None:  # the last portal's pages, taken where made from the same
            taken = old.memo if old is not None and self._sources_only(rels) else None
            plugin.memo = taken or PageMemo()
        if old is not None:  # the last check's objects let go before the next are made
            old.publication = None  # (its pages and memo hold what the next portal takes)
        config = config.plugins.on_config(config)  # the check and the portal again
        self._loaded()
        new = plugin.portal if plugin is not None else None
        if (
            plugin is None
            or old is None
            or new is None
            or plugin.rejected
            or rejected
            or not _same_frame(old, new)
            or frozenset(f.src_uri for f in get_files(config)) != self.doc_uris
        ):
            self.build(config, configured=True)
            return self.last
        if search is not None:
            search.search_index = kept  # the entries of every page, spliced below
        before = {p.path: p for p in old.pages}
        pages = [p for p in new.pages if _differs(before[p.path], p)]
        docs_dir = Path(os.path.abspath(self.config.docs_dir))
        plain = []
        assert self.files is not None
        for rel in rels:
            full = Path(os.path.abspath(self.root / rel))
            if full.is_relative_to(docs_dir):
                file = self.files.get_file_from_path(full.relative_to(docs_dir).as_posix())
                if file is not None and file.page is not None:
                    plain.append(file.src_uri)
                elif file is not None:
                    file.copy_file()
        self._evidence(new, rels)
        for name, text in new.files.items():
            if old.files.get(name) != text:
                utils.write_file(text.encode("utf-8"), os.path.join(self.config.site_dir, name))
        self._render(pages, plain)
        self.last = "pages"
        return self.last

    def _evidence(self, portal: Portal, rels: set[str]) -> None:
        """Evidence files that changed are copied (or made into their page) again."""
        assert self.files is not None
        changed = {os.path.abspath(self.root / rel) for rel in rels}
        for site_path, source in portal.evidence.items():
            full = os.path.abspath(os.path.join(self.root, source))
            file = self.files.get_file_from_path(site_path)
            if full not in changed or file is None:
                continue
            data = evidence.published(site_path, Path(full))
            if data is not None:
                file.content_bytes = data
            file.copy_file()

    def _render(self, pages: list[PortalPage], plain: list[str]) -> None:
        """MkDocs renders again the portal ``pages`` and the plain pages ``plain``."""
        config, files, plugin = self.config, self.files, self.plugin
        assert files is not None and plugin is not None
        changed = []
        for page in pages:
            file = files.get_file_from_path(page.path)
            assert file is not None and file.page is not None
            file.content_string = page_source(page)
            if page.blocks:
                plugin.blocks[page.path] = page.blocks
            else:
                plugin.blocks.pop(page.path, None)
            changed.append(file)
        taken = {f.src_uri for f in changed}  # a plain page may be a portal page (index.md)
        changed += [
            f
            for f in (files.get_file_from_path(p) for p in dict.fromkeys(plain))
            if f is not None and f.src_uri not in taken
        ]
        for file in changed:
            assert file.page is not None
            _populate_page(file.page, config, files)
        search = search_plugin(config)
        entries: list[Any] | None = search.search_index.entries if search is not None else None
        doc_files = files.documentation_pages(inclusion=INCLUSION)
        order = {f.page.url: n for n, f in enumerate(doc_files) if f.page is not None}
        made: dict[str, list[Any]] = {}
        for file in changed:
            assert file.page is not None
            start = len(entries) if entries is not None else 0
            excluded = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
            _build_page(file.page, config, doc_files, self.nav, self.env, excluded=excluded)
            _forget(file.page)
            if entries is not None:
                made[file.page.url] = entries[start:]
                del entries[start:]
        if entries is not None:
            _splice(entries, made, order)
        self._write_search(search)
        self.remade = [f.src_uri for f in changed]

    def _write_search(self, search: Any) -> None:
        """The search index from the entries in memory (what Material's on_post_build
        and the plugin's compaction write in a whole build, without reading it back)."""
        if search is None:
            return
        budget = self.plugin.settings.search_index_mb if self.plugin and self.plugin.settings else 0
        write_index(Path(self.config.site_dir), search, budget, self.entries)


def site_frame(config: Any) -> tuple[Any, Any, Any, frozenset[str]]:
    """MkDocs' files, template environment and navigation for a build, made as ``mkdocs
    build`` makes them (the plugins' events included), and the docs folder's own files."""
    files = get_files(config)
    doc_uris = frozenset(f.src_uri for f in files)
    env = config.theme.get_env()
    add_theme_files(files, env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    return files, env, nav, doc_uris


class _VisibleTemplates(jinja2.FileSystemLoader):
    """A theme's files but those in hidden folders: MkDocs leaves them out of a site
    (``.*`` and ``*/.*``), and walking them was most of making a site's frame (Material
    keeps 10,000 icons in ``.icons``)."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for top in self.searchpath:
            for folder, subfolders, names in os.walk(top, followlinks=self.followlinks):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                rel = os.path.relpath(folder, top).replace(os.path.sep, "/")
                prefix = "" if rel == "." else rel + "/"
                found.update(prefix + name for name in names)
        return sorted(found)


def add_theme_files(files: Files, env: Any, config: Any) -> None:
    """``Files.add_files_from_theme``, MkDocs' own choice of files, listed without
    walking the theme's hidden folders."""
    loader = env.loader
    if type(loader) is not jinja2.FileSystemLoader:
        files.add_files_from_theme(env, config)
        return
    env.loader = _VisibleTemplates(loader.searchpath, loader.encoding, loader.followlinks)
    try:
        files.add_files_from_theme(env, config)
    finally:
        env.loader = loader


def _forget(page: Page) -> None:
    """A page written: its text and HTML are read and rendered again if it changes, and
    no other page's template reads them (2,000 pages of them are most of the memory)."""
    page.markdown = ""  # not None: MkDocs then names a page None in every navigation
    page.content = None


def _differs(a: PortalPage, b: PortalPage) -> bool:
    return (a.markdown, a.blocks, a.title, a.search, a.boost, a.wide) != (
        b.markdown,
        b.blocks,
        b.title,
        b.search,
        b.boost,
        b.wide,
    )


def _same_frame(old: Portal, new: Portal) -> bool:
    """The same pages, navigation and files: only pages' contents may differ."""
    return (
        old.nav == new.nav
        and [p.path for p in old.pages] == [p.path for p in new.pages]
        and old.evidence == new.evidence
        and old.plain_pages == new.plain_pages
        and old.linked == new.linked
        and old.files.keys() == new.files.keys()
    )


def _splice(entries: list[Any], made: dict[str, list[Any]], order: dict[str, int]) -> None:
    """Put each page's new search entries (``made``: page url -> its entries) where its
    old ones were: the index keeps the order of pages a whole build gives it (``order``:
    page url -> its rank), in one pass over the index."""

    def page(entry: Any) -> str:
        return str(entry.get("location", "")).split("#", 1)[0]

    last = len(order)
    pending = sorted(made, key=lambda url: order.get(url, last))
    out: list[Any] = []
    n = 0
    for entry in entries:
        url = page(entry)
        if url in made:
            continue  # a page made again: its old entries go
        rank = order.get(url, last)
        while n < len(pending) and order.get(pending[n], last) <= rank:
            out.extend(made[pending[n]])
            n += 1
        out.append(entry)
    for url in pending[n:]:
        out.extend(made[url])
    entries[:] = out
