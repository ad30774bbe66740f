"""Evidence records: a declared type, an evidence file that exists and matches its
hash, a retention period not yet past and as declared, a record for every period of a
declared cadence, and evidence attributed to the clauses it is for."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..coverage import outside_scope, procedure_in_effect
from ..findings import Finding, Severity
from ..i18n import Msg
from ..load import RECORD_DIR
from ..model import Document, Record, RecordType
from ..settings import add_months
from .base import Category, Context, finding, rule


def evidence_path(root: Path, rec: Record) -> Path | None:
    """The local evidence file under records/, or None for a URL, a path outside it or a
    name the system cannot look up (longer than it allows)."""
    try:
        return _local(root, rec)
    except OSError:
        return None


def _local(root: Path, rec: Record) -> Path | None:
    if not rec.evidence or rec.is_url:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in rec.evidence):
        return None  # a control character (a NUL) names no file
    rel = PurePosixPath(rec.evidence.replace("\\", "/"))
    if rel.parts[:1] == (RECORD_DIR,):
        rel = PurePosixPath(*rel.parts[1:])
    if rel.is_absolute() or ".." in rel.parts or ":" in rec.evidence:
        return None
    folder = root / RECORD_DIR
    for part in ("", *rel.parts[:-1]):  # no directory link is followed, records/ included
        folder = folder / part if part else folder
        if folder.is_symlink():
            return None
    base = (root / RECORD_DIR).resolve()
    path = (base / rel).resolve()
    inside = path.is_relative_to(base) and path.is_relative_to(root.resolve())
    return path if inside else None


def _escapes(root: Path, rec: Record) -> bool:
    return bool(rec.evidence) and not rec.is_url and _local(root, rec) is None


@rule("unknown-record-type", Severity.WARNING, Category.CONTROL)
def unknown_record_types(ctx: Context) -> Iterator[Finding]:
    # the types declared by the versions in force, not by a draft revision
    declared = {r.value for d in ctx.corpus.judged() for r in d.records}
    in_force: dict[str | None, Document | None] = {}  # a procedure has many records
    unknown: dict[tuple[str | None, str | None], bool] = {}  # ... of a handful of types
    for rec in ctx.corpus.records:
        kind = (rec.procedure, rec.type)
        if unknown.get(kind) is False:
            continue
        if rec.procedure in in_force:
            proc = in_force[rec.procedure]
        else:
            proc = in_force[rec.procedure] = ctx.corpus.in_force(rec.procedure)
        # a known procedure: the type must be one it declares (in its version in force);
        # one that could not be read is reported once, there
        known = proc.declared_types if proc is not None else declared
        bad = unknown[kind] = bool(rec.type) and rec.type not in known
        if bad and not (proc is not None and proc.broken):
            types = "、".join(r.value for r in proc.records) if proc else ""
            yield finding(
                "unknown-record-type",
                rec,
                rec.line("type"),
                severity=Severity.WARNING,
                type=rec.type,
                suggest=Msg("unknown-record-type.suggest", {"procedure": proc.id, "types": types})
                if proc and types
                else "",
            )


@rule("missing-evidence-file", Severity.ERROR, Category.CONTROL)
def missing_evidence(ctx: Context) -> Iterator[Finding]:
    for rec in ctx.corpus.records:
        state = ctx.coverage.evidence.get(id(rec))
        if state == "outside":
            yield finding(
                "missing-evidence-file",
                rec,
                rec.line("evidence"),
                "missing-evidence-file.outside",
                evidence=rec.evidence,
            )
        elif state == "missing":
            yield finding("missing-evidence-file", rec, rec.line("evidence"), evidence=rec.evidence)
        elif state == "folder":
            yield finding(
                "missing-evidence-file",
                rec,
                rec.line("evidence"),
                "missing-evidence-file.folder",
                evidence=rec.evidence,
            )


def evidence_state(root: Path, rec: Record) -> tuple[str, str | None]:
    """(state, actual sha256) of a record's evidence: ``url``, ``none`` (no evidence
    named), ``outside`` (a path leading out of records/), ``missing``, ``folder``, ``bad`` (differs
    from its sha256), ``ok`` (matches) or ``unhashed`` (a local file with no sha256)."""
    if not rec.evidence:
        return "none", None
    if rec.is_url:
        # a file:// URL names a file anywhere on the machine: not evidence under records/
        return ("outside" if rec.evidence.lower().startswith("file:") else "url"), None
    try:
        if _escapes(root, rec):
            return "outside", None
        path = _local(root, rec)
        if path is not None and path.is_dir():
            return "folder", None
        if path is None or not path.is_file():
            return "missing", None
    except OSError:  # a name too long to look up: no such file
        return "missing", None
    try:
        actual = file_sha256(path)
    except OSError:
        return "missing", None
    if not rec.sha256:
        return "unhashed", actual  # the value to record (unsealed-evidence)
    return ("ok" if actual == rec.sha256.lower() else "bad"), actual


def evidence_status(root: Path, rec: Record) -> str:
    """ok, bad (the file differs from its sha256), missing, unsealed (a local file with no
    sha256 recorded), or none (nothing to check: a URL)."""
    if not rec.sha256:
        local = evidence_path(root, rec)
        return "unsealed" if local is not None and local.is_file() else "none"
    local = evidence_path(root, rec)
    if local is None or not local.is_file():
        return "missing"
    try:
        return "ok" if file_sha256(local) == rec.sha256.lower() else "bad"
    except OSError:
        return "missing"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@rule("evidence-hash-mismatch", Severity.ERROR, Category.CONTROL)
def evidence_hash(ctx: Context) -> Iterator[Finding]:
    for rec in ctx.corpus.records:
        if ctx.coverage.evidence.get(id(rec)) == "bad":
            yield finding(
                "evidence-hash-mismatch",
                rec,
                rec.line("sha256"),
                evidence=rec.evidence,
                actual=ctx.coverage.actual.get(id(rec), ""),
            )


@rule("unsealed-evidence", Severity.WARNING, Category.CONTROL)
def unsealed_evidence(ctx: Context) -> Iterator[Finding]:
    """A local evidence file with no sha256: nothing would show it changed later."""
    for rec in ctx.corpus.records:
        if ctx.coverage.evidence.get(id(rec)) == "unhashed":
            yield finding(
                "unsealed-evidence",
                rec,
                rec.line("evidence"),
                severity=Severity.WARNING,
                evidence=rec.evidence,
                record=rec.id or rec.path,
                actual=ctx.coverage.actual.get(id(rec), ""),
            )


@rule("retention-expired", Severity.WARNING, Category.COMPLIANCE)
def retention(ctx: Context) -> Iterator[Finding]:
    ends: dict[tuple[dt.date, int], dt.date] = {}  # many records share a day and a term
    for rec in ctx.corpus.records:
        if rec.date is None or rec.retention_years is None:
            continue
        term = (rec.date, rec.retention_years)
        until = ends.get(term)
        if until is None:
            until = ends[term] = add_months(rec.date, 12 * rec.retention_years)
        if until < ctx.as_of:
            yield finding(
                "retention-expired",
                rec,
                rec.line("retention_years"),
                severity=Severity.WARNING,
                years=rec.retention_years,
                until=until,
            )


def _declared(ctx: Context, rec: Record) -> tuple[str, RecordType] | None:
    proc = procedure_in_effect(ctx.corpus, rec.procedure, ctx.as_of)
    rtype = proc.record_type(rec.type) if proc is not None else None
    return (proc.id or "", rtype) if proc is not None and rtype is not None else None


@rule("retention-mismatch", Severity.WARNING, Category.COMPLIANCE)
def retention_mismatch(ctx: Context) -> Iterator[Finding]:
    # a procedure's records share a handful of types: each looked up once
    types: dict[tuple[str | None, str | None], tuple[str, RecordType] | None] = {}
    for rec in ctx.corpus.records:
        if rec.retention_years is None:
            continue
        kind = (rec.procedure, rec.type)
        if kind in types:
            declared = types[kind]
        else:
            declared = types[kind] = _declared(ctx, rec)
        if declared is None:
            continue
        proc_id, rtype = declared
        if rtype.retention_years is not None and rec.retention_years != rtype.retention_years:
            yield finding(
                "retention-mismatch",
                rec,
                rec.line("retention_years"),
                severity=Severity.WARNING,
                years=rec.retention_years,
                declared=rtype.retention_years,
                type=rtype.type,
                procedure=proc_id,
            )


@rule("evidence-gap", Severity.WARNING, Category.COMPLIANCE)
def evidence_gap(ctx: Context) -> Iterator[Finding]:
    """One finding per due period of a declared cadence without a record."""
    for cadence in ctx.coverage.cadences:
        doc = ctx.corpus.by_id.get(cadence.document.id or "", cadence.document)
        for slot in cadence.missing:
            yield finding(
                "evidence-gap",
                doc,
                cadence.type.line if doc is cadence.document else doc.line("records"),
                severity=Severity.WARNING,
                period=slot.label,
                type=cadence.type.type,
                procedure=doc.id,
                every=Msg(f"every.{cadence.every}"),
                audit=str(ctx.period),
            )


@rule("record-clause-outside", Severity.WARNING, Category.CONTROL)
def record_clause_outside(ctx: Context) -> Iterator[Finding]:
    """A record's own ``clauses`` naming a clause none of whose leaves its procedure meets
    (not counted; a record whose own clauses all lie outside counts for nothing)."""
    for rec in ctx.corpus.records:
        beyond = outside_scope(rec, ctx.corpus, ctx.standard, ctx.as_of)
        if beyond is None:
            continue
        proc, clauses, nothing = beyond
        rtype = proc.record_type(rec.type)
        declared = rtype.clauses if rtype is not None and rtype.clauses else proc.clauses
        yield finding(
            "record-clause-outside",
            rec,
            rec.line("clauses"),
            severity=Severity.WARNING,
            clauses="、".join(clauses),
            procedure=proc.id,
            type=rec.type or "?",
            meets="、".join(ref.value for ref in declared.get(ctx.standard.id, ())) or "—",
            effect=Msg("record-clause-outside.all" if nothing else "record-clause-outside.some"),
        )


@rule("unattributed-evidence", Severity.WARNING, Category.CONTROL)
def unattributed_evidence(ctx: Context) -> Iterator[Finding]:
    """Once per procedure whose records count for all its clauses for want of a declaration."""
    for proc_id, types in ctx.coverage.unattributed.items():
        doc = ctx.corpus.by_id.get(proc_id)
        if doc is None:
            continue
        yield finding(
            "unattributed-evidence",
            doc,
            doc.line("records"),
            severity=Severity.WARNING,
            procedure=proc_id,
            types="、".join(types),
        )
