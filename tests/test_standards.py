"""Clause catalogues as data: ISO/IEC 20000-1:2011 and 2018, a user's own catalogue,
documents citing two editions, and the transition from 2011 to 2018."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from generator.standards import load_crosswalk, load_standard

from .conftest import AS_OF, approved, doc_text, front, record, run
from .test_cli import REPO

MK_2018 = "site_name: t\nplugins:\n  - itsms:\n      standard: iso20000-1:2018\n"


def test_the_catalogues() -> None:
    old = load_standard("iso20000-1:2011")
    new = load_standard("iso20000-1:2018")
    assert len(old.leaves) == 39 and len(new.leaves) == 57
    assert new.by_id["8.5.1.2"].zh == "变更管理的启动"
    assert [c.id for c in new.ancestors("8.7.3.1")] == ["8.7.3", "8.7", "8"]
    walk = load_crosswalk("iso20000-1:2011", "iso20000-1:2018")
    targets = {t for ts in walk.map.values() for t in ts}
    assert set(walk.map) == {c.id for c in old.leaves}  # every 2011 leaf goes somewhere
    assert targets | set(walk.new) == {c.id for c in new.leaves}
    assert not targets & set(walk.new)
    assert walk.map["4.3.2"] == ("7.5.2", "7.5.3") and walk.map["9.2"] == (
        "8.5.1.1",
        "8.5.1.2",
        "8.5.1.3",
    )
    assert {"4.1", "4.2", "6.1", "7.6", "8.2.5", "8.4.2"} <= set(walk.new)


def test_check_coverage_and_trace_against_2018(corpus: Callable[..., Path]) -> None:
    docs = {
        "mkdocs.yml": MK_2018,
        "procedures/GZDS-ITSMS-QP-10.md": doc_text(
            approved(
                "GZDS-ITSMS-QP-10",
                "服务级别管理程序",
                clauses=["4", "5", "6", "7", "8", "9"],
                records=[{"type": "服务级别评审记录", "clauses": ["4", "5", "6", "7", "8", "9"]}],
            )
        ),
        "procedures/GZDS-ITSMS-QP-18.md": doc_text(
            approved(
                "GZDS-ITSMS-QP-18",
                "管理评审程序",
                clauses=["9.3", "10"],
                records=[{"type": "管理评审报告", "clauses": ["9.3", "10"]}],
            )
        ),
        "records/2026/R-QP10-2026-01.yml": front(
            record("R-QP10-2026-01", procedure="GZDS-ITSMS-QP-10", type="服务级别评审记录")
        ),
    }
    root = corpus(docs)
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    assert data["standard"] == "iso20000-1:2018"
    assert data["summary"]["coverage"] == {"leaf_clauses": 57, "covered": 57, "evidenced": 57}
    assert [f["rule"] for f in data["findings"]] == []
    trace = json.loads(
        run("trace", "8.7.3", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    assert [leaf["clause"] for leaf in trace["leaves"]] == ["8.7.3.1", "8.7.3.2", "8.7.3.3"]
    assert trace["leaves"][0]["documents"][0]["id"] == "GZDS-ITSMS-QP-10"
    bad = corpus(
        {
            "mkdocs.yml": MK_2018,
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(
                approved("GZDS-ITSMS-QP-18", "管理评审程序", clauses=["4.5.4.3"])
            ),
        }
    )
    found = json.loads(
        run("check", "--root", str(bad), "--as-of", AS_OF, "--format", "json").stdout
    )["findings"]
    assert ("unknown-clause", "procedures/GZDS-ITSMS-QP-18.md") in {
        (f["rule"], f["file"]) for f in found
    }


def test_a_document_cites_two_editions(corpus: Callable[..., Path]) -> None:
    both = approved(
        "GZDS-ITSMS-QP-30",
        "变更管理程序",
        clauses={"mini:2024": ["1.1"], "iso20000-1:2018": ["8.5.1"]},
    )
    wrong = approved(
        "GZDS-ITSMS-QP-31", "发布程序", clauses={"iso20000-1:2018": ["9.9"], "iso9999": ["1"]}
    )
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-30.md": doc_text(both),
            "procedures/GZDS-ITSMS-QP-31.md": doc_text(wrong),
        }
    )
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    got = [(f["rule"], f["file"], f["message"]) for f in data["findings"]]
    assert [(r, f) for r, f, _ in got] == [
        ("unknown-clause", "procedures/GZDS-ITSMS-QP-31.md"),
        ("unknown-clause", "procedures/GZDS-ITSMS-QP-31.md"),
    ]
    assert any("9.9" in m and "iso20000-1:2018" in m for _, _, m in got)
    assert any("iso9999" in m for _, _, m in got)


def test_transition_verdicts(corpus: Callable[..., Path]) -> None:
    mk = "site_name: t\nplugins:\n  - itsms:\n      standard: iso20000-1:2011\n"
    change = approved(
        "GZDS-ITSMS-QP-04",
        "变更管理程序",
        clauses={"iso20000-1:2011": ["9.2"], "iso20000-1:2018": ["8.5.1"]},
    )
    incident = approved("GZDS-ITSMS-QP-01", "事件管理程序", clauses=["8.1"])
    root = corpus(
        {
            "mkdocs.yml": mk,
            "procedures/GZDS-ITSMS-QP-04.md": doc_text(change),
            "procedures/GZDS-ITSMS-QP-01.md": doc_text(incident),
        },
        base=False,
    )
    (root / "content").mkdir(exist_ok=True)
    (root / "content/roles.yml").write_text(
        "roles:\n  - {id: management-rep, name: 管理者代表}\n", encoding="utf-8"
    )
    result = run(
        "transition",
        "--to",
        "iso20000-1:2018",
        "--root",
        str(root),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {r["clause"]: r for r in data["rows"]}
    assert rows["8.5.1.2"]["verdict"] == "direct"
    assert rows["8.5.1.2"]["documents"] == ["GZDS-ITSMS-QP-04"]
    assert rows["8.6.1"]["verdict"] == "crosswalk"
    assert rows["8.6.1"]["from"] == ["8.1"]
    assert rows["8.6.1"]["documents"] == ["GZDS-ITSMS-QP-01"]
    assert rows["8.4.2"]["verdict"] == "gap" and rows["8.4.2"]["note"] == "需求管理（新增）"
    assert rows["9.3"]["verdict"] == "gap" and rows["9.3"]["from"] == ["4.5.4.3"]
    assert (data["direct"], data["gap"]) == (3, 57 - 3 - 2)


def test_a_catalogue_added_as_a_data_file(corpus: Callable[..., Path]) -> None:
    root = corpus()  # conftest's mini:2024 lives in standards/ beside the content
    assert run("check", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    (root / "standards/mini.yml").write_text('id: "mini:2024"\nclauses: [{id: 1}]\n', "utf-8")
    broken = run("check", "--root", str(root), "--as-of", AS_OF)
    assert broken.exit_code == 2 and "mini.yml" in broken.output


def test_shipped_content_transition_lists_the_2018_gaps() -> None:
    result = run(
        "transition",
        "--to",
        "iso20000-1:2018",
        "--root",
        str(REPO),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    gaps = sorted(r["clause"] for r in data["rows"] if r["verdict"] == "gap")
    assert gaps == [
        "4.1",
        "4.2",
        "6.1",
        "6.2.2",
        "7.6",
        "8.2.1",
        "8.2.2",
        "8.2.5",
        "8.3.1",
        "8.4.2",
    ]
