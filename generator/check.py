"""The check: load -> model -> rules -> result. Knows nothing of MkDocs or click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import coverage as cov
from .findings import Finding, Severity, sorted_findings
from .history import GitHistory, approved_versions
from .load import Loaded, load
from .model import Corpus, Document, build_document, build_record, build_roles
from .rules import RULES, Context
from .settings import Period, Settings
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

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def build_corpus(loaded: Loaded, standard_id: str) -> Corpus:
    corpus = Corpus()
    for src in loaded.sources:
        if src.kind == "document":
            corpus.documents.append(build_document(src, standard_id))
        elif src.kind == "record":
            corpus.records.append(build_record(src, standard_id))
        elif src.kind == "roles":
            corpus.roles = build_roles(src)
            corpus.roles_path = src.path
        else:
            corpus.pages.append(src)
    corpus.resolve_roles()
    corpus.index()
    return corpus


def standards_dirs(root: Path, settings: Settings) -> list[Path]:
    return catalogue_dirs(root, settings.standards_dir)


def apply_severity(findings: list[Finding], settings: Settings) -> list[Finding]:
    out = []
    for item in findings:
        wanted = settings.severity.get(item.rule)
        if wanted is Severity.OFF:
            continue
        out.append(replace(item, severity=wanted) if wanted else item)
    return out


def run_check(
    root: Path,
    settings: Settings,
    as_of: dt.date,
    *,
    period: Period | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Check the repository at ``root``. Raises CatalogueError for an unknown standard."""
    standard = load_standard(settings.standard, standards_dirs(root, settings))
    period = period or settings.period(as_of)
    loaded = load(root, progress)
    corpus = build_corpus(loaded, standard.id)
    history = GitHistory.open(root)
    notes = [] if history is not None else ["ui.no_git"]
    if history is not None:
        corpus.in_effect = versions_in_effect(corpus, history, standard.id, as_of)
    coverage = cov.compute(corpus, standard, as_of, period, settings.exclusions)
    ctx = Context(root, corpus, loaded.sources, settings, standard, as_of, period, coverage)
    findings = list(loaded.findings)
    for rule in RULES.values():
        if rule.check is not None and settings.severity.get(rule.code) is not Severity.OFF:
            findings.extend(rule.check(ctx))
    findings = sorted_findings(apply_severity(findings, settings))
    return CheckResult(
        root, as_of, settings, standard, period, corpus, coverage, findings, loaded, history, notes
    )


def versions_in_effect(
    corpus: Corpus, history: GitHistory, standard: str, as_of: dt.date
) -> dict[str, Document]:
    """For documents whose working copy is not in effect (a draft of a revision, or an
    approval that takes effect later), the approved version in effect, from git."""
    pending = [
        d
        for d in corpus.documents
        if d.id
        and corpus.by_id.get(d.id) is d
        and d.status in ("draft", "review", "approved")
        and not d.in_effect(as_of)
    ]
    if not pending:
        return {}
    found = history.versions([d.path for d in pending], standard)
    out: dict[str, Document] = {}
    for doc in pending:
        candidates = [
            v.document
            for v in approved_versions(found.get(doc.path, []))
            if v.document.id == doc.id
            and v.document.in_effect(as_of)
            and v.document.version != doc.version
        ]
        if candidates:
            out[doc.id or ""] = candidates[-1]
    return out
