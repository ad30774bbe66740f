"""Model: documents, records and roles built from loaded sources.

Building never fails: a value of the wrong type becomes ``None`` (or empty) here
and the schema step has already said what is wrong with it. Every item keeps its
file and the lines of its keys so that rules can point at them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .load import Source
from .names import normalise
from .settings import add_months
from .values import as_date, as_id, as_int, as_name, as_str
from .yamlread import LineDict, LineList

OBSOLETE = frozenset({"superseded", "withdrawn"})
APPROVED_STATES = frozenset({"approved", "superseded"})


@dataclass(frozen=True)
class Ref:
    """A value with the line it was written on."""

    value: str
    line: int


def _line(meta: Any, key: str, fallback: int) -> int:
    if isinstance(meta, LineDict):
        return meta.key_lines.get(key, fallback)
    return fallback


def _refs(meta: Any, key: str, fallback: int, ids: bool = True) -> list[Ref]:
    value = meta.get(key) if isinstance(meta, dict) else None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    base = _line(meta, key, fallback)
    lines = value.item_lines if isinstance(value, LineList) else []
    out = []
    for i, item in enumerate(value):
        text = as_str(item) if not isinstance(item, int | float) else str(item)
        if text and ids:
            text = normalise(text) or None
        if text:
            out.append(Ref(text, lines[i] if i < len(lines) else base))
    return out


def _clause_refs(meta: Any, fallback: int, default_standard: str) -> dict[str, list[Ref]]:
    value = meta.get("clauses") if isinstance(meta, dict) else None
    if isinstance(value, dict):
        return {
            str(std): _refs(value, str(std), _line(meta, "clauses", fallback))
            for std in value
            if isinstance(std, str)
        }
    refs = _refs(meta, "clauses", fallback)
    return {default_standard: refs} if refs else {}


#: cadences a record type may declare (``every``); ``event`` has no calendar period
CADENCES = ("week", "month", "quarter", "half-year", "year", "event")


@dataclass(frozen=True)
class RecordType:
    """One item of a document's ``records``: a plain name, or ``{type, clauses, every,
    retention_years}``. ``clauses`` maps a standard id to the clauses this type's records
    evidence (empty: not declared); a plain list means the configured standard."""

    type: str
    line: int
    clauses: dict[str, list[Ref]]
    every: str | None
    retention_years: int | None

    def clause_ids(self, standard: str) -> set[str]:
        return {r.value for r in self.clauses.get(standard, [])}


def _record_types(meta: Any, fallback: int, default_standard: str) -> list[RecordType]:
    value = meta.get("records") if isinstance(meta, dict) else None
    if isinstance(value, str | dict):
        value = [value]
    if not isinstance(value, list):
        return []
    base = _line(meta, "records", fallback)
    lines = value.item_lines if isinstance(value, LineList) else []
    out: list[RecordType] = []
    for i, item in enumerate(value):
        line = lines[i] if i < len(lines) else base
        if isinstance(item, dict):
            name = as_str(item.get("type"))
            every = item.get("every")
            out_every = every if isinstance(every, str) and every in CADENCES else None
            clauses = _clause_refs(item, line, default_standard)
            retention = as_int(item.get("retention_years"))
        else:
            name = as_str(item) if not isinstance(item, int | float) else str(item)
            out_every, clauses, retention = None, {}, None
        if name:
            out.append(RecordType(name, line, clauses, out_every, retention))
    return out


@dataclass
class RaciRow:
    activity: str
    line: int
    R: list[Ref]
    A: list[Ref]
    C: list[Ref]
    I: list[Ref]  # noqa: E741 - the letter is the RACI name

    def letters(self) -> list[tuple[str, Ref]]:
        return [(k, r) for k in "RACI" for r in getattr(self, k)]


@dataclass
class HistoryEntry:
    version: str | None
    date: dt.date | None
    author: str | None
    approved_by: str | None
    summary: str | None
    commit: str | None
    line: int


@dataclass
class Document:
    path: str
    meta: Any
    body: str
    body_line: int
    meta_line: int
    id: str | None
    title: str | None
    type: str | None
    version: str | None
    status: str | None
    owner: str | None
    author: str | None
    approved_by: str | None
    approved_on: dt.date | None
    effective_on: dt.date | None
    review_months: int | None
    next_review_on: dt.date | None
    clauses: dict[str, list[Ref]]
    #: the declared record type names (both forms of ``records``), with their lines
    records: list[Ref]
    references: list[Ref]
    supersedes: list[Ref]
    superseded_by: list[Ref]
    withdrawn_on: dt.date | None
    withdrawn_reason: str | None
    classification: str
    fingerprint: str | None
    raci: list[RaciRow]
    history: list[HistoryEntry]
    record_types: list[RecordType] = field(default_factory=list)
    #: a file that could not be read or parsed: it only claims its id (and what could
    #: be salvaged), so that references to it are not reported again
    broken: bool = False
    superseded_on: dt.date | None = None  # written by ``supersede``
    #: what ``derived`` worked out of this document, by name: (its inputs, the answer)
    #: (None until asked: a document kept by an earlier version has none)
    _derived: dict[str, tuple[tuple[object, ...], Any]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def line(self, key: str) -> int:
        return _line(self.meta, key, self.meta_line)

    def seal_holds(self, verify: Callable[[Any, str, str | None], bool]) -> bool:
        """``verify(meta, body, fingerprint)``, asked again only when one of them
        changed (``derived``)."""
        inputs = (self.meta, self.body, self.fingerprint)
        return bool(self.derived("seal", inputs, lambda: verify(*inputs)))

    def derived(self, name: str, inputs: tuple[object, ...], make: Callable[[], Any]) -> Any:
        """``make()``, worked out once while ``inputs`` (what it reads of this document
        and of the settings) stay equal: ``serve`` keeps a document whose file did not
        change, and its text is put in place when only the text did."""
        if self._derived is None:
            self._derived = {}
        kept = self._derived.get(name)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        answer = make()
        self._derived[name] = (inputs, answer)
        return answer

    def record_type(self, name: str | None) -> RecordType | None:
        return self._types_by_name.get(name)

    # asked for each of its records: worked out once (from metadata, fixed once built)
    @cached_property
    def _types_by_name(self) -> dict[str | None, RecordType]:
        return {t.type: t for t in reversed(self.record_types)}  # the first of a name

    @cached_property
    def declared_types(self) -> frozenset[str]:
        return frozenset(r.value for r in self.records)

    @cached_property
    def first_approved(self) -> dt.date | None:
        """When its first approved version took effect: its own effective date, or an
        earlier version's approved history row. Its own version's history row is the day
        it was approved, not the day it took effect (``effective`` may come later)."""
        own = self.effective if self.approved_by else None
        dates = [
            h.date
            for h in self.history
            if h.approved_by and h.date and (own is None or h.version != self.version)
        ]
        return min((d for d in (*dates, own) if d is not None), default=None)

    @property
    def effective(self) -> dt.date | None:
        return self.effective_on or self.approved_on

    @property
    def next_review(self) -> dt.date | None:
        if self.next_review_on:
            return self.next_review_on
        if self.approved_on is None:
            return None
        return add_months(self.approved_on, self.review_months or 12)

    def in_effect(self, as_of: dt.date) -> bool:
        effective = self.effective
        return self.status == "approved" and effective is not None and effective <= as_of

    @property
    def display_title(self) -> str:
        return self.title or self.id or self.path


@dataclass(slots=True)  # 100,000 of them at L: no __dict__ each
class Record:
    path: str
    meta: Any
    body: str
    meta_line: int
    id: str | None
    title: str | None
    type: str | None
    procedure: str | None
    clauses: dict[str, list[Ref]]
    date: dt.date | None
    owner: str | None
    evidence: str | None
    sha256: str | None
    retention_years: int | None
    classification: str

    def line(self, key: str) -> int:
        return _line(self.meta, key, self.meta_line)

    @property
    def is_url(self) -> bool:
        return bool(self.evidence) and "://" in (self.evidence or "")


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    description: str
    line: int


def find_role(value: str | None, roles: dict[str, Role]) -> Role | None:
    """The role ``value`` names: by its id, else by its exact name. The one lookup behind
    the check (roles written in files) and every verb that takes a role; compared
    ``normalise``d (a name with full-width brackets is named as the catalogue has it)."""
    if not value:
        return None
    found = roles.get(value)
    if found is None:
        wanted = normalise(value)
        found = roles.get(wanted) or next(
            (r for r in roles.values() if r.name == value or normalise(r.name) == wanted), None
        )
    return found


@dataclass
class Corpus:
    documents: list[Document] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    roles: dict[str, Role] = field(default_factory=dict)
    roles_path: str | None = None
    pages: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        #: documents that could not be read or parsed, each claiming its id
        self.broken: list[Document] = []
        self.by_id: dict[str, Document] = {}
        self.records_by_id: dict[str, Record] = {}
        #: id -> the approved version in effect (from git) where the working copy is not
        self.in_effect: dict[str, Document] = {}
        #: id -> earlier approved versions (from git), read where a record naming its own
        #: clauses is dated before the version judged took effect
        self.earlier: dict[str, list[Document]] = {}

    def in_force(self, doc_id: str | None) -> Document | None:
        """The version of ``doc_id`` that is judged when another document or a record
        refers to it: the approved version in effect (from git) while its working copy
        is a revision not yet in effect, else the working copy."""
        if not doc_id:
            return None
        return self.in_effect.get(doc_id) or self.by_id.get(doc_id)

    def judged(self) -> list[Document]:
        """Every document as others see it: each in its version in force (see in_force)."""
        return [
            self.in_effect.get(d.id, d) if d.id and self.by_id.get(d.id) is d else d
            for d in self.documents
        ]

    def role(self, value: str | None) -> Role | None:
        """The role ``value`` names (``find_role``)."""
        return find_role(value, self.roles)

    def resolve_roles(self) -> None:
        """A role written by its name stands for its id from here on (views, portal)."""
        if not self.roles:
            return

        known: dict[str | None, str | None] = {}  # a dozen roles, 100,000 records

        def canon(value: str | None) -> str | None:
            if value not in known:
                known[value] = role.id if (role := self.role(value)) is not None else value
            return known[value]

        for doc in self.documents:
            doc.owner = canon(doc.owner)
            for row in doc.raci:
                for letter in "RACI":
                    refs = getattr(row, letter)
                    setattr(row, letter, [Ref(canon(r.value) or r.value, r.line) for r in refs])
        for rec in self.records:
            rec.owner = canon(rec.owner)

    def index(self) -> None:
        """First of each id wins; later ones are duplicates (reported by a rule)."""
        self.by_id = {}
        for doc in [*self.documents, *self.broken]:
            if doc.id and doc.id not in self.by_id:
                self.by_id[doc.id] = doc
        self.records_by_id = {}
        for rec in self.records:
            if rec.id and rec.id not in self.records_by_id:
                self.records_by_id[rec.id] = rec


def _raci(meta: Any, fallback: int) -> list[RaciRow]:
    rows = meta.get("raci") if isinstance(meta, dict) else None
    if not isinstance(rows, list):
        return []
    lines = rows.item_lines if isinstance(rows, LineList) else []
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        line = lines[i] if i < len(lines) else fallback
        out.append(
            RaciRow(
                as_str(row.get("activity")) or "?",
                line,
                *(_refs(row, letter, line) for letter in "RACI"),
            )
        )
    return out


def _history(meta: Any, fallback: int) -> list[HistoryEntry]:
    rows = meta.get("history") if isinstance(meta, dict) else None
    if not isinstance(rows, list):
        return []
    lines = rows.item_lines if isinstance(rows, LineList) else []
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        out.append(
            HistoryEntry(
                as_str(row.get("version")),
                as_date(row.get("date")),
                as_name(row.get("author")),
                as_name(row.get("approved_by")),
                as_str(row.get("summary")),
                as_str(row.get("commit")),
                lines[i] if i < len(lines) else fallback,
            )
        )
    return out


def _classification(meta: dict[str, Any]) -> str:
    """Unset: internal. A value not understood (``Confidential``, ``保密``) is taken as
    confidential: the schema reports it, and nothing is shown meanwhile."""
    value = meta.get("classification")
    if value is None:
        return "internal"
    return value if value in ("public", "internal", "confidential") else "confidential"


def build_document(src: Source, standard: str) -> Document:
    meta = src.meta if isinstance(src.meta, dict) else {}
    fb = src.meta_line
    types = _record_types(meta, fb, standard)
    return Document(
        path=src.path,
        meta=src.meta,
        body=src.body,
        body_line=src.body_line,
        meta_line=fb,
        id=as_id(meta.get("id")),
        title=as_str(meta.get("title")),
        type=as_str(meta.get("type")),
        version=as_str(meta.get("version")),
        status=as_str(meta.get("status")),
        owner=as_id(meta.get("owner")),
        author=as_name(meta.get("author")),
        approved_by=as_name(meta.get("approved_by")),
        approved_on=as_date(meta.get("approved_on")),
        effective_on=as_date(meta.get("effective")),
        review_months=as_int(meta.get("review_months")),
        next_review_on=as_date(meta.get("next_review")),
        clauses=_clause_refs(meta, fb, standard),
        records=[Ref(t.type, t.line) for t in types],
        references=_refs(meta, "references", fb),
        supersedes=_refs(meta, "supersedes", fb),
        superseded_by=_refs(meta, "superseded_by", fb),
        withdrawn_on=as_date(meta.get("withdrawn_on")),
        superseded_on=as_date(meta.get("superseded_on")),
        withdrawn_reason=as_str(meta.get("withdrawn_reason")),
        classification=_classification(meta),
        fingerprint=as_str(meta.get("fingerprint")),
        raci=_raci(meta, fb),
        history=_history(meta, fb),
        record_types=types,
    )


def build_record(src: Source, standard: str) -> Record:
    meta = src.meta if isinstance(src.meta, dict) else {}
    return Record(
        path=src.path,
        meta=src.meta,
        body=src.body,
        meta_line=src.meta_line,
        id=as_id(meta.get("id")),
        title=as_str(meta.get("title")),
        type=as_str(meta.get("type")),
        procedure=as_id(meta.get("procedure")),
        clauses=_clause_refs(meta, src.meta_line, standard),
        date=as_date(meta.get("date")),
        owner=as_id(meta.get("owner")),
        evidence=as_str(meta.get("evidence")),
        sha256=as_str(meta.get("sha256")),
        retention_years=as_int(meta.get("retention_years")),
        classification=_classification(meta),
    )


def role_rows(meta: Any) -> Any:
    """The list of roles in roles.yml: the file itself, or its ``roles:`` key."""
    if isinstance(meta, list):
        return meta
    return meta.get("roles") if isinstance(meta, dict) else None


def build_roles(src: Source) -> dict[str, Role]:
    rows = role_rows(src.meta)
    if not isinstance(rows, list):
        return {}
    lines = rows.item_lines if isinstance(rows, LineList) else []
    roles: dict[str, Role] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        rid = as_id(row.get("id"))
        if rid and rid not in roles:
            roles[rid] = Role(
                rid,
                as_str(row.get("name")) or rid,
                as_str(row.get("description")) or "",
                lines[i] if i < len(lines) else 1,
            )
    return roles
