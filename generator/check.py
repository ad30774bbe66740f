"""The check: load -> model -> rules -> result. Knows nothing of MkDocs or click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import coverage as cov
from .findings import Finding, Severity, sorted_findings
from .load import Loaded, load
from .model import Corpus, build_document, build_record, build_roles
from .rules import RULES, Context
from .settings import Period, Settings
from .standards import Standard, load_standard


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
    corpus.index()
    return corpus


def standards_dirs(root: Path, settings: Settings) -> list[Path]:
    return [root / settings.standards_dir] if settings.standards_dir else []


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
    coverage = cov.compute(corpus, standard, as_of, period, settings.exclusions)
    ctx = Context(root, corpus, loaded.sources, settings, standard, as_of, period, coverage)
    findings = list(loaded.findings)
    for rule in RULES.values():
        if rule.check is not None and settings.severity.get(rule.code) is not Severity.OFF:
            findings.extend(rule.check(ctx))
    findings = sorted_findings(apply_severity(findings, settings))
    return CheckResult(root, as_of, settings, standard, period, corpus, coverage, findings, loaded)
