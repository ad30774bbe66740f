"""The publication scope: for one check result (and its as-of date), preview or not,
confidential or not, which documents and records are visible and which version of
each is in force. The portal, the coverage / register / matrix views in every
format, trace and the audit pack all ask this one object, so that none of them can
show what another hides, or another version.

- A document whose working copy is not in effect (a revision drafted or under
  review, an approval that takes effect later) is shown in the approved version in
  effect read from git; a preview shows the working copy beside it.
- Drafts and documents under review without an earlier approved version are shown
  only in a preview.
- Confidential documents and records are shown only when asked for (an audit pack
  with ``--include-confidential``, a controller's desk); never in the portal.
- An approval that takes effect after the as-of date is stated as such
  (``approved_pending``: approved, not yet in effect), never as in effect, and feeds no
  RACI matrix until then.
- A document whose RACI the check found invalid (an unknown role, an activity
  without exactly one A) feeds no matrix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from .check import CheckResult
from .coverage import ClauseStatus, same_records
from .model import OBSOLETE, Document, Record

UNPUBLISHED = frozenset({"draft", "review"})
#: Findings that make a document's RACI untrue: its matrix is not published.
RACI_RULES = frozenset({"raci-accountable", "unknown-role"})


@dataclass
class LeafView:
    """What a publication shows of one leaf clause: the trace page and ``itsms trace``."""

    status: ClauseStatus
    documents: list[Document]  # approved and in effect, in the version in force
    candidates: list[Document]  # cite it, not (yet) in effect
    records: list[Record]  # evidence in the period, newest first
    rejected: list[Record]  # in the period, not evidence (file missing or altered)
    hidden: int  # documents meeting it that this publication does not show


def newest_first(records: list[Record]) -> list[Record]:
    """Newest first; an undated record (a date that is no date) last."""
    return sorted(records, key=lambda r: (r.date or dt.date.min, r.id or ""), reverse=True)


class Scope:
    """What one publication shows of a check result."""

    def __init__(
        self,
        result: CheckResult,
        *,
        preview: bool = False,
        confidential: bool = False,
        like: tuple[tuple[Record, ...], tuple[Record, ...]] | None = None,
    ) -> None:
        """``like``: (``shown_records``, ``records``) of an earlier scope (``itsms
        serve``'s last portal): when this one shows the very same records, their order
        is taken instead of sorting them again."""
        self.result = result
        self.as_of: dt.date = result.as_of
        self.preview = preview
        self.confidential = confidential
        corpus = result.corpus
        #: the version in force of each visible document (or, in a preview, the draft)
        self.documents: list[Document] = []
        #: working copies shown beside the version in force (preview only)
        self.previews: list[Document] = []
        #: id -> the working copy of a document whose version in force comes from git
        self.revising: dict[str, Document] = {}
        for doc in corpus.documents:
            if not doc.id or corpus.by_id.get(doc.id) is not doc:
                continue
            if doc.classification == "confidential" and not confidential:
                continue
            earlier = corpus.in_effect.get(doc.id)
            if earlier is not None and (confidential or earlier.classification != "confidential"):
                self.documents.append(earlier)
                self.revising[doc.id] = doc
                if preview:
                    self.previews.append(doc)
            elif doc.status == "withdrawn" and not (doc.approved_by and doc.approved_on):
                continue  # never approved: it was never in force, there is nothing to archive
            elif doc.status not in UNPUBLISHED or preview:
                self.documents.append(doc)
        self.by_id: dict[str, Document] = {d.id: d for d in self.documents if d.id}
        #: the records shown, in the corpus' order
        self.shown_records = tuple(
            r
            for r in corpus.records
            if r.id
            and corpus.records_by_id.get(r.id) is r
            and (confidential or r.classification != "confidential")
        )
        self.records: list[Record] = (
            list(like[1])
            if like is not None and same_records(like[0], self.shown_records)
            else newest_first(list(self.shown_records))
        )
        self._shown = {id(d) for d in self.documents} | {id(r) for r in self.records}

    # --- what is visible ---------------------------------------------------------------
    def shows(self, item: Document | Record) -> bool:
        """Is this very object (this version) part of the publication?"""
        return id(item) in self._shown

    def names(self, doc: Document) -> bool:
        """May this publication name ``doc`` at all (as a candidate, say)? Not when it is
        confidential (unless asked for), nor a draft or under review outside a preview."""
        if doc.classification == "confidential" and not self.confidential:
            return False
        return self.preview or doc.status not in UNPUBLISHED or self.shows(doc)

    def leaf(
        self, status: ClauseStatus, like: tuple[tuple[Record, ...], ...] | None = None
    ) -> LeafView:
        """A leaf clause's documents and records, as this publication shows them.
        ``like``: (records, rejected) of a view of the same records (the same objects,
        in the same order) in a publication that showed the same records."""
        documents = [d for d in status.documents if self.shows(d)]
        return LeafView(
            status,
            documents,
            [d for d in status.candidates if self.names(d)],
            list(like[0]) if like is not None else self.shown_newest_first(status.records),
            list(like[1]) if like is not None else self.shown_newest_first(status.rejected),
            len(status.documents) - len(documents),
        )

    def shown_of(self, records: list[Record]) -> list[Record]:
        """Those of ``records`` this publication shows, in their order."""
        shown = self._shown
        return [r for r in records if id(r) in shown]

    def shown_newest_first(self, records: list[Record]) -> list[Record]:
        """``newest_first`` of those of ``records`` this publication shows."""
        return newest_first(self.shown_of(records))

    def status(self, doc: Document) -> str:
        """The status a publication states: ``approved_pending`` for an approval that
        takes effect after the as-of date (approved, not yet in effect), else the file's."""
        if doc.status == "approved" and not doc.broken and not doc.in_effect(self.as_of):
            effective = doc.effective
            if effective is not None and effective > self.as_of:
                return "approved_pending"
        return doc.status or ""

    def in_force(self, doc_id: str) -> Document | None:
        """The version of ``doc_id`` this publication shows as current, if any."""
        return self.by_id.get(doc_id)

    def current(self) -> list[Document]:
        return [d for d in self.documents if d.status not in OBSOLETE]

    def obsolete(self) -> list[Document]:
        return [d for d in self.documents if d.status in OBSOLETE]

    def processes(self) -> list[Document]:
        """Current documents whose RACI feeds the matrices (invalid RACI left out; outside
        a preview, only documents in effect: an approval taking effect later not yet)."""
        return [
            d
            for d in self.current()
            if d.raci
            and d.id not in self.invalid_raci
            and (self.preview or d.in_effect(self.as_of))
        ]

    @cached_property
    def invalid_raci(self) -> frozenset[str]:
        """Ids of documents whose RACI the check found invalid."""
        out = set()
        for f in self.result.findings:
            if f.rule not in RACI_RULES or not f.id:
                continue
            field = str(f.params.get("field", "raci"))
            if f.rule == "raci-accountable" or field.startswith("raci"):
                out.add(f.id)
        return frozenset(out)

    # --- what is not ---------------------------------------------------------------------
    @cached_property
    def hidden_ids(self) -> frozenset[str]:
        """Ids of what this publication must not show (confidential, unpublished)."""
        corpus = self.result.corpus
        everything: list[Document | Record] = [*corpus.documents, *corpus.records]
        return frozenset(
            i.id for i in everything if i.id and not self.shows(i) and i.id not in self.by_id
        )

    @cached_property
    def confidential_ids(self) -> frozenset[str]:
        """Ids of confidential documents and records not shown (for redaction)."""
        if self.confidential:
            return frozenset()
        corpus = self.result.corpus
        everything: list[Document | Record] = [*corpus.documents, *corpus.records]
        return frozenset(i.id for i in everything if i.id and i.classification == "confidential")

    @cached_property
    def confidential_titles(self) -> frozenset[str]:
        """Titles of confidential documents and records not shown (for redaction)."""
        if self.confidential:
            return frozenset()
        corpus = self.result.corpus
        everything: list[Document | Record] = [*corpus.documents, *corpus.records]
        return frozenset(
            i.title for i in everything if i.title and i.classification == "confidential"
        )
