"""条款覆盖: the clause tree and one trace page per leaf clause
(clause -> documents -> records, with dates)."""

from __future__ import annotations

from ..coverage import ClauseStatus
from ..i18n import Translator
from ..model import Record
from ..scope import LeafView
from ..standards import Clause
from ..trace import rejected_reason, rejection
from .marks import badge, heatmap_section
from .markup import a, h, html_table, md
from .memo import Memo, made
from .records import (
    DATE,
    HASH,
    IDENT,
    OWNER,
    TITLE,
    cadence_block,
    evidence_cell,
    hash_status,
    record_cells,
)
from .site import Blocks, PortalPage, Publication


def _status_marks(status: ClauseStatus, t: Translator) -> str:
    """Coverage and evidence as badges with words (emoji are boxes in Debian's Chromium)."""
    if status.excluded:
        cover = badge(t("cl.excluded"), "plain")
    elif status.documents:
        cover = badge(t("cl.covered"), "ok")
    else:
        cover = badge(t("cl.uncovered"), "bad")
    evidence = (
        badge(f"{t('cl.evidenced')} {len(status.records)}", "ok")
        if status.evidenced
        else badge(t("cl.no_evidence"), "warn")
    )
    return f"{cover} {evidence}"


def clause_tree(pub: Publication, t: Translator, memo: Memo | None = None) -> PortalPage:
    path = "clauses/index.md"
    std = pub.result.standard
    cov = pub.result.coverage
    lines = [
        f"# {md(t('nav.clauses'))}\n",
        md(
            t(
                "cl.intro",
                standard=std.title(t.lang),
                leaves=len(cov.leaves),
                covered=cov.covered,
                evidenced=cov.evidenced,
            )
        )
        + "\n",
    ]

    # The tree is a searched block (65 KB of links at 500 documents, 285 KB at 2,000:
    # Markdown would parse every one), one item a line; the search index reads it.
    tree: list[str] = []

    def walk(clause: Clause) -> None:
        href = pub.href(path, pub.clause_page(clause.id))
        status = cov.leaves.get(clause.id)
        if status is not None:
            docs = "、".join(
                a(h(d.id), pub.href(path, pub.page_of(d)))
                for d in status.documents
                if pub.scope.shows(d)
            )
            label = f"<strong>{h(clause.id)}</strong> {h(clause.title(t.lang))}"
            item = f"{a(label, href)} — {_status_marks(status, t)}" + (f" — {docs}" if docs else "")
        else:
            leaves = cov.leaves_of(clause.id)
            done = sum(1 for s in leaves if s.covered)
            title = f"<strong>{h(clause.id)} {h(clause.title(t.lang))}</strong>"
            item = f"{a(title, href)} ({done}/{len(leaves)})"
        children = std.children.get(clause.id, [])
        tree.append(f"<li>{item}" + ("<ul>" if children else "</li>"))
        for child in children:
            walk(child)
        if children:
            tree.append("</ul>\n</li>")

    for top in std.children.get(None, []):
        walk(top)
    blocks = Blocks()
    if tree:
        lines.append(blocks.add("<ul>\n" + "\n".join(tree) + "\n</ul>", searched=True))
    lines.append(heatmap_section(pub, t, path, blocks, memo))
    return PortalPage(path, t("nav.clauses"), "\n".join(lines) + "\n", blocks=blocks.items)


def rejected_cells(pub: Publication, rec: Record, t: Translator) -> list[str]:
    """HTML cells of a record in the period that is not evidence, with why: the same
    on every trace page that lists it, so made once per build."""
    cells = pub.rejected_cells.get(id(rec))
    if cells is None:
        reason, rules = rejection(pub.result, rec)
        cells = [
            h(rec.id),
            h(rec.title),
            h(rec.date),
            h(t(f"hash.{hash_status(pub, rec)}")),
            h(rejected_reason(t, reason, rules)),
        ]
        pub.rejected_cells[id(rec)] = cells
    return cells


