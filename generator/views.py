"""Tabular views of a checked corpus — the clause coverage matrix, the document
register (文件清单) and the RACI matrices — as columns and rows of data, for
every output format (table, csv, xlsx, json) to render in the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .check import CheckResult
from .i18n import Translator
from .model import Document, RaciRow
from .scope import Scope
from .settings import Period

STRENGTH = {"A": 4, "R": 3, "C": 2, "I": 1}


@dataclass
class Table:
    """Rows of data: codes (``approved``, ``direct``), ids, dates, numbers; words only in
    text columns (title, name, note). ``words`` names the columns whose codes a reader's
    format (table, csv, xlsx) puts into words, with their catalogue prefix; JSON keeps
    the codes, so ``--lang`` changes no value but text."""

    name: str  # sheet / section name
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict[str, Any]]
    caption: str = ""
    words: dict[str, str] = field(default_factory=dict)  # column key -> catalogue prefix
    #: column key -> the key of its name (``owner`` -> ``owner_name``): the column holds
    #: an id (a role's), a reader's format shows the name, JSON carries both
    names: dict[str, str] = field(default_factory=dict)


class Ref(NamedTuple):
    """A document named in a cell: its id with its title ("GZDS-ITSMS-QP-18 管理评审程序")."""

    id: str
    title: str


@dataclass(frozen=True)
class Stamp:
    """What every exported view states: standard, audit period, as-of date, generation time."""

    standard_id: str
    standard: str  # its title in the view's language
    period: Period
    as_of: dt.date
    generated: dt.datetime  # UTC, to the second


def stamp(result: CheckResult, lang: str) -> Stamp:
    return Stamp(
        result.standard.id,
        result.standard.title(lang),
        result.period,
        result.as_of,
        dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
    )


def caption(result: CheckResult, t: Translator) -> str:
    return t(
        "view.caption",
        standard=result.standard.title(t.lang),
        period=str(result.period),
        as_of=result.as_of.isoformat(),
    )


def coverage_table(result: CheckResult, lang: str, scope: Scope | None = None) -> Table:
    t = Translator(lang)
    scope = scope or Scope(result)
    columns = [
        ("clause", t("f.clause")),
        ("title", t("f.title")),
        ("documents", t("f.documents")),
        ("confidential", t("view.confidential")),
        ("covered", t("f.covered")),
        ("excluded", t("cl.excluded")),
        ("records", t("view.records_in_period")),
        ("record_ids", t("view.record_ids")),
        ("rejected", t("view.rejected")),
        ("latest", t("f.latest")),
        ("evidenced", t("cl.evidenced")),
        ("cadence", t("view.cadence")),
        ("gaps", t("view.gaps")),
    ]
    rows = []
    for status in result.coverage.leaves.values():
        records = [r for r in status.records if scope.shows(r)]
        dates = [r.date for r in records if r.date]
        cadences = [c for c in status.cadences if scope.shows(c.document)]
        rows.append(
            {
                "clause": status.clause.id,
                "title": status.clause.title(lang),
                "documents": [
                    Ref(d.id or "", d.title or "") for d in status.documents if scope.shows(d)
                ],
                # meeting it, but not shown: why a clause may be covered with no document
                "confidential": sum(1 for d in status.documents if not scope.shows(d)),
                "covered": status.covered,
                "excluded": status.excluded.justification if status.excluded else None,
                "records": len(records),
                "record_ids": sorted(r.id for r in records if r.id),
                "rejected": sum(1 for r in status.rejected if scope.shows(r)),
                "latest": max(dates) if dates else None,
                "evidenced": bool(records) and status.covered,
                # periods present / due of the record types with a cadence that evidence it
                "cadence": f"{sum(c.present_due for c in cadences)}/{sum(c.due for c in cadences)}"
                if cadences
                else None,
                "gaps": [f"{s.label} {c.type.type}" for c in cadences for s in c.missing],
            }
        )
    return Table(t("nav.clauses"), columns, rows, caption(result, t))


def cadence_table(result: CheckResult, lang: str, scope: Scope | None = None) -> Table:
    """Each declared record type with a cadence: its periods due, present and missing."""
    t = Translator(lang)
    scope = scope or Scope(result)
    columns = [
        ("procedure", t("f.procedure")),
        ("type", t("f.record_type")),
        ("every", t("view.every")),
        ("retention_years", t("view.retention")),
        ("due", t("view.due")),
        ("present", t("view.present")),
        ("missing", t("view.gaps")),
    ]
    rows = [
        {
            "procedure": c.document.id,
            "type": c.type.type,
            "every": c.every,
            "retention_years": c.type.retention_years,
            "due": c.due,
            "present": c.present_due,
            "missing": [s.label for s in c.missing],
        }
        for c in result.coverage.cadences
        if scope.shows(c.document)
    ]
    return Table(t("cad.title"), columns, rows, caption(result, t), {"every": "every."})


def register_table(result: CheckResult, lang: str, scope: Scope | None = None) -> Table:
    t = Translator(lang)
    scope = scope or Scope(result)
    roles = result.corpus.roles
    columns = [
        ("id", t("f.id")),
        ("title", t("f.title")),
        ("type", t("f.type")),
        ("version", t("f.version")),
        ("status", t("f.status")),
        ("owner", t("f.owner")),
        ("approved_by", t("f.approved_by")),
        ("approved_on", t("f.approved_on")),
        ("effective", t("f.effective")),
        ("next_review", t("f.next_review")),
        ("classification", t("f.classification")),
    ]
    rows = []
    for d in sorted(scope.documents, key=lambda d: d.id or ""):
        rows.append(
            {
                "id": d.id,
                "title": d.title,
                "type": d.type,
                "version": d.version,
                "status": scope.status(d),
                "owner": d.owner,
                "owner_name": roles[d.owner].name if d.owner in roles else d.owner,
                "approved_by": d.approved_by,
                "approved_on": d.approved_on,
                "effective": d.effective,
                "next_review": d.next_review if d.status == "approved" else None,
                "classification": d.classification,
            }
        )
    words = {"type": "type.", "status": "status.", "classification": "class."}
    return Table(
        t("nav.register"), columns, rows, caption(result, t), words, {"owner": "owner_name"}
    )


def _processes(scope: Scope) -> list[Document]:
    return sorted(scope.processes(), key=lambda d: d.id or "")


def strongest(doc: Document) -> dict[str, str]:
    """role id -> its strongest letter (A > R > C > I) over the document's activities."""
    out: dict[str, str] = {}
    for row in doc.raci:
        for letter, ref in row.letters():
            if STRENGTH[letter] > STRENGTH.get(out.get(ref.value, ""), 0):
                out[ref.value] = letter
    return out


