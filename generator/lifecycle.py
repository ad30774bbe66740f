"""The lifecycle of a controlled document: draft -> review -> approved ->
superseded | withdrawn. What each step requires, shared by the workflow verbs and
the check: a body that is no longer the template, the clauses a type must cite,
and the leaf clauses that would be left with no document in effect."""

from __future__ import annotations

import datetime as dt
import re

from .coverage import Coverage, document_leaves
from .i18n import Msg
from .model import Document
from .standards import Standard

#: Statuses in order; each verb moves a document one step.
STATES = ("draft", "review", "approved", "superseded", "withdrawn")
#: Types that exist to meet clauses of the standard: they must cite at least one.
MUST_CITE = frozenset({"manual", "procedure", "policy", "plan"})

#: Text of the ``itsms new`` template that says "write something here".
PLACEHOLDERS = (
    "说明本文件要达到的目的。",
    "说明本文件适用的服务、过程、部门和场所。",
    "### 4.1 第一步\n\n1. ……",
    "- 《文件标题》文件编号",
    "| …… | …… | …… |",
)
_RESPONSIBLE = re.compile(r"^- \*\*[^*\n]+\*\*：负责……$", re.M)


def placeholders(body: str) -> list[str]:
    """The template's placeholder lines still in ``body`` (first line of each)."""
    text = body.replace("\r\n", "\n")
    found = [p.split("\n")[0] for p in PLACEHOLDERS if p in text]
    match = _RESPONSIBLE.search(text)
    if match:
        found.append(match.group(0))
    return found


def must_cite(doc: Document, standard: Standard) -> bool:
    """A type that must cite clauses and cites none of the standard judged against."""
    return doc.type in MUST_CITE and not doc.clauses.get(standard.id)


def cause(doc: Document, as_of: dt.date) -> Msg:
    """Why a document citing a clause does not cover it on ``as_of``."""
    if doc.status == "superseded":
        by = ", ".join(r.value for r in doc.superseded_by)
        return Msg("cause.superseded", {"id": doc.id, "by": by or "?"})
    if doc.status == "withdrawn":
        return Msg("cause.withdrawn", {"id": doc.id})
    if doc.status in ("draft", "review"):
        return Msg(f"cause.{doc.status}", {"id": doc.id})
    if doc.status == "approved" and doc.effective and doc.effective > as_of:
        return Msg("cause.not_effective", {"id": doc.id, "date": doc.effective})
    return Msg("cause.not_approved", {"id": doc.id})


def would_uncover(
    coverage: Coverage,
    standard: Standard,
    leaving: Document,
    replacement: Document | None = None,
) -> list[str]:
    """Leaf clauses ``leaving`` alone covers today that would be left uncovered
    (``replacement`` taking over the clauses it cites)."""
    taken = document_leaves(replacement, standard) if replacement is not None else set()
    lost = []
    for leaf in sorted(document_leaves(leaving, standard), key=coverage._order):
        status = coverage.leaves.get(leaf)
        if status is None or status.excluded is not None or leaf in taken:
            continue
        ids = {d.id for d in status.documents}
        if ids == {leaving.id}:
            lost.append(leaf)
    return lost
