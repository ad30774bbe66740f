"""What the portal publishes, and where: the rules of publication in one place.

Drafts and documents under review are published only in a preview build (under
a banner); confidential documents and records never are. Every page a builder
makes is a ``PortalPage``; the MkDocs plugin hands them to MkDocs unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..cadence import Cadence
from ..check import CheckResult
from ..findings import Finding
from ..i18n import Translator
from ..load import Source
from ..model import OBSOLETE, Document, Record, Role
from ..redact import Redaction
from ..relations import Relations
from ..scope import Scope
from .markup import anchor_id, url_anchor, url_folder, url_from

if TYPE_CHECKING:
    from .memo import PageMemo

#: the statuses a plain page may have and still be published
PUBLISHED = frozenset({"approved", "superseded", "withdrawn"})


@dataclass(frozen=True)
class PortalOptions:
    build_date: dt.date
    preview: bool = False
    offline: bool = False
    dir_urls: bool = True  # MkDocs' use_directory_urls (off in an offline build)
    site_name: str = ""  # MkDocs' site_name and site_url: feed.xml and reviews.ics name them
    site_url: str = ""


@dataclass
class PortalPage:
    path: str  # source path in the site, e.g. procedures/GZDS-ITSMS-QP-18.md
    title: str  # plain text
    markdown: str  # the page body (safe Markdown)
    search: bool = True  # in the search index
    boost: float | None = None  # weight in search results (documents first)
    wide: bool = False  # a page of tables: the whole width of the screen, no contents panel
    #: large HTML listings, put in place of their placeholders after Markdown has run
    #: (they are data, not prose); after search indexing too but for searched ones
    #: (``Blocks.add``)
    blocks: dict[str, str] = field(default_factory=dict)

    def expanded(self) -> str:
        """The Markdown with every block in place (what a reader finally sees)."""
        return fill_blocks(self.markdown, self.blocks)


def placeholder(key: str) -> str:
    return f'<div data-itsms-block="{key}"></div>'


_PLACEHOLDER = re.compile(r'<div data-itsms-block="([^"<>]*)"></div>')


#: the first letter of a searched block's key (``Blocks.add``)
SEARCHED = "s"


def fill_blocks(text: str, blocks: dict[str, str], searched_only: bool = False) -> str:
    """``text`` with each block's placeholder replaced by the block, in one pass (a
    matrix of 2,000 blocks, 2 MB once filled, was copied again for each block); with
    ``searched_only``, the searched blocks' only."""
    if not blocks:
        return text

    def block(m: re.Match[str]) -> str:
        key = m.group(1)
        if searched_only and not key.startswith(SEARCHED):
            return m.group(0)
        return blocks.get(key, m.group(0))

    return _PLACEHOLDER.sub(block, text)


class BuildTranslator(Translator):
    """``t(key)`` for one build: a message without fields is put into words once (a
    portal asks for the same few words hundreds of thousands of times)."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self._plain: dict[str, str] = {}

    def __call__(self, key: str, /, **params: Any) -> str:
        if params:
            return super().__call__(key, **params)
        found = self._plain.get(key)
        if found is None:
            found = self._plain[key] = super().__call__(key)
        return found


class Blocks:
    """Collects a page's large listings; each is a placeholder in the Markdown."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def add(self, html: str, searched: bool = False) -> str:
        """The placeholder of ``html``. A ``searched`` block is put in place before the
        search index reads the page (a listing whose text readers search for, such as
        the procedures' index); the others after. Neither goes through Markdown."""
        if not html:
            return ""
        key = (SEARCHED if searched else "") + str(len(self.items))
        self.items[key] = html
        return "\n" + placeholder(key) + "\n"


@dataclass
class NavEntry:
    title: str
    path: str | None = None
    children: list[NavEntry] = field(default_factory=list)


@dataclass
class Portal:
    pages: list[PortalPage]
    nav: list[NavEntry]
    evidence: dict[str, str]  # site path -> repository path of an evidence file to copy
    plain_pages: list[str] = field(default_factory=list)  # repository paths of plain pages
    #: versions in git that fail the document rules (not archived; shown on 文件控制台)
    rejected: list[Finding] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # site path -> text (feed.xml, ...)
    #: repository paths of the files published plain pages link to (attachments)
    linked: frozenset[str] = frozenset()
    #: what the pages were made from (``serve`` remakes one page after an edit)
    publication: Publication | None = None
    relations: Relations | None = None
    #: each page with the inputs it was made from (the next portal of ``serve`` takes
    #: pages from it); None where nobody asked for it
    memo: PageMemo | None = None


#: the records section of a document's page: an id no author writes (a body heading
#: ``{#records}`` is the author's own, and stays the only one)
RECORDS_ANCHOR = "itsms-records"
ARCHIVE = "obsolete"
PREVIEW = "preview"


