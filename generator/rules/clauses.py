"""Clauses: every clause cited exists in its standard; every leaf clause is met by
an approved, effective document (or excluded) and evidenced in the audit period."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

from .. import lifecycle
from ..findings import Finding, Severity
from ..i18n import Msg
from ..model import Document, Record, Ref
from ..settings import CONFIG_FILE
from ..standards import CatalogueError, Standard, available, catalogue_dirs, load_standard
from .base import Category, Context, finding, rule


def _suggest(clause: str, standard: Standard) -> Msg | str:
    close = difflib.get_close_matches(clause, list(standard.by_id), n=1, cutoff=0.75)
    if not close:
        return ""
    return Msg("unknown-clause.suggest", {"clause": close[0], "title": standard.by_id[close[0]].zh})


def _load(standard_id: str, dirs: list[Path]) -> Standard | None:
    try:
        return load_standard(standard_id, dirs)
    except CatalogueError:
        return None


@rule("unknown-clause", Severity.ERROR, Category.CONTROL)
def unknown_clauses(ctx: Context) -> Iterator[Finding]:
    std = ctx.standard
    # documents, records, and the clauses a document declares for its record types
    cited_by: list[Document | Record] = [*ctx.corpus.documents, *ctx.corpus.records]
    # the line of an item's own clauses is looked up only for a finding (100,000 records)
    items: list[tuple[Document | Record, dict[str, list[Ref]], int | None]] = [
        (item, item.clauses, None) for item in cited_by if item.clauses
    ]
    items += [(d, t.clauses, t.line) for d in ctx.corpus.documents for t in d.record_types]
    dirs = catalogue_dirs(ctx.root, ctx.settings.standards_dir)
    loaded: dict[str, Standard | None] = {std.id: std}
    for item, clauses, at in items:
        for standard_id, refs in clauses.items():
            if standard_id not in loaded:
                loaded[standard_id] = _load(standard_id, dirs)
            cited = loaded[standard_id]
            if cited is None:
                yield finding(
                    "unknown-clause",
                    item,
                    item.line("clauses") if at is None else at,
                    "unknown-clause.standard",
                    standard=standard_id,
                    known=", ".join(sorted(available(dirs))),
                )
                continue
            for ref in refs:
                if ref.value not in cited.by_id:
                    yield finding(
                        "unknown-clause",
                        item,
                        ref.line,
                        clause=ref.value,
                        standard=cited.id,
                        suggest=_suggest(ref.value, cited),
                    )
    for exclusion in ctx.settings.exclusions:
        if exclusion.clause not in std.by_id:
            yield finding(
                "unknown-clause",
                None,
                None,
                path=CONFIG_FILE,
                clause=exclusion.clause,
                standard=std.id,
                suggest=_suggest(exclusion.clause, std),
            )


@rule("uncovered-clause", Severity.ERROR, Category.COMPLIANCE)
def uncovered(ctx: Context) -> Iterator[Finding]:
    for status in ctx.coverage.leaves.values():
        if status.covered:
            continue
        if any(d.broken for d in status.candidates):
            continue  # a file that cannot be read: its own finding says so, once
        causes = [lifecycle.cause(d, ctx.as_of) for d in status.candidates]
        yield Finding(
            "uncovered-clause",
            Severity.ERROR,
            None,
            None,
            status.clause.id,
            "uncovered-clause",
            {
                "clause": status.clause.id,
                "title": status.clause.title(ctx.settings.lang),
                "candidates": Msg("uncovered-clause.candidates", {"ids": causes}) if causes else "",
            },
        )


@rule("no-evidence", Severity.WARNING, Category.COMPLIANCE)
def no_evidence(ctx: Context) -> Iterator[Finding]:
    for status in ctx.coverage.leaves.values():
        if status.documents and not status.excluded and not status.evidenced:
            yield Finding(
                "no-evidence",
                Severity.WARNING,
                None,
                None,
                status.clause.id,
                "no-evidence",
                {
                    "clause": status.clause.id,
                    "title": status.clause.title(ctx.settings.lang),
                    "period": str(ctx.period),
                },
            )
