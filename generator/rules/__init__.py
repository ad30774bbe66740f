"""Every rule, registered under its stable code (SPEC.md's table), with its default
severity and its category. What a finding does — stop the publication, appear on
首页, or leave ``approve`` willing — is read from here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, ModuleType

from ..findings import Finding, Severity
from . import approval, clauses, integrity, records, references, roles
from .base import Category, Context, Rule

#: Rules whose findings are made while reading files.
_LOAD_RULES = (
    Rule("encoding", Severity.ERROR, None, Category.BLOCKING),
    Rule("yaml-syntax", Severity.ERROR, None, Category.BLOCKING),
    Rule("duplicate-key", Severity.ERROR, None, Category.BLOCKING),
)


def _collect(modules: tuple[ModuleType, ...]) -> dict[str, Rule]:
    found: dict[str, Rule] = {r.code: r for r in _LOAD_RULES}
    for module in modules:
        for value in vars(module).values():
            marked = getattr(value, "__itsms_rule__", None)
            if isinstance(marked, Rule):
                if marked.code in found:
                    raise RuntimeError(f"rule {marked.code} registered twice")
                found[marked.code] = marked
    return found


RULES: Mapping[str, Rule] = MappingProxyType(
    _collect((integrity, references, approval, roles, clauses, records))
)


def codes(category: Category) -> frozenset[str]:
    """The codes of one category."""
    return frozenset(code for code, r in RULES.items() if r.category is category)


#: Errors of these rules stop a publication (the portal gate, the audit pack).
BLOCKING = codes(Category.BLOCKING)
#: Findings 首页 lists for document controllers: everything that does not block.
SHOWN = codes(Category.CONTROL) | codes(Category.COMPLIANCE)
#: Findings that approving a document puts right.
APPROVAL_STATE = frozenset(code for code, r in RULES.items() if r.approval_state)


def default_severity(code: str, fallback: Severity = Severity.ERROR) -> Severity:
    """The registry's severity for ``code`` (``fallback`` for a code it lacks)."""
    entry = RULES.get(code)
    return entry.severity if entry is not None else fallback


def blocking(findings: list[Finding]) -> list[Finding]:
    """The errors that stop a publication."""
    return [f for f in findings if f.rule in BLOCKING and f.severity is Severity.ERROR]


__all__ = [
    "APPROVAL_STATE",
    "BLOCKING",
    "RULES",
    "SHOWN",
    "Category",
    "Context",
    "Rule",
    "blocking",
    "codes",
    "default_severity",
]
