"""Roles: every role named exists in content/roles.yml; RACI has one A per activity."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..findings import Finding, Severity
from ..i18n import Msg
from ..model import Role
from .base import Category, Context, finding, rule


def resolve_role(value: str, roles: dict[str, Role]) -> str | None:
    """The id of the role that ``value`` names (by id, else by exact name), or None.

    The one test of a role given on the command line (``new --owner``, ``import
    --owner``); the check's rule above says the same of what files hold."""
    if value in roles:
        return value
    return next((r.id for r in roles.values() if r.name == value), None)


def _suggest(role: str, roles: dict[str, Role]) -> Msg | str:
    by_name = {r.name: r for r in roles.values()}
    match = by_name.get(role)
    if match is None:
        close = difflib.get_close_matches(role, list(roles), n=1, cutoff=0.6)
        match = roles[close[0]] if close else None
    if match is None:
        return ""
    return Msg("unknown-role.suggest", {"role": match.id, "name": match.name})


@rule("unknown-role", Severity.ERROR, Category.CONTROL)
def unknown_roles(ctx: Context) -> Iterator[Finding]:
    roles = ctx.corpus.roles
    if not roles:  # no catalogue: reported once by the schema rule
        return
    for doc in ctx.corpus.documents:
        if doc.owner and doc.owner not in roles:
            yield finding(
                "unknown-role",
                doc,
                doc.line("owner"),
                field="owner",
                role=doc.owner,
                suggest=_suggest(doc.owner, roles),
            )
        for row in doc.raci:
            for letter, ref in row.letters():
                if ref.value not in roles:
                    yield finding(
                        "unknown-role",
                        doc,
                        ref.line,
                        field=f"raci {letter}",
                        role=ref.value,
                        suggest=_suggest(ref.value, roles),
                    )
    for rec in ctx.corpus.records:
        if rec.owner and rec.owner not in roles:
            yield finding(
                "unknown-role",
                rec,
                rec.line("owner"),
                field="owner",
                role=rec.owner,
                suggest=_suggest(rec.owner, roles),
            )


@rule("raci-accountable", Severity.ERROR, Category.CONTROL)
def raci_accountable(ctx: Context) -> Iterator[Finding]:
    for doc in ctx.corpus.documents:
        for row in doc.raci:
            if len(row.A) != 1:
                yield finding(
                    "raci-accountable", doc, row.line, activity=row.activity, count=len(row.A)
                )
