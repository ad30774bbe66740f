"""Trace: a clause -> the documents that meet it -> the records that evidence it
in the audit period; or a document -> its clauses, its records, its references.
The data is plain (dicts and lists) so that text and json render the same thing."""

from __future__ import annotations

from typing import Any

from .cadence import Cadence
from .check import CheckResult
from .coverage import attribution, refused
from .export import one_line, terminal_text
from .i18n import Translator
from .model import Document, Record
from .names import normalise
from .relations import Relations
from .rules.records import evidence_status
from .scope import Scope, newest_first


class TraceError(Exception):
    """Neither a clause of the standard nor a document id (``key`` says which message)."""

    def __init__(self, target: str, key: str = "ui.trace_unknown") -> None:
        super().__init__(target)
        self.key = key


def _hash(result: CheckResult, rec: Record) -> str:
    """ok, bad, missing, folder, unsealed or none: the check's own reading of the evidence."""
    state = result.coverage.evidence.get(id(rec))
    if state is None:
        return evidence_status(result.root, rec)
    return {
        "ok": "ok",
        "bad": "bad",
        "missing": "missing",
        "outside": "missing",
        "folder": "folder",
        "unhashed": "unsealed",
    }.get(state, "none")


def _doc(d: Document, scope: Scope) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "version": d.version,
        "status": scope.status(d),
        "approved_on": d.approved_on,
        "effective": d.effective,
    }


def _role_name(result: CheckResult, role_id: str | None) -> str | None:
    role = result.corpus.roles.get(role_id or "")
    return role.name if role is not None else role_id


def _rec(result: CheckResult, r: Record) -> dict[str, Any]:
    roles = result.corpus.roles
    return {
        "id": r.id,
        "title": r.title,
        "type": r.type,
        "date": r.date,
        "owner": r.owner,
        "owner_name": roles[r.owner].name if r.owner in roles else r.owner,
        "procedure": r.procedure,
        "evidence": r.evidence,
        "hash": _hash(result, r),
        "in_period": r.date in result.period if r.date else False,
    }


def rejected_row(result: CheckResult, r: Record) -> dict[str, Any]:
    """A record in the period that is not evidence, with the reason that decided
    (``coverage.refused``) and the rules of the check's errors on it."""
    reason, rules = rejection(result, r)
    return {**_rec(result, r), "reason": reason, "rules": rules}


def rejection(result: CheckResult, r: Record) -> tuple[str, list[str]]:
    """Why a record in the period is not evidence: the reason that decided
    (``coverage.refused``) and the rules of the check's errors on it."""
    cov = result.coverage
    if id(r) in cov.refusals:
        reason = cov.refusals[id(r)]
    else:
        reason = refused(r, result.corpus, result.as_of, cov.evidence.get(id(r)))
    return reason or "invalid", sorted(result.error_rules(r.path))


def rejected_reason(t: Translator, reason: str, rules: list[str]) -> str:
    """The words for why a record is not counted (text trace and portal trace page)."""
    named = ", ".join(rules) if rules else ("schema" if reason == "invalid" else "—")
    return t(f"reject.{reason}", rules=named)


def cadence_row(c: Cadence, scope: Scope) -> dict[str, Any]:
    """A declared record type with a cadence as a row of periods (present/missing/open)."""
    return {
        "procedure": c.document.id,
        "type": c.type.type,
        "every": c.every,
        "retention_years": c.type.retention_years,
        "due": c.due,
        "present": c.present_due,
        "missing": [s.label for s in c.missing],
        "periods": [
            {
                "period": s.label,
                "state": s.state,
                "records": [r.id for r in s.records if scope.shows(r)],
            }
            for s in c.slots
        ],
    }


