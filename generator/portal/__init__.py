"""The portal's pages and navigation, rendered from a checked corpus.

This package knows nothing of MkDocs: it returns Markdown pages and a nav tree;
``generator.plugin`` hands them to MkDocs.
"""

from __future__ import annotations

from ..check import CheckResult
from ..gcpause import collector_paused
from .attachments import linked_files
from .changes import changes_page
from .clauses import clause_pages
from .console import console
from .documents import all_document_pages, relations_of
from .feeds import feed_xml, reviews_ics
from .home import home
from .memo import Memo, PageMemo
from .overview import register
from .raci import raci_page
from .records import record_pages
from .roles import role_pages
from .site import ARCHIVE, BuildTranslator, NavEntry, Portal, PortalOptions, PortalPage, Publication

#: pages of tables, shown across the whole screen
WIDE = frozenset({"register.md", "raci.md", "changes.md", "console.md", "procedures/index.md"})
WIDE_DIRS = ("clauses/", "records/", "roles/", f"{ARCHIVE}/index.md")

__all__ = ["NavEntry", "Portal", "PortalOptions", "PortalPage", "build_portal"]


@collector_paused
def build_portal(
    result: CheckResult,
    options: PortalOptions,
    index: str | None = None,
    previous: PageMemo | None = None,
) -> Portal:
    """Every page of the portal, its navigation and the evidence files to copy. The
    plain page at ``index`` (repository-relative), when published, opens the home page.
    With ``previous`` (the memo of an earlier portal: ``itsms serve``), a page made from
    the same inputs as there is taken from there."""
    t = BuildTranslator(result.settings.lang)
    # serve: the records' order of the last portal, when it showed the same ones
    order = (previous.shown, previous.records) if previous is not None else None
    pub = Publication(result, options, order)
    memo = Memo(pub, previous) if previous is not None else None
    plain = pub.pages()
    intro = next((p.body for p in plain if index is not None and p.path == index), "")
    intro = "\n".join(line for line in intro.split("\n") if not line.startswith("# "))
    pages: list[PortalPage] = [home(pub, t, intro), console(pub, t), changes_page(pub, t)]
    relations = relations_of(pub)
    pages += all_document_pages(pub, t, relations, memo)
    pages.append(register(pub, t))
    pages += clause_pages(pub, t, memo)
    clause_nav = [NavEntry(t("nav.clauses"), "clauses/index.md")]
    if result.settings.transition_to or result.settings.transition_from:
        from ..transition import analyse
        from .transition_page import PATH, transition_page

        tr = analyse(result, result.settings.transition_to, result.settings.transition_from)
        pages.append(transition_page(pub, tr, t))
        clause_nav.append(NavEntry(t("tr.title"), PATH))
    pages.append(raci_page(pub, t, memo))
    pages += record_pages(pub, t, memo)
    pages += role_pages(pub, t, memo)
    nav = [
        NavEntry(t("nav.home"), "index.md"),
        NavEntry(
            t("nav.manual"),
            children=[NavEntry(t("nav.manual"), "manual/index.md")]
            + [NavEntry(f"{d.title}", pub.page_of(d)) for d in pub.manual()],
        ),
        NavEntry(t("nav.procedures"), "procedures/index.md"),
        NavEntry(t("nav.register"), "register.md"),
        NavEntry(t("nav.clauses"), children=clause_nav) if len(clause_nav) > 1 else clause_nav[0],
        NavEntry(t("nav.raci"), "raci.md"),
        NavEntry(t("nav.records"), "records/index.md"),
        NavEntry(t("nav.changes"), "changes.md"),
        NavEntry(t("nav.archive"), f"{ARCHIVE}/index.md"),
        NavEntry(t("nav.console"), "console.md"),
    ]
    for page in pages:
        page.wide = page.path in WIDE or page.path.startswith(WIDE_DIRS)
    name = options.site_name or t("home.title")
    files = {
        "feed.xml": feed_xml(pub, t, name, options.site_url),
        "reviews.ics": reviews_ics(pub, t, name, options.site_url),
    }
    return Portal(
        pages,
        nav,
        pub.evidence,
        [p.path for p in plain],
        pub.rejected,
        files,
        linked_files(plain),
        pub,
        relations,
        memo.made if memo is not None else None,
    )
