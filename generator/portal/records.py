"""记录: evidence records by clause, by procedure and by month, with links to
their evidence (URLs, or local files copied into the site from records/ only)."""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import PurePosixPath
from urllib.parse import quote

from ..cadence import Cadence
from ..coverage import ClauseStatus, attribution
from ..i18n import Translator
from ..model import Record
from ..rules.records import evidence_path, evidence_status
from .evidence import is_active, site_name
from .marks import badge
from .markup import a, h, html_table, link, md, table
from .memo import Memo, made, worked_out
from .site import RECORDS_ANCHOR, Blocks, PortalPage, Publication

EVIDENCE_DIR = "evidence"


def hash_status(pub: Publication, rec: Record) -> str:
    """ok, bad, missing, unsealed or none (see evidence_status), once per record and
    build: what the check found (it hashed every evidence file), not hashed again."""
    key = rec.id or rec.path
    if key not in pub.hashes:
        state = pub.result.coverage.evidence.get(id(rec))
        found = _status_of(state, rec) if state is not None else None
        pub.hashes[key] = found or evidence_status(pub.result.root, rec)
    return pub.hashes[key]


def _status_of(state: str, rec: Record) -> str | None:
    """``evidence_status`` told by the check's evidence state (None: not told by it)."""
    if rec.sha256:  # a file that is not there, or not one file, or unreadable: missing
        return state if state in ("ok", "bad") else "missing"
    if state == "unhashed":
        return "unsealed"
    return None if state == "missing" else "none"  # missing: a file it could not read?


def evidence_cell(pub: Publication, rec: Record, path: str) -> str:
    """HTML: a link to the evidence — the URL, or the local file, copied into the site."""
    found = pub.evidence_files.get(id(rec))
    if found is None:  # looked up once per record and build
        found = pub.evidence_files[id(rec)] = _evidence_file(pub, rec)
    site_path, local_path, name, active = found
    if not site_path:
        return name
    pub.evidence[site_path] = local_path
    href = pub.href(path, site_path, static=True)
    if active:  # offered as a zip to download, never opened on this origin
        return f'<a href="{href}" download>{name}.zip</a>'
    return a(name, href)


#: what ``record_cells`` holds, by index (the six shown cells first)
TITLE, TYPE, DATE, OWNER, HASH, RETENTION, IDENT, ANCHOR = range(8)


def _evidence_file(pub: Publication, rec: Record) -> tuple[str, str, str, bool]:
    """(site path, local file, HTML of the name shown, offered as a zip) of a record's
    evidence file; a site path of "" where the cell is the same on every page (the HTML
    in place of the name: a URL, a file not found, no evidence)."""
    ev = rec.evidence
    if not ev:
        return ("", "", "—", False)
    if rec.is_url:
        scheme = ev.split("://", 1)[0].lower()
        if scheme not in ("http", "https"):
            return ("", "", h(ev), False)
        return ("", "", a(h(ev), h(quote(ev, safe=":/?#@!$&+,;=%~"))), False)
    local = evidence_path(pub.result.root, rec)
    if local is None or not local.is_file():
        return ("", "", h(ev), False)
    inside = local.relative_to((pub.result.root / "records").resolve()).as_posix()
    site_path = f"{EVIDENCE_DIR}/{site_name(inside)}"
    return (site_path, str(local), h(PurePosixPath(ev).name), is_active(inside))


def record_cells(pub: Publication, rec: Record, t: Translator) -> list[str]:
    """HTML of a record's title, type, date, owner, hash state and retention, then its
    id and its anchor: the same on every page that lists it, so made once per build."""
    cells = pub.record_cells.get(id(rec))
    if cells is None:
        cells = [h(rec.title), h(rec.type), h(rec.date), h(pub.role_name(rec.owner))]
        cells += [h(t(f"hash.{hash_status(pub, rec)}")), h(rec.retention_years)]
        cells += [h(rec.id), pub.anchor_of(rec)]
        pub.record_cells[id(rec)] = cells
    return cells


def record_rows(
    pub: Publication,
    recs: list[Record],
    path: str,
    t: Translator,
    with_procedure: bool = True,
    anchors: bool = False,
    why: bool = False,
) -> list[list[str]]:
    """HTML cells of records (for html_table); with ``why``, the clauses each evidences
    and why (its own clauses, its type's declared clauses, or unattributed)."""
    rows = []
    for r in recs:
        cells = record_cells(pub, r, t)
        if anchors:
            ident = f'<span id="{cells[ANCHOR]}"></span>{cells[IDENT]}'
        else:
            ident = a(cells[IDENT], pub.href(path, pub.record_page(r)))
        row = [ident, *cells[:3]]
        if with_procedure:
            proc = pub.by_id.get(r.procedure or "")
            row.append(
                a(h(r.procedure), pub.href(path, pub.page_of(proc)))
                if proc
                else h(pub.redaction.text(r.procedure or ""))
            )
        row += [cells[OWNER], evidence_cell(pub, r, path), cells[HASH], cells[RETENTION]]
        if why:
            row.append(why_cell(pub, r, t))
        rows.append(row)
    return rows


