"""The ``itsms`` MkDocs plugin: a thin adapter. Its options are the settings.

On each build it runs the check (or takes the one ``itsms build`` already ran),
stops on integrity errors before anything is written, and hands the portal's
pages (rendered by ``generator.portal``) and navigation to MkDocs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import report
from .check import CheckResult, run_check
from .i18n import Translator
from .load import is_markdown
from .pagecache import PageWork, search_plugin
from .pagesource import page_source
from .portal import Portal, PortalOptions, build_portal, evidence
from .portal.attachments import STATIC_SUFFIXES
from .portal.markup import attr
from .portal.memo import PageMemo
from .portal.site import SEARCHED, NavEntry, PortalPage, fill_blocks
from .publish import SiteDirError, check_folders, mark
from .rules import BLOCKING, blocking
from .searchindex import EntryMemo, compact_search_index, patch_search_worker, written_compact
from .settings import Settings, SettingsError, from_options
from .sourcecache import SourceCache
from .standards import CatalogueError
from .workers import Workers

log = logging.getLogger("mkdocs.plugins.itsms")

ASSETS = Path(__file__).parent / "portal" / "assets"
ASSET_DIR = "assets/itsms"
IFRAME_WORKER = f"{ASSET_DIR}/vendor/iframe-worker/shim.js"

#: Findings that stop a publication: the registry's blocking category.
INTEGRITY_RULES = BLOCKING


def integrity_errors(result: CheckResult) -> list[Any]:
    return blocking(result.findings)


def _setting() -> Any:
    """A setting MkDocs passes through as written: ``settings.from_options`` judges it,
    so that a wrong value is said in the catalogue's words (not MkDocs's type names)."""
    return c.Optional(c.Type(object))


class ItsmsConfig(Config):  # type: ignore[no-untyped-call]
    standard = _setting()
    standards_dir = _setting()
    transition_to = _setting()
    transition_from = _setting()

    audit_period = _setting()
    exclusions = _setting()
    review_warning_days = _setting()
    id_pattern = _setting()
    id_prefixes = _setting()
    severity = _setting()
    lang = _setting()
    search_index_mb = _setting()
    raw_html = _setting()
    enabled = _setting()


class EvidenceFile(File):
    """A file copied byte for byte into the site, whatever its extension (.md too)."""

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False


def _markdown_defaults(config: Any) -> None:
    """The Markdown extensions the portal's pages need, unless the user set them."""
    from pymdownx.slugs import slugify

    wanted = ["toc", "tables", "attr_list", "md_in_html", "admonition"]
    names = [e if isinstance(e, str) else next(iter(e)) for e in config.markdown_extensions]
    for ext in wanted:
        if ext not in names:
            config.markdown_extensions.append(ext)
    toc = config.mdx_configs.setdefault("toc", {})
    toc.setdefault("permalink", True)
    toc.setdefault("slugify", slugify(case="lower"))  # keeps Chinese headings as anchors


def _fill_defaults(config: Any, root: Path, lang: str) -> None:
    """A plain ``mkdocs build``: MkDocs has validated docs_dir and the theme before any
    plugin runs, so only what is still open is filled in here (``itsms build`` hands
    MkDocs every default of generator.mkconfig before it validates)."""
    from .mkconfig import DOCS_DIR, user_set

    if not user_set(root, "docs_dir") and (root / DOCS_DIR).is_dir():
        config.docs_dir = str(root / DOCS_DIR)
    if getattr(config.theme, "name", None) != "material":
        log.warning(Translator(lang)("ui.theme_needed"))


def _quiet_validation(config: Any) -> None:
    """Most portal pages (traces, months, role pages) are reached from other pages, not
    from the navigation: MkDocs need not list each of them on every build."""
    nav = config.validation.nav
    if nav.omitted_files == logging.INFO:
        nav.omitted_files = logging.DEBUG


def _nav(entries: list[NavEntry]) -> list[Any]:
    out: list[Any] = []
    for entry in entries:
        title = attr(entry.title)  # MkDocs writes nav titles unescaped
        out.append({title: _nav(entry.children) if entry.children else entry.path})
    return out


