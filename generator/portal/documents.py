"""Document pages (manual chapters, procedures, the archive) and their indexes."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..i18n import Translator
from ..model import OBSOLETE, Document
from ..relations import Relations
from ..rules.references import cited_first, matches
from .attachments import publish_images
from .changes import diff_to_newer, revision_section
from .markup import a, admonition, attr, h, html_table, link, md, rel, table
from .memo import Memo, made
from .records import cadence_block, record_headers, record_rows
from .site import ARCHIVE, RECORDS_ANCHOR, Blocks, PortalPage, Publication

#: search weights: a process name finds its procedure before the manual chapter citing it
PROCEDURE_BOOST = 8.0
MANUAL_BOOST = 2.0

#: what a citation is never linked inside: code, a Markdown link or picture (its text
#: and its target: ``[文件控制](GZDS-ITSMS-QP-01.md)`` stays as written), an HTML tag
_KEPT = re.compile(
    r"```.*?```|~~~.*?~~~|`[^`\n]*`|!?\[[^\[\]\n]*\]\([^()\n]*\)|<[A-Za-z/][^<>\n]*>",
    re.S,
)


def link_citations(body: str, pattern: str, href: Callable[[str], str | None]) -> str:
    """Turn 《title》ID, ID《title》 and bare ids in the text (outside code, links and
    tags) into links."""
    cite = re.compile(
        rf"《[^《》\n]{{1,100}}》\s*(?:{pattern})|(?:{pattern})\s*《[^《》\n]{{1,100}}》"
        rf"|(?<![A-Za-z0-9/-])(?:{pattern})(?![A-Za-z0-9])"
    )
    ident = re.compile(pattern)

    def replace(match: re.Match[str]) -> str:
        found = ident.search(match.group(0))
        target = href(found.group(0)) if found else None
        return f"[{match.group(0)}]({target})" if target else match.group(0)

    first = cited_first(pattern)

    def linked(text: str) -> None:  # cite.sub(replace, text), tried only where it may match
        last = 0
        for match in matches(cite, text, first):
            out.append(text[last : match.start()])
            out.append(replace(match))
            last = match.end()
        out.append(text[last:])

    out: list[str] = []
    last = 0
    for kept in _KEPT.finditer(body):
        linked(body[last : kept.start()])
        out.append(kept.group(0))
        last = kept.end()
    linked(body[last:])
    return "".join(out)


def _status(doc: Document, t: Translator) -> str:
    return t(f"status.{doc.status}") if doc.status else ""


def doc_link(pub: Publication, doc_id: str, from_path: str) -> str:
    doc = pub.by_id.get(doc_id)
    if doc is None:
        return md(pub.redaction.text(doc_id))
    return link(f"{md(doc.id)} {md(doc.title)}", from_path, pub.page_of(doc))


def _id_link(pub: Publication, doc_id: str, from_path: str) -> str:
    """``doc_link`` without the title, as HTML (for the tables of raw HTML)."""
    doc = pub.by_id.get(doc_id)
    if doc is None:
        return h(pub.redaction.text(doc_id))
    return a(h(doc.id), pub.href(from_path, pub.page_of(doc)))


def banner(
    pub: Publication, doc: Document, t: Translator, path: str, replaced_by: Document | None = None
) -> str:
    if replaced_by is not None:
        by = link(f"{md(replaced_by.id)} {md(replaced_by.version)}", path, pub.page_of(replaced_by))
        return admonition(
            "danger",
            t("banner.obsolete.title"),
            t("banner.old_version", version=md(doc.version), by=by),
        )
    revising = pub.revising.get(doc.id or "")
    if revising is not None and pub.by_id.get(doc.id or "") is doc:
        return admonition(
            "info",
            t("f.status"),
            t(
                "banner.revising",
                version=md(revising.version),
                status=md(t(f"status.{revising.status}")),
            ),
        )
    if doc.status == "superseded":
        by = "、".join(doc_link(pub, r.value, path) for r in doc.superseded_by) or "—"
        return admonition("danger", t("banner.obsolete.title"), t("banner.superseded", by=by))
    if doc.status == "withdrawn":
        return admonition(
            "danger",
            t("banner.obsolete.title"),
            t(
                "banner.withdrawn",
                date=md(doc.withdrawn_on or "—"),
                reason=md(doc.withdrawn_reason or "—"),
            ),
        )
    if doc.status in ("draft", "review"):
        return admonition("warning", t(f"banner.{doc.status}.title"), t("banner.preview"))
    effective = doc.effective
    if effective and effective > pub.result.as_of:
        return admonition("info", t("f.effective"), t("doc.not_yet", date=effective.isoformat()))
    return ""


def header_table(
    pub: Publication, doc: Document, t: Translator, path: str, status: str | None = None
) -> str:
    """The document's header; ``status`` overrides what an archived version's own file
    says (it was approved then; it is superseded now)."""
    clauses = pub.result.standard.by_id
    clause_links = [
        link(md(ref.value), path, pub.clause_page(ref.value))
        + (f" {md(clauses[ref.value].title(t.lang))}" if ref.value in clauses else "")
        for ref in doc.clauses.get(pub.result.standard.id, [])
        if ref.value in clauses
    ]
    owner = pub.roles.get(doc.owner or "")
    rows = [
        (t("f.id"), md(doc.id)),
        (t("f.version"), md(doc.version)),
        (t("f.status"), md(t(f"status.{status or pub.scope.status(doc)}"))),
        (t("f.type"), md(t(f"type.{doc.type}") if doc.type else "")),
        (t("f.owner"), md(owner.name if owner else doc.owner)),
        (t("f.author"), md(doc.author)),
        (t("f.approved_by"), md(doc.approved_by or "—")),
        (t("f.approved_on"), md(doc.approved_on or "—")),
        (t("f.effective"), md(doc.effective or "—")),
        (t("f.next_review"), md(doc.next_review if doc.status == "approved" else "—")),
        (t("f.clauses"), "<br>".join(clause_links) or "—"),
        (t("f.classification"), md(t(f"class.{doc.classification}"))),
    ]
    pairs = [
        [*rows[i], *(rows[i + 1] if i + 1 < len(rows) else ("", ""))]
        for i in range(0, len(rows), 2)
    ]
    return table(pairs[0], pairs[1:], css="itsms-meta", searchable=False)


def print_header(doc: Document, t: Translator, build_date: str) -> str:
    label = f"{doc.id} · {t('f.version')} {doc.version or '—'} · {t('print.uncontrolled')}"
    return (
        f'<div class="itsms-print" data-search-exclude>{attr(label)} · {attr(build_date)}</div>\n'
    )


def raci_table(pub: Publication, doc: Document, t: Translator) -> str:
    if not doc.raci:
        return ""
    rows = []
    for row in doc.raci:
        cells = [md(row.activity)]
        for letter in "RACI":
            refs = getattr(row, letter)
            cells.append("、".join(md(pub.role_name(r.value)) for r in refs) or "—")
        rows.append(cells)
    return f"## {md(t('doc.raci'))}\n\n" + table([t("f.activity"), "R", "A", "C", "I"], rows)


def records_section(
    pub: Publication, doc: Document, t: Translator, path: str, blocks: Blocks
) -> str:
    """Record types with their count in the period; on the current version's page, every
    record it produced (a listing put in place after rendering) and their summaries."""
    if not doc.id:
        return ""
    produced = pub.records_of(doc.id)
    if not doc.records and not produced:
        return ""
    period = pub.result.period
    current = pub.by_id.get(doc.id) is doc
    std = pub.result.standard.id
    rows = []
    for rtype in doc.record_types:
        mine = [r for r in produced if r.type == rtype.type]
        in_period = [r for r in mine if r.date in period]
        latest = [link(md(r.id), path, pub.record_page(r)) for r in mine[:3]]
        count = (
            t("doc.records_count", count=len(in_period), latest=md(in_period[0].date))
            if in_period
            else t("doc.records_none")
        )
        declared = " ".join(r.value for r in rtype.clauses.get(std, []))
        rows.append(
            [
                md(rtype.type),
                md(declared) if declared else md(t("why.unattributed")),
                md(t(f"every.{rtype.every}")) if rtype.every else "—",
                md(rtype.retention_years) if rtype.retention_years else "—",
                count,
                "、".join(latest) or "—",
            ]
        )
    headers = [t("f.record_type"), t("rec.proves"), t("view.every"), t("view.retention")]
    out = [
        f"## {md(t('doc.records'))} {{#{RECORDS_ANCHOR}}}\n",
        table([*headers, t("rec.in_period"), t("f.record")], rows),
    ]
    rows_of = pub.cadences_of(doc.id)
    if current:
        out.extend(
            blocks.add(cadence_block(rows_of[rt.type], t))
            for rt in doc.record_types
            if rt.type in rows_of
        )
    if current and produced:
        out.append(
            blocks.add(
                html_table(
                    record_headers(t, False, why=True),
                    record_rows(pub, produced, path, t, False, True, why=True),
                    css="itsms-records",
                )
            )
        )
        for rec in produced:
            if rec.body.strip():
                out.append(f"### {md(rec.id)} {md(rec.title)}\n\n{rec.body.strip()}\n")
    return "\n".join(out)


def history_table(pub: Publication, doc: Document, t: Translator, path: str) -> str:
    if not doc.history:
        return ""
    rows = []
    for entry in doc.history:
        commit = entry.commit or pub.commits.get((doc.id or "", entry.version or ""))
        old = pub.archived_version(doc.id, entry.version)
        version = (
            link(md(entry.version), path, pub.page_of(old))
            if old is not None
            else md(entry.version)
        )
        rows.append(
            [
                version,
                md(entry.date),
                md(entry.author),
                md(entry.approved_by),
                md(pub.redaction.text(entry.summary or "")),
                f"`{md(commit[:10])}`" if commit else "—",
            ]
        )

    headers = [
        t("f.version"),
        t("f.date"),
        t("f.author"),
        t("f.approved_by"),
        t("f.summary"),
        t("f.commit"),
    ]
    return f"## {md(t('doc.history'))}\n\n" + table(headers, rows, searchable=False)


def related_section(
    pub: Publication, relations: Relations, doc: Document, t: Translator, path: str
) -> str:
    if not doc.id:
        return ""
    out = []
    refers = relations.refers.get(doc.id, [])
    referred = relations.referred_by.get(doc.id, [])
    if refers:
        out.append(f"**{md(t('doc.references'))}**\n")
        out.extend(f"- {doc_link(pub, i, path)}" for i in refers)
        out.append("")
    if referred:
        out.append(f"**{md(t('doc.referenced_by'))}**\n")
        out.extend(f"- {doc_link(pub, i, path)}" for i in referred)
        out.append("")
    if not out:
        return ""
    return f"## {md(t('doc.related'))}\n\n" + "\n".join(out) + "\n"


def document_page(
    pub: Publication,
    relations: Relations,
    doc: Document,
    t: Translator,
    replaced_by: Document | None = None,
) -> PortalPage:
    path = pub.page_of(doc)
    pattern = pub.result.settings.id_pattern
    blocks = Blocks()

    def href(doc_id: str) -> str | None:
        target = pub.page_of_id(doc_id)
        return rel(path, target) if target and doc_id != doc.id else None

    body = link_citations(doc.body.strip("\n"), pattern, href)
    body = publish_images(pub, doc, body, path)
    parts = [
        print_header(doc, t, pub.options.build_date.isoformat()),
        banner(pub, doc, t, path, replaced_by),
        f"# {md(doc.title or doc.id)}\n",
        header_table(pub, doc, t, path, "superseded" if replaced_by is not None else None),
        body + "\n",
        raci_table(pub, doc, t),
        records_section(pub, doc, t, path, blocks),
        revision_section(pub, doc, t, blocks),
        history_table(pub, doc, t, path),
        related_section(pub, relations, doc, t, path),
    ]
    if replaced_by is not None:
        parts.append(diff_to_newer(doc, replaced_by, t, blocks))
    boost = 0.5
    if doc.status == "approved" and replaced_by is None:  # procedures first, then the manual
        boost = MANUAL_BOOST if doc.type == "manual" else PROCEDURE_BOOST
    return PortalPage(
        path,
        f"{doc.id} {doc.title or ''}".strip(),
        "\n".join(p for p in parts if p),
        boost=boost,
        blocks=blocks.items,
    )


def _doc_rows(pub: Publication, docs: list[Document], path: str) -> list[list[str]]:
    return [
        [
            a(h(d.id), pub.href(path, pub.page_of(d))),
            h(d.title),
            h(d.version),
            h(pub.role_name(d.owner)),
            h(d.effective or "—"),
            h(d.next_review if d.status == "approved" else "—"),
        ]
        for d in sorted(docs, key=lambda d: d.id or "")
    ]


def _index_table(headers: list[str], rows: list[list[str]], blocks: Blocks) -> str:
    """An index's table as a searched block (cells are safe HTML): Markdown need not
    read it (50 KB at 500 documents), and, unlike other blocks, it stays in the search
    index as the Markdown table did."""
    return blocks.add(html_table(headers, rows, searchable=True), searched=True)


def _doc_headers(t: Translator) -> list[str]:
    return [
        t("f.id"),
        t("f.title"),
        t("f.version"),
        t("f.owner"),
        t("f.effective"),
        t("f.next_review"),
    ]


def manual_index(pub: Publication, t: Translator) -> PortalPage:
    path = "manual/index.md"
    rows = _doc_rows(pub, pub.manual(), path)
    blocks = Blocks()
    body = _index_table(_doc_headers(t), rows, blocks) or t("idx.none")
    text = f"# {md(t('nav.manual'))}\n\n{md(t('idx.manual'))}\n\n{body}"
    return PortalPage(path, t("nav.manual"), text, blocks=blocks.items)


def procedures_index(pub: Publication, t: Translator) -> PortalPage:
    path = "procedures/index.md"
    parts = [f"# {md(t('nav.procedures'))}\n", md(t("idx.procedures")) + "\n"]
    by_type: dict[str, list[Document]] = {}
    for doc in pub.procedures():
        by_type.setdefault(doc.type or "procedure", []).append(doc)
    order = ["procedure", "policy", "plan", "work-instruction", "form"]
    blocks = Blocks()
    for dtype in sorted(by_type, key=lambda k: order.index(k) if k in order else 99):
        parts.append(f"## {md(t(f'type.{dtype}'))}\n")
        parts.append(_index_table(_doc_headers(t), _doc_rows(pub, by_type[dtype], path), blocks))
    if not by_type:
        parts.append(t("idx.none"))
    return PortalPage(path, t("nav.procedures"), "\n".join(parts), blocks=blocks.items)


def archive_index(pub: Publication, t: Translator) -> PortalPage:
    path = f"{ARCHIVE}/index.md"
    rows = []
    for d in sorted(pub.obsolete(), key=lambda d: d.id or ""):
        replaced = "、".join(_id_link(pub, r.value, path) for r in d.superseded_by)
        rows.append(
            [
                a(h(d.id), pub.href(path, pub.page_of(d))),
                h(d.title),
                h(d.version),
                h(_status(d, t)),
                replaced or h(d.withdrawn_reason or "—"),
            ]
        )
    for old, new in sorted(pub.archived, key=lambda p: (p[0].id or "", p[0].version or "")):
        rows.append(
            [
                a(f"{h(old.id)} {h(old.version)}", pub.href(path, pub.page_of(old))),
                h(old.title),
                h(old.version),
                h(t("status.superseded")),
                a(f"{h(new.id)} {h(new.version)}", pub.href(path, pub.page_of(new))),
            ]
        )
    headers = [
        t("f.id"),
        t("f.title"),
        t("f.version"),
        t("f.status"),
        f"{t('f.replaced_by')} / {t('f.reason')}",
    ]
    blocks = Blocks()
    body = _index_table(headers, rows, blocks) or t("idx.none")
    text = f"# {md(t('nav.archive'))}\n\n{md(t('idx.archive'))}\n\n{body}"
    return PortalPage(path, t("nav.archive"), text, blocks=blocks.items)


def relations_of(pub: Publication) -> Relations:
    return Relations(pub.documents, set(pub.by_id), pub.result.settings.id_pattern)


def all_document_pages(
    pub: Publication, t: Translator, relations: Relations | None = None, memo: Memo | None = None
) -> list[PortalPage]:
    """Every document's page (through ``memo``: taken from the previous portal where
    made from the same inputs) and the indexes."""
    found = relations or relations_of(pub)

    def page(doc: Document, replaced_by: Document | None = None) -> PortalPage:
        return made(
            memo,
            pub.page_of(doc),
            lambda: memo.document_key(found, doc, replaced_by) if memo else None,
            lambda: document_page(pub, found, doc, t, replaced_by),
        )

    pages = [page(d) for d in [*pub.documents, *pub.previews]]
    pages += [page(old, new) for old, new in pub.archived]
    pages += [manual_index(pub, t), procedures_index(pub, t), archive_index(pub, t)]
    return pages


__all__ = ["OBSOLETE", "all_document_pages", "link_citations"]
