"""首页, the staff's front door: search, 最近更新 (what changed, in one line each),
the processes as cards leading to their procedures, and a way to one's role."""

from __future__ import annotations

from ..i18n import Translator
from .changes import PATH as CHANGES
from .changes import events
from .console import PATH as CONSOLE
from .markup import a, h, md
from .roles import ROLES_DIR, role_page_path
from .site import Blocks, PortalPage, Publication

PATH = "index.md"
RECENT = 8


def home(pub: Publication, t: Translator, intro: str = "") -> PortalPage:
    blocks = Blocks()
    parts = [f"# {md(t('home.title'))}\n"]
    if intro.strip():
        parts.append(intro.strip() + "\n")
    search = (
        f'<label class="itsms-searchbox" for="__search">'
        f'<span class="itsms-searchbox__hint">{h(t("home.search"))}</span></label>'
    )
    parts.append(blocks.add(search))

    parts.append(f"## {md(t('home.recent_changes'))}\n")
    items = []
    for e in events(pub)[:RECENT]:
        items.append(
            "<li>"
            f'<span class="itsms-date">{h(e.date)}</span> '
            f'<span class="itsms-badge itsms-badge--{e.kind}">{h(t(f"chg.{e.kind}"))}</span> '
            f"{a(h(f'{e.doc.title or e.doc.id} {e.version}'), pub.href(PATH, e.page))}"
            + (f'<span class="itsms-summary">{h(e.summary)}</span>' if e.summary else "")
            + "</li>"
        )
    if items:
        parts.append(blocks.add(f'<ul class="itsms-updates">{"".join(items)}</ul>'))
    parts.append(f'<p><a href="{pub.href(PATH, CHANGES)}">{h(t("home.all_changes"))}</a></p>\n')

    parts.append(f"## {md(t('home.processes'))}\n")
    cards = "".join(
        f'<a class="itsms-card" href="{pub.href(PATH, pub.page_of(d))}">'
        f"<strong>{h(d.title)}</strong>"
        f'<span class="itsms-id">{h(d.id)}</span>'
        f"<span>{h(pub.role_name(d.owner))}</span></a>"
        for d in sorted(pub.procedures(), key=lambda d: d.id or "")
        if d.type == "procedure"
    )
    if cards:
        parts.append(
            blocks.add(
                f'<nav class="itsms-cards" aria-label="{h(t("home.processes"))}">{cards}</nav>'
            )
        )

    parts.append(f"## {md(t('home.my_role'))}\n")
    roles = "".join(
        f'<li><a href="{pub.href(PATH, role_page_path(r.id))}">{h(r.name)}</a></li>'
        for r in pub.roles.values()
    )
    parts.append(md(t("home.my_role_intro")) + "\n")
    if roles:
        parts.append(blocks.add(f'<ul class="itsms-chips">{roles}</ul>'))
    parts.append(
        f"<p>{h(t('home.for_controllers'))} "
        f'<a href="{pub.href(PATH, CONSOLE)}">{h(t("nav.console"))}</a> · '
        f'<a href="{pub.href(PATH, ROLES_DIR + "/index.md")}">{h(t("nav.roles"))}</a></p>\n'
    )
    return PortalPage(PATH, t("nav.home"), "\n".join(parts), boost=0.2, blocks=blocks.items)
