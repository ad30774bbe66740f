"""Pages of the previous portal that the next one takes as they are (``itsms serve``).

A page is made from a few things the publication holds: a document, the records it
produced, the documents it links to, a clause's trace. For each page it makes, a portal
keeps a key of those inputs (their values: documents, the sources records were read
from, what the check found of them) and the evidence files the page copies. The next
portal of the same live site takes a page whose key is equal instead of making it
again. What any page may read (settings, dates, roles, where each document's page is,
what is hidden) is one more key, the context: when it differs, no page is taken.
Because the keys hold the inputs' values, a page taken equals the page made again (the
tests compare served sites with cold builds after edits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from ..coverage import ClauseStatus, same_records
from ..model import Document, Record
from ..relations import Relations
from ..scope import LeafView
from .site import PortalPage, Publication

T = TypeVar("T")


@dataclass
class Made:
    """A page, the key of what it was made from, and the evidence files it copies."""

    key: object
    page: PortalPage
    evidence: dict[str, str]


@dataclass
class PageMemo:
    """The pages of one portal by path, with the context they were made in."""

    context: object = None
    pages: dict[str, Made] = field(default_factory=dict)
    #: parts of pages (HTML listings) by name, with the key of what each was made from
    #: and the evidence files it copies
    parts: dict[str, tuple[object, str, dict[str, str]]] = field(default_factory=dict)
    #: the records the publication showed, newest first (``Publication.records``)
    records: tuple[Record, ...] = ()
    #: the same in the corpus' order (``Scope.shown_records``)
    shown: tuple[Record, ...] = ()
    #: what pages are made from, worked out from the records alone (``Memo.value``)
    values: dict[str, tuple[object, object]] = field(default_factory=dict)
    #: each leaf's records and rejected records (by clause id), with those of them its
    #: view showed, newest first (``Memo.view``)
    views: dict[str, tuple[tuple[Record, ...], ...]] = field(default_factory=dict)


class Memo:
    """The pages one portal build makes, taking those of ``previous`` whose keys are
    equal (none when ``previous`` is None or its context differs)."""

    def __init__(self, pub: Publication, previous: PageMemo | None) -> None:
        self.pub = pub
        self.context = context(pub)
        self.made = PageMemo(self.context)
        same = previous is not None and previous.context == self.context
        self.old: dict[str, Made] = previous.pages if previous is not None and same else {}
        self.old_parts = previous.parts if previous is not None and same else {}
        # a page taken whole asks for none of its parts: they stay for the next build,
        # which may make that page again (a part is taken only for an equal key)
        self.made.parts.update(self.old_parts)
        self.made.records = tuple(pub.records)
        self.made.shown = pub.scope.shown_records
        # a leaf's records shown, newest first, are those of the last build when it has
        # the same records and the publication shows the same ones (the same objects)
        same = same and previous is not None and same_records(previous.records, self.made.records)
        self.old_views = previous.views if previous is not None and same else {}
        self.old_values = previous.values if previous is not None and same else {}
        self._views: dict[str, LeafView] = {}
        #: how many pages were taken from ``previous`` (tests, bench)
        self.taken = 0

    def page(
        self, path: str, key: Callable[[], object], make: Callable[[], PortalPage]
    ) -> PortalPage:
        """The page at ``path``: the previous one when made from an equal ``key``."""
        pub = self.pub
        found = self.old.get(path)
        inputs = key()
        if found is not None and found.key == inputs:
            pub.evidence.update(found.evidence)
            self.made.pages[path] = found
            self.taken += 1
            return found.page
        page, used = self._making(make)
        self.made.pages[path] = Made(inputs, page, used)
        return page

    def part(self, name: str, key: object, make: Callable[[], str]) -> str:
        """A part of a page (a listing): the previous one when made from an equal
        ``key``."""
        pub = self.pub
        found = self.old_parts.get(name)
        if found is not None and found[0] == key:
            pub.evidence.update(found[2])
            self.made.parts[name] = found
            return found[1]
        text, used = self._making(make)
        self.made.parts[name] = (key, text, used)
        return text

    def value(self, name: str, key: tuple[tuple[Record, ...], ...], make: Callable[[], T]) -> T:
        """What ``make()`` works out from the records the publication shows (the same
        objects as in the previous portal) and ``key`` (more records): the previous one
        when both are the very same objects (no evidence file is published by it)."""
        found = self.old_values.get(name)
        if found is not None and _same_keys(found[0], key):
            self.made.values[name] = found
            return found[1]  # type: ignore[return-value]
        made = make()
        self.made.values[name] = (key, made)
        return made

    def _making(self, make: Callable[[], T]) -> tuple[T, dict[str, str]]:
        """``make()`` and the evidence files it published (replayed when it is reused)."""
        pub = self.pub
        outer, pub.evidence = pub.evidence, {}
        try:
            made = make()
        finally:
            used, pub.evidence = pub.evidence, outer
        outer.update(used)
        return made, used

    # --- keys -----------------------------------------------------------------------
    def records(self, recs: list[Record]) -> tuple[object, ...]:
        """What the rows of ``recs`` show of them: each record (made from its file alone,
        and the same object while its file is unchanged; owner's name: the roles, in
        the context) and what the check found of its evidence. Two tuples, compared
        item by item without a Python call each (100,000 records at L)."""
        states = self.pub.result.coverage.evidence
        return (tuple(recs), tuple(map(states.get, map(id, recs))))

    def rejections(self, recs: list[Record]) -> tuple[object, ...]:
        """Why each of ``recs`` (records of a leaf that are no evidence) is none, as
        ``trace.rejection`` says it: the reason that decided (every such record has
        one in the coverage) and the rules of the errors found in its file."""
        result = self.pub.result
        return (
            self.records(recs),
            tuple(map(result.coverage.refusals.get, map(id, recs))),
            tuple(map(result.error_rules, [r.path for r in recs])),
        )

    def view(self, status: ClauseStatus) -> LeafView:
        """What the publication shows of a leaf (``Scope.leaf``), once per build."""
        clause = status.clause.id
        found = self._views.get(clause)
        if found is None or found.status is not status:
            recs, rejected = tuple(status.records), tuple(status.rejected)
            old = self.old_views.get(clause)
            like = (
                old[2:]
                if old is not None and same_records(old[0], recs) and same_records(old[1], rejected)
                else None
            )
            found = self._views[clause] = self.pub.scope.leaf(status, like)
            self.made.views[clause] = (recs, rejected, tuple(found.records), tuple(found.rejected))
        return found

    def document_key(
        self, relations: Relations, doc: Document, replaced_by: Document | None
    ) -> object:
        """A document's page: the document, the documents it names or is named by, the
        records it produced (and the clauses each evidences), its versions."""
        pub = self.pub
        doc_id = doc.id or ""
        named = [
            *relations.refers.get(doc_id, []),
            *relations.referred_by.get(doc_id, []),
            *(r.value for r in doc.superseded_by),
        ]
        recs = pub.records_of(doc_id) if doc_id else []
        cov = pub.result.coverage
        return (
            doc,
            replaced_by,
            pub.scope.status(doc),
            pub.by_id.get(doc_id) is doc,
            pub.revising.get(doc_id),
            pub.replaced(doc),
            tuple(relations.refers.get(doc_id, [])),
            tuple(relations.referred_by.get(doc_id, [])),
            tuple((i, _title(pub.by_id.get(i))) for i in named),  # named by id and title
            self.records(recs),
            tuple(map(cov.attributions.get, map(id, recs))),  # compared, never hashed
            tuple(sorted(pub.cadences_of(doc_id).items())) if doc_id else (),
        )

    def trace_key(self, status: ClauseStatus) -> object:
        """A leaf clause's trace: what the publication shows of it (``Scope.leaf``)."""
        pub = self.pub
        view = self.view(status)
        return (
            status.clause,
            status.excluded,
            bool(status.documents),
            status.evidenced,
            len(status.records),
            tuple(view.documents),
            tuple((d, pub.scope.status(d)) for d in view.candidates if d.id in pub.by_id),
            view.hidden,
            self.records(view.records),
            tuple(map(status.why.get, map(id, view.records))),  # status.reason
            self.rejections(view.rejected),
            tuple(c for c in status.cadences if pub.scope.shows(c.document)),
        )


