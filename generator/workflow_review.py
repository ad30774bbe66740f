"""The verbs that change no version: ``submit`` (a draft goes to review), ``seal``
(record the fingerprint of an approval made before itsms) and ``reviewed`` (a periodic
review that changes nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import fingerprint
from .check import CheckResult
from .control import (
    Change,
    ControlError,
    backdated_in_git,
    checked,
    find_doc,
    fit_for_review,
    open_front,
    refuse_errors,
    seal_removed,
    stamp,
    write_all,
)
from .edit import write_atomic
from .findings import Severity
from .model import Document
from .names import normalise
from .rules import APPROVAL_STATE
from .settings import add_months


def submit(result: CheckResult, doc_id: str) -> Change:
    """A draft goes to review: no longer the template, citing its clauses, no errors
    other than those approving puts right."""
    doc = find_doc(result, doc_id)
    if doc.status != "draft":
        raise ControlError(1, "ctl.not_draft", id=doc_id, status=doc.status or "?")
    fit_for_review(result, doc)
    refuse_errors(result, doc, doc_id)
    path, old_text, fm = open_front(result, doc)
    fm.set("status", "review")
    checked(doc.path, old_text, fm.text(), {"status"}, {"status": "review"})
    write_atomic(path, fm.text())
    return Change("ctl.submitted", {"id": doc_id, "version": doc.version or "?"}, [path])


SEAL_NOTE = "纳入受控"


def _legacy(doc: Document) -> bool:
    """A version 1 fingerprint that still verifies (it does not cover the approval)."""
    return fingerprint.upgrade(doc.meta, doc.body, doc.fingerprint) is not None


def _sealable(result: CheckResult, doc: Document) -> ControlError | None:
    """Why ``doc`` cannot be sealed (None: it can)."""
    ident = doc.id or doc.path
    if doc.status not in ("approved", "superseded"):
        return ControlError(1, "ctl.not_approved", id=ident, status=doc.status or "?")
    if not doc.approved_by or not doc.approved_on:
        return ControlError(1, "ctl.seal_unapproved", id=ident)
    if doc.fingerprint is None and seal_removed(result, doc):
        return ControlError(1, "ctl.seal_removed", id=ident, version=doc.version or "?")
    if doc.fingerprint:
        if _legacy(doc):
            return None  # a version 1 fingerprint that still holds: upgraded to version 2
        if fingerprint.verify(doc.meta, doc.body, doc.fingerprint):
            return ControlError(1, "ctl.sealed_already", id=ident)
        return ControlError(1, "ctl.seal_stale", id=ident)
    try:
        backdated_in_git(result, doc, doc.approved_on, 1)
    except ControlError as problem:
        return problem
    errors = sorted(
        {
            f.rule
            for f in result.findings
            if f.file == doc.path and f.severity is Severity.ERROR and f.rule not in APPROVAL_STATE
        }
    )
    if errors:
        return ControlError(1, "ctl.has_errors_seal", id=ident, rules=", ".join(errors))
    return None


def seal(result: CheckResult, doc_ids: tuple[str, ...], every: bool) -> Change:
    """Record the fingerprint of approvals made before itsms (on paper). The approval
    fields, the version and the body stay byte for byte; history gets a note. A version 1
    fingerprint that still holds is upgraded to version 2 (nothing else changes).

    Named documents must all be sealable (else nothing is written); with ``every``,
    each approved document without a fingerprint is sealed and the others are left."""
    if every == bool(doc_ids):
        raise ControlError(2, "ctl.seal_args")
    if every:
        docs = [
            d
            for d in result.corpus.documents
            if d.status in ("approved", "superseded") and (not d.fingerprint or _legacy(d))
        ]
    else:
        docs = [find_doc(result, i) for i in dict.fromkeys(doc_ids)]
    writes: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for doc in docs:
        problem = _sealable(result, doc)
        if problem is not None:
            if not every:
                raise problem
            skipped.append(f"{doc.id or doc.path} ({problem.key.removeprefix('ctl.')})")
            continue
        path, old_text, fm = open_front(result, doc)
        if doc.fingerprint:  # upgrade: only the fingerprint line changes
            stamp(fm, doc.path)
            checked(doc.path, old_text, fm.text(), {"fingerprint"}, {})
            writes.append((path, fm.text()))
            continue
        history = doc.meta.get("history") if isinstance(doc.meta, dict) else None
        entries = list(history) if isinstance(history, list) else []
        note = {"version": doc.version or "?", "date": result.as_of, "summary": SEAL_NOTE}
        fm.append_item("history", note, existing=entries, after=("raci", "references"))
        stamp(fm, doc.path)
        # nothing but the history note and the fingerprint may change
        expect = {"history": [*entries, note]}
        checked(doc.path, old_text, fm.text(), {"history", "fingerprint"}, expect)
        writes.append((path, fm.text()))
    write_all(writes)
    sealed = [p.relative_to(result.root).as_posix() for p, _ in writes]
    return Change(
        "ctl.sealed",
        {"count": len(sealed), "skipped": "; ".join(skipped) or "-"},
        [p for p, _ in writes],
    )


REVIEW_NOTE = "定期评审，无变更"


def reviewed(
    result: CheckResult,
    doc_id: str,
    on: dt.date | None,
    by: str | None,
    next_review: dt.date | None,
) -> Change:
    """Record a periodic review that changes nothing: ``next_review`` (default: the
    review date plus the document's review cycle) and a history note. Version, approval,
    body and fingerprint stay as they were (the fingerprint does not cover either)."""
    doc = find_doc(result, doc_id)
    on = on or result.as_of
    if doc.status != "approved":
        raise ControlError(1, "ctl.review_not_approved", id=doc_id, status=doc.status or "?")
    if on > result.as_of:
        raise ControlError(2, "ctl.review_future", date=on, as_of=result.as_of)
    if doc.effective and doc.effective > on:  # approved, not yet in force: nothing to review
        raise ControlError(1, "ctl.review_not_in_effect", id=doc_id, effective=doc.effective)
    dates = [h.date for h in doc.history if h.date]
    last = max([*dates, *([doc.approved_on] if doc.approved_on else [])], default=None)
    if last is not None and on < last:
        raise ControlError(2, "ctl.review_backdated", id=doc_id, date=on, last=last)
    following = next_review or add_months(on, doc.review_months or 12)
    if following <= on:
        raise ControlError(2, "ctl.review_next_before", next=following, on=on)
    reviewer = normalise(by) if by is not None else None
    if reviewer == "":
        raise ControlError(2, "ctl.no_reviewer")
    if seal_removed(result, doc):
        raise ControlError(1, "ctl.seal_removed", id=doc_id, version=doc.version or "?")
    if doc.fingerprint and not fingerprint.verify(doc.meta, doc.body, doc.fingerprint):
        # changed since its approval: a review cannot confirm a text nobody approved
        raise ControlError(
            1, "ctl.changed_after_approval", id=doc_id, version=doc.version or "?", file=doc.path
        )
    refuse_errors(result, doc, doc_id)
    path, old_text, fm = open_front(result, doc)
    fm.set("next_review", following, after=("review_months", "effective", "approved_on"))
    history = doc.meta.get("history") if isinstance(doc.meta, dict) else None
    entries = list(history) if isinstance(history, list) else []
    summary = f"{REVIEW_NOTE}（评审人：{reviewer}）" if reviewer else REVIEW_NOTE
    note: dict[str, Any] = {"version": doc.version or "?", "date": on, "summary": summary}
    fm.append_item("history", note, existing=entries, after=("raci", "references"))
    expect = {"next_review": following, "history": [*entries, note]}
    checked(doc.path, old_text, fm.text(), set(expect), expect)
    write_atomic(path, fm.text())
    return Change(
        "ctl.reviewed",
        {"id": doc_id, "version": doc.version or "?", "on": on, "next": following},
        [path],
    )
