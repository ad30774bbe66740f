"""首页 (the compliance dashboard) and 文件清单 (the register)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from ..findings import Severity
from ..i18n import Translator
from ..report import message
from ..rules import SHOWN
from ..views import register_table
from .markup import a, h, html_table, link, md, table
from .site import Blocks, PortalPage, Publication

#: Findings the dashboard lists (blocking errors stop the build instead): the registry's
#: control and compliance categories.
DASHBOARD_RULES = SHOWN
RECENT = 10


def dashboard(pub: Publication, t: Translator, intro: str = "") -> PortalPage:
    path = "index.md"
    result = pub.result
    cov = result.coverage
    leaves = len(cov.leaves)
    parts = [f"# {md(t('home.title'))}\n"]
    if intro.strip():
        parts.append(intro.strip() + "\n")
    parts.append(
        f"## {md(t('home.state', date=result.as_of.isoformat(), standard=result.standard.id))}\n"
    )
    parts.append(
        table(
            [t("home.covered"), t("home.evidenced"), t("home.period")],
            [
                [
                    link(f"**{cov.covered} / {leaves}**", path, "clauses/index.md"),
                    link(f"**{cov.evidenced} / {leaves}**", path, "records/index.md"),
                    md(str(result.period)),
                ]
            ],
        )
    )
    counts = Counter(d.status for d in pub.documents)
    parts.append(f"## {md(t('home.by_status'))}\n")
    parts.append(
        table(
            [t("f.status"), t("f.count")],
            [
                [md(t(f"status.{s}")), str(counts[s])]
                for s in ("approved", "review", "draft", "superseded", "withdrawn")
                if counts[s]
            ],
        )
    )
    parts.append(f"## {md(t('home.reviews'))}\n")
    window = result.settings.review_warning_days
    due = []
    for doc in pub.current():
        nxt = doc.next_review
        if doc.status == "approved" and nxt and (nxt - result.as_of).days <= window:
            days = (nxt - result.as_of).days
            when = t("home.overdue", days=-days) if days < 0 else t("home.due", days=days)
            due.append(
                (nxt, [link(md(doc.id), path, pub.page_of(doc)), md(doc.title), md(nxt), md(when)])
            )
    due.sort(key=lambda item: item[0])
    parts.append(
        table([t("f.id"), t("f.title"), t("f.next_review"), ""], [r for _, r in due])
        or md(t("home.reviews_none")) + "\n"
    )
    parts.append(f"## {md(t('home.recent'))}\n")
    recent = sorted(
        (d for d in pub.documents if d.approved_on),
        key=lambda d: d.approved_on or dt.date.min,
        reverse=True,
    )[:RECENT]
    parts.append(
        table(
            [t("f.id"), t("f.title"), t("f.version"), t("f.approved_by"), t("f.approved_on")],
            [
                [
                    link(md(d.id), path, pub.page_of(d)),
                    md(d.title),
                    md(d.version),
                    md(d.approved_by),
                    md(d.approved_on),
                ]
                for d in recent
            ],
        )
    )
    parts.append(f"## {md(t('home.findings'))}\n")
    rows = []
    seen = {(f.rule, f.id, f.key, str(f.params.get("version"))) for f in result.findings}
    extra = [
        f for f in pub.rejected if (f.rule, f.id, f.key, str(f.params.get("version"))) not in seen
    ]
    for found in [*result.findings, *extra]:
        if found.key == "version-rejected" and not (found.id and found.id in pub.hidden_ids):
            pass  # a version in git that fails the document rules: always shown
        elif found.rule not in DASHBOARD_RULES or (found.id and found.id in pub.hidden_ids):
            continue
        f = pub.redaction.finding(found)  # confidential names never shown
        if f is None:
            continue
        target = pub.page_of_id(f.id) if f.id else None
        if f.rule in ("uncovered-clause", "no-evidence") and f.id:
            target = pub.clause_page(f.id)
        where = link(md(f.id), path, target) if target else md(f.id or f.file or "")
        label = t(f"ui.{f.severity.value}")
        rows.append([md(label), md(f.rule), where, md(message(f, t.lang))])
    rows.sort(key=lambda r: (r[0] != md(t(f"ui.{Severity.ERROR.value}")), r[1]))
    parts.append(
        table([t("f.status"), "", t("f.id"), t("f.summary")], rows)
        or md(t("home.findings_none")) + "\n"
    )
    return PortalPage(path, t("nav.home"), "\n".join(parts), boost=0.5)


def register(pub: Publication, t: Translator) -> PortalPage:
    """The register's rows are the export's (``views.register_table``, same scope): the
    page adds links and puts codes into words, nothing else."""
    path = "register.md"
    view = register_table(pub.result, t.lang, pub.scope)
    headers = [label for _, label in view.columns]

    def cell(key: str, row: dict[str, Any]) -> str:
        value = row.get(key)
        if key == "id":
            return a(h(value), pub.href(path, pub.page_of_id(str(value)) or path))
        if key in view.words and value:
            return h(t(view.words[key] + value))
        return h(value if value is not None else "—")

    rows = [[cell(key, row) for key, _ in view.columns] for row in view.rows]
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
