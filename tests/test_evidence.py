"""The evidence plan: record types declared with clauses, cadence and retention."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import approved, doc_text, findings

MONTHLY = {"type": "月度服务报告", "clauses": ["2"], "every": "month", "retention_years": 3}


def _qp10(records: list[object]) -> str:
    return doc_text(
        approved(
            "GZDS-ITSMS-QP-10",
            "服务级别管理程序",
            owner="service-manager",
            clauses=["2"],
            records=records,
            references=["GZDS-ITSMS-QP-18"],
            raci=[
                {
                    "activity": "评审服务级别",
                    "R": ["service-manager"],
                    "A": "management-rep",
                    "C": [],
                    "I": ["staff"],
                }
            ],
        ),
        "## 1 目的\n\n见《管理评审程序》GZDS-ITSMS-QP-18。\n",
    )


def test_records_accept_names_and_declared_types(corpus: Callable[..., Path]) -> None:
    root = corpus({"procedures/GZDS-ITSMS-QP-10.md": _qp10(["服务级别评审记录", MONTHLY])})
    assert [f for f in findings(root) if f[0] == "schema"] == []


def test_record_type_declaration_is_checked(corpus: Callable[..., Path]) -> None:
    bad = [
        {"type": "服务级别评审记录", "every": "fortnight"},
        {"type": "月度服务报告", "clauses": [6.2], "retention_years": 0},
        {"clauses": ["2"]},
        {"type": "周报", "every": "week", "owner": "x"},
    ]
    root = corpus({"procedures/GZDS-ITSMS-QP-10.md": _qp10(bad)})
    schema = [f for f in findings(root) if f[0] == "schema"]
    # every (enum), an unquoted clause, retention 0, no type, an unknown key: each on its line
    assert schema == [("schema", "procedures/GZDS-ITSMS-QP-10.md", n) for n in (16, 19, 20, 21, 23)]
