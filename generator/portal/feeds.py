"""feed.xml (Atom: what changed, for staff's mail clients) and reviews.ics
(iCalendar: every current document's next review, for controllers' calendars),
both at the site root."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from ..i18n import Translator
from .changes import events
from .markup import page_url
from .site import Publication

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50


def _link(pub: Publication, page: str, base: str) -> str:
    path, _, anchor = page.partition("#")
    url = page_url(path, pub.options.dir_urls) + (f"#{anchor}" if anchor else "")
    return base.rstrip("/") + "/" + url if base else url


def feed_xml(pub: Publication, t: Translator, site_name: str, base: str = "") -> str:
    """An Atom feed of the latest approvals, supersessions and withdrawals."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{site_name} · {t('nav.changes')}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = "urn:itsms:changes"
    latest = events(pub)[:FEED_ENTRIES]
    updated = latest[0].date if latest else pub.options.build_date
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", href=_link(pub, "changes.md", base), rel="alternate")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site_name
    for e in latest:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        kind = t(f"chg.{e.kind}")
        ET.SubElement(
            entry, f"{{{ATOM}}}title"
        ).text = f"{kind}：{e.doc.id} {e.doc.title or ''} {e.version}".strip()
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:itsms:{e.doc.id}:{e.version}:{e.kind}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(e.date)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=_link(pub, e.page, base), rel="alternate")
        if e.summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = e.summary
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _escape(text: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1),
    never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    out: list[str] = []
    start, limit = 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        out.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    out.append(data[start:].decode("utf-8"))
    return "\r\n ".join(out)


def reviews_ics(pub: Publication, t: Translator, site_name: str, base: str = "") -> str:
    """Every current approved document's next review date as an all-day event."""
    stamp = pub.options.build_date.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//itsms//reviews//ZH",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(site_name + ' · ' + t('home.reviews'))}",
    ]
    for doc in sorted(pub.current(), key=lambda d: d.id or ""):
        nxt = doc.next_review
        if doc.status != "approved" or nxt is None or not doc.id:
            continue
        owner = pub.role_name(doc.owner)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(doc.id)}-{_escape(doc.version or '')}-review@itsms",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{nxt.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(nxt + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(t('ics.summary', id=doc.id, title=doc.title or ''))}",
            f"DESCRIPTION:{_escape(t('ics.description', version=doc.version, owner=owner))}",
        ]
        if base:  # a URI value, not text: only an absolute one is of use in a calendar
            lines.append(f"URL:{_link(pub, pub.page_of(doc), base)}")
        lines += [
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
