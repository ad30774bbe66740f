"""Integrity of each file: its fields against the schema, and ids unique."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import schema
from ..findings import Finding, Severity
from ..load import ROLES_FILE
from ..model import Document, Record, Ref, role_rows
from ..values import as_str
from ..yamlread import LineDict, LineList
from .base import Category, Context, finding, rule

_SCHEMA_FOR = {"document": "document", "record": "record", "roles": "roles", "page": "page"}


@rule("schema", Severity.ERROR, Category.BLOCKING)
def check_schema(ctx: Context) -> Iterator[Finding]:
    pattern = re.compile(ctx.settings.id_pattern)
    valid = schema.is_valid
    for src in ctx.sources:
        name = _SCHEMA_FOR.get(src.kind)
        if name is None or src.meta is None:
            continue
        if name == "record" and valid(name, src.meta):  # 100,000 at L: the short way
            continue
        item_id = src.meta.get("id") if isinstance(src.meta, dict) else None
        item_id = item_id if isinstance(item_id, str) else None
        yield from schema.validate(name, src.meta, src.path, item_id, src.meta_line, src.file_lines)
        if src.kind == "document" and isinstance(src.meta, LineDict):
            doc_id = src.meta.get("id")
            if isinstance(doc_id, str) and not pattern.fullmatch(doc_id):
                yield Finding(
                    "schema",
                    Severity.ERROR,
                    src.path,
                    src.meta.key_lines.get("id", src.meta_line),
                    doc_id,
                    "schema.id_pattern",
                    {"value": doc_id, "pattern": ctx.settings.id_pattern},
                )
    if ctx.corpus.roles_path is None and not any(s.kind == "roles" for s in ctx.sources):
        yield Finding("schema", Severity.ERROR, ROLES_FILE, None, None, "schema.roles_missing")
    for doc in ctx.corpus.documents:
        if doc.status == "superseded" and not doc.superseded_by:
            yield finding("schema", doc, doc.line("status"), "schema.superseded_by")


@rule("duplicate-id", Severity.ERROR, Category.BLOCKING)
def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    first: dict[str, str] = {}
    items: list[Document | Record] = [*ctx.corpus.documents, *ctx.corpus.records]
    for item in items:
        if not item.id:
            continue
        if item.id in first:
            yield finding("duplicate-id", item, item.line("id"), other=first[item.id])
        else:
            first[item.id] = item.path
    yield from _duplicate_roles(ctx)


def _duplicate_roles(ctx: Context) -> Iterator[Finding]:
    """Role ids and names are both ways to name a role: each must name one role only."""
    src = next((s for s in ctx.sources if s.kind == "roles"), None)
    rows = role_rows(src.meta) if src is not None else None
    if src is None or not isinstance(rows, list):
        return
    lines = rows.item_lines if isinstance(rows, LineList) else []
    seen: dict[str, int] = {}  # id or name -> line of the role that has it
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        line = lines[i] if i < len(lines) else src.meta_line
        rid, name = as_str(row.get("id")), as_str(row.get("name"))
        for value, key in ((rid, "duplicate-id.role"), (name, "duplicate-id.role_name")):
            if value is None or (key.endswith("name") and value == rid):
                continue
            if value in seen:
                yield Finding(
                    "duplicate-id",
                    Severity.ERROR,
                    src.path,
                    line,
                    None,
                    key,
                    {"role": value, "first_line": seen[value]},
                )
            else:
                seen[value] = line


def _repeated(refs: list[Ref]) -> bool:
    return len(refs) > 1 and len({ref.value for ref in refs}) < len(refs)


def _repeating(rec: Record) -> bool:
    return any(_repeated(refs) for refs in rec.clauses.values())


def _repeats(field: str, refs: list[Ref]) -> Iterator[tuple[str, Ref, int]]:
    first: dict[str, int] = {}
    for ref in refs:
        if ref.value in first:
            yield field, ref, first[ref.value]
        else:
            first[ref.value] = ref.line


@rule("duplicate-entry", Severity.WARNING, Category.CONTROL)
def duplicate_entries(ctx: Context) -> Iterator[Finding]:
    """A value listed twice means the same as once: a warning, not an error."""
    # a record lists only its clauses: most list none, or each once (100,000 at L)
    repeating = [r for r in ctx.corpus.records if r.clauses and _repeating(r)]
    items: list[Document | Record] = [*ctx.corpus.documents, *repeating]
    for item in items:
        lists = [("clauses", refs) for refs in item.clauses.values()]
        if isinstance(item, Document):
            lists += [("records", item.records), ("references", item.references)]
            lists += [("supersedes", item.supersedes), ("superseded_by", item.superseded_by)]
            for row in item.raci:
                lists += [(f"raci {k}", getattr(row, k)) for k in "RACI"]
        for field, refs in lists:
            for name, ref, first_line in _repeats(field, refs):
                yield finding(
                    "duplicate-entry",
                    item,
                    ref.line,
                    severity=Severity.WARNING,
                    field=name,
                    value=ref.value,
                    first_line=first_line,
                )