class Publication:
    """The published documents and records of one build, and their page paths.

    What is visible, and in which version, is the core's publication scope
    (``generator.scope.Scope``, never confidential): the exports ask the same object."""

    def __init__(
        self,
        result: CheckResult,
        options: PortalOptions,
        order: tuple[tuple[Record, ...], tuple[Record, ...]] | None = None,
    ) -> None:
        self.result = result
        self.options = options
        self.scope = Scope(result, preview=options.preview, like=order)
        self.roles: dict[str, Role] = result.corpus.roles
        #: drafts shown beside the approved version in effect (preview builds only)
        self.previews: list[Document] = self.scope.previews
        #: earlier approved versions (from git), each with the version that replaced it
        self.archived: list[tuple[Document, Document]] = []
        #: (document id, version) -> the commit that approved it
        self.commits: dict[tuple[str, str], str] = {}
        self.documents: list[Document] = self.scope.documents
        self.by_id: dict[str, Document] = self.scope.by_id
        #: earlier versions in git that fail the document rules: reported, not archived
        self.rejected: list[Finding] = []
        self._versions_from_git()
        self._special_pages: dict[int, str] = {id(d): f"{PREVIEW}/{d.id}.md" for d in self.previews}
        for old, _ in self.archived:
            self._special_pages[id(old)] = f"{ARCHIVE}/{old.id}-v{old.version}.md"
        #: (id, version) -> its archived version; id(newer) -> the version it replaced
        self._archived: dict[tuple[str | None, str | None], Document] = {}
        self._replaced: dict[int, Document] = {}
        for old, newer in self.archived:
            self._archived.setdefault((old.id, old.version), old)
            self._replaced.setdefault(id(newer), old)
        self.revising: dict[str, Document] = self.scope.revising
        self.records: list[Record] = self.scope.records
        #: site path -> repository file of each evidence file linked from a page
        self.evidence: dict[str, str] = {}
        self.hashes: dict[str, str] = {}  # record id -> ok | bad | missing | none
        #: what each record's rows show wherever they stand (records appear on several
        #: pages): its page, its cells that name no page; filled as pages are made
        self._record_pages: dict[int, str] = {}
        self._months: dict[int, str] = {}  # record -> the month it is listed under
        self._anchors: dict[int, str] = {}  # record -> its anchor
        self._url_folders: dict[str, list[str]] = {}  # page -> the folder of its URL
        self._hrefs: dict[tuple[str, str], str] = {}  # (page, page linked to) -> its URL
        self._cadences: dict[str, dict[str, Cadence]] | None = None  # see cadences_of
        self.record_cells: dict[int, list[str]] = {}
        #: the cells of a record that is no evidence, on the trace pages listing it
        self.rejected_cells: dict[int, list[str]] = {}
        #: the words for the reasons a record evidences its clauses (records.why_cell)
        self.why_words: dict[tuple[str, ...], str] = {}
        #: record -> (site path, local file, name shown, offered as a zip) of its evidence
        self.evidence_files: dict[int, tuple[str, str, str, bool]] = {}
        #: ids of what this build must not show (confidential items, unpublished drafts)
        self.hidden_ids: frozenset[str] = self.scope.hidden_ids
        #: the names of confidential items, kept out of every text the portal shows
        self.redaction = Redaction.confidential(result.corpus, result.settings.lang)
        if not options.preview:  # nor are the ids and titles of drafts it does not show
            shown = {d.title for d in self.documents}
            drafts = [d for d in result.corpus.documents if d.id in self.hidden_ids and d.id]
            names = {d.id for d in drafts if d.id} | {
                d.title for d in drafts if d.title and d.title.strip() and d.title not in shown
            }
            self.redaction = replace(self.redaction, unpublished=frozenset(names))

    def pages(self) -> list[Source]:
        """The plain pages (content/ Markdown that is not a controlled document) this build
        publishes: their ``classification`` and ``status`` count as a document's do."""
        out = []
        for page in self.result.corpus.pages:
            meta = page.meta if isinstance(page.meta, dict) else {}
            # fail closed: a classification or status not understood keeps the page out
            if meta.get("classification", "internal") not in ("public", "internal"):
                continue
            status = meta.get("status")
            if status is not None and status not in PUBLISHED and not self.options.preview:
                continue
            out.append(page)
        return out

    def _versions_from_git(self) -> None:
        history = self.result.history
        if history is None or not self.documents:
            return
        from ..history import approved_versions
        from ..values import version_key

        found = self.result.versions
        if found is None:
            found = history.versions([d.path for d in self.documents], self.result.standard.id)
        for shown in self.documents:
            assert shown.id is not None
            versions = approved_versions(found.get(shown.path, []), self.rejected)
            for v in versions:
                if v.document.id == shown.id and v.document.version:
                    self.commits.setdefault((shown.id, v.document.version), v.commit)
            key = version_key(shown.version) or (0, 0)
            older = [
                v.document
                for v in versions
                if v.document.id == shown.id
                and (version_key(v.document.version) or key) < key
                and v.document.classification != "confidential"
            ]
            older.sort(key=lambda d: version_key(d.version) or (0, 0))
            for n, doc in enumerate(older):
                self.archived.append((doc, older[n + 1] if n + 1 < len(older) else shown))
        if self.result.versions is not None:
            # the check vetted the same history: the build log says what the check says
            # (its severity and advice; a state the working copy still is, not again)
            said = {
                (f.rule, f.id, f.params.get("commit")): f
                for f in self.result.findings
                if f.key == "version-rejected"
            }
            keys = dict.fromkeys((f.rule, f.id, f.params.get("commit")) for f in self.rejected)
            self.rejected = [said[k] for k in keys if k in said]

    # --- sets ---------------------------------------------------------------------------
    def current(self) -> list[Document]:
        return [d for d in self.documents if d.status not in OBSOLETE]

    def obsolete(self) -> list[Document]:
        return [d for d in self.documents if d.status in OBSOLETE]

    def manual(self) -> list[Document]:
        return [d for d in self.current() if d.type == "manual"]

    def procedures(self) -> list[Document]:
        return [d for d in self.current() if d.type != "manual"]

    def archived_version(self, doc_id: str | None, version: str | None) -> Document | None:
        """The archived (earlier approved) version ``version`` of ``doc_id``, if any."""
        return self._archived.get((doc_id, version))

    def replaced(self, newer: Document) -> Document | None:
        """The archived version that ``newer`` replaced, if any."""
        return self._replaced.get(id(newer))

    def cadences_of(self, doc_id: str) -> dict[str, Cadence]:
        """Record type -> its cadence, of a document's record types that declare one."""
        if self._cadences is None:
            self._cadences = {}
            for c in self.result.coverage.cadences:
                self._cadences.setdefault(c.document.id or "", {})[c.type.type] = c
        return self._cadences.get(doc_id, {})

    def records_of(self, doc_id: str) -> list[Record]:
        if not hasattr(self, "_by_procedure"):
            self._by_procedure: dict[str, list[Record]] = {}
            for r in self.records:
                self._by_procedure.setdefault(r.procedure or "", []).append(r)
        return self._by_procedure.get(doc_id, [])

    # --- paths --------------------------------------------------------------------------
    def page_of(self, doc: Document) -> str:
        special = self._special_pages.get(id(doc))
        if special is not None:
            return special
        if doc.status in OBSOLETE:
            return f"{ARCHIVE}/{doc.id}.md"
        if doc.type == "manual":
            return f"manual/{doc.id}.md"
        return f"procedures/{doc.id}.md"

    def page_of_id(self, doc_id: str) -> str | None:
        doc = self.by_id.get(doc_id)
        return self.page_of(doc) if doc else None

    @staticmethod
    def clause_page(clause_id: str) -> str:
        return f"clauses/{clause_id}.md"

    @staticmethod
    def record_anchor(rec: Record) -> str:
        return "rec-" + anchor_id(rec.id or "")

    def anchor_of(self, rec: Record) -> str:
        """``record_anchor``, once per record and build."""
        found = self._anchors.get(id(rec))
        if found is None:
            found = self._anchors[id(rec)] = self.record_anchor(rec)
        return found

    def record_page(self, rec: Record) -> str:
        """Where a record is listed: on its procedure's page, else in its month's list."""
        found = self._record_pages.get(id(rec))
        if found is None:
            proc = self.by_id.get(rec.procedure or "")
            anchor = self.anchor_of(rec)
            if proc is not None:
                found = f"{self.page_of(proc)}#{anchor}"
            else:
                found = f"records/by-month/{self.month(rec)}.md#{anchor}"
            self._record_pages[id(rec)] = found
        return found

    def month(self, rec: Record) -> str:
        """The month a record is listed under (once per record and build)."""
        found = self._months.get(id(rec))
        if found is None:
            found = rec.date.isoformat()[:7] if rec.date else "unknown"  # strftime: slow
            self._months[id(rec)] = found
        return found

    def href(self, from_src: str, to_src: str, static: bool = False) -> str:
        """A relative URL for raw HTML (MkDocs rewrites only Markdown links)."""
        dir_urls = self.options.dir_urls
        page, hashed, anchor = to_src.partition("#")
        found = None if static or not page else self._hrefs.get((from_src, page))
        if found is None:
            here = self._url_folders.get(from_src)
            if here is None:  # a page links to thousands of records: its folder found once
                here = self._url_folders[from_src] = url_folder(from_src, dir_urls)
            if static or not page:
                return url_from(here, to_src, dir_urls, static)
            # ... on a few hundred pages: the URL of each of them found once
            found = self._hrefs[(from_src, page)] = url_from(here, page, dir_urls)
        return found + url_anchor(anchor) if hashed else found

    def role_name(self, role_id: str | None) -> str:
        if not role_id:
            return ""
        role = self.roles.get(role_id)
        return role.name if role else role_id