class ItsmsPlugin(BasePlugin[ItsmsConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.root: Path | None = None
        #: set by ``itsms build`` before MkDocs builds: the check it ran and the options
        self.prepared: tuple[CheckResult, PortalOptions] | None = None
        self.portal: Portal | None = None
        self.result: CheckResult | None = None  # the check of the last build
        self.removed: set[str] = set()
        self.blocks: dict[str, dict[str, str]] = {}
        #: the portal's pages (rendered a section at a time where marked: ``sections``)
        self.made: frozenset[str] = frozenset()
        self.published: set[str] = set()
        self.docs_dir = Path(".")
        self.serving = False
        #: in ``serve``: the findings that rejected the last edit (HTML), and the last
        #: portal that passed the check, shown meanwhile
        self.rejected = ""
        self.last_good: Portal | None = None
        #: in ``serve``: the sources of the last rebuild, kept in memory (only the files
        #: changed since are read again)
        self.sources: SourceCache | None = None
        #: per-page work kept across builds, and the worker processes of a cold build
        self.work = PageWork()
        self.workers = Workers(self.work)
        self.memo: PageMemo | None = None  # set by serve: the pages the next portal may take
        #: ``itsms build``'s quick rebuild (generator.quickbuild): the portal's maker in
        #: place of build_portal; the settings' digest (asked with want_key); the files
        #: MkDocs copies from the disk
        self.make_portal: Callable[[CheckResult, PortalOptions, str | None], Portal] | None = None
        self.want_key = False
        self.config_key = ""
        self.copied: list[str] = []
        self.search_memo: EntryMemo | None = None
        #: the quick rebuild's jieba cut with its dictionary read in shares (segmenter)
        self.cutter: Callable[[str], list[str]] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = self.work.rows.keep = command == "serve"
        self.sources = None

    def _sources(self, root: Path) -> tuple[SourceCache | None, bool]:
        """The source cache for this build, and whether to keep it on disk after: a
        build reads and writes the one on disk; ``serve`` starts from it and then keeps
        its own in memory (written to disk once, after its first build)."""
        if not self.serving:
            return SourceCache.on_disk(root), True
        if self.sources is None or self.sources.root != str(root.resolve()):
            self.sources = SourceCache.on_disk(root) or SourceCache()
            return self.sources, True
        return self.sources, False

    def _publishes(self, file: File) -> bool:
        """A Markdown-like file is published only as a page the check read and passed."""
        return file.src_uri in self.published and file.is_documentation_page()

    def _static(self, file: File, named: set[str]) -> bool:
        """A file of the docs folder that is no page goes into the site only as an asset
        the portal needs: a picture or font, a stylesheet or script mkdocs.yml names, or
        a file a published page links to (a .txt nobody links stays out)."""
        if file.src_uri in named or file.src_uri.lower().endswith(STATIC_SUFFIXES):
            return True
        rel = _docs_rel(self.docs_dir / file.src_uri, self.root or Path("."))
        return self.portal is not None and rel in self.portal.linked

    def _options(self) -> PortalOptions:
        as_of = os.environ.get("ITSMS_AS_OF")
        return PortalOptions(
            build_date=dt.date.fromisoformat(as_of) if as_of else dt.date.today(),
            preview=os.environ.get("ITSMS_PREVIEW") == "1",
        )

    @event_priority(-50)  # after other plugins (material/offline) have set up the config
    def on_config(self, config: Any) -> Any:
        options = {k: v for k, v in self.config.items() if v is not None}
        if os.environ.get("ITSMS_LANG") in ("zh", "en"):  # itsms serve --lang
            options["lang"] = os.environ["ITSMS_LANG"]
        try:
            self.settings = from_options(options)
        except SettingsError as exc:
            raise PluginError(str(exc)) from None
        root = Path(config.config_file_path or ".").resolve().parent
        if self.settings.enabled:
            _fill_defaults(config, root, self.settings.lang)
        try:  # before MkDocs empties the site folder
            check_folders(root, Path(config.docs_dir), Path(config.site_dir))
        except SiteDirError as exc:
            raise PluginError(Translator(self.settings.lang)(exc.key, **exc.params)) from None
        self.removed = set()
        self.portal = None
        logging.getLogger("jieba").setLevel(logging.WARNING)  # not its dictionary's progress
        if not self.settings.enabled:
            return config
        self.root = root
        self.result = None
        if self.prepared is not None:  # taken once: MkDocs may reuse this plugin object
            (result, portal_options), self.prepared = self.prepared, None
            portal_options = replace(portal_options, dir_urls=config.use_directory_urls)
        else:
            portal_options = replace(self._options(), dir_urls=config.use_directory_urls)
            cache, keep = self._sources(root)
            try:
                result = run_check(self.root, self.settings, portal_options.build_date, cache=cache)
            except CatalogueError as exc:
                problem = [exc.problem] if exc.problem is not None else []
                origin = str(self.root / "mkdocs.yml")
                message = SettingsError(problem, origin).render(self.settings.lang)
                raise PluginError(message if problem else str(exc)) from None
            if cache is not None and keep and not integrity_errors(result):
                cache.save()  # a build the check refuses leaves nothing behind
        portal_options = replace(
            portal_options, site_name=config.site_name or "", site_url=config.site_url or ""
        )
        self.result = result
        lang = result.settings.lang
        errors = integrity_errors(result)
        if errors:
            for f in errors:
                log.error(f"{f.file or '-'}:{f.line or 0} {f.rule}: {report.message(f, lang)}")
            if not self.serving:
                raise PluginError(report.summary_line(result, lang))
            # live preview: the browser shows why the edit was rejected, on the last good site
            self.rejected = rejected_banner(errors, lang)
        else:
            self.rejected = ""
        docs_dir = Path(os.path.abspath(config.docs_dir))
        self.docs_dir = docs_dir
        for src in result.loaded.sources:
            if src.kind in ("document", "roles"):  # not each of 100,000 records
                rel = _docs_rel(self.root / src.path, docs_dir)
                if rel is not None:
                    self.removed.add(rel)
        index = _docs_rel(docs_dir / "index.md", self.root)
        self.removed.add("index.md")  # the portal's home page replaces it
        if not self.rejected:
            if self.make_portal is not None:
                made = self.make_portal(result, portal_options, index)
            else:
                made = build_portal(result, portal_options, index, self.memo)
            self.portal = self.last_good = made
            for f in self.portal.rejected:  # earlier versions in git, not archived
                log.warning(f"{f.file or '-'}: {f.rule}: {report.message(f, lang)}")
        else:
            self.portal = self.last_good or Portal(
                [PortalPage("index.md", Translator(lang)("nav.home"), "")],
                [NavEntry(Translator(lang)("nav.home"), "index.md")],
                {},
            )
        #: docs-relative paths of the plain pages the check read and this build publishes
        self.published = {
            rel
            for rel in (_docs_rel(self.root / p, docs_dir) for p in self.portal.plain_pages)
            if rel is not None and rel != "index.md"
        }
        config.theme["font"] = False  # no request to a font host: the intranet has none
        config.extra_css.append(f"{ASSET_DIR}/itsms.css")
        config.extra_javascript.append(f"{ASSET_DIR}/itsms.js")
        polyfills = config.extra.get("polyfills") or []
        if polyfills:
            config.extra["polyfills"] = [
                IFRAME_WORKER if "iframe-worker" in str(p) else p for p in polyfills
            ]
        _markdown_defaults(config)
        _quiet_validation(config)
        nav = _nav(self.portal.nav)
        other = config.nav or sorted(r for r in self.published if r.endswith(".md"))
        if other:
            nav.append({attr(Translator(lang)("nav.other")): other})
        config.nav = nav
        log.info(report.summary_line(result, lang))
        return config

    @event_priority(-100)  # after every plugin set the configuration up
    def on_pre_build(self, config: Any) -> None:
        if self.want_key:
            from mkdocs.utils import get_build_date

            from .snapshot import config_key

            self.config_key = config_key(config, get_build_date())

    def _enabled(self) -> bool:
        return self.settings is not None and self.settings.enabled and self.root is not None

    @event_priority(-100)  # the navigation is final: workers may start on the pages
    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        self.copied = sorted({f.abs_src_path for f in files if f.abs_src_path})
        if self._enabled() and self.root is not None:
            self.work.begin(self.root, config, files)
            self.workers.fork_render(config, files, serving=self.serving, nav=nav)
        return nav

    @event_priority(-100)  # the final Markdown: its render goes through the memo
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        if self._enabled():
            self.workers.wait_for(page)
            self.work.install_render(page, markdown, page.file.src_uri in self.made)
        return markdown

    @event_priority(-100)  # after every other plugin's changes, before search indexes it
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        if self.settings is None or self.settings.raw_html != "allow":
            from .portal.sanitize import sanitize

            html = self.work.sanitized(html, sanitize) if self._enabled() else sanitize(html)
        return _filled(self, page, html, searched_only=True)  # the portal's own HTML

    @event_priority(-100)  # every page is populated: workers may index them for search
    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        if self._enabled():
            self.workers.fork_pages(env, config, files, serving=self.serving)
        return env

    @event_priority(-100)  # after the search plugin has indexed the page without them
    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        _fill_blocks(self, page)
        if self.rejected and page.content is not None:
            page.content = self.rejected + page.content
        return context

    @event_priority(-50)  # after the search plugin wrote the index, before material/offline
    def on_post_build(self, config: Any) -> None:
        mark(Path(config.site_dir))  # a site itsms made: the next build may replace it
        budget = self.settings.search_index_mb if self.settings else 0
        if not written_compact(search_plugin(config)):
            compact_search_index(Path(config.site_dir) / "search" / "search_index.json", budget)
        if self.portal is not None:
            patch_search_worker(Path(config.site_dir))
        self.workers.finish()
        self.work.finish()

    def on_build_error(self, error: Exception) -> None:
        self.workers.finish()
        self.work.finish(prune=False)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """``mkdocs serve`` watches docs_dir only: the documents and records live beside it."""
        if self.root is not None:
            docs_dir = Path(config.docs_dir).resolve()
            for name in ("content", "procedures", "records"):
                path = (self.root / name).resolve()
                if path.is_dir() and not path.is_relative_to(docs_dir):
                    server.watch(str(path))
        return server

    def on_files(self, files: Files, config: Any) -> Files:

        if self.portal is None:
            return files
        # pictures beside a document (<id>/...) go into the site only with a published page
        beside = tuple(
            rel[: -len(".md")] + "/"
            for rel in self.removed
            if rel.endswith(".md") and rel != "index.md"
        )
        # With raw_html: sanitize, an HTML, SVG, XML or script file under the docs folder is
        # published only when mkdocs.yml names it (extra_javascript, extra_css)
        sanitize = self.settings is None or self.settings.raw_html == "sanitize"
        named = {
            str(getattr(x, "path", x)).lstrip("/")
            for x in [*config.extra_javascript, *config.extra_css]
        }
        for file in list(files):
            if (
                file.src_uri in self.removed
                or file.src_uri.endswith((".yml", ".yaml"))
                or file.src_uri.startswith(beside)
                or (is_markdown(file.src_uri) and not self._publishes(file))
                or _linked(self.root or Path("."), self.docs_dir, file.src_uri)
                or (
                    not (is_markdown(file.src_uri) or self._static(file, named))
                    and _docs_rel(Path(file.abs_src_path or "/"), self.docs_dir) is not None
                )
                or (
                    sanitize
                    and evidence.is_active(file.src_uri)
                    and file.src_uri not in named
                    and _docs_rel(Path(file.abs_src_path or "/"), self.docs_dir) is not None
                )
            ):
                files.remove(file)
        self.blocks = {page.path: page.blocks for page in self.portal.pages if page.blocks}
        self.made = frozenset(page.path for page in self.portal.pages)
        for page in self.portal.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, page.path, content=page_source(page)))
        for name, text in sorted(self.portal.files.items()):  # feed.xml, reviews.ics
            files.append(File.generated(config, name, content=text))
        for site_path, source in sorted(self.portal.evidence.items()):
            data = evidence.published(site_path, Path(source))
            if data is None:
                files.append(EvidenceFile.generated(config, site_path, abs_src_path=source))
            else:
                files.append(EvidenceFile.generated(config, site_path, content=data))
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file():
                rel = asset.relative_to(ASSETS).as_posix()
                files.append(File.generated(config, f"{ASSET_DIR}/{rel}", abs_src_path=str(asset)))
        return files


