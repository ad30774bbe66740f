"""条款覆盖 › 版本转换: the transition to a newer edition, when the settings ask for it."""

from __future__ import annotations

from ..i18n import Translator
from ..transition import Transition, row_note
from .markup import link, md, table
from .site import PortalPage, Publication

PATH = "clauses/transition.md"


def transition_page(pub: Publication, tr: Transition, t: Translator) -> PortalPage:
    lines = [
        f"# {md(t('tr.title'))}: {md(tr.target.title(t.lang))}\n",
        md(
            t(
                "tr.caption",
                source=tr.source.title(t.lang),
                target=tr.target.title(t.lang),
                direct=tr.count("direct"),
                crosswalk=tr.count("crosswalk"),
                gap=tr.count("gap"),
                leaves=len(tr.rows),
            )
        )
        + "\n",
        md(t("tr.intro")) + "\n",
    ]
    # the clause pages are those of the edition judged against
    linked = tr.source.id == pub.result.standard.id
    rows = []
    for row in tr.rows:
        docs = row.direct or row.through
        rows.append(
            [
                f"**{md(row.clause.id)}**",
                md(row.clause.title(t.lang)),
                md(t(f"tr.{row.verdict}")) if row.verdict != "gap" else f"**{md(t('tr.gap'))}**",
                "<br>".join(
                    link(f"{md(p.id)} {md(p.title(t.lang))}", PATH, pub.clause_page(p.id))
                    if linked
                    else f"{md(p.id)} {md(p.title(t.lang))}"
                    for p in row.predecessors
                )
                or "—",
                "、".join(
                    link(md(d.id), PATH, pub.page_of(d)) if d.id in pub.by_id else md(d.id)
                    for d in docs
                    if d.classification != "confidential"
                )
                or "—",
                md(row_note(tr, row, t.lang)),
            ]
        )
    lines.append(
        table(
            [
                t("f.clause"),
                t("f.title"),
                t("tr.verdict"),
                t("tr.from", source=tr.source.id),
                t("tr.documents"),
                t("tr.note"),
            ],
            rows,
        )
    )
    return PortalPage(PATH, t("tr.title"), "\n".join(lines), boost=0.5)
