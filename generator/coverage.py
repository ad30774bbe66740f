"""Coverage: which approved, effective documents meet each leaf clause, and which
records in the audit period evidence it. Shared by the rules and every report.

This is the one place evidence is attributed. A record evidences a leaf clause when its
own ``clauses``, or the clauses its procedure declares for its record type, name that
leaf or a parent of it. A record with neither is *unattributed* and, as before, evidences
every clause of its procedure (the check says so once per procedure). Declared record
types with a cadence are laid out over the audit period (see cadence.py)."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import eligibility
from .cadence import Cadence, lay_out
from .model import Corpus, Document, Record, Ref
from .settings import Exclusion, Period
from .standards import Clause, Standard

#: Evidence states (rules.records.evidence_state) that make a record no evidence.
UNPROVEN = frozenset({"outside", "missing", "folder", "bad"})


@dataclass
class ClauseStatus:
    clause: Clause
    documents: list[Document] = field(default_factory=list)  # approved and in effect
    candidates: list[Document] = field(default_factory=list)  # cite it, not (yet) in effect
    records: list[Record] = field(default_factory=list)  # in the audit period
    #: in the audit period but no evidence: their evidence file is missing or altered
    rejected: list[Record] = field(default_factory=list)
    excluded: Exclusion | None = None
    #: id(record) -> why it counts: own (its clauses), type (its type's declared
    #: clauses) or unattributed (its procedure's clauses)
    why: dict[int, str] = field(default_factory=dict)
    #: declared record types with a cadence whose records evidence this clause
    cadences: list[Cadence] = field(default_factory=list)

    def reason(self, rec: Record) -> str:
        return self.why.get(id(rec), "unattributed")

    @property
    def gaps(self) -> int:
        return sum(len(c.missing) for c in self.cadences)

    @property
    def covered(self) -> bool:
        return bool(self.documents) or self.excluded is not None

    @property
    def evidenced(self) -> bool:
        """Records prove a clause only where a document meets it (evidenced implies covered)."""
        return bool(self.records) and self.covered

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
    #: every declared record type with a cadence, of the documents in effect
    cadences: list[Cadence] = field(default_factory=list)
    #: procedure id -> its record types whose records are unattributed
    unattributed: dict[str, list[str]] = field(default_factory=dict)
    #: id(record) -> ``attribution`` and ``refused`` of each record of the period, as
    #: worked out here (the portal and the trace ask again for thousands of records)
    attributions: dict[int, dict[str, str]] = field(default_factory=dict)
    refusals: dict[int, str | None] = field(default_factory=dict)

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

    def in_order(self, clause_ids: set[str]) -> list[str]:
        """Clause ids in the standard's order (6.2 before 6.10)."""
        return sorted(clause_ids, key=self._order)

    def __post_init__(self) -> None:
        self._index = {c.id: i for i, c in enumerate(self.standard.clauses)}


def _leaves(refs: dict[str, list[Ref]] | None, standard: Standard) -> set[str]:
    """The leaf clauses of ``standard`` under the clauses cited for it."""
    out: set[str] = set()
    for ref in (refs or {}).get(standard.id, ()):
        out |= standard.leaves_under(ref.value)
    return out


def document_leaves(doc: Document, standard: Standard) -> set[str]:
    return _leaves(doc.clauses, standard)


def procedure_in_effect(corpus: Corpus, doc_id: str | None, as_of: dt.date) -> Document | None:
    """The version of a procedure whose record types count: the working copy, or the
    approved version in effect while the working copy is being revised."""
    doc = corpus.by_id.get(doc_id or "")
    earlier = corpus.in_effect.get(doc_id or "")
    if doc is not None and earlier is not None and not doc.in_effect(as_of):
        return earlier
    return doc


def procedure_on(rec: Record, corpus: Corpus, as_of: dt.date) -> Document | None:
    """The version of the record's procedure in force on the record's date: the version
    judged, or an earlier approved one (from git) that was in effect then."""
    proc = procedure_in_effect(corpus, rec.procedure, as_of)
    start = proc.effective if proc is not None else None
    if proc is None or rec.date is None or start is None or rec.date >= start:
        return proc
    then = [
        d
        for d in corpus.earlier.get(proc.id or "", ())
        if d.effective is not None and d.effective <= rec.date
    ]
    return max(then, key=lambda d: d.effective or dt.date.min) if then else proc


