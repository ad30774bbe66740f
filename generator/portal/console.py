"""文件控制台, the document controllers' front door: coverage, documents by status,
reviews due and the open findings in plain Chinese, grouped and counted, each
leading to the document or clause it is about."""

from __future__ import annotations

from collections import Counter

from ..findings import Finding, Severity
from ..i18n import Translator
from ..model import Record
from ..report import message
from .marks import badge, id_link
from .markup import a, h, html_table, md
from .overview import DASHBOARD_RULES
from .site import Blocks, PortalPage, Publication

PATH = "console.md"
REJECTED = "version-rejected"  # the group of earlier versions in git that are not archived


def _ratio(done: int, total: int, label: str, href: str, t: Translator) -> str:
    """A share of leaf clauses; below 100% in red, and said in words too."""
    full = bool(total) and done == total
    short = "" if full else f'<span class="itsms-stat__short">{h(t("console.short"))}</span>'
    return (
        f'<a class="itsms-stat itsms-stat--{"ok" if full else "bad"}" href="{href}">'
        f'<span class="itsms-stat__value">{h(f"{done} / {total}")}{short}</span>'
        f'<span class="itsms-stat__label">{h(label)}</span></a>'
    )


def plain_message(f: Finding, t: Translator) -> str:
    """The finding's message with field names in words (``references`` -> 引用文件)."""
    params = dict(f.params)
    field = params.get("field")
    if isinstance(field, str) and t(f"fld.{field}") != f"fld.{field}":
        params["field"] = t(f"fld.{field}")
    return message(Finding(f.rule, f.severity, f.file, f.line, f.id, f.key, params), t.lang)


def _target(pub: Publication, records: dict[str, Record], f: Finding) -> str | None:
    if f.rule in ("uncovered-clause", "no-evidence") and f.id:
        return pub.clause_page(f.id)
    if not f.id:
        return None
    page = pub.page_of_id(f.id)
    if page is not None:
        return page
    rec = records.get(f.id)
    return pub.record_page(rec) if rec is not None else None


def console(pub: Publication, t: Translator) -> PortalPage:
    result = pub.result
    cov = result.coverage
    leaves = len(cov.leaves)
    blocks = Blocks()
    stats = (
        '<div class="itsms-stats">'
        + _ratio(cov.covered, leaves, t("home.covered"), pub.href(PATH, "clauses/index.md"), t)
        + _ratio(cov.evidenced, leaves, t("home.evidenced"), pub.href(PATH, "records/index.md"), t)
        + f'<div class="itsms-stat"><span class="itsms-stat__value">{h(result.period)}</span>'
        f'<span class="itsms-stat__label">{h(t("home.period"))}</span></div>'
        "</div>"
    )
    parts = [
        f"# {md(t('nav.console'))}\n",
        md(t("console.intro")) + "\n",
        f"## {md(t('home.state', date=result.as_of.isoformat(), standard=result.standard.id))}\n",
        blocks.add(stats),
    ]
    counts = Counter(pub.scope.status(d) for d in pub.documents)
    parts.append(f"## {md(t('home.by_status'))}\n")
    chips = "".join(
        f"<li>{badge(t(f'status.{s}'), 'status-' + s)} <strong>{counts[s]}</strong></li>"
        for s in ("approved", "approved_pending", "review", "draft", "superseded", "withdrawn")
        if counts[s]
    )
    parts.append(blocks.add(f'<ul class="itsms-chips">{chips}</ul>'))

    parts.append(f"## {md(t('home.reviews'))}\n")
    window = result.settings.review_warning_days
    due = []
    for doc in pub.current():
        nxt = doc.next_review
        if doc.status == "approved" and nxt and (nxt - result.as_of).days <= window:
            days = (nxt - result.as_of).days
            when = t("home.overdue", days=-days) if days < 0 else t("home.due", days=days)
            due.append(
                (
                    nxt,
                    [
                        id_link(doc.id, pub.href(PATH, pub.page_of(doc))),
                        h(doc.title),
                        h(pub.role_name(doc.owner)),
                        h(nxt),
                        badge(when, "bad" if days < 0 else "warn"),
                    ],
                )
            )
    due.sort(key=lambda item: item[0])
    heads = [t("f.id"), t("f.title"), t("f.owner"), t("f.next_review"), t("role.when")]
    parts.append(
        blocks.add(html_table(heads, [r for _, r in due])) or md(t("home.reviews_none")) + "\n"
    )

    parts.append(f"## {md(t('home.findings'))}\n")
    groups: dict[str, list[Finding]] = {}
    seen = {(f.rule, f.id, f.key, str(f.params.get("version"))) for f in result.findings}
    extra = [
        f for f in pub.rejected if (f.rule, f.id, f.key, str(f.params.get("version"))) not in seen
    ]
    for found in [*result.findings, *extra]:
        if found.id and found.id in pub.hidden_ids:
            continue
        f = pub.redaction.finding(found)  # confidential names never shown
        if f is None:
            continue
        if f.key == "version-rejected":  # a version in git that fails the document rules
            groups.setdefault(REJECTED, []).append(f)
        elif f.rule in DASHBOARD_RULES:
            groups.setdefault(f.rule, []).append(f)
    if not groups:
        parts.append(md(t("home.findings_none")) + "\n")
    order = sorted(  # errors first, then as the catalogue names them
        groups,
        key=lambda r: (not any(f.severity is Severity.ERROR for f in groups[r]), t(f"group.{r}")),
    )
    summary = "".join(
        f'<li><a href="#findings-{n}">{h(t(f"group.{r}"))}</a> '
        f"<strong>{len(groups[r])}</strong></li>"
        for n, r in enumerate(order, 1)
    )
    if groups:
        parts.append(blocks.add(f'<ul class="itsms-chips">{summary}</ul>'))
    records = {r.id: r for r in pub.records if r.id}
    for n, rule in enumerate(order, 1):
        group = groups[rule]
        error = any(f.severity is Severity.ERROR for f in group)
        level = t(f"ui.{Severity.ERROR.value if error else Severity.WARNING.value}")
        parts.append(
            f"### {md(t(f'group.{rule}'))}（{len(group)}） {{#findings-{n}}}\n\n"
            + badge(level, "bad" if error else "warn")
            + "\n"
        )
        rows = []
        for f in group:
            target = _target(pub, records, f)
            label = h(f.id or f.file or "—")
            where = a(label, pub.href(PATH, target)) if target else label
            rows.append([f'<span class="itsms-id">{where}</span>', h(plain_message(f, t))])
        parts.append(blocks.add(html_table([t("console.where"), t("f.summary")], rows)))
    return PortalPage(PATH, t("nav.console"), "\n".join(parts), boost=0.2, blocks=blocks.items)
