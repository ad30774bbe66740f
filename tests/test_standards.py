"""Clause catalogues as data: ISO/IEC 20000-1:2011 and 2018, a user's own catalogue,
documents citing two editions, and the transition from 2011 to 2018."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.standards import CatalogueError, load_crosswalk, load_standard

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
    assert set(walk.new) == {"4.1", "4.2", "7.6", "8.2.2", "8.3.1", "8.4.2"}
    assert all(walk.note(src, "zh") and walk.note(src, "en") for src in walk.map)


# The corrections a lead auditor asked for (issue 16): one test per corrected entry.


@pytest.mark.parametrize(
    ("clause", "title"),
    [
        ("4.5.2", "服务管理的策划"),  # no （计划）: neither the manual nor the standard has it
        ("4.5.3", "服务管理体系的实施和运行"),  # 2011: implement and operate the SMS
        ("4.5.4", "服务管理体系的监视和评审"),  # 2011: monitor and review the SMS
        ("4.5.5", "服务管理体系的维护和持续改进"),  # the manual's heading, no （改进）
        ("5", "新服务或变更服务的设计和转换"),  # 2011: design and transition
        ("6.5", "容量管理"),  # capacity; 能力 is 2018's competence (7.2)
    ],
)
def test_corrected_2011_titles(clause: str, title: str) -> None:
    assert load_standard("iso20000-1:2011").by_id[clause].zh == title


@pytest.mark.parametrize(
    ("clause", "title"),
    [
        ("8.2.3", "服务生命周期中所涉及各方的控制"),  # 相关方 is the defined term of 4.2
        ("8.3.4", "供应商管理"),
        ("8.3.4.1", "外部供应商的管理"),
        ("8.3.4.2", "内部供应商和作为供应商的顾客的管理"),
        ("7.2", "能力"),  # competence, no longer shared with 2011's capacity
    ],
)
def test_corrected_2018_titles(clause: str, title: str) -> None:
    assert load_standard("iso20000-1:2018").by_id[clause].zh == title
    assert "供方" not in title


def test_capacity_and_competence_no_longer_collide() -> None:
    old, new = load_standard("iso20000-1:2011"), load_standard("iso20000-1:2018")
    assert old.by_id["6.5"].zh == new.by_id["8.4.3"].zh == "容量管理"
    assert new.by_id["7.2"].zh not in {c.zh for c in old.clauses}


@pytest.mark.parametrize(
    ("old", "new", "rests_on"),
    [
        ("7.2", ("8.3.4.1",), "外部供应商"),  # internal groups are not under 2011's 7.2 ...
        ("6.1", ("8.3.3", "8.2.4", "8.3.4.2"), "内部团体"),  # ... but under 6.1
        ("4.5.3", ("8.1", "8.2.1", "6.1"), "服务风险"),  # operate the SMS; risks to services
        ("4.1.4", ("5.3", "8.2.5"), "许可证"),  # d) assets, including licences
        ("4.1.1", ("5.1", "6.1"), "风险"),  # g) risks to services
        # a) objectives -> 6.2; the approach to risks -> 6.1
        ("4.5.2", ("6.1", "6.2.1", "6.2.2", "6.3", "8.1"), "服务管理目标"),
    ],
)
def test_corrected_crosswalk_entries(old: str, new: tuple[str, ...], rests_on: str) -> None:
    walk = load_crosswalk("iso20000-1:2011", "iso20000-1:2018")
    assert walk.map[old] == new
    assert rests_on in walk.note(old, "zh")
    for clause in new:
        assert clause not in walk.new  # a clause with a predecessor is not listed as new


@pytest.mark.parametrize(
    ("clause", "predecessors"),
    [
        ("8.3.4.2", ["6.1"]),
        ("8.2.1", ["4.5.3"]),
        ("8.2.5", ["4.1.4"]),
        ("6.1", ["4.1.1", "4.5.2", "4.5.3"]),
        ("6.2.2", ["4.5.2"]),
    ],
)
def test_2018_clauses_once_listed_as_new_have_their_predecessors(
    clause: str, predecessors: list[str]
) -> None:
    walk = load_crosswalk("iso20000-1:2011", "iso20000-1:2018")
    assert walk.predecessors(clause) == predecessors


def test_a_crosswalk_entry_is_a_list_or_to_with_a_note(corpus: Callable[..., Path]) -> None:
    root = corpus()
    (root / "standards/walk.yml").write_text(
        'crosswalk:\n  from: "mini:2024"\n  to: "iso20000-1:2018"\n  map:\n'
        '    "1": ["9.2"]\n    "2": {to: ["9.3"], note: 管理评审}\n',
        "utf-8",
    )
    walk = load_crosswalk("mini:2024", "iso20000-1:2018", [root / "standards"])
    assert walk.map == {"1": ("9.2",), "2": ("9.3",)}
    assert walk.note("2", "en") == walk.note("2", "zh") == "管理评审"
    assert walk.note("1", "zh") == ""
    (root / "standards/walk.yml").write_text(
        'crosswalk:\n  from: "mini:2024"\n  to: "iso20000-1:2018"\n  map:\n'
        '    "2": {to: ["9.3"], nota: 管理评审}\n',
        "utf-8",
    )
    with pytest.raises(CatalogueError, match="walk.yml"):
        load_crosswalk("mini:2024", "iso20000-1:2018", [root / "standards"])


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


def test_shipped_content_judges_2018_and_shows_where_2011_went() -> None:
    result = run("transition", "--root", str(REPO), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"]) == ("iso20000-1:2011", "iso20000-1:2018")
    assert (data["leaf_clauses"], data["direct"], data["gap"]) == (57, 57, 0)
    rows = {r["clause"]: r for r in data["rows"]}
    assert rows["8.3.4.2"]["from"] == ["6.1"]
    assert sorted(rows["8.3.4.2"]["documents"]) == ["GZDS-ITSMS-PL-04", "GZDS-ITSMS-QP-10"]
    assert rows["7.6"]["note"] == "组织的知识（新增）"
    assert rows["7.6"]["documents"] == ["GZDS-ITSMS-QP-27"]


def test_transition_from_an_older_edition(corpus: Callable[..., Path]) -> None:
    """Judged against 2018, the transition page and verb show where each clause comes
    from in 2011, with the clause text the mapping rests on."""
    mk = MK_2018 + "      transition_from: iso20000-1:2011\n"
    change = approved(
        "GZDS-ITSMS-QP-04",
        "变更管理程序",
        clauses={"iso20000-1:2011": ["9.2"], "iso20000-1:2018": ["8.5.1"]},
    )
    incident = approved("GZDS-ITSMS-QP-01", "事件管理程序", clauses={"iso20000-1:2011": ["8.1"]})
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
    result = run("transition", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"]) == ("iso20000-1:2011", "iso20000-1:2018")
    rows = {r["clause"]: r for r in data["rows"]}
    assert rows["8.5.1.2"]["verdict"] == "direct"
    assert rows["8.6.1"]["verdict"] == "crosswalk"
    assert rows["8.6.1"]["documents"] == ["GZDS-ITSMS-QP-01"]
    assert rows["8.6.1"]["note"].startswith("8.1: 事件和服务请求的记录")
    assert rows["7.6"]["note"] == "组织的知识（新增）"


def test_transition_to_and_from_together_are_refused(corpus: Callable[..., Path]) -> None:
    mk = MK_2018 + "      transition_from: iso20000-1:2011\n      transition_to: x:1\n"
    root = corpus({"mkdocs.yml": mk})
    result = run("check", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 2 and "transition_from" in result.output


def test_the_transition_page_from_2011_when_judging_2018(corpus: Callable[..., Path]) -> None:
    """条款覆盖 › 版本转换 lists each 2018 clause with its 2011 origin and the clause text
    the mapping rests on; 2011 clauses are not linked (the portal's clause pages are
    2018's)."""
    import datetime as dt

    from generator.check import run_check
    from generator.portal import PortalOptions, build_portal
    from generator.settings import read_settings

    supplier = approved(
        "GZDS-ITSMS-QP-19",
        "供应商管理程序",
        clauses={"iso20000-1:2011": ["7.2"], "iso20000-1:2018": ["8.3.4.1"]},
    )
    root = corpus(
        {
            "mkdocs.yml": MK_2018 + "      transition_from: iso20000-1:2011\n",
            "procedures/GZDS-ITSMS-QP-19.md": doc_text(supplier),
        },
        base=False,
    )
    (root / "content").mkdir(exist_ok=True)
    (root / "content/roles.yml").write_text(
        "roles:\n  - {id: management-rep, name: 管理者代表}\n", encoding="utf-8"
    )
    day = dt.date.fromisoformat(AS_OF)
    result = run_check(root, read_settings(root), day)
    portal = build_portal(result, PortalOptions(day))
    pages = {p.path: p for p in portal.pages}
    text = pages["clauses/transition.md"].expanded()
    row = next(line for line in text.splitlines() if line.startswith("| **8.3.4.1**"))
    assert "外部供应商的管理" in row and "直接覆盖" in row
    assert "7.2 供应商管理" in row and "clauses/7.2" not in row and "7.2.md" not in row
    assert "外部供应商：合同、绩效监视、争议" in row
    assert "从 ISO/IEC 20000-1:2011 服务管理体系要求 转换到" in text