def procedure_scope(rec: Record, proc: Document, standard: Standard) -> set[str]:
    """The leaf clauses a record of ``proc`` may evidence: those its procedure declares
    for the record's type, or, failing a declaration for the type, the procedure's own."""
    rtype = proc.record_type(rec.type)
    if rtype is not None and rtype.clauses:
        return _leaves(rtype.clauses, standard)
    return document_leaves(proc, standard)


@dataclass
class Share:
    """What one procedure's records of the period give the coverage, and what it was
    worked out from: the procedure's version in effect and its earlier ones (the
    records' attributions and refusals follow from these, the records and their
    evidence states alone; ``compute``)."""

    proc: Document | None
    earlier: tuple[Document, ...]
    records: tuple[Record, ...]
    states: tuple[str | None, ...]
    #: leaf -> (the records that are evidence, those that are not, why each counts)
    leaves: dict[str, tuple[list[Record], list[Record], dict[int, str]]]
    refusals: dict[int, str | None]
    attributions: dict[int, dict[str, str]]
    unattributed: set[str]


@dataclass
class Shares:
    """Each procedure's share of the last coverage (``itsms serve``: an edit of one
    procedure works out only its records again), and what they were worked out under."""

    under: object = None
    by_procedure: dict[str | None, Share] = field(default_factory=dict)


def refused(rec: Record, corpus: Corpus, as_of: dt.date, state: str | None) -> str | None:
    """Why ``rec`` is no evidence whatever it names, as a reason code (None: it may be):
    one of ``eligibility.REASONS`` (``invalid`` first: a record with schema errors), else
    its evidence state when that is unproven (``UNPROVEN``). Coverage and the trace
    both ask this, so the reason a trace gives is the one that decided. The answer
    follows from the record, its procedure in effect and its state alone (``serve``
    keeps it with each procedure's ``Share``)."""
    proc = procedure_in_effect(corpus, rec.procedure, as_of)
    return _refused(rec, proc, state)


def _refused(rec: Record, proc: Document | None, state: str | None) -> str | None:
    """``refused``, given the record's procedure in effect."""
    why = eligibility.refusal(rec, proc, state)
    if why is None and state in UNPROVEN:
        why = state
    return why


def own_scope(
    rec: Record, corpus: Corpus, standard: Standard, as_of: dt.date
) -> tuple[Document, set[str], list[str]] | None:
    """(its procedure in force on the record's date, the leaves the record's own
    ``clauses`` count for, the clauses among them that lie wholly outside what that
    procedure meets), or None when the record names no clause of ``standard`` or its
    procedure cannot be judged. One calculation for the ``record-clause-outside`` rule and
    for the attribution (coverage, trace, trace page): a clause counts for its leaves
    within ``procedure_scope``; a parent clause containing some of them counts for those
    only and is not outside; a clause none of whose leaves the procedure meets is outside."""
    refs = rec.clauses.get(standard.id, ())
    if not refs:
        return None
    proc = procedure_on(rec, corpus, as_of)
    if proc is None or proc.broken:
        return None
    allowed = procedure_scope(rec, proc, standard)
    counted: set[str] = set()
    beyond: list[str] = []
    for ref in refs:
        leaves = standard.leaves_under(ref.value)
        if leaves and not leaves & allowed:
            beyond.append(ref.value)
        counted |= leaves & allowed
    return proc, counted, list(dict.fromkeys(beyond))


def outside_scope(
    rec: Record, corpus: Corpus, standard: Standard, as_of: dt.date
) -> tuple[Document, list[str], bool] | None:
    """(its procedure, the clauses named in the record's own ``clauses`` that lie outside
    what that procedure meets, whether the record then counts for nothing at all), or
    None when none lies outside (see ``own_scope``)."""
    scope = own_scope(rec, corpus, standard, as_of)
    if scope is None or not scope[2]:
        return None
    proc, counted, beyond = scope
    return proc, beyond, not counted


