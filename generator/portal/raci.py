"""角色职责矩阵: roles x processes (the strongest letter per cell) and, per
process, roles x activities; every role's name and description at hand."""

from __future__ import annotations

from ..i18n import Translator
from ..model import Document
from ..views import cell_letters, strongest
from .markup import attr, link, md, table
from .roles import role_page_path
from .site import PortalPage, Publication


def _role(pub: Publication, role_id: str) -> str:
    role = pub.roles.get(role_id)
    if role is None:
        return md(role_id)
    return f'<abbr title="{attr(role.description)}">{md(role.name)}</abbr>'


def raci_page(pub: Publication, t: Translator) -> PortalPage:
    path = "raci.md"
    processes = [d for d in sorted(pub.current(), key=lambda d: d.id or "") if d.raci]
    lines = [f"# {md(t('nav.raci'))}\n", md(t("raci.legend")) + "\n"]
    lines.append(f"## {md(t('raci.roles'))}\n")
    lines.append(
        table(
            [t("f.role"), "id", t("f.description")],
            [
                [link(md(r.name), path, role_page_path(r.id)), md(r.id), md(r.description)]
                for r in pub.roles.values()
            ],
        )
    )
    lines.append(f"## {md(t('raci.by_process'))}\n")
    lines.append(md(t("raci.by_process_intro")) + "\n")
    letters = {d.id: strongest(d) for d in processes}
    used = [rid for rid in pub.roles if any(rid in m for m in letters.values())]
    used += sorted({rid for m in letters.values() for rid in m if rid not in pub.roles})
    headers = [t("f.role")] + [
        link(md("-".join((d.id or "").split("-")[-2:])), path, f"#{_anchor(d)}") for d in processes
    ]
    rows = [[_role(pub, rid)] + [letters[d.id].get(rid, "") for d in processes] for rid in used]
    lines.append(table(headers, rows, css="itsms-matrix", searchable=False))
    lines.append(f"## {md(t('raci.by_activity'))}\n")
    for doc in processes:
        lines.append(f"### {md(doc.id)} {md(doc.title)} {{#{_anchor(doc)}}}\n")
        lines.append(
            link(md(t("nav.procedures")) + " › " + md(doc.title), path, pub.page_of(doc)) + "\n"
        )
        roles = []
        for row in doc.raci:
            for _, ref in row.letters():
                if ref.value not in roles:
                    roles.append(ref.value)
        headers = [t("f.activity")] + [_role(pub, r) for r in roles]
        rows = []
        for row in doc.raci:
            cell = cell_letters(row)
            rows.append([md(row.activity)] + [cell.get(r, "") for r in roles])
        lines.append(table(headers, rows, css="itsms-matrix", searchable=False))
    return PortalPage(path, t("nav.raci"), "\n".join(lines))


def _anchor(doc: Document) -> str:
    return "raci-" + (doc.id or "").lower()
