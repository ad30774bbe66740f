"""What a rule is and what it is given: small functions registered under a code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from ..coverage import Coverage
from ..findings import Finding, Severity
from ..history import Version
from ..load import Source
from ..model import Corpus, Document
from ..settings import Period, Settings
from ..standards import Standard


class Located(Protocol):
    path: str
    id: str | None


@dataclass
class Context:
    root: Path
    corpus: Corpus
    sources: list[Source]
    settings: Settings
    standard: Standard
    as_of: dt.date
    period: Period
    coverage: Coverage
    memo: dict[tuple[str, int], Any] = field(default_factory=dict)
    #: (document id, version) pairs committed to git with a fingerprint (sealed)
    sealed: frozenset[tuple[str, str]] = frozenset()
    #: every committed state of each document file (path -> oldest first); empty outside git
    versions: dict[str, list[Version]] = field(default_factory=dict)
    #: when set, the rules that read documents' text judge only the documents at these
    #: paths (``serve`` after an edit of one document's text: the rest stands)
    only: frozenset[str] | None = None

    def texts(self) -> list[Document]:
        """The documents whose text the rules marked ``reads_body`` judge."""
        docs = self.corpus.documents
        return docs if self.only is None else [d for d in docs if d.path in self.only]

    def cached(self, name: str, item: object, compute: Callable[[], Any]) -> Any:
        """Work several rules need about one item (citations in a text), done once."""
        key = (name, hash(item) if isinstance(item, str) else id(item))
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


Check = Callable[[Context], Iterable[Finding]]


class Category(StrEnum):
    """What a rule's findings do beyond the check's report."""

    #: an error stops the publication (the portal would state something untrue)
    BLOCKING = "blocking"
    #: shown to document controllers (首页 / 文件控制台); the portal still publishes
    CONTROL = "control"
    #: the state of compliance (coverage, evidence, reviews, retention), shown on 首页
    COMPLIANCE = "compliance"


@dataclass(frozen=True)
class Rule:
    """A rule's registry entry: everything that decides what its findings do."""

    code: str
    severity: Severity  # the default; the settings may change it per rule
    check: Check | None  # None: produced while loading
    category: Category = Category.CONTROL
    #: approving the document puts it right (``approve`` does not refuse for it)
    approval_state: bool = False
    #: its findings about a document depend on the document's text, not only on its
    #: metadata (it loops over ``Context.texts()``)
    reads_body: bool = False


def rule(
    code: str,
    severity: Severity = Severity.ERROR,
    category: Category = Category.CONTROL,
    *,
    approval_state: bool = False,
    reads_body: bool = False,
) -> Callable[[Check], Check]:
    """Mark a function as the rule ``code`` (collected by ``rules.RULES``)."""

    def mark(func: Check) -> Check:
        entry = Rule(code, severity, func, category, approval_state, reads_body)
        func.__itsms_rule__ = entry  # type: ignore[attr-defined]
        return func

    return mark


def finding(
    code: str,
    item: Located | None,
    line: int | None,
    key: str | None = None,
    *,
    path: str | None = None,
    severity: Severity = Severity.ERROR,
    **params: Any,
) -> Finding:
    """A finding about ``item`` (a document or a record) at ``line``.

    The severity is the rule's default; ``check`` applies the settings' overrides.
    """
    return Finding(
        code,
        severity,
        path if path is not None else (item.path if item is not None else None),
        line,
        item.id if item is not None else None,
        key or code,
        params,
    )