def attribution(rec: Record, corpus: Corpus, standard: Standard, as_of: dt.date) -> dict[str, str]:
    """Leaf clause -> why ``rec`` evidences it (own, type or unattributed). A record's own
    ``clauses`` count only within what its procedure met on the record's date
    (``own_scope``); a record whose own clauses all lie outside it claimed none of the
    clauses its type declares, so it counts for nothing."""
    proc = procedure_in_effect(corpus, rec.procedure, as_of)
    rtype = proc.record_type(rec.type) if proc is not None else None
    own = _leaves(rec.clauses, standard)
    scope = own_scope(rec, corpus, standard, as_of) if own else None
    if scope is not None:
        _, own, beyond = scope
        if beyond and not own:
            return {}
    declared = _leaves(rtype.clauses if rtype else None, standard)
    out = {leaf: "type" for leaf in declared}
    out.update({leaf: "own" for leaf in own})
    if rec.clauses or (rtype is not None and rtype.clauses):
        return out
    if proc is None:
        return {}
    return {leaf: "unattributed" for leaf in document_leaves(proc, standard)}


def _cadences(
    corpus: Corpus, standard: Standard, as_of: dt.date, period: Period, evidence: dict[int, str]
) -> list[tuple[Cadence, set[str]]]:
    """Each declared type with a cadence, laid out with the records that are evidence."""
    by_type: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in corpus.records:
        if rec.procedure and rec.type and evidence.get(id(rec)) not in UNPROVEN:
            by_type[(rec.procedure, rec.type)].append(rec)
    out: list[tuple[Cadence, set[str]]] = []
    for doc in corpus.documents:
        if doc.id is None or corpus.by_id.get(doc.id) is not doc:
            continue
        source = doc if doc.in_effect(as_of) else corpus.in_effect.get(doc.id)
        if source is None:
            continue
        for rtype in source.record_types:
            cadence = lay_out(source, rtype, by_type.get((doc.id, rtype.type), ()), period, as_of)
            if cadence is None:
                continue
            declared = _leaves(rtype.clauses, standard)
            out.append((cadence, declared if rtype.clauses else document_leaves(source, standard)))
    return out


#: an attribution, the lists of the share's leaves it counts in with why, and whether
#: any is unattributed
_Counted = tuple[dict[str, str], list[tuple[list[Record], list[Record], dict[int, str], str]], bool]


def _counted(attributed: dict[str, str], share: Share) -> _Counted:
    places = []
    for leaf, why in attributed.items():
        lists = share.leaves.get(leaf)
        if lists is None:
            lists = share.leaves[leaf] = ([], [], {})
        places.append((*lists, why))
    return attributed, places, "unattributed" in attributed.values()


def _same_share(
    share: Share,
    proc: Document | None,
    earlier: tuple[Document, ...],
    records: tuple[Record, ...],
    states: tuple[str | None, ...],
) -> bool:
    return (
        share.proc is proc
        and same_records(share.earlier, earlier)
        and same_records(share.records, records)
        and share.states == states
    )


def same_records(a: Sequence[object], b: Sequence[object]) -> bool:
    """The very same objects in the same order (not records or documents of equal
    values: one read again is another object, and what the check found is kept by
    object)."""
    return len(a) == len(b) and all(map(operator.is_, a, b))


def _share(
    corpus: Corpus,
    standard: Standard,
    as_of: dt.date,
    proc: Document | None,
    earlier: tuple[Document, ...],
    records: tuple[Record, ...],
    states: tuple[str | None, ...],
) -> Share:
    """What ``records`` (one procedure's, of the period) give the coverage."""
    share = Share(proc, earlier, records, states, {}, {}, {}, set())
    #: a record naming no clause of the standard is attributed as every other record of
    #: its type is (see ``attribution``): worked out once for them all, with the leaves
    #: it counts for
    alike: dict[tuple[str | None, bool], _Counted] = {}
    for rec, state in zip(records, states, strict=True):
        key = id(rec)
        share.refusals[key] = why_not = _refused(rec, proc, state)
        kind = (rec.type, bool(rec.clauses))
        if rec.clauses.get(standard.id):
            counted = _counted(attribution(rec, corpus, standard, as_of), share)
        elif kind in alike:
            counted = alike[kind]
        else:
            counted = alike[kind] = _counted(attribution(rec, corpus, standard, as_of), share)
        share.attributions[key] = counted[0]
        for proven, rejected, why_of, why in counted[1]:
            (proven if why_not is None else rejected).append(rec)
            why_of[key] = why
        if counted[2]:
            share.unattributed.add(rec.type or "?")
    return share


