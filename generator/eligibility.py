"""Which records may count as evidence at all, before any clause is attributed: a
record proves something only when it is valid, its procedure was approved and in
force on the record's date, its type is one that procedure declares, and it names
its evidence. Each refusal is a reason code (shown beside the records not counted)."""

from __future__ import annotations

import datetime as dt

from . import schema
from .model import Document, Record

#: reason codes, in the order they are tested
REASONS = ("invalid", "no-procedure", "not-in-force", "undeclared-type", "no-evidence")


def first_approved(doc: Document) -> dt.date | None:
    """When the document's first approved version took effect (its history's first
    approved row, else its own effective date)."""
    return doc.first_approved


def in_force_on(doc: Document, day: dt.date) -> bool:
    """Was some approved version of ``doc`` in force on ``day``?"""
    if (
        doc.broken
        or not doc.approved_by
        or doc.status
        not in (
            "approved",
            "superseded",
            "withdrawn",
        )
    ):
        return False
    start = first_approved(doc)
    if start is None or start > day:
        return False
    ended = [
        d
        for d, status in ((doc.withdrawn_on, "withdrawn"), (doc.superseded_on, "superseded"))
        if d is not None and doc.status == status
    ]
    if ended:
        return day < min(ended)
    if doc.status != "approved":
        # superseded or withdrawn by hand without the date: in force, as far as can be
        # shown, until its last dated history row
        return day <= max((h.date for h in doc.history if h.date), default=start)
    return True


def refusal(rec: Record, proc: Document | None, state: str | None) -> str | None:
    """Why ``rec`` is no evidence whatever it names (None: it may be). ``proc`` is its
    procedure in the version in force; ``state`` its evidence state."""
    if not schema.is_valid("record", rec.meta):
        return "invalid"
    if proc is None:
        return "no-procedure"
    if rec.date is None or not in_force_on(proc, rec.date):
        return "not-in-force"
    if rec.type not in proc.declared_types:
        return "undeclared-type"
    if state == "none" or not rec.evidence:
        return "no-evidence"
    return None
