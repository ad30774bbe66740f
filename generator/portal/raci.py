"""角色职责矩阵: roles x processes (the strongest letter per cell) and, per
process, roles x activities; every role's name and description at hand.

The matrices are out of the search index, so they are HTML blocks (``Blocks``): at 500
documents they are 330 KB of table that Markdown would otherwise parse cell by cell."""

from __future__ import annotations

import math
from functools import partial

from ..i18n import Translator
from ..model import Document
from ..sections import MARK as SECTION
from ..views import cell_letters, matrix_tables
from .markup import a, anchor_id, attr, h, html_table, link, md, table
from .memo import Memo
from .roles import role_page_path
from .site import Blocks, PortalPage, Publication


def _role(pub: Publication, role_id: str) -> str:
    """A role as HTML: its name, its description on hover."""
    role = pub.roles.get(role_id)
    if role is None:
        return h(role_id)
    return f'<abbr title="{attr(role.description)}">{h(role.name)}</abbr>'


def raci_page(pub: Publication, t: Translator, memo: Memo | None = None) -> PortalPage:
    """The page; through ``memo``, a process's matrix is taken from the previous portal
    when its document is the same (the roles and the language are in the context)."""
    path = "raci.md"
    processes = sorted(pub.scope.processes(), key=lambda d: d.id or "")
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
    # the rows are the export's (views.matrix_tables, same scope): one row per role used
    by_process = matrix_tables(pub.result, t.lang, pub.scope)[0]
    headers = [h(t("f.role"))] + [
        a(h("-".join((d.id or "").split("-")[-2:])), f"#{_anchor(d)}") for d in processes
    ]
    rows = [
        [_role(pub, row["role_id"])] + [h(row.get(d.id or "")) for d in processes]
        for row in by_process.rows
    ]
    blocks = Blocks()
    lines.append(blocks.add(_matrix(headers, rows)))
    lines.append(f"## {md(t('raci.by_activity'))}\n")
    # in sections of about sqrt(n) processes, each rendered on its own (an edit of one
    # process renders its section again: generator.sections); their headings' ids are
    # their own
    per = max(8, math.isqrt(len(processes)))
    for n, doc in enumerate(processes):
        if n % per == 0:
            lines.append(SECTION + "\n")
        lines.append(f"### {md(doc.id)} {md(doc.title)} {{#{_anchor(doc)}}}\n")
        shelf = t("nav.manual") if doc.type == "manual" else t("nav.procedures")
        lines.append(link(md(shelf) + " › " + md(doc.title), path, pub.page_of(doc)) + "\n")
        if memo is not None:
            matrix = memo.part(f"raci:{doc.id}", (doc,), partial(_activities, pub, doc, t))
        else:
            matrix = _activities(pub, doc, t)
        lines.append(blocks.add(matrix))
    return PortalPage(path, t("nav.raci"), "\n".join(lines), blocks=blocks.items)


def _activities(pub: Publication, doc: Document, t: Translator) -> str:
    """A process's matrix: its activities x the roles they name."""
    roles = []
    for row in doc.raci:
        for _, ref in row.letters():
            if ref.value not in roles:
                roles.append(ref.value)
    headers = [h(t("f.activity"))] + [_role(pub, r) for r in roles]
    rows = []
    for row in doc.raci:
        cell = cell_letters(row)
        rows.append([h(row.activity)] + [h(cell.get(r)) for r in roles])
    return _matrix(headers, rows)


def _matrix(headers: list[str], rows: list[list[str]]) -> str:
    return html_table(headers, rows, css="itsms-matrix", html_headers=True)


def _anchor(doc: Document) -> str:
    return "raci-" + anchor_id(doc.id or "")  # attr_list syntax: letters, digits and -
