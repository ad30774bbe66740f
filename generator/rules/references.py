"""References between documents: fields, records and citations in the text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .. import lifecycle
from ..findings import Finding, Severity
from ..i18n import Msg
from ..model import OBSOLETE, Corpus, Document
from .base import Category, Context, finding, rule

_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)


@dataclass(frozen=True)
class Citation:
    ref: str
    title: str | None
    line: int


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def matches(pattern: re.Pattern[str], text: str, first: re.Pattern[str]) -> list[re.Match[str]]:
    """``pattern.finditer(text)``, ``pattern`` tried only where ``first`` finds that one of
    its matches may begin (each match of ``pattern`` must start with one of ``first``'s):
    the same matches. ``re`` tries a pattern that opens with a lookbehind or a group at
    every character of the text; this is ten times faster on a document's text."""
    out = []
    pos = 0
    while (start := first.search(text, pos)) is not None:
        found = pattern.match(text, start.start())
        if found is None:
            pos = start.start() + 1
        elif found.end() == found.start():  # an empty match: finditer knows what follows
            return list(pattern.finditer(text))
        else:
            out.append(found)
            pos = found.end()
    return out


def cited_first(id_pattern: str) -> re.Pattern[str]:
    """Where a citation may begin: a 《title》 or an id."""
    return re.compile(rf"《|(?:{id_pattern})")


class _Lines:
    """The line of each position in a text, counted on from the last one asked (the
    positions of a text's citations come in order: the text is read once, not a list
    of its line starts made for a handful of citations)."""

    def __init__(self, text: str, first: int) -> None:
        self.text, self.first = text, first
        self.pos, self.line = 0, first

    def __call__(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, self.first
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def citations(doc: Document, id_pattern: str) -> list[Citation]:
    """Ids cited in the body (outside code), with the 《title》 next to them if any."""
    body = _CODE.sub(_blank, doc.body) if "`" in doc.body or "~~~" in doc.body else doc.body
    if not re.search(id_pattern, body):
        return []
    line_of = _Lines(body, doc.body_line)
    found: list[Citation] = []
    taken: set[int] = set()
    titled = re.compile(
        rf"《(?P<t1>[^《》\n]{{1,100}})》\s*(?P<id1>{id_pattern})"
        rf"|(?P<id2>{id_pattern})\s*《(?P<t2>[^《》\n]{{1,100}})》"
    )
    first = cited_first(id_pattern)
    for m in matches(titled, body, first):
        start = m.start("id1") if m.group("id1") else m.start("id2")
        taken.add(start)
        found.append(
            Citation(
                m.group("id1") or m.group("id2"),
                m.group("t1") or m.group("t2"),
                line_of(start),
            )
        )
    bare = re.compile(rf"(?<![A-Za-z0-9-])(?:{id_pattern})(?![A-Za-z0-9])")
    for m in matches(bare, body, re.compile(id_pattern)):
        if m.start() not in taken:
            found.append(Citation(m.group(0), None, line_of(m.start())))
    return found


def cited(ctx: Context, doc: Document) -> list[Citation]:
    """``citations``, worked out once for a text (and kept with the document)."""
    pattern = ctx.settings.id_pattern
    inputs = (doc.body, doc.body_line, pattern)
    return doc.derived("citations", inputs, lambda: citations(doc, pattern))  # type: ignore[no-any-return]


def _by_title(corpus: Corpus) -> dict[str, Document]:
    out: dict[str, Document] = {}
    for doc in corpus.judged():
        if doc.title and doc.id and doc.title not in out:
            out[doc.title] = doc
    return out


def _suggest(title: str | None, titles: dict[str, Document], not_id: str) -> Msg | str:
    if not title:
        return ""
    doc = titles.get(_norm(title))
    if doc is None or doc.id == not_id:
        return ""
    return Msg("unknown-reference.suggest", {"title": doc.title, "id": doc.id})


def _norm(title: str) -> str:
    return re.sub(r"\s+", "", title)


@rule("unknown-reference", Severity.ERROR, Category.BLOCKING, reads_body=True)
def unknown_references(ctx: Context) -> Iterator[Finding]:
    corpus = ctx.corpus
    titles = {_norm(k): v for k, v in _by_title(corpus).items()}
    for doc in ctx.texts():
        for field in ("references", "supersedes", "superseded_by"):
            for ref in getattr(doc, field):
                if ref.value not in corpus.by_id:
                    yield finding(
                        "unknown-reference", doc, ref.line, field=field, ref=ref.value, suggest=""
                    )
        for ref in doc.superseded_by:
            other = corpus.by_id.get(ref.value)
            if other is not None and doc.id not in {r.value for r in other.supersedes}:
                yield finding(
                    "unknown-reference",
                    doc,
                    ref.line,
                    "unknown-reference.one_sided",
                    field="superseded_by",
                    other_field="supersedes",
                    ref=ref.value,
                )
        if doc.status == "superseded":
            for ref in doc.superseded_by:
                other = corpus.by_id.get(ref.value)
                replacement = corpus.in_effect.get(ref.value, other)
                if other is None or other.broken or replacement is None:
                    continue
                if not replacement.in_effect(ctx.as_of) and other.status != "superseded":
                    yield finding(
                        "unknown-reference",
                        doc,
                        ref.line,
                        "unknown-reference.replacement",
                        ref=ref.value,
                        cause=lifecycle.cause(other, ctx.as_of),
                    )
        for ref in doc.supersedes:
            other = corpus.by_id.get(ref.value)
            if other is not None and doc.id not in {r.value for r in other.superseded_by}:
                yield finding(
                    "unknown-reference",
                    doc,
                    ref.line,
                    "unknown-reference.one_sided",
                    field="supersedes",
                    other_field="superseded_by",
                    ref=ref.value,
                )
        for cite in cited(ctx, doc):
            if cite.ref not in corpus.by_id:
                yield finding(
                    "unknown-reference",
                    doc,
                    cite.line,
                    "unknown-reference.citation",
                    ref=cite.ref,
                    title=cite.title or "",
                    suggest=_suggest(cite.title, titles, cite.ref),
                )
    for rec in corpus.records if ctx.only is None else []:
        if rec.procedure and rec.procedure not in corpus.by_id:
            yield finding(
                "unknown-reference",
                rec,
                rec.line("procedure"),
                field="procedure",
                ref=rec.procedure,
                suggest="",
            )


@rule("citation-title-mismatch", Severity.ERROR, Category.BLOCKING, reads_body=True)
def citation_titles(ctx: Context) -> Iterator[Finding]:
    corpus = ctx.corpus
    titles = {_norm(k): v for k, v in _by_title(corpus).items()}
    for doc in ctx.texts():
        for cite in cited(ctx, doc):
            target = corpus.in_force(cite.ref)  # the title in force, not a draft's
            if target is None or cite.title is None or not target.title:
                continue
            if _norm(cite.title) != _norm(target.title):
                yield finding(
                    "citation-title-mismatch",
                    doc,
                    cite.line,
                    ref=cite.ref,
                    title=cite.title,
                    actual=target.title,
                    suggest=_suggest(cite.title, titles, cite.ref),
                )


@rule("obsolete-reference", Severity.WARNING, Category.CONTROL, reads_body=True)
def obsolete_references(ctx: Context) -> Iterator[Finding]:
    corpus = ctx.corpus
    for doc in ctx.texts():
        if doc.status in OBSOLETE:
            continue
        refs: list[tuple[str | Msg, str, int]] = [
            ("references", r.value, r.line) for r in doc.references
        ]
        refs += [(Msg("ui.citation"), c.ref, c.line) for c in cited(ctx, doc)]
        for field, ref, line in refs:
            target = corpus.in_force(ref)
            if (
                target is None
                or target.status not in OBSOLETE
                or ref in {r.value for r in doc.supersedes}
            ):
                continue
            by = ", ".join(r.value for r in target.superseded_by)
            yield finding(
                "obsolete-reference",
                doc,
                line,
                severity=Severity.WARNING,
                field=field,
                ref=ref,
                title=target.title or "",
                status=Msg(f"status.{target.status}"),
                replacement=Msg("obsolete-reference.replacement", {"by": by}) if by else "",
            )