def trace_page(
    pub: Publication,
    status: ClauseStatus,
    t: Translator,
    view: LeafView | None = None,
    memo: Memo | None = None,
) -> PortalPage:
    clause = status.clause
    path = pub.clause_page(clause.id)
    std = pub.result.standard
    lines = [f"# {md(clause.id)} {md(clause.title(t.lang))}\n"]
    parents = std.ancestors(clause.id)
    if parents:
        trail = " › ".join(f"{md(p.id)} {md(p.title(t.lang))}" for p in reversed(parents))
        lines.append(f"{md(t('cl.parent'))}: {trail}\n")
    lines.append(f"{_status_marks(status, t)}\n")
    if status.excluded:
        lines.append(md(t("cl.justification", text=status.excluded.justification)) + "\n")
    view = view or pub.scope.leaf(status)  # the same view as `itsms trace`
    shown = view.documents
    hidden = view.hidden
    lines.append(f"## {md(t('cl.trace_docs'))}\n")
    headers = [
        t("f.id"),
        t("f.title"),
        t("f.version"),
        t("f.status"),
        t("f.approved_on"),
        t("f.effective"),
    ]
    # The page is out of the search index: its tables are HTML blocks (Markdown would
    # parse ~50 KB of table cells per trace page at 500 documents).
    blocks = Blocks()
    rows = [
        [
            a(h(d.id), pub.href(path, pub.page_of(d))),
            h(d.title),
            h(d.version),
            h(t(f"status.{d.status}")),
            h(d.approved_on),
            h(d.effective),
        ]
        for d in shown
    ]
    uncovered = "" if hidden or status.excluded else md(t("cl.uncovered")) + "\n"
    lines.append(blocks.add(html_table(headers, rows)) or uncovered)
    if hidden:
        lines.append(md(t("cl.confidential", count=hidden)) + "\n")
    candidates = [d for d in view.candidates if d.id in pub.by_id]
    if candidates:
        lines.append(f"### {md(t('cl.candidates'))}\n")
        lines.append(
            blocks.add(
                html_table(
                    headers,
                    [
                        [
                            a(h(d.id), pub.href(path, pub.page_of(d))),
                            h(d.title),
                            h(d.version),
                            h(t(f"status.{pub.scope.status(d)}")),
                            h(d.approved_on or "—"),
                            h(d.effective or "—"),
                        ]
                        for d in candidates
                    ],
                )
            )
        )
    lines.append(f"## {md(t('cl.trace_records', period=str(pub.result.period)))}\n")
    recs = view.records

    def listing() -> str:
        rows = []
        why: dict[str, str] = {}  # reason -> its words (three reasons, thousands of rows)
        for r in recs:
            cells = record_cells(pub, r, t)
            reason = status.reason(r)
            if reason not in why:
                why[reason] = h(t(f"why.{reason}"))
            rows.append(
                [
                    a(cells[IDENT], pub.href(path, pub.record_page(r))),
                    cells[TITLE],
                    cells[DATE],
                    cells[OWNER],
                    evidence_cell(pub, r, path),
                    cells[HASH],
                    why[reason],
                ]
            )
        headers = [
            t("f.record"),
            t("f.title"),
            t("f.date"),
            t("f.owner"),
            t("f.evidence"),
            t("f.hash"),
            t("f.why"),
        ]
        return html_table(headers, rows)

    # the records, the longest listing, are most often what an edit of a document left
    if memo is not None:
        key = (memo.records(recs), tuple(map(status.why.get, map(id, recs))))
        records_html = memo.part(path, key, listing)
    else:
        records_html = listing()
    lines.append(blocks.add(records_html) or md(t("cl.no_evidence")) + "\n")
    rejected = view.rejected
    if rejected:
        lines.append(f"### {md(t('trace.rejected'))}\n")
        lines.append(
            blocks.add(
                html_table(
                    [t("f.record"), t("f.title"), t("f.date"), t("f.hash"), t("f.why_not")],
                    [rejected_cells(pub, r, t) for r in rejected],
                )
            )
        )
    cadences = [c for c in status.cadences if pub.scope.shows(c.document)]
    if cadences:
        lines.append(f"## {md(t('cad.title'))}\n")
        lines.extend(blocks.add(cadence_block(c, t)) for c in cadences)
    # A trace repeats what the documents' and records' pages say: not in the search index.
    return PortalPage(
        path,
        f"{clause.id} {clause.title(t.lang)}",
        "\n".join(lines),
        search=False,
        blocks=blocks.items,
    )


def parent_page(pub: Publication, clause: Clause, t: Translator) -> PortalPage:
    """A clause with sub-clauses: its leaves, each with its status and documents."""
    path = pub.clause_page(clause.id)
    cov = pub.result.coverage
    lines = [f"# {md(clause.id)} {md(clause.title(t.lang))}\n"]
    rows = []
    for status in cov.leaves_of(clause.id):
        docs = "、".join(
            a(h(d.id), pub.href(path, pub.page_of(d)))
            for d in status.documents
            if pub.scope.shows(d)
        )
        rows.append(
            [
                a(h(status.clause.id), pub.href(path, pub.clause_page(status.clause.id))),
                h(status.clause.title(t.lang)),
                _status_marks(status, t),
                docs or "—",
            ]
        )
    # a searched block (a clause such as 4 lists ~30 KB of cells): Markdown need not read
    # it, and it is in the search index as the Markdown table was
    headers = [t("f.clause"), t("f.title"), t("f.covered"), t("f.documents")]
    blocks = Blocks()
    lines.append(blocks.add(html_table(headers, rows, searchable=True), searched=True))
    title = f"{clause.id} {clause.title(t.lang)}"
    return PortalPage(path, title, "\n".join(lines), boost=0.5, blocks=blocks.items)


def clause_pages(pub: Publication, t: Translator, memo: Memo | None = None) -> list[PortalPage]:
    """The clause tree, a page per clause; a leaf's trace through ``memo`` (taken from
    the previous portal where made from the same inputs)."""

    def trace(status: ClauseStatus) -> PortalPage:
        return made(
            memo,
            pub.clause_page(status.clause.id),
            lambda: memo.trace_key(status) if memo else None,
            lambda: trace_page(pub, status, t, memo.view(status) if memo else None, memo),
        )

    pages = [clause_tree(pub, t, memo)]
    leaves = pub.result.coverage.leaves
    for clause in pub.result.standard.clauses:
        status = leaves.get(clause.id)
        pages.append(parent_page(pub, clause, t) if status is None else trace(status))
    return pages
