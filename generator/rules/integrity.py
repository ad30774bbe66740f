"""Integrity of each file: its fields against the schema, and ids unique."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import schema
from ..findings import Finding, Severity
from ..load import ROLES_FILE
from ..model import Document, Record
from ..yamlread import LineDict
from .base import Category, Context, finding, rule

_SCHEMA_FOR = {"document": "document", "record": "record", "roles": "roles"}


@rule("schema", Severity.ERROR, Category.BLOCKING)
def check_schema(ctx: Context) -> Iterator[Finding]:
    pattern = re.compile(ctx.settings.id_pattern)
    for src in ctx.sources:
        name = _SCHEMA_FOR.get(src.kind)
        if name is None or src.meta is None:
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
