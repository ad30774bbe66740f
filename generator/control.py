"""What every document-control verb shares: the refusal (``ControlError``), the
change it reports, reading a document's file, and the safety net around each write —
re-read what is about to be written, refuse what would change more than asked, write
whole files or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fingerprint, lifecycle, yamlread
from .check import CheckResult
from .edit import EditError, FrontMatter, write_many
from .findings import Severity
from .history import held_unapproved
from .i18n import Msg
from .load import split_front_matter
from .model import Document
from .rules import APPROVAL_STATE


class ControlError(Exception):
    """A verb refused: ``code`` 1 (the document is not fit for it) or 2 (bad arguments)."""

    def __init__(self, code: int, key: str, **params: Any) -> None:
        super().__init__(key)
        self.code = code
        self.key = key
        self.params = params


@dataclass
class Change:
    key: str
    params: dict[str, Any]
    files: list[Path] = field(default_factory=list)


def find_doc(result: CheckResult, doc_id: str) -> Document:
    doc = result.corpus.by_id.get(doc_id)
    if doc is None:
        raise ControlError(2, "ctl.unknown_id", id=doc_id)
    return doc


def open_front(result: CheckResult, doc: Document) -> tuple[Path, str, FrontMatter]:
    path = result.root / doc.path
    try:
        text = path.read_bytes().decode("utf-8")
        return path, text, FrontMatter(text)
    except (OSError, UnicodeDecodeError, EditError) as exc:
        raise ControlError(1, "ctl.unreadable", file=doc.path, error=str(exc)) from None


def parse(text: str) -> tuple[Any, str]:
    meta, body, _ = parse_all(text)
    return meta, body


def parse_all(text: str) -> tuple[Any, str, list[yamlread.DuplicateKey]]:
    front, body, _, meta_line = split_front_matter(text.lstrip("\ufeff").replace("\r\n", "\n"))
    parsed = yamlread.parse(front or "", meta_line - 1)
    return parsed.data, body, parsed.duplicates


ABSENT = object()


def plain(value: Any) -> Any:
    """A parsed or intended value in one form: dates as text, mappings and lists plain."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def checked(file: str, old: str, new: str, allowed: set[str], expect: dict[str, Any]) -> None:
    """Re-read what a verb is about to write: it must parse, keep the body, change no field
    but ``allowed`` ones and hold the ``expect``-ed values (``ABSENT``: removed). Else the
    verb refuses (exit 1) and the file stays as it was."""

    def refuse(reason: str) -> ControlError:
        return ControlError(1, "ctl.unsafe_edit", file=file, reason=reason)

    try:
        old_meta, old_body, _ = parse_all(old)
        new_meta, new_body, duplicates = parse_all(new)
    except yamlread.YamlError as exc:
        raise refuse(f"YAML: {exc.problem} (line {exc.line})") from None
    if not isinstance(new_meta, dict) or not isinstance(old_meta, dict):
        raise refuse("front matter is not a mapping")
    if duplicates:
        raise refuse("duplicate key: " + ", ".join(sorted({d.key for d in duplicates})))
    if new_body != old_body:
        raise refuse("the body would change")
    changed = {
        str(k)
        for k in set(old_meta) | set(new_meta)
        if plain(old_meta.get(k, ABSENT)) != plain(new_meta.get(k, ABSENT))
    }
    if changed - allowed:
        raise refuse("fields that must not change: " + ", ".join(sorted(changed - allowed)))
    for key, value in expect.items():
        if plain(new_meta.get(key, ABSENT)) != plain(value):
            raise refuse(f"{key} would not read as intended")


def stamp(fm: FrontMatter, file: str) -> None:
    """Set the fingerprint from the fields and body as they now are. Front matter the
    line editor cannot change safely (a flow mapping ``{id: …}``, an anchor whose alias
    the edit would orphan) no longer parses: the verb refuses, the file is unchanged."""
    try:
        meta, body = parse(fm.text())
    except yamlread.YamlError as exc:
        reason = f"YAML: {exc.problem} (line {exc.line})"
        raise ControlError(1, "ctl.unsafe_edit", file=file, reason=reason) from None
    fm.set("fingerprint", fingerprint.compute(meta, body), after=("history",))


def refuse_errors(result: CheckResult, doc: Document, doc_id: str) -> None:
    """Refuse a document with check errors other than those the verb itself puts right."""
    errors = [
        f
        for f in result.findings
        if f.file == doc.path
        and f.severity is Severity.ERROR
        and f.rule not in APPROVAL_STATE
        and f.key != "version-rejected"  # an earlier version in git: approving puts it right
    ]
    if errors:
        raise ControlError(
            1,
            "ctl.has_errors",
            id=doc_id,
            count=len(errors),
            rules=", ".join(sorted({f.rule for f in errors})),
        )


def fit_for_review(result: CheckResult, doc: Document) -> None:
    """Refuse the untouched template and a document that cites no clause (for types
    that must cite one)."""
    left = lifecycle.placeholders(doc.body)
    if left:
        raise ControlError(1, "ctl.template", id=doc.id, lines="；".join(left))
    if lifecycle.must_cite(doc, result.standard):
        raise ControlError(1, "ctl.no_clauses", id=doc.id, type=doc.type)


def add_event(fm: FrontMatter, doc: Document, on: dt.date, summary: str) -> list[Any]:
    """A history entry for a life event (no approver: nothing was approved); the history
    it makes (to check the file reads back so)."""
    history = doc.meta.get("history") if isinstance(doc.meta, dict) else None
    entries = list(history) if isinstance(history, list) else []
    entry: dict[str, Any] = {"version": doc.version or "?", "date": on, "summary": summary}
    fm.append_item("history", entry, existing=entries, after=("raci", "references"))
    return [*entries, entry]


def write_all(items: list[tuple[Path, str]]) -> None:
    """Write several files: each whole, and none unless all could be prepared."""
    for _, text in items:
        yamlread.parse(split_front_matter(text)[0] or "")  # refuse to write what will not parse
    write_many(items)


def seal_removed(result: CheckResult, doc: Document) -> bool:
    """A version git holds sealed whose fingerprint was deleted from the working copy
    (the check's ``stale-approval.seal_removed``): neither sealed nor approved again."""
    return any(
        f.file == doc.path and f.key == "stale-approval.seal_removed" for f in result.findings
    )


def backdated_in_git(result: CheckResult, doc: Document, on: dt.date, code: int) -> None:
    """Refuse an approval dated ``on`` when git still held the document as a draft or
    under review after that day (the check's ``date-order.held_unapproved``): ``approve
    --on`` (``code`` 2, a bad argument) and ``seal`` of an approval written by hand
    (``code`` 1) apply the same rule."""
    versions = (result.versions or {}).get(doc.path, [])
    held = held_unapproved(doc, on, versions, result.as_of)
    if held is None:
        return
    status = held.document.status or "?"
    raise ControlError(
        code,
        "ctl.backdated_held",
        id=doc.id or doc.path,
        date=on,
        held=held.date,
        commit=held.commit[:10],
        version=held.document.version or "?",
        status=Msg(f"status.{status}") if status in lifecycle.STATES else status,
    )