def _same_keys(a: object, b: tuple[tuple[Record, ...], ...]) -> bool:
    return (
        isinstance(a, tuple)
        and len(a) == len(b)
        and all(same_records(x, y) for x, y in zip(a, b, strict=True))
    )


def made(
    memo: Memo | None, path: str, key: Callable[[], object], make: Callable[[], PortalPage]
) -> PortalPage:
    """``make()``, or through ``memo`` when there is one."""
    return make() if memo is None else memo.page(path, key, make)


def worked_out(
    memo: Memo | None, name: str, key: tuple[tuple[Record, ...], ...], make: Callable[[], T]
) -> T:
    """``make()``, or through ``memo`` when there is one (``Memo.value``)."""
    return make() if memo is None else memo.value(name, key, make)


def _title(doc: Document | None) -> str | None:
    return doc.title if doc is not None else None


def context(pub: Publication) -> tuple[object, ...]:
    """What any page may read besides its own inputs: when it differs between two
    builds, no page of the first is taken by the second."""
    result = pub.result
    return (
        result.root,
        result.settings,
        result.as_of,
        result.period,
        result.standard,
        pub.options,
        tuple(result.corpus.roles.items()),
        pub.hidden_ids,
        pub.redaction,
        tuple((d.id, pub.page_of(d)) for d in [*pub.documents, *pub.previews]),
        tuple(pub.archived),
        tuple(sorted(pub.commits.items())),
        result.history is None,
    )
