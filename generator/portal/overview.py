"""文件清单 (the register), and the findings 文件控制台 lists."""

from __future__ import annotations

from ..i18n import Translator
from .markup import a, h, html_table, md
from .site import Blocks, PortalPage, Publication

#: Compliance findings the dashboard lists (integrity errors stop the build instead).
DASHBOARD_RULES = (
    "uncovered-clause",
    "review-overdue",
    "review-due",
    "no-evidence",
    "retention-expired",
    "obsolete-reference",
    "history-mismatch",
    "unknown-record-type",
)


def register(pub: Publication, t: Translator) -> PortalPage:
    path = "register.md"
    headers = [
        t("f.id"),
        t("f.title"),
        t("f.type"),
        t("f.version"),
        t("f.status"),
        t("f.owner"),
        t("f.approved_by"),
        t("f.approved_on"),
        t("f.effective"),
        t("f.next_review"),
        t("f.classification"),
    ]
    rows = [
        [
            a(h(d.id), pub.href(path, pub.page_of(d))),
            h(d.title),
            h(t(f"type.{d.type}") if d.type else ""),
            h(d.version),
            h(t(f"status.{d.status}") if d.status else ""),
            h(pub.role_name(d.owner)),
            h(d.approved_by or "—"),
            h(d.approved_on or "—"),
            h(d.effective or "—"),
            h(d.next_review if d.status == "approved" else "—"),
            h(t(f"class.{d.classification}")),
        ]
        for d in sorted(pub.documents, key=lambda d: d.id or "")
    ]
    filt = (
        f'<input class="itsms-filter md-input" type="search" '
        f'placeholder="{h(t("register.filter"))}" aria-label="{h(t("register.filter"))}">'
    )
    blocks = Blocks()
    body = (
        f"# {md(t('nav.register'))}\n\n{md(t('register.intro', count=len(rows)))}\n\n"
        f"{filt}\n\n{blocks.add(html_table(headers, rows, css='itsms-sortable'))}"
    )
    return PortalPage(path, t("nav.register"), body, blocks=blocks.items)
