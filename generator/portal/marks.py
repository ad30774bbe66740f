"""Marks a reader sees at a glance: badges with words (never emoji: Debian's
Chromium draws them as empty boxes) and the clause x month heatmap of evidence."""

from __future__ import annotations

from collections import Counter
from functools import partial

from ..coverage import ClauseStatus
from ..i18n import Translator
from .markup import a, h, md
from .memo import Memo, worked_out
from .site import Blocks, Publication


def badge(text: str, kind: str) -> str:
    """A mark as text in a coloured box: ok, warn, bad, plain, status-*, approved, ..."""
    return f'<span class="itsms-badge itsms-badge--{kind}">{h(text)}</span>'


def id_link(ident: str | None, href: str) -> str:
    """An id that never wraps (GZDS-ITSMS-QP-18 on one line), linked."""
    return id_link_html(h(ident), href)


def id_link_html(ident_html: str, href: str) -> str:
    """``id_link`` of an id already made HTML (``h``)."""
    return f'<span class="itsms-id">{a(ident_html, href)}</span>'


def _months(pub: Publication) -> list[str]:
    period = pub.result.period
    start, end = period.start, period.end
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def heatmap(pub: Publication, t: Translator, path: str, memo: Memo | None = None) -> str:
    """Leaf clauses x months of the audit period: how many records prove each clause in
    each month (HTML; the number is in the cell, the shade only repeats it). Through
    ``memo``, a clause's row is taken from the previous portal when made from the same
    records (``Memo.value``)."""
    months = _months(pub)
    if not months:
        return ""
    month = pub.month  # its date's "%Y-%m", once per record and build

    def listing() -> set[str]:
        return set(map(month, pub.records))  # months that have a page of records

    listed = worked_out(memo, "months-listed", (), listing)
    head = "".join(
        f'<th scope="col"><a href="{pub.href(path, f"records/by-month/{m}.md")}">{h(m)}</a></th>'
        if m in listed
        else f'<th scope="col">{h(m)}</th>'
        for m in months
    )

    def row(status: ClauseStatus) -> str:
        found = Counter(map(month, [r for r in pub.scope.shown_of(status.records) if r.date]))
        cells = "".join(
            f'<td class="itsms-heat itsms-heat--{min(n, 3)}">{n or ""}</td>'
            for n in (found.get(m, 0) for m in months)
        )
        clause = status.clause
        label = a(h(clause.id), pub.href(path, pub.clause_page(clause.id)))
        return f'<tr><th scope="row" title="{h(clause.title(t.lang))}">{label}</th>{cells}</tr>'

    rows = [
        worked_out(memo, f"heat:{path}:{s.clause.id}", (tuple(s.records),), partial(row, s))
        for s in pub.result.coverage.leaves.values()
    ]
    return (
        '<div class="itsms-wide itsms-heatmap"><table data-search-exclude>'
        f"<caption>{h(t('cl.heatmap_caption'))}</caption>"
        f'<thead><tr><th scope="col">{h(t("f.clause"))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def heatmap_section(
    pub: Publication, t: Translator, path: str, blocks: Blocks, memo: Memo | None = None
) -> str:
    """The heatmap under its heading (through ``memo``: see ``heatmap``)."""
    html = heatmap(pub, t, path, memo)
    if not html:
        return ""
    return f"## {md(t('cl.heatmap'))}\n\n" + blocks.add(html)
