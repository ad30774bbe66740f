"""A finding is data: what rule, how severe, where, about which item, and the
message key with its parameters. Words are chosen later, in one place (report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    file: str | None
    line: int | None
    id: str | None
    key: str  # message key in the catalogue (usually the rule code, or rule.variant)
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    column: int | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "\uffff", self.line or 0, self.column or 0, self.rule)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
