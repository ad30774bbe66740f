"""Approval state: who approved, when, not the author, not changed since; dates
in order; the revision history; periodic review."""

from __future__ import annotations

from collections.abc import Iterator

from .. import fingerprint
from ..findings import Finding, Severity
from ..history import held_unapproved
from ..i18n import Msg
from ..lifecycle import STATES
from ..model import APPROVED_STATES, Document, HistoryEntry
from ..names import same_person
from ..values import version_key
from .base import Category, Context, finding, rule

_same_person = same_person


@rule("missing-approval", Severity.ERROR, Category.BLOCKING, approval_state=True)
def missing_approval(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.corpus.documents:
        if doc.status not in APPROVED_STATES:
            continue
        missing = [
            f
            for f, v in (("approved_by", doc.approved_by), ("approved_on", doc.approved_on))
            if not v
        ]
        if missing:
            yield finding(
                "missing-approval",
                doc,
                doc.line("status"),
                status=doc.status,
                fields=", ".join(missing),
                id=doc.id or doc.path,
            )


@rule("self-approval", Severity.ERROR, Category.BLOCKING, approval_state=True)
def self_approval(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.corpus.documents:
        if _same_person(doc.approved_by, doc.author):
            yield finding("self-approval", doc, doc.line("approved_by"), person=doc.approved_by)
        for entry in doc.history:
            if _same_person(entry.approved_by, entry.author):
                yield finding(
                    "self-approval",
                    doc,
                    entry.line,
                    "self-approval.history",
                    person=entry.approved_by,
                    version=entry.version or "?",
                )


def _seal_removed(doc: Document, ctx: Context) -> bool:
    """An approved working copy without a fingerprint whose version git holds sealed."""
    return (
        doc.status in APPROVED_STATES
        and doc.fingerprint is None
        and (doc.id or "", doc.version or "") in ctx.sealed
    )


@rule("stale-approval", Severity.ERROR, Category.BLOCKING, approval_state=True, reads_body=True)
def stale_approval(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.texts():
        if _seal_removed(doc, ctx):
            yield finding(
                "stale-approval",
                doc,
                doc.line("status"),
                "stale-approval.seal_removed",
                id=doc.id or doc.path,
                version=doc.version or "?",
            )
            continue
        # a withdrawn document is archived as approved: its fingerprint must still hold
        sealed = doc.status == "withdrawn" and doc.fingerprint is not None
        if (
            (doc.status not in APPROVED_STATES and not sealed)
            or not doc.approved_by
            or doc.fingerprint is None
        ):
            continue
        if not doc.seal_holds(fingerprint.verify):
            yield finding("stale-approval", doc, doc.line("fingerprint"), id=doc.id or doc.path)


@rule("unsealed-approval", Severity.WARNING, Category.CONTROL)
def unsealed_approval(ctx: Context) -> Iterator[Finding]:
    """Approved before itsms (on paper): the approval stands, but nothing yet shows the
    text is the one approved until ``itsms seal`` records its fingerprint."""
    for doc in ctx.corpus.documents:
        if (
            doc.status in APPROVED_STATES
            and doc.approved_by
            and doc.fingerprint is None
            and not _seal_removed(doc, ctx)
        ):
            yield finding(
                "unsealed-approval",
                doc,
                doc.line("status"),
                severity=Severity.WARNING,
                id=doc.id or doc.path,
            )


@rule("legacy-fingerprint", Severity.WARNING, Category.CONTROL, reads_body=True)
def legacy_fingerprint(ctx: Context) -> Iterator[Finding]:
    """A version 1 fingerprint (``sha256:``) that still verifies does not cover the
    approval: who approved and when could be changed unnoticed. ``seal`` upgrades it."""
    for doc in ctx.texts():
        value = doc.fingerprint or ""
        if value.startswith(fingerprint.PREFIX_V1) and fingerprint.verify(
            doc.meta, doc.body, value
        ):
            yield finding(
                "legacy-fingerprint",
                doc,
                doc.line("fingerprint"),
                severity=Severity.WARNING,
                id=doc.id or doc.path,
            )


def _history_order(doc: Document, ctx: Context) -> Iterator[Finding]:
    prev = None
    for entry in doc.history:
        if entry.date and entry.date > ctx.as_of:
            yield finding(
                "date-order",
                doc,
                entry.line,
                "date-order.history_future",
                version=entry.version or "?",
                date=entry.date,
                as_of=ctx.as_of,
            )
        if entry.date and prev is not None and prev.date and entry.date < prev.date:
            yield finding(
                "date-order",
                doc,
                entry.line,
                "date-order.history",
                version=entry.version or "?",
                date=entry.date,
                prev_date=prev.date,
            )
        if entry.date:
            prev = entry


def _previous_approval(doc: Document) -> HistoryEntry | None:
    """The history row of the latest approval of an earlier version than ``doc``'s."""
    key = version_key(doc.version)
    if key is None:
        return None
    earlier = [
        e for e in doc.history if e.approved_by and e.date and (version_key(e.version) or key) < key
    ]
    return max(earlier, key=lambda e: (version_key(e.version) or key, e.date), default=None)


def _held_unapproved(doc: Document, ctx: Context) -> Iterator[Finding]:
    """An approval dated before git still held the document as a draft or under review
    (what ``itsms approve --on`` refuses), written by hand."""
    if doc.status not in APPROVED_STATES or not doc.approved_on:
        return
    held = held_unapproved(doc, doc.approved_on, ctx.versions.get(doc.path, []), ctx.as_of)
    if held is not None:
        status = held.document.status or "?"
        yield finding(
            "date-order",
            doc,
            doc.line("approved_on"),
            "date-order.held_unapproved",
            approved=doc.approved_on,
            held=held.date,
            commit=held.commit[:10],
            version=held.document.version or "?",
            status=Msg(f"status.{status}") if status in STATES else status,
        )


@rule("date-order", Severity.ERROR, Category.BLOCKING)
def date_order(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.corpus.documents:
        approved = doc.approved_on
        if approved and approved > ctx.as_of:
            yield finding(
                "date-order",
                doc,
                doc.line("approved_on"),
                "date-order.future_approval",
                date=approved,
                as_of=ctx.as_of,
            )
        if approved and doc.effective_on and doc.effective_on < approved:
            yield finding(
                "date-order",
                doc,
                doc.line("effective"),
                "date-order.effective_before",
                effective=doc.effective_on,
                approved=approved,
            )
        if approved and doc.next_review_on and doc.next_review_on < approved:
            yield finding(
                "date-order",
                doc,
                doc.line("next_review"),
                "date-order.review_before",
                next_review=doc.next_review_on,
                approved=approved,
            )
        if approved and doc.withdrawn_on and doc.withdrawn_on < approved:
            yield finding(
                "date-order",
                doc,
                doc.line("withdrawn_on"),
                "date-order.withdrawn_before",
                withdrawn=doc.withdrawn_on,
                approved=approved,
            )
        if approved and doc.superseded_on and doc.superseded_on < approved:
            yield finding(
                "date-order",
                doc,
                doc.line("superseded_on"),
                "date-order.superseded_before",
                superseded=doc.superseded_on,
                approved=approved,
            )
        previous = _previous_approval(doc)
        if approved and previous is not None and previous.date and approved < previous.date:
            yield finding(
                "date-order",
                doc,
                doc.line("approved_on"),
                "date-order.before_previous",
                version=doc.version or "?",
                approved=approved,
                previous=previous.version or "?",
                previous_date=previous.date,
            )
        yield from _held_unapproved(doc, ctx)
        yield from _history_order(doc, ctx)
    for rec in ctx.corpus.records:
        if rec.date and rec.date > ctx.as_of:
            yield finding(
                "date-order",
                rec,
                rec.line("date"),
                "date-order.record_future",
                date=rec.date,
                as_of=ctx.as_of,
            )


@rule("history-mismatch", Severity.WARNING, Category.CONTROL, approval_state=True)
def history_mismatch(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.corpus.documents:
        prev: tuple[int, int] | None = None
        prev_text = ""
        for entry in doc.history:
            key = version_key(entry.version)
            # an entry of the same version without an approver is a life event
            # (superseded, ...), not a second approval
            repeated = key == prev and entry.approved_by is not None
            if key is not None and prev is not None and (key < prev or repeated):
                yield finding(
                    "history-mismatch",
                    doc,
                    entry.line,
                    "history-mismatch.order",
                    severity=Severity.WARNING,
                    version=entry.version,
                    prev=prev_text,
                )
            if key is not None:
                prev, prev_text = key, entry.version or ""
        if doc.status not in APPROVED_STATES or not doc.version:
            continue
        current = [e for e in doc.history if e.version == doc.version]
        if not current:
            yield finding(
                "history-mismatch",
                doc,
                doc.line("history") if doc.history else doc.line("version"),
                "history-mismatch.missing",
                severity=Severity.WARNING,
                version=doc.version,
            )
        elif (
            current[-1].approved_by
            and doc.approved_by
            and not _same_person(current[-1].approved_by, doc.approved_by)
        ):
            yield finding(
                "history-mismatch",
                doc,
                current[-1].line,
                "history-mismatch.approver",
                severity=Severity.WARNING,
                version=doc.version,
                history=current[-1].approved_by,
                current=doc.approved_by,
            )


def _review_days(doc: Document, ctx: Context) -> int | None:
    """Days until the next review (negative: overdue), for approved documents only."""
    if doc.status != "approved" or doc.next_review is None:
        return None
    return (doc.next_review - ctx.as_of).days


def _review_line(doc: Document) -> int:
    for key in ("next_review", "review_months", "approved_on"):
        if isinstance(doc.meta, dict) and key in doc.meta:
            return doc.line(key)
    return doc.line("status")


@rule("review-due", Severity.WARNING, Category.COMPLIANCE, approval_state=True)
def review_due(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.corpus.documents:
        days = _review_days(doc, ctx)
        if days is not None and 0 <= days <= ctx.settings.review_warning_days:
            yield finding(
                "review-due",
                doc,
                _review_line(doc),
                severity=Severity.WARNING,
                next_review=doc.next_review,
                days=days,
            )


@rule("review-overdue", Severity.ERROR, Category.COMPLIANCE, approval_state=True)
def review_overdue(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.corpus.documents:
        days = _review_days(doc, ctx)
        if days is not None and days < 0:
            yield finding(
                "review-overdue",
                doc,
                _review_line(doc),
                next_review=doc.next_review,
                days=-days,
                id=doc.id or doc.path,
            )