def cell_letters(row: RaciRow) -> dict[str, str]:
    """role id -> its letters in one activity, strongest first ("AR")."""
    out: dict[str, str] = {}
    for letter, ref in row.letters():
        out[ref.value] = "".join(
            sorted(out.get(ref.value, "") + letter, key=lambda x: -STRENGTH[x])
        )
    return out


def matrix_tables(result: CheckResult, lang: str, scope: Scope | None = None) -> list[Table]:
    """Roles x processes (strongest letter), and roles x activities (one row per activity)."""
    t = Translator(lang)
    scope = scope or Scope(result)
    roles = result.corpus.roles
    processes = _processes(scope)
    letters = {d.id: strongest(d) for d in processes}
    used = [r for r in roles if any(r in m for m in letters.values())]
    columns = [("role", t("f.role")), ("role_id", "id")] + [
        (d.id or "", d.id or "") for d in processes
    ]
    rows = []
    for rid in used:
        row: dict[str, Any] = {"role": rid, "role_name": roles[rid].name, "role_id": rid}
        row.update({d.id or "": letters[d.id].get(rid) for d in processes})
        rows.append(row)
    by_process = Table(
        t("raci.by_process"), columns, rows, caption(result, t), names={"role": "role_name"}
    )
    columns = [
        ("process", t("f.procedure")),
        ("title", t("f.title")),
        ("activity", t("f.activity")),
    ] + [(rid, roles[rid].name) for rid in used]
    rows = []
    for d in processes:
        for raci in d.raci:
            rows.append(
                {"process": d.id, "title": d.title, "activity": raci.activity, **cell_letters(raci)}
            )
    by_activity = Table(t("raci.by_activity"), columns, rows, caption(result, t))
    return [by_process, by_activity]
