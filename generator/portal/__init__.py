"""The portal's pages and navigation, rendered from a checked corpus.

This package knows nothing of MkDocs: it returns Markdown pages and a nav tree;
``generator.plugin`` hands them to MkDocs.
"""

from __future__ import annotations

from ..check import CheckResult
from ..i18n import Translator
from .clauses import clause_pages
from .documents import all_document_pages
from .overview import dashboard, register
from .raci import raci_page
from .records import record_pages
from .site import ARCHIVE, NavEntry, Portal, PortalOptions, PortalPage, Publication

__all__ = ["NavEntry", "Portal", "PortalOptions", "PortalPage", "build_portal"]


def build_portal(result: CheckResult, options: PortalOptions, index: str | None = None) -> Portal:
    """Every page of the portal, its navigation and the evidence files to copy. The
    plain page at ``index`` (repository-relative), when published, opens the home page."""
    t = Translator(result.settings.lang)
    pub = Publication(result, options)
    plain = pub.pages()
    intro = next((p.body for p in plain if index is not None and p.path == index), "")
    intro = "\n".join(line for line in intro.split("\n") if not line.startswith("# "))
    pages: list[PortalPage] = [dashboard(pub, t, intro)]
    pages += all_document_pages(pub, t)
    pages.append(register(pub, t))
    pages += clause_pages(pub, t)
    clause_nav = [NavEntry(t("nav.clauses"), "clauses/index.md")]
    if result.settings.transition_to:
        from ..transition import analyse
        from .transition_page import PATH, transition_page

        pages.append(transition_page(pub, analyse(result, result.settings.transition_to), t))
        clause_nav.append(NavEntry(t("tr.title"), PATH))
    pages.append(raci_page(pub, t))
    pages += record_pages(pub, t)
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
        NavEntry(t("nav.archive"), f"{ARCHIVE}/index.md"),
    ]
    return Portal(pages, nav, pub.evidence, [p.path for p in plain], pub.rejected)