def trace_clause(result: CheckResult, clause_id: str, scope: Scope | None = None) -> dict[str, Any]:
    scope = scope or Scope(result)
    std = result.standard
    clause = std.by_id[clause_id]
    leaves = []
    for status in result.coverage.leaves_of(clause_id):
        view = scope.leaf(status)
        leaves.append(
            {
                "clause": status.clause.id,
                "title": status.clause.title(result.settings.lang),
                "covered": status.covered,
                "excluded": status.excluded.justification if status.excluded else None,
                "documents": [_doc(d, scope) for d in view.documents],
                #: documents meeting it that this publication does not show (confidential)
                "confidential": view.hidden,
                "not_in_effect": [_doc(d, scope) for d in view.candidates],
                "records": [{**_rec(result, r), "why": status.reason(r)} for r in view.records],
                #: in the period, but not evidence, each with its reason (and rules)
                "rejected": [rejected_row(result, r) for r in view.rejected],
                "cadences": [
                    cadence_row(c, scope) for c in status.cadences if scope.shows(c.document)
                ],
            }
        )
    return {
        "kind": "clause",
        "clause": clause.id,
        "title": clause.title(result.settings.lang),
        "standard": std.id,
        "period": str(result.period),
        "as_of": result.as_of,
        "leaves": leaves,
    }


def trace_document(result: CheckResult, doc_id: str, scope: Scope | None = None) -> dict[str, Any]:
    scope = scope or Scope(result)
    doc = scope.in_force(doc_id)
    if doc is None:  # answered as for an unknown id: the answer must not confirm it exists
        raise TraceError(doc_id)
    std = result.standard
    relations = Relations(scope.documents, set(scope.by_id), result.settings.id_pattern)
    records = newest_first([r for r in scope.records if r.procedure == doc_id])
    rows = {(c.document.id, c.type.type): c for c in result.coverage.cadences}
    record_types = []
    for rtype in doc.record_types:
        cadence = rows.get((doc_id, rtype.type))
        record_types.append(
            {
                "type": rtype.type,
                "clauses": [r.value for r in rtype.clauses.get(std.id, [])],
                "every": rtype.every,
                "retention_years": rtype.retention_years,
                "cadence": cadence_row(cadence, scope) if cadence else None,
            }
        )
    clauses = []
    for ref in doc.clauses.get(std.id, []):
        clause = std.by_id.get(ref.value)
        clauses.append(
            {
                "clause": ref.value,
                "title": clause.title(result.settings.lang) if clause else None,
                "leaves": sorted(std.leaves_under(ref.value)),
            }
        )
    return {
        "kind": "document",
        **_doc(doc, scope),
        "owner": doc.owner,
        "owner_name": _role_name(result, doc.owner),
        "standard": std.id,
        "period": str(result.period),
        "as_of": result.as_of,
        "clauses": clauses,
        "record_types": record_types,
        "records": [{**_rec(result, r), "why": _why(result, r)} for r in records],
        "references": relations.refers.get(doc_id, []),
        "referenced_by": relations.referred_by.get(doc_id, []),
    }


def _why(result: CheckResult, rec: Record) -> dict[str, Any]:
    """Why a record counts: its reasons and the leaf clauses it evidences (coverage.py)."""
    leaves = attribution(rec, result.corpus, result.standard, result.as_of)
    return {
        "reasons": sorted(set(leaves.values())),
        "clauses": result.coverage.in_order(set(leaves)),
    }


def trace(result: CheckResult, target: str, scope: Scope | None = None) -> dict[str, Any]:
    """What ``scope`` (by default: what the portal publishes) shows of a clause or a
    document, in the version in force."""
    target = normalise(target)  # ６.４ is 6.4; an id with U+200B is the id
    if target in result.standard.by_id:
        return trace_clause(result, target, scope)
    if target in result.corpus.by_id:
        return trace_document(result, target, scope)
    raise TraceError(target)


