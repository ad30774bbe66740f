"""Transition between editions (ISO/IEC 20000-1:2011 -> 2018): for each leaf clause of
the new edition, the old clauses it comes from (the crosswalk), the documents that cite
those (candidates to review), and a verdict — covered directly, covered through the
crosswalk (to confirm), or a gap."""

from __future__ import annotations

from dataclasses import dataclass

from . import coverage as cov
from .check import CheckResult, standards_dirs
from .i18n import Translator
from .model import Document
from .standards import (
    CatalogueError,
    Clause,
    Crosswalk,
    Standard,
    load_crosswalk,
    load_standard,
)
from .views import Table

DIRECT, CROSSWALK, GAP = "direct", "crosswalk", "gap"


@dataclass
class TransitionRow:
    clause: Clause
    predecessors: list[Clause]
    direct: list[Document]  # approved, effective documents citing the new clause itself
    through: list[Document]  # ... citing an old clause it comes from
    new: tuple[str, str] | None  # (en, zh) when the clause has no predecessor

    @property
    def verdict(self) -> str:
        if self.direct:
            return DIRECT
        return CROSSWALK if self.through else GAP


@dataclass
class Transition:
    source: Standard
    target: Standard
    crosswalk: Crosswalk
    rows: list[TransitionRow]

    def count(self, verdict: str) -> int:
        return sum(1 for r in self.rows if r.verdict == verdict)


def analyse(
    result: CheckResult, target_id: str | None = None, source_id: str | None = None
) -> Transition:
    """The transition between two editions, one of them the standard ``result`` was
    checked against: to ``target_id`` (the settings' ``transition_to``), or from
    ``source_id`` (``transition_from``: the check judges the new edition and the page
    shows where each of its clauses comes from in the old one).

    Raises CatalogueError when an edition or the crosswalk is not known, or when both
    ends are the same edition.
    """
    dirs = standards_dirs(result.root, result.settings)

    def with_coverage(standard_id: str | None) -> tuple[Standard, cov.Coverage]:
        if standard_id is None or standard_id == result.standard.id:
            return result.standard, result.coverage
        standard = load_standard(standard_id, dirs)
        return standard, cov.compute(
            result.corpus, standard, result.as_of, result.period, evidence=result.coverage.evidence
        )

    source, source_cov = with_coverage(source_id)
    target, target_cov = with_coverage(target_id)
    if source.id == target.id:
        raise CatalogueError(f"a transition needs two editions, not {source.id} twice")
    walk = load_crosswalk(source.id, target.id, dirs)
    rows = []
    for leaf in target.leaves:
        preds = [source.by_id[p] for p in walk.predecessors(leaf.id) if p in source.by_id]
        through: list[Document] = []
        for pred in preds:
            for status in source_cov.leaves_of(pred.id):
                through += [d for d in status.documents if all(d is not x for x in through)]

        rows.append(
            TransitionRow(
                leaf, preds, target_cov.leaves[leaf.id].documents, through, walk.new.get(leaf.id)
            )
        )
    return Transition(source, target, walk, rows)


def row_note(tr: Transition, row: TransitionRow, lang: str) -> str:
    """What is new in the clause, or the old clause text each mapping rests on."""
    if row.new:
        return row.new[1] if lang == "zh" else row.new[0]
    notes = [f"{p.id}: {tr.crosswalk.note(p.id, lang)}" for p in row.predecessors]
    return "; ".join(n for n in notes if not n.endswith(": "))


def transition_table(tr: Transition, lang: str) -> Table:
    t = Translator(lang)
    columns = [
        ("clause", t("f.clause")),
        ("title", t("f.title")),
        ("verdict", t("tr.verdict")),
        ("from", t("tr.from", source=tr.source.id)),
        ("documents", t("tr.documents")),
        ("note", t("tr.note")),
    ]
    rows = []
    for row in tr.rows:
        docs = row.direct or row.through
        rows.append(
            {
                "clause": row.clause.id,
                "title": row.clause.title(lang),
                "verdict": row.verdict,
                "from": [p.id for p in row.predecessors],
                "documents": [d.id for d in docs],
                "note": row_note(tr, row, lang) or None,
            }
        )
    caption = t(
        "tr.caption",
        source=tr.source.title(lang),
        target=tr.target.title(lang),
        direct=tr.count(DIRECT),
        crosswalk=tr.count(CROSSWALK),
        gap=tr.count(GAP),
        leaves=len(tr.rows),
    )
    return Table(t("tr.title"), columns, rows, caption, {"verdict": "tr."})
