"""文件清单 (the register), and the findings 文件控制台 lists."""

from __future__ import annotations

from typing import Any

from ..i18n import Translator
from ..rules import SHOWN
from ..views import register_table
from .markup import a, h, html_table, md
from .site import Blocks, PortalPage, Publication

#: Findings 文件控制台 lists (blocking errors stop the build instead): the registry's
#: control and compliance categories.
DASHBOARD_RULES = SHOWN


def register(pub: Publication, t: Translator) -> PortalPage:
    """The register's rows are the export's (``views.register_table``, same scope): the
    page adds links and puts codes into words, nothing else."""
    path = "register.md"
    view = register_table(pub.result, t.lang, pub.scope)
    headers = [label for _, label in view.columns]

    def cell(key: str, row: dict[str, Any]) -> str:
        value = row.get(key)
        if key == "id":
            return a(h(value), pub.href(path, pub.page_of_id(str(value)) or path))
        if key in view.names and row.get(view.names[key]) is not None:
            return h(row[view.names[key]])
        if key in view.words and value:
            return h(t(view.words[key] + value))
        return h(value if value is not None else "—")

    rows = [[cell(key, row) for key, _ in view.columns] for row in view.rows]
    filt = (
        f'<input class="itsms-filter md-input" type="search" '
        f'placeholder="{h(t("register.filter"))}" aria-label="{h(t("register.filter"))}">'
    )
    blocks = Blocks()
    body = (
        f"# {md(t('nav.register'))}\n\n{md(t('register.intro', count=len(rows)))}\n\n"
        f"{filt}\n\n{blocks.add(html_table(headers, rows, css='itsms-sortable'))}"
    )
    return PortalPage(path, t("nav.register"), body, blocks=blocks.items)