def rejected_banner(errors: list[Any], lang: str) -> str:
    """What ``serve`` puts on top of every page while an edit fails the check."""
    import html

    t = Translator(lang)
    items = "".join(
        f"<li><code>{html.escape(f.file or '-')}:{f.line or 0}</code> "
        f"{html.escape(report.message(f, lang))}</li>"
        for f in errors
    )
    return (
        '<div class="admonition danger itsms-rejected" role="alert">'
        f'<p class="admonition-title">{html.escape(t("serve.rejected"))}</p>'
        f"<ul>{items}</ul></div>"
    )


def _docs_rel(path: Path, folder: Path) -> str | None:
    """``path`` relative to ``folder`` (neither resolved: a link stays where it is)."""
    full, base = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return full.relative_to(base).as_posix() if full.is_relative_to(base) else None


def _linked(root: Path, docs_dir: Path, src_uri: str) -> bool:
    """MkDocs follows links: a file reached through a directory link, or a link leading
    out of the docs folder (to a record, its evidence), is not published (the check did
    not read it as such)."""
    folder = docs_dir
    parts = src_uri.split("/")
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return True
    path = folder / parts[-1]
    return path.is_symlink() and not path.resolve().is_relative_to(docs_dir.resolve())


def prepare(plugin: ItsmsPlugin, result: CheckResult, options: PortalOptions) -> None:
    """What ``itsms build`` calls: reuse its check, with its as-of date and options."""
    plugin.prepared = (result, replace(options))


_ID = re.compile(r'\sid="([^"]+)"')


def _fill_blocks(plugin: ItsmsPlugin, page: Any) -> None:
    if page.content:
        page.content = _filled(plugin, page, page.content)


def _filled(plugin: ItsmsPlugin, page: Any, html: str, searched_only: bool = False) -> str:
    """``html`` (the page's) with its blocks in place (``searched_only``: those the
    search index reads, ``Blocks.add``)."""
    blocks = plugin.blocks.get(page.file.src_uri)
    if not blocks or not html:
        return html
    filled = fill_blocks(html, blocks, searched_only)
    if filled is not html and isinstance(page.present_anchor_ids, set):
        # MkDocs checks links to anchors after this: the listings' anchors exist too
        for key, block in blocks.items():
            if not searched_only or key.startswith(SEARCHED):
                page.present_anchor_ids.update(_ID.findall(block))
    return filled