def why_cell(pub: Publication, rec: Record, t: Translator) -> str:
    result = pub.result
    leaves = result.coverage.attributions.get(id(rec))
    if leaves is None:
        leaves = attribution(rec, result.corpus, result.standard, result.as_of)
    if not leaves:
        return "—"
    why = tuple(sorted(set(leaves.values())))
    reasons = pub.why_words.get(why)
    if reasons is None:  # a handful of combinations, for thousands of records
        reasons = pub.why_words[why] = "、".join(t(f"why.{w}") for w in why)
    return h(f"{' '.join(result.coverage.in_order(set(leaves)))}（{reasons}）")


def record_headers(t: Translator, with_procedure: bool = True, why: bool = False) -> list[str]:
    out = [t("f.record"), t("f.title"), t("f.record_type"), t("f.date")]
    if with_procedure:
        out.append(t("f.procedure"))
    out += [t("f.owner"), t("f.evidence"), t("f.hash"), t("f.retention")]
    return out + [t("rec.proves")] if why else out


def by_month_page(pub: Publication, month: str, recs: list[Record], t: Translator) -> PortalPage:
    path = f"records/by-month/{month}.md"
    blocks = Blocks()
    body = f"# {md(t('nav.records'))}: {md(month)}\n\n" + blocks.add(
        html_table(record_headers(t), record_rows(pub, recs, path, t, anchors=True))
    )
    return PortalPage(path, f"{t('nav.records')} {month}", body, search=False, blocks=blocks.items)


def records_index(pub: Publication, t: Translator, memo: Memo | None = None) -> PortalPage:
    """The index; through ``memo``, what it counts is taken from the previous portal
    when made from the same records (``Memo.value``)."""
    path = "records/index.md"
    blocks = Blocks()
    period = pub.result.period
    recs = pub.records

    in_period = worked_out(memo, "in-period", (), lambda: sum(1 for r in recs if r.date in period))
    lines = [
        f"# {md(t('nav.records'))}\n",
        md(t("rec.intro", count=len(recs), in_period=in_period, period=str(period))) + "\n",
        f"## {md(t('rec.by_clause'))}\n",
    ]

    def clause_row(status: ClauseStatus) -> list[str]:
        mine = pub.scope.shown_of(status.records)
        return [
            link(md(status.clause.id), path, pub.clause_page(status.clause.id)),
            md(status.clause.title(t.lang)),
            str(len(mine)),
            md(max((r.date for r in mine if r.date), default="—")),
        ]

    rows = [
        worked_out(memo, f"by-clause:{s.clause.id}", (tuple(s.records),), partial(clause_row, s))
        for s in pub.result.coverage.leaves.values()
    ]
    lines.append(table([t("f.clause"), t("f.title"), t("rec.in_period"), t("f.latest")], rows))
    lines.append(f"## {md(t('rec.by_procedure'))}\n")
    per_proc = worked_out(
        memo, "per-procedure", (), lambda: Counter(r.procedure for r in recs if r.procedure)
    )
    rows = [
        [
            a(h(pid), pub.href(path, f"{pub.page_of(pub.by_id[pid])}#{RECORDS_ANCHOR}"))
            if pid in pub.by_id
            else h(pub.redaction.text(pid)),
            h(pub.by_id[pid].title if pid in pub.by_id else ""),
            str(n),
        ]
        for pid, n in sorted(per_proc.items())
    ]
    lines.append(blocks.add(html_table([t("f.procedure"), t("f.title"), t("f.count")], rows)))

    lines.append(f"## {md(t('rec.by_month'))}\n")
    per_month = worked_out(memo, "per-month", (), lambda: Counter(map(pub.month, recs)))
    rows = [
        [link(md(m), path, f"records/by-month/{m}.md"), str(n)]
        for m, n in sorted(per_month.items(), reverse=True)
    ]
    lines.append(table([t("f.month"), t("f.count")], rows))
    return PortalPage(path, t("nav.records"), "\n".join(lines), blocks=blocks.items)


def record_pages(pub: Publication, t: Translator, memo: Memo | None = None) -> list[PortalPage]:
    """The records' index and a page per month (through ``memo``: taken from the
    previous portal where its records are the same)."""

    def grouped() -> dict[str, list[Record]]:
        by_month: dict[str, list[Record]] = {}
        for r in pub.records:
            by_month.setdefault(pub.month(r), []).append(r)
        return by_month

    by_month = worked_out(memo, "by-month", (), grouped)

    def month_page(month: str, recs: list[Record]) -> PortalPage:
        return made(
            memo,
            f"records/by-month/{month}.md",
            lambda: memo.records(recs) if memo else None,
            lambda: by_month_page(pub, month, recs, t),
        )

    pages = [records_index(pub, t, memo)]
    pages += [month_page(m, rs) for m, rs in sorted(by_month.items())]
    return pages


#: a period's state as a badge with its word (emoji are boxes in Debian's Chromium)
CADENCE_BADGES = {"present": "ok", "missing": "bad", "open": "plain", "partial": "warn"}


def cadence_block(c: Cadence, t: Translator) -> str:
    """A declared record type with a cadence as one row of periods (present / missing)."""
    summary = t("cad.summary", present=c.present_due, due=c.due)
    if c.missing:
        summary += "；" + t("cad.gaps", count=len(c.missing))
    cells = [badge(t("slot." + s.state), CADENCE_BADGES[s.state]) for s in c.slots]
    title = f"{h(c.type.type)}（{h(c.document.id)}，{h(t('every.' + c.every))}）：{h(summary)}"
    return f"<p>{title}</p>" + html_table([s.label for s in c.slots], [cells], css="itsms-cadence")
