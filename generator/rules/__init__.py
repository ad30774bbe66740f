"""Every rule, registered under its stable code (the rule table in docs/reference.md)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, ModuleType

from ..findings import Severity
from . import approval, clauses, integrity, records, references, roles
from .base import Context, Rule

#: Rules whose findings are made while reading files.
_LOAD_RULES = (
    Rule("encoding", Severity.ERROR, None),
    Rule("yaml-syntax", Severity.ERROR, None),
    Rule("duplicate-key", Severity.ERROR, None),
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

__all__ = ["RULES", "Context", "Rule"]
