"""Marks a reader sees at a glance: badges with words (never emoji: Debian's
Chromium draws them as empty boxes) and the clause x month heatmap of evidence."""

from __future__ import annotations

from collections import Counter

from ..i18n import Translator
from .markup import a, h, md
from .memo import Memo
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


def heatmap(pub: Publication, t: Translator, path: str) -> str:
    """Leaf clauses x months of the audit period: how many records prove each clause in
    each month (HTML; the number is in the cell, the shade only repeats it)."""
    months = _months(pub)
    if not months:
        return ""
    visible = {id(r) for r in pub.records}
    month = pub.month  # its date's "%Y-%m", once per record and build
    listed = set(map(month, pub.records))  # months that have a page of records
    head = "".join(
        f'<th scope="col"><a href="{pub.href(path, f"records/by-month/{m}.md")}">{h(m)}</a></th>'
        if m in listed
        else f'<th scope="col">{h(m)}</th>'
        for m in months
    )
    rows = []
    for status in pub.result.coverage.leaves.values():
        found = Counter(map(month, [r for r in status.records if id(r) in visible and r.date]))
        cells = "".join(
            f'<td class="itsms-heat itsms-heat--{min(n, 3)}">{n or ""}</td>'
            for n in (found.get(m, 0) for m in months)
        )
        clause = status.clause
        label = a(h(clause.id), pub.href(path, pub.clause_page(clause.id)))
        rows.append(
            f'<tr><th scope="row" title="{h(clause.title(t.lang))}">{label}</th>{cells}</tr>'
        )
    return (
        '<div class="itsms-wide itsms-heatmap"><table data-search-exclude>'
        f"<caption>{h(t('cl.heatmap_caption'))}</caption>"
        f'<thead><tr><th scope="col">{h(t("f.clause"))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def heatmap_section(
    pub: Publication, t: Translator, path: str, blocks: Blocks, memo: Memo | None = None
) -> str:
    """The heatmap under its heading; through ``memo``, taken from the previous portal
    when made from the same records (each leaf's, and those the publication shows)."""
    if memo is None:
        html = heatmap(pub, t, path)
    else:
        leaves = pub.result.coverage.leaves.values()
        key = (memo.made.records, tuple(tuple(s.records) for s in leaves))
        html = memo.part(f"heatmap:{path}", key, lambda: heatmap(pub, t, path))
    if not html:
        return ""
    return f"## {md(t('cl.heatmap'))}\n\n" + blocks.add(html)
