"""The check: load -> model -> rules -> result. Knows nothing of MkDocs or click."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from . import coverage as cov
from . import fingerprint, yamlread
from .findings import Finding, Severity, sorted_findings
from .forked import map_in_two
from .gcpause import collector_paused
from .history import GitHistory, Version, approved_versions
from .i18n import Msg
from .load import Loaded, Source, load
from .model import Corpus, Document, Record, build_document, build_record, build_roles
from .rules import RULES, Context, Rule, default_severity
from .rules.records import evidence_state
from .settings import Period, Settings
from .sourcecache import SourceCache
from .standards import Standard, catalogue_dirs, load_standard


@dataclass
class CheckResult:
    root: Path
    as_of: dt.date
    settings: Settings
    standard: Standard
    period: Period
    corpus: Corpus
    coverage: cov.Coverage
    findings: list[Finding]
    loaded: Loaded
    history: GitHistory | None = None
    notes: list[str] = field(default_factory=list)  # message keys said once (no git, ...)
    #: every committed state of each document file (path -> oldest first), read once
    versions: dict[str, list[Version]] | None = None
    #: file -> the rules of the errors found in it (``error_rules``), indexed once
    _error_rules: dict[str | None, frozenset[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def error_rules(self, path: str) -> frozenset[str]:
        """The rules of the errors found in the file at ``path`` (the findings indexed by
        file once: a trace asks this for every record it rejects)."""
        if self._error_rules is None:
            found: dict[str | None, set[str]] = {}
            for f in self.findings:
                if f.severity is Severity.ERROR:
                    found.setdefault(f.file, set()).add(f.rule)
            self._error_rules = {k: frozenset(v) for k, v in found.items()}
        return self._error_rules.get(path, frozenset())

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


_CLAIMED_ID = re.compile(r"""^id:[ \t]*["']?([^"'#\s]+)""", re.M)


def broken_document(src: Source, standard_id: str, id_pattern: str) -> Document | None:
    """A document whose front matter could not be read still claims its id: from what
    can be salvaged of its front matter, else its file name. None when it claims none."""
    meta = yamlread.salvage(src.front, src.meta_line - 1) if src.front else None
    doc = build_document(replace(src, meta=meta), standard_id)
    if doc.id is None:
        found = _CLAIMED_ID.search(src.front or "")
        stem = PurePosixPath(src.path).stem
        if found:
            doc.id = found.group(1)
        elif re.fullmatch(id_pattern, stem):
            doc.id = stem
    if doc.id is None:
        return None
    doc.broken = True
    return doc


@dataclass
class RecordMemo:
    """The records and documents of the last corpus by path, and what they were made
    under (the standard and the roles file): ``itsms serve`` and a check through the
    cache on disk make only the changed ones again."""

    under: object = None
    by_path: dict[str, Record | Document] = field(default_factory=dict)
    #: each procedure's share of the last coverage (``coverage.compute``): kept from a
    #: memo's second check on (``itsms serve``; a build checks once: 100,000 records'
    #: answers kept for nobody)
    shares: cov.Shares = field(default_factory=cov.Shares)
    checks: int = 0


def build_corpus(
    loaded: Loaded, standard_id: str, id_pattern: str = ".+", memo: RecordMemo | None = None
) -> Corpus:
    """The corpus of the sources. A record or document of ``memo`` read from the same
    source under the same standard and roles is taken as it is (each is made from its
    file alone; only the roles named in it are then resolved, the same way again);
    ``memo`` then holds these."""
    corpus = Corpus()
    roles = next((s for s in loaded.sources if s.kind == "roles"), None)
    under = (standard_id, roles)
    old = memo.by_path if memo is not None and memo.under == under else {}
    made: dict[str, Record | Document] = {}
    for src in loaded.sources:
        if src.kind == "document" and src.meta is None:
            broken = broken_document(src, standard_id, id_pattern)
            if broken is not None:
                corpus.broken.append(broken)
            elif src.front or src.body:
                corpus.documents.append(build_document(src, standard_id))
        elif src.kind == "document":
            doc = old.get(src.path)
            if (
                not isinstance(doc, Document)
                or doc.meta is not src.meta
                or doc.body is not src.body
            ):
                doc = build_document(src, standard_id)
            made[src.path] = doc
            corpus.documents.append(doc)
        elif src.kind == "record":
            rec = old.get(src.path)
            if not isinstance(rec, Record) or rec.meta is not src.meta or rec.body is not src.body:
                rec = build_record(src, standard_id)
            made[src.path] = rec
            corpus.records.append(rec)
        elif src.kind == "roles":
            corpus.roles = build_roles(src)
            corpus.roles_path = src.path
        else:
            corpus.pages.append(src)
    corpus.resolve_roles()
    corpus.index()
    if memo is not None:
        memo.under, memo.by_path = under, made
    return corpus


def standards_dirs(root: Path, settings: Settings) -> list[Path]:
    return catalogue_dirs(root, settings.standards_dir)


def apply_severity(findings: list[Finding], settings: Settings) -> list[Finding]:
    out = []
    for item in findings:
        wanted = settings.severity.get(item.rule) or default_severity(item.rule, item.severity)
        if item.key == "version-rejected" and item.severity is Severity.WARNING:
            # an archived version in git: reported, but git's past cannot be edited
            wanted = settings.severity.get(item.rule) or Severity.WARNING
        if wanted is Severity.OFF:
            continue
        out.append(replace(item, severity=wanted) if wanted is not item.severity else item)
    return out


@collector_paused
def run_check(
    root: Path,
    settings: Settings,
    as_of: dt.date,
    *,
    period: Period | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: SourceCache | None = None,
) -> CheckResult:
    """Check the repository at ``root``. Raises CatalogueError for an unknown standard.
    With a ``cache``, only the files changed since its last load are read again."""
    dirs = standards_dirs(root, settings)
    if cache is None:
        standard = load_standard(settings.standard, dirs)
    else:
        standard = cache.standard(settings.standard, dirs)
    period = period or settings.period(as_of)
    loaded = load(root, progress) if cache is None else cache.load(root, progress)
    if cache is not None and not isinstance(cache.records, RecordMemo):
        cache.records = RecordMemo(*cache.kept_records())  # as kept on disk, if any
    memo = cache.records if cache is not None else None
    corpus = build_corpus(loaded, standard.id, settings.id_pattern, memo)
    history = GitHistory.open(root, None if cache is None else cache.git)
    notes = [] if history is not None else ["ui.no_git"]
    rejected: list[Finding] = []
    versions: dict[str, list[Version]] | None = None
    if history is not None:
        versions = history.versions(sorted({d.path for d in corpus.documents}), standard.id)
        corpus.in_effect = versions_in_effect(corpus, history, standard.id, as_of, None, versions)
        rejected = rejected_versions(corpus, versions, as_of)
        corpus.earlier = earlier_versions(corpus, versions, standard.id, as_of)
    states = {id(r): evidence_state(root, r) for r in corpus.records}
    coverage = cov.compute(
        corpus,
        standard,
        as_of,
        period,
        settings.exclusions,
        {k: state for k, (state, _) in states.items()},
        memo.shares if memo is not None and memo.checks else None,
    )
    if memo is not None:
        memo.checks += 1
    coverage.actual = {k: sha for k, (_, sha) in states.items() if sha}
    result = CheckResult(
        root, as_of, settings, standard, period, corpus, coverage, [], loaded, history, notes
    )
    result.versions = versions
    findings = list(loaded.findings) + rejected
    findings.extend(_judge(result, None))
    result.findings = sorted_findings(apply_severity(findings, settings))
    return result


def _judge(result: CheckResult, only: frozenset[str] | None) -> list[Finding]:
    """Every rule's findings; with ``only``, those of the rules reading documents' text,
    about the documents at these paths."""
    ctx = Context(
        result.root,
        result.corpus,
        result.loaded.sources,
        result.settings,
        result.standard,
        result.as_of,
        result.period,
        result.coverage,
    )
    ctx.sealed = frozenset(
        (v.document.id, v.document.version)
        for found in (result.versions or {}).values()
        for v in found
        if v.document.id and v.document.version and v.document.fingerprint
    )
    ctx.versions = result.versions or {}
    ctx.only = only
    rules = [
        rule
        for rule in RULES.values()
        if rule.check is not None
        and result.settings.severity.get(rule.code) is not Severity.OFF
        and (only is None or rule.reads_body)
    ]

    def judged(rule: Rule) -> list[Finding]:
        assert rule.check is not None
        return list(rule.check(ctx))

    # the rules of a whole check on both cores (each reads the whole corpus)
    found = map_in_two(rules, judged) if only is None else [judged(r) for r in rules]
    return [f for part in found for f in part]


#: the rules whose findings about a document follow its text
TEXT_RULES = frozenset(code for code, r in RULES.items() if r.reads_body)


def rejudge_texts(result: CheckResult, paths: frozenset[str]) -> list[Finding]:
    """The check's findings once the documents at ``paths`` have a new text (their
    metadata unchanged, already put in ``result.corpus``): only the rules that read a
    document's text run again, on those documents; every other finding stands. Not for
    a document with versions in git (their findings compare the text)."""
    kept = [f for f in result.findings if not (f.rule in TEXT_RULES and f.file in paths)]
    fresh = apply_severity(_judge(result, paths), result.settings)
    return sorted_findings(kept + fresh)


def _pending(corpus: Corpus, as_of: dt.date) -> list[Document]:
    """The documents whose working copy is not in effect: a draft of a revision, or an
    approval that takes effect later."""
    return [
        d
        for d in corpus.documents
        if d.id
        and corpus.by_id.get(d.id) is d
        and d.status in ("draft", "review", "approved")
        and not d.in_effect(as_of)
    ]


def _same_text(a: Document, b: Document) -> bool:
    return (
        a.version == b.version
        and a.fingerprint == b.fingerprint
        and fingerprint.compute(a.meta, a.body) == fingerprint.compute(b.meta, b.body)
    )


def rejected_versions(
    corpus: Corpus, versions: dict[str, list[Version]], as_of: dt.date
) -> list[Finding]:
    """The committed states of approved versions that fail the document rules, each named
    by version and commit. An error where it leaves a document with no version in effect
    (its working copy being a draft or not yet effective); else a warning: the version is
    not archived, and git's past cannot be edited."""
    pending = {id(d) for d in _pending(corpus, as_of)}
    out: list[Finding] = []
    for doc in corpus.documents:
        if not doc.id or corpus.by_id.get(doc.id) is not doc:
            continue
        found: list[Finding] = []
        mine = [v for v in versions.get(doc.path, []) if v.document.id == doc.id]
        approved_versions(mine, found)
        # a committed state the working copy still is: the working copy's findings say it
        same = {v.commit[:10] for v in mine if _same_text(v.document, doc)}
        found = [f for f in found if f.params.get("commit") not in same]
        blocking = id(doc) in pending and doc.id not in corpus.in_effect
        if blocking:
            out.extend(found)
            continue
        advice = Msg("version-rejected.advice.archived")
        out.extend(
            replace(f, severity=Severity.WARNING, params={**f.params, "advice": advice})
            for f in found
        )
    return out


def versions_in_effect(
    corpus: Corpus,
    history: GitHistory,
    standard: str,
    as_of: dt.date,
    rejected: list[Finding] | None = None,
    versions: dict[str, list[Version]] | None = None,
) -> dict[str, Document]:
    """For documents whose working copy is not in effect (a draft of a revision, or an
    approval that takes effect later), the approved version in effect, from git."""
    pending = _pending(corpus, as_of)
    if not pending:
        return {}
    found = (
        versions if versions is not None else history.versions([d.path for d in pending], standard)
    )
    out: dict[str, Document] = {}
    for doc in pending:
        candidates = [
            v.document
            for v in approved_versions(found.get(doc.path, []), rejected)
            if v.document.id == doc.id
            and v.document.in_effect(as_of)
            and v.document.version != doc.version
        ]
        if candidates:
            out[doc.id or ""] = candidates[-1]
    return out


def earlier_versions(
    corpus: Corpus, versions: dict[str, list[Version]], standard: str, as_of: dt.date
) -> dict[str, list[Document]]:
    """The approved versions (from git) of the procedures that have a record naming its
    own clauses dated before the version judged took effect: what such a record may
    evidence is bounded by the version in force on its date (coverage.procedure_on)."""
    wanted: dict[str, Document] = {}
    for rec in corpus.records:
        if rec.date is None or not rec.clauses.get(standard):
            continue
        proc = cov.procedure_in_effect(corpus, rec.procedure, as_of)
        start = proc.effective if proc is not None else None
        if proc is None or proc.id is None or start is None or rec.date >= start:
            continue
        current = corpus.by_id.get(proc.id)
        if current is not None and not current.broken:
            wanted[proc.id] = current
    out: dict[str, list[Document]] = {}
    for doc_id, doc in wanted.items():
        found = approved_versions(versions.get(doc.path, []))
        out[doc_id] = [v.document for v in found if v.document.id == doc_id]
    return out
