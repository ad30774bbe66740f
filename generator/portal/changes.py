"""What changed: each version's 本版修订内容 (an inline, word-level redline from the
previous approved version), the 变更记录 page (every approval, supersession and
withdrawal by date) and the events that feed.xml carries."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from ..i18n import Translator
from ..model import Document
from ..redline import Change, changes
from .marks import badge, id_link
from .markup import h, md
from .site import Blocks, PortalPage, Publication

REVISION_ANCHOR = "revision"  # the 本版修订内容 section of a document's page
PATH = "changes.md"


@dataclass(frozen=True)
class Event:
    """One approval, supersession or withdrawal, for 变更记录 and feed.xml."""

    date: dt.date
    kind: str  # approved | superseded | withdrawn
    doc: Document
    version: str
    summary: str
    who: str
    page: str  # the page that shows it (with its anchor)


def previous_version(pub: Publication, doc: Document) -> Document | None:
    """The approved version that ``doc`` replaced (from git), if the portal has it."""
    return pub.replaced(doc)


def summary_of(doc: Document) -> str:
    """The history entry's one-line summary of this version."""
    for entry in doc.history:
        if entry.version == doc.version and entry.summary:
            return entry.summary
    return ""


def redline_html(found: list[Change], t: Translator) -> str:
    """Each changed paragraph with its words marked: <ins> added, <del> removed."""
    paras = []
    for change in found:
        where = (
            f'<span class="itsms-redline__where">{h(change.heading)}</span>'
            if change.heading
            else ""
        )
        words = "".join(
            f"<ins>{html.escape(p.text)}</ins>"
            if p.op == "ins"
            else f"<del>{html.escape(p.text)}</del>"
            if p.op == "del"
            else html.escape(p.text)
            for p in change.pieces
        )
        paras.append(f'<div class="itsms-redline__para">{where}<p>{words}</p></div>')
    legend = (
        f'<p class="itsms-redline__legend"><ins>{h(t("chg.inserted"))}</ins> '
        f"<del>{h(t('chg.deleted'))}</del></p>"
    )
    return f'<div class="itsms-redline" data-search-exclude>{legend}{"".join(paras)}</div>'


def revision_section(
    pub: Publication, doc: Document, t: Translator, blocks: Blocks, title_key: str = "chg.this"
) -> str:
    """本版修订内容: the history summary of this version and its redline."""
    out = [f"## {md(t(title_key))} {{#{REVISION_ANCHOR}}}\n"]
    summary = summary_of(doc)
    if summary:
        out.append(f"**{md(doc.version)}**：{md(summary)}\n")
    old = previous_version(pub, doc)
    if old is None:
        earlier = [e for e in doc.history if e.version and e.version != doc.version]
        out.append(md(t("chg.no_previous" if earlier else "chg.first")) + "\n")
        return "\n".join(out)
    found = changes(old.body, doc.body)
    out.append(md(t("chg.since", version=old.version or "")) + "\n")
    if not found:
        out.append(md(t("doc.redline_none")) + "\n")
    else:
        out.append(blocks.add(redline_html(found, t)))
    return "\n".join(out)


def diff_to_newer(older: Document, newer: Document, t: Translator, blocks: Blocks) -> str:
    """On an archived version's page: what the version that replaced it changed."""
    title = f"## {md(t('doc.redline', version=newer.version or ''))}\n\n"
    found = changes(older.body, newer.body)
    if not found:
        return title + md(t("doc.redline_none")) + "\n"
    return title + blocks.add(redline_html(found, t))


def events(pub: Publication) -> list[Event]:
    """Every approval (from each document's history), supersession and withdrawal, newest
    first, of the documents this build publishes."""
    out: list[Event] = []
    seen: set[tuple[str, str]] = set()
    archived = {(old.id, old.version): old for old, _ in pub.archived}
    for doc in pub.documents:
        if not doc.id:
            continue
        for entry in doc.history:
            if not (entry.date and entry.version and entry.approved_by):
                continue
            if (doc.id, entry.version) in seen:
                continue
            seen.add((doc.id, entry.version))
            old = archived.get((doc.id, entry.version))
            page = pub.page_of(old) if old is not None else pub.page_of(doc)
            if entry.version == doc.version or old is not None:
                page += f"#{REVISION_ANCHOR}"
            out.append(
                Event(
                    entry.date,
                    "approved",
                    doc,
                    entry.version,
                    entry.summary or "",
                    entry.approved_by,
                    page,
                )
            )
        if doc.approved_on and doc.version and (doc.id, doc.version) not in seen:
            seen.add((doc.id, doc.version))
            out.append(
                Event(
                    doc.approved_on,
                    "approved",
                    doc,
                    doc.version,
                    summary_of(doc),
                    doc.approved_by or "",
                    pub.page_of(doc) + f"#{REVISION_ANCHOR}",
                )
            )
        if doc.status == "withdrawn" and doc.withdrawn_on:
            out.append(
                Event(
                    doc.withdrawn_on,
                    "withdrawn",
                    doc,
                    doc.version or "",
                    doc.withdrawn_reason or "",
                    "",
                    pub.page_of(doc),
                )
            )
        if doc.status == "superseded":
            by = [pub.by_id[r.value] for r in doc.superseded_by if r.value in pub.by_id]
            # the date ``supersede`` wrote; else the day the replacement took effect
            when = doc.superseded_on or min((d.effective for d in by if d.effective), default=None)
            if when is not None:
                out.append(
                    Event(
                        when,
                        "superseded",
                        doc,
                        doc.version or "",
                        "、".join(f"{d.id} {d.title or ''}".strip() for d in by),
                        "",
                        pub.page_of(doc),
                    )
                )
    out.sort(key=lambda e: (e.date, e.doc.id or "", e.version), reverse=True)
    return out


def changes_page(pub: Publication, t: Translator) -> PortalPage:
    """变更记录: every approval, supersession and withdrawal, newest first."""
    blocks = Blocks()
    rows = []
    for e in events(pub):
        rows.append(
            "<tr>"
            f"<td>{h(e.date)}</td>"
            f"<td>{badge(t(f'chg.{e.kind}'), e.kind)}</td>"
            f"<td>{id_link(e.doc.id, pub.href(PATH, e.page))}<br>{h(e.doc.title)}</td>"
            f"<td>{h(e.version)}</td>"
            f"<td>{h(e.summary) or '—'}</td>"
            f"<td>{h(e.who) or '—'}</td>"
            "</tr>"
        )
    heads = [
        t("f.date"),
        t("chg.kind"),
        t("f.id"),
        t("f.version"),
        t("f.summary"),
        t("f.approved_by"),
    ]
    table = (
        '<div class="itsms-wide"><table data-search-exclude><thead><tr>'
        + "".join(f"<th>{h(x)}</th>" for x in heads)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
        if rows
        else ""
    )
    subscribe = t("chg.subscribe", feed="feed.xml", ics="reviews.ics")
    body = (
        f"# {md(t('nav.changes'))}\n\n{md(t('chg.intro'))}\n\n"
        f'<p>{h(subscribe)} <a href="{pub.href(PATH, "feed.xml", static=True)}">feed.xml</a> · '
        f'<a href="{pub.href(PATH, "reviews.ics", static=True)}">reviews.ics</a></p>\n\n'
        + (blocks.add(table) or md(t("idx.none")) + "\n")
    )
    return PortalPage(PATH, t("nav.changes"), body, search=False, blocks=blocks.items)