def compute(
    corpus: Corpus,
    standard: Standard,
    as_of: dt.date,
    period: Period,
    exclusions: tuple[Exclusion, ...] = (),
    evidence: dict[int, str] | None = None,
    kept: Shares | None = None,
) -> Coverage:
    """Each leaf clause's documents and records (a leaf's records are in the order of
    their procedures' first records, then in the corpus' order). ``kept``: each
    procedure's share of the last coverage of the same repository, taken when worked
    out from the very same objects, and filled with this one's."""
    leaves = {c.id: ClauseStatus(c) for c in standard.leaves}
    for exclusion in exclusions:
        for leaf in standard.leaves_under(exclusion.clause):
            leaves[leaf].excluded = exclusion
    for doc in [*corpus.documents, *corpus.broken]:
        if doc.id is None or corpus.by_id.get(doc.id) is not doc:
            continue
        # a file that cannot be read covers nothing: what it says cannot be judged
        effective = doc.in_effect(as_of) and not doc.broken
        for leaf in document_leaves(doc, standard):
            status = leaves[leaf]
            (status.documents if effective else status.candidates).append(doc)
        earlier = corpus.in_effect.get(doc.id)
        if earlier is not None and not effective:
            for leaf in document_leaves(earlier, standard):
                leaves[leaf].documents.append(earlier)
    groups: dict[str | None, list[Record]] = defaultdict(list)
    start, last = period.start, min(period.end, as_of)
    for rec in corpus.records:
        day = rec.date
        if day is not None and start <= day <= last:  # in the period, not after as_of
            groups[rec.procedure].append(rec)
    states = evidence or {}
    under = (standard, as_of, period)
    if kept is not None and kept.under != under:
        kept.under, kept.by_procedure = under, {}
    shares = kept.by_procedure if kept is not None else {}
    unattributed: dict[str, set[str]] = defaultdict(set)
    attributions: dict[int, dict[str, str]] = {}
    refusals: dict[int, str | None] = {}
    for pid, recs in groups.items():
        proc = procedure_in_effect(corpus, pid, as_of)
        versions = tuple(corpus.earlier.get(proc.id or "", ())) if proc is not None else ()
        records = tuple(recs)
        found = tuple(map(states.get, map(id, records)))
        share = shares.get(pid)
        if share is None or not _same_share(share, proc, versions, records, found):
            share = _share(corpus, standard, as_of, proc, versions, records, found)
            if kept is not None:
                shares[pid] = share
        for leaf, (proven, rejected, why) in share.leaves.items():
            status = leaves[leaf]
            status.records.extend(proven)
            status.rejected.extend(rejected)
            status.why.update(why)
        refusals.update(share.refusals)
        attributions.update(share.attributions)
        if share.unattributed and pid:
            unattributed[pid] |= share.unattributed
    if kept is not None:  # procedures with no record in the period any more
        for gone in [pid for pid in shares if pid not in groups]:
            del shares[gone]
    cadences = _cadences(corpus, standard, as_of, period, evidence or {})
    for cadence, attributed in cadences:
        for leaf in sorted(attributed):
            leaves[leaf].cadences.append(cadence)
    return Coverage(
        standard,
        period,
        leaves,
        evidence=dict(evidence or {}),
        cadences=[c for c, _ in cadences],
        unattributed={k: sorted(v) for k, v in sorted(unattributed.items())},
        attributions=attributions,
        refusals=refusals,
    )
