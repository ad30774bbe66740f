"""Issue 12: the portal, the check and every export state only what is true.
One rule registry; evidence that is missing or altered is no evidence."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

from generator.check import run_check
from generator.portal import PortalOptions, build_portal
from generator.portal.overview import DASHBOARD_RULES
from generator.rules import APPROVAL_STATE, BLOCKING, RULES, Category
from generator.settings import read_settings
from generator.workflow import APPROVAL_STATE_RULES

from .conftest import AS_OF, front, record, run

README = Path(__file__).resolve().parent.parent / "README.md"
DAY = dt.date.fromisoformat(AS_OF)


def test_readme_rule_table_is_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("| code | default | category | catches |") :]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (\w+) \| (\w+) \|", section, re.M)
    table = {code: (severity, category) for code, severity, category in rows}
    registry = {code: (r.severity.value, r.category.value) for code, r in RULES.items()}
    assert table == registry


def test_gate_dashboard_and_approve_derive_from_the_registry() -> None:
    from generator.plugin import INTEGRITY_RULES

    assert INTEGRITY_RULES == BLOCKING == {
        c for c, r in RULES.items() if r.category is Category.BLOCKING
    }
    assert set(DASHBOARD_RULES) == set(RULES) - BLOCKING
    assert APPROVAL_STATE_RULES == APPROVAL_STATE
    assert "stale-approval" in APPROVAL_STATE and "schema" not in APPROVAL_STATE


def test_the_registry_severity_is_the_default(corpus: Callable[..., Path]) -> None:
    root = corpus({"records/2026/R-X.yml": front(record("R-X", type="无人声明的记录"))})
    out = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    found = [f for f in json.loads(out.stdout)["findings"] if f["rule"] == "unknown-record-type"]
    assert [f["severity"] for f in found] == [RULES["unknown-record-type"].severity.value]


def _tampered(corpus: Callable[..., Path]) -> Path:
    return corpus(
        {
            "records/files/mr.txt": "会议纪要\n",
            "records/2026/R-QP18-2026-01.yml": front(
                record("R-QP18-2026-01", evidence="files/mr.txt", sha256="0" * 64)
            ),
        }
    )


def test_altered_evidence_is_not_evidence(corpus: Callable[..., Path]) -> None:
    root = _tampered(corpus)
    out = run("coverage", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    data = json.loads(out.stdout)
    rows = {r["clause"]: r for r in data["rows"]}
    assert rows["1.1"]["evidenced"] is False and rows["1.1"]["records"] == 0
    assert data["evidenced"] == 1  # only clause 2, by QP-10's record
    trace = json.loads(
        run("trace", "1.1", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    leaf = trace["leaves"][0]
    assert leaf["records"] == []
    assert [r["id"] for r in leaf["rejected"]] == ["R-QP18-2026-01"]
    assert leaf["rejected"][0]["hash"] == "bad"


def test_dashboard_shows_altered_evidence_and_does_not_count_it(
    corpus: Callable[..., Path],
) -> None:
    root = _tampered(corpus)
    result = run_check(root, read_settings(root), DAY)
    portal = build_portal(result, PortalOptions(DAY))
    home = next(p.expanded() for p in portal.pages if p.path == "index.md")
    assert "evidence-hash-mismatch" in home
    assert "**1 / 3**" in home  # evidenced: clause 2 only


def test_missing_evidence_file_is_not_evidence(corpus: Callable[..., Path]) -> None:
    root = corpus(
        {
            "records/2026/R-QP18-2026-01.yml": front(
                record("R-QP18-2026-01", evidence="files/absent.pdf")
            ),
        }
    )
    result = run_check(root, read_settings(root), DAY)
    assert not result.coverage.leaves["1.1"].evidenced
    assert [r.id for r in result.coverage.leaves["1.1"].rejected] == ["R-QP18-2026-01"]
