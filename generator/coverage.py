"""Coverage: which approved, effective documents meet each leaf clause, and which
records in the audit period evidence it. Shared by the rules and every report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import Corpus, Document, Record
from .settings import Exclusion, Period
from .standards import Clause, Standard

#: Evidence states (rules.records.evidence_state) that make a record no evidence.
UNPROVEN = frozenset({"outside", "missing", "bad"})


@dataclass
class ClauseStatus:
    clause: Clause
    documents: list[Document] = field(default_factory=list)  # approved and in effect
    candidates: list[Document] = field(default_factory=list)  # cite it, not (yet) in effect
    records: list[Record] = field(default_factory=list)  # in the audit period
    #: in the audit period but no evidence: their evidence file is missing or altered
    rejected: list[Record] = field(default_factory=list)
    excluded: Exclusion | None = None

    @property
    def covered(self) -> bool:
        return bool(self.documents) or self.excluded is not None

    @property
    def evidenced(self) -> bool:
        return bool(self.records)

    @property
    def latest_record(self) -> dt.date | None:
        dates = [r.date for r in self.records if r.date]
        return max(dates) if dates else None


@dataclass
class Coverage:
    standard: Standard
    period: Period
    leaves: dict[str, ClauseStatus]
    #: id(record) -> its evidence state (rules.records.evidence_state), for every record
    evidence: dict[int, str] = field(default_factory=dict)
    #: id(record) -> the sha256 its evidence file really has, where it was hashed
    actual: dict[int, str] = field(default_factory=dict)

    def proves(self, rec: Record) -> bool:
        """A record is evidence unless its evidence file is missing, outside or altered."""
        return self.evidence.get(id(rec)) not in UNPROVEN

    @property
    def covered(self) -> int:
        return sum(1 for s in self.leaves.values() if s.covered)

    @property
    def evidenced(self) -> int:
        return sum(1 for s in self.leaves.values() if s.evidenced)

    def leaves_of(self, clause_id: str) -> list[ClauseStatus]:
        return [
            self.leaves[c]
            for c in sorted(self.standard.leaves_under(clause_id), key=self._order)
            if c in self.leaves
        ]

    def _order(self, clause_id: str) -> int:
        return self._index.get(clause_id, 0)

    def __post_init__(self) -> None:
        self._index = {c.id: i for i, c in enumerate(self.standard.clauses)}


def document_leaves(doc: Document, standard: Standard) -> set[str]:
    out: set[str] = set()
    for ref in doc.clauses.get(standard.id, ()):
        out |= standard.leaves_under(ref.value)
    return out


def record_leaves(rec: Record, corpus: Corpus, standard: Standard) -> set[str]:
    out: set[str] = set()
    for ref in rec.clauses.get(standard.id, ()):
        out |= standard.leaves_under(ref.value)
    proc = corpus.by_id.get(rec.procedure or "")
    if proc is not None:
        out |= document_leaves(proc, standard)
    return out


def compute(
    corpus: Corpus,
    standard: Standard,
    as_of: dt.date,
    period: Period,
    exclusions: tuple[Exclusion, ...] = (),
    evidence: dict[int, str] | None = None,
) -> Coverage:
    leaves = {c.id: ClauseStatus(c) for c in standard.leaves}
    for exclusion in exclusions:
        for leaf in standard.leaves_under(exclusion.clause):
            leaves[leaf].excluded = exclusion
    for doc in [*corpus.documents, *corpus.broken]:
        if doc.id is None or corpus.by_id.get(doc.id) is not doc:
            continue
        effective = doc.in_effect(as_of)
        for leaf in document_leaves(doc, standard):
            status = leaves[leaf]
            (status.documents if effective else status.candidates).append(doc)
        earlier = corpus.in_effect.get(doc.id)
        if earlier is not None and not effective:
            for leaf in document_leaves(earlier, standard):
                leaves[leaf].documents.append(earlier)
    for rec in corpus.records:
        if rec.date is None or rec.date not in period or rec.date > as_of:
            continue
        proven = (evidence or {}).get(id(rec)) not in UNPROVEN
        for leaf in record_leaves(rec, corpus, standard):
            (leaves[leaf].records if proven else leaves[leaf].rejected).append(rec)
    return Coverage(standard, period, leaves, dict(evidence or {}))