def render_text(data: dict[str, Any], t: Translator) -> str:
    out: list[str] = []
    hashes = {k: t(f"hash.{k}") for k in ("ok", "bad", "missing", "folder", "unsealed")}
    hashes["none"] = ""

    def rec_line(r: dict[str, Any]) -> str:
        check = hashes[r["hash"]]
        return (
            f"      {r['date']}  {r['id']}  {one_line(r['title'] or '')}  "
            f"[{one_line(r['owner_name'] or '')}]  "
            f"{one_line(r['evidence'] or '')}" + (f"  sha256 {check}" if check else "")
        )

    def cadence_lines(c: dict[str, Any], indent: str) -> list[str]:
        head = (
            f"{indent}{c['type']} ({c['procedure']}, {t('every.' + c['every'])}): "
            + t("cad.summary", present=c["present"], due=c["due"])
            + (f"; {t('cad.gaps', count=len(c['missing']))}" if c["missing"] else "")
        )
        cells = [f"{p['period']} {t('slot.' + p['state'])}" for p in c["periods"]]
        width = 6 if c["every"] != "week" else 8
        return [head] + [
            f"{indent}  " + " | ".join(cells[i : i + width]) for i in range(0, len(cells), width)
        ]

    if data["kind"] == "clause":
        out.append(
            f"{data['clause']} {data['title']}  ({data['standard']}, "
            f"{t('home.period')} {data['period']})"
        )
        for leaf in data["leaves"]:
            out.append("")
            out.append(f"  {leaf['clause']} {leaf['title']}")
            if leaf["excluded"]:
                out.append(f"    {t('cl.justification', text=leaf['excluded'])}")
            if leaf["confidential"]:
                out.append(f"    {t('cl.confidential', count=leaf['confidential'])}")
            elif not leaf["documents"] and not leaf["excluded"]:
                out.append(f"    {t('cl.uncovered')}")
            for d in leaf["documents"]:
                out.append(
                    f"    {d['id']} 《{one_line(d['title'] or '')}》 {d['version']} "
                    f"{t('status.' + str(d['status']))}  {t('f.approved_on')} "
                    f"{d['approved_on']}  {t('f.effective')} {d['effective']}"
                )
            for d in leaf["not_in_effect"]:
                out.append(
                    f"    ({d['id']} 《{one_line(d['title'] or '')}》 {d['version']} "
                    f"{t('status.' + str(d['status']))})"
                )
            if leaf["records"]:
                out.append(f"    {t('f.record')}:")
                out.extend(f"{rec_line(r)}  ({t('why.' + r['why'])})" for r in leaf["records"])
            elif leaf["documents"]:
                out.append(f"    {t('cl.no_evidence')}")
            if leaf["rejected"]:
                out.append(f"    {t('trace.rejected')}:")
                out.extend(
                    f"{rec_line(r)}  ({rejected_reason(t, r['reason'], r['rules'])})"
                    for r in leaf["rejected"]
                )
            if leaf["cadences"]:
                out.append(f"    {t('cad.title')}:")
                for c in leaf["cadences"]:
                    out.extend(cadence_lines(c, "      "))
        return terminal_text("\n".join(out) + "\n")
    out.append(
        f"{data['id']} 《{one_line(data['title'] or '')}》 {data['version']} "
        f"{t('status.' + str(data['status']))}  ({t('home.period')} {data['period']})"
    )
    out.append(f"  {t('f.clauses')}:")
    for c in data["clauses"]:
        out.append(f"    {c['clause']} {c['title'] or '?'}")
    cadences = [rt["cadence"] for rt in data["record_types"] if rt["cadence"]]
    if cadences:
        out.append(f"  {t('cad.title')}:")
        for c in cadences:
            out.extend(cadence_lines(c, "    "))
    out.append(f"  {t('f.record')}:")
    if not data["records"]:
        out.append(f"    {t('cl.no_evidence')}")
    for r in data["records"]:
        why = ", ".join(t("why." + w) for w in r["why"]["reasons"])
        clauses = " ".join(r["why"]["clauses"])
        out.append(
            rec_line(r)[2:]
            + ("" if r["in_period"] else "  *")
            + (f"  -> {clauses} ({why})" if clauses else "")
        )
    out.append(f"  {t('doc.references')}: {', '.join(data['references']) or '—'}")
    out.append(f"  {t('doc.referenced_by')}: {', '.join(data['referenced_by']) or '—'}")
    return terminal_text("\n".join(out) + "\n")
