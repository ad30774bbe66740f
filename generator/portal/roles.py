"""A page per role: what it owns, every activity where it is R, A, C or I across
procedures, the reviews it has due and the records it keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from ..i18n import Translator
from ..model import Document, Record, Role
from ..views import cell_letters
from .marks import badge, id_link, id_link_html
from .markup import anchor_id, h, html_table, md
from .memo import Memo, made
from .records import DATE, IDENT, TITLE, TYPE, record_cells
from .site import Blocks, PortalPage, Publication

ROLES_DIR = "roles"


def role_page_path(role_id: str) -> str:
    return f"{ROLES_DIR}/{anchor_id(role_id)}.md"


def _letters(text: str, t: Translator) -> str:
    return " ".join(
        f'<span class="itsms-badge itsms-badge--raci" title="{h(t(f"raci.{c}"))}">'
        f"{h(c)} {h(t(f'raci.{c}'))}</span>"
        for c in text
    )


@dataclass
class _Roles:
    """What the role pages list, gathered in one pass over documents and records."""

    #: role id -> (document, activity, its letters) in document order
    activities: dict[str, list[tuple[Document, str, str]]] = field(default_factory=dict)
    #: role id -> the records it keeps
    kept: dict[str, list[Record]] = field(default_factory=dict)
    #: letters ("AR") -> their badges (a handful of combinations, thousands of rows)
    badges: dict[str, str] = field(default_factory=dict)
    #: role id -> the current documents it owns, by id
    owned: dict[str, list[Document]] = field(default_factory=dict)
    #: a document's linked id and its title, as every role page shows them (they are
    #: all in one folder: the same links)
    cells: dict[int, tuple[str, str]] = field(default_factory=dict)

    def doc_cells(self, pub: Publication, path: str, doc: Document) -> tuple[str, str]:
        found = self.cells.get(id(doc))
        if found is None:
            found = (id_link(doc.id, pub.href(path, pub.page_of(doc))), h(doc.title))
            self.cells[id(doc)] = found
        return found


def _cells(doc: Document) -> list[dict[str, str]]:
    return [cell_letters(row) for row in doc.raci]


def _gather(pub: Publication) -> _Roles:
    out = _Roles()
    for doc in sorted(pub.current(), key=lambda d: d.id or ""):
        if doc.owner:
            out.owned.setdefault(doc.owner, []).append(doc)
        # each activity's letters, worked out once per document (serve keeps documents)
        cells = doc.derived("cell_letters", (), partial(_cells, doc))
        for row, letters_of in zip(doc.raci, cells, strict=True):
            for role_id, letters in letters_of.items():
                out.activities.setdefault(role_id, []).append((doc, row.activity, letters))
    for r in pub.records:
        if r.owner:
            out.kept.setdefault(r.owner, []).append(r)
    return out


def role_page(
    pub: Publication, role: Role, t: Translator, gathered: _Roles, memo: Memo | None = None
) -> PortalPage:
    path = role_page_path(role.id)
    blocks = Blocks()
    parts = [f"# {md(role.name)}\n"]
    if role.description:
        parts.append(md(role.description) + "\n")
    parts.append(f"{md(t('role.id'))}：{md(role.id)}\n")

    owned = gathered.owned.get(role.id, [])
    parts.append(f"## {md(t('role.owns'))}\n")
    rows = [
        [
            id_link(d.id, pub.href(path, pub.page_of(d))),
            h(d.title),
            h(d.version),
            h(d.next_review if d.status == "approved" else "—"),
        ]
        for d in owned
    ]
    parts.append(
        blocks.add(html_table([t("f.id"), t("f.title"), t("f.version"), t("f.next_review")], rows))
        or md(t("idx.none")) + "\n"
    )

    parts.append(f"## {md(t('role.activities'))}\n")
    rows = []
    procedures = set()
    for doc, activity, letters in gathered.activities.get(role.id, []):
        if not letters:
            continue
        procedures.add(doc.id)
        badges = gathered.badges.get(letters)
        if badges is None:
            badges = gathered.badges[letters] = _letters(letters, t)
        rows.append([*gathered.doc_cells(pub, path, doc), h(activity), badges])
    if rows:
        parts.append(md(t("role.activities_count", count=len(rows), procs=len(procedures))) + "\n")
    parts.append(
        blocks.add(
            html_table([t("f.id"), t("f.procedure"), t("f.activity"), t("role.letters")], rows)
        )
        or md(t("idx.none")) + "\n"
    )

    parts.append(f"## {md(t('home.reviews'))}\n")
    as_of = pub.result.as_of
    due = sorted(
        (d for d in owned if d.status == "approved" and d.next_review),
        key=lambda d: d.next_review or as_of,
    )
    rows = []
    for d in due:
        nxt = d.next_review
        assert nxt is not None
        days = (nxt - as_of).days
        when = t("home.overdue", days=-days) if days < 0 else t("home.due", days=days)
        window = pub.result.settings.review_warning_days
        mark = badge(when, "bad" if days < 0 else "warn" if days <= window else "plain")
        rows.append(
            [
                id_link(d.id, pub.href(path, pub.page_of(d))),
                h(d.title),
                h(nxt),
                mark,
            ]
        )
    parts.append(
        blocks.add(html_table([t("f.id"), t("f.title"), t("f.next_review"), t("role.when")], rows))
        or md(t("idx.none")) + "\n"
    )

    parts.append(f"## {md(t('role.records'))}\n")
    kept = gathered.kept.get(role.id, [])

    def listing() -> str:
        rows = []
        for r in kept:
            cells = record_cells(pub, r, t)
            rows.append(
                [
                    id_link_html(cells[IDENT], pub.href(path, pub.record_page(r))),
                    cells[TITLE],
                    cells[TYPE],
                    cells[DATE],
                ]
            )
        headers = [t("f.record"), t("f.title"), t("f.record_type"), t("f.date")]
        return html_table(headers, rows)

    # the records it keeps, the longest listing, are most often what an edit left alone
    kept_html = memo.part(path, memo.records(kept), listing) if memo else listing()
    parts.append(blocks.add(kept_html) or md(t("idx.none")) + "\n")
    return PortalPage(path, role.name, "\n".join(parts), boost=1.0, blocks=blocks.items)


def roles_index(pub: Publication, t: Translator) -> PortalPage:
    path = f"{ROLES_DIR}/index.md"
    cards = "".join(
        f'<a class="itsms-card" href="{pub.href(path, role_page_path(r.id))}">'
        f"<strong>{h(r.name)}</strong><span>{h(r.description)}</span></a>"
        for r in pub.roles.values()
    )
    body = (
        f"# {md(t('nav.roles'))}\n\n{md(t('role.intro'))}\n\n"
        f'<div class="itsms-cards">{cards}</div>\n'
    )
    return PortalPage(path, t("nav.roles"), body, search=False)


def role_pages(pub: Publication, t: Translator, memo: Memo | None = None) -> list[PortalPage]:
    """The roles' index and a page per role (through ``memo``: taken from the previous
    portal where it lists the same documents and records)."""
    gathered = _gather(pub)

    def key(role: Role) -> object:
        assert memo is not None
        return (
            tuple(gathered.owned.get(role.id, [])),
            tuple(gathered.activities.get(role.id, [])),
            memo.records(gathered.kept.get(role.id, [])),
        )

    def page(role: Role) -> PortalPage:
        return made(
            memo,
            role_page_path(role.id),
            lambda: key(role) if memo else None,
            lambda: role_page(pub, role, t, gathered, memo),
        )

    return [roles_index(pub, t)] + [page(r) for r in pub.roles.values()]
