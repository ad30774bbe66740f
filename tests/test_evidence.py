"""The evidence plan: record types declared with clauses, cadence and retention."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from .conftest import (
    AS_OF,
    ROLES,
    approved,
    check_json,
    clean_files,
    doc_text,
    findings,
    front,
    record,
    run,
    write_files,
)

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
    # every (enum), an unquoted clause, retention 0, no type, an unknown key: each on its
    # line (the unknown key on the line of the key itself)
    assert schema == [("schema", "procedures/GZDS-ITSMS-QP-10.md", n) for n in (16, 19, 20, 21, 25)]


MK_2011 = """\
site_name: test
docs_dir: content
plugins:
  - itsms:
      standard: iso20000-1:2011
      audit_period: 2025-12-01..2026-11-30
"""
AFTER = "2026-12-05"
MONTHS = ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]


def _reporting_repo(corpus: Callable[..., Path], months: list[str], **doc: object) -> Path:
    # in force since before the audit period: a record counts only while its procedure is
    first = {"version": "1.0", "date": "2025-11-01", "author": "张伟", "approved_by": "王芳"}
    since = {"approved_on": "2025-11-01", "effective": "2025-11-01"}  # as its history says
    doc = {"history": [{**first, "summary": "首次发布"}], **since, **doc}
    qp06 = approved(
        "GZDS-ITSMS-QP-06",
        "服务报告管理程序",
        owner="service-manager",
        clauses=["6.2"],
        records=[
            {"type": "月度服务报告", "clauses": ["6.2"], "every": "month", "retention_years": 3}
        ],
        **doc,
    )
    files: dict[str, str | bytes] = {
        "mkdocs.yml": MK_2011,
        "content/roles.yml": ROLES,
        "procedures/GZDS-ITSMS-QP-06.md": doc_text(qp06),
    }
    for month in months:
        rec = record(
            f"R-QP06-{month}",
            title=f"{month} 月度服务报告",
            type="月度服务报告",
            procedure="GZDS-ITSMS-QP-06",
            date=f"{month}-05",
            owner="service-manager",
            retention_years=2 if month == "2026-05" else 3,
        )
        files[f"records/R-QP06-{month}.yml"] = front(rec)
    return corpus(files, base=False)


def test_done_when_two_missing_months_and_one_retention_mismatch(
    corpus: Callable[..., Path],
) -> None:
    present = [m for m in MONTHS if m not in ("2026-03", "2026-08")]
    root = _reporting_repo(corpus, present)
    result = run("check", "--root", str(root), "--as-of", AFTER, "--format", "json")
    data = json.loads(result.stdout)
    gaps = [f for f in data["findings"] if f["rule"] == "evidence-gap"]
    assert [(f["file"], f["line"], f["message"][:7]) for f in gaps] == [
        ("procedures/GZDS-ITSMS-QP-06.md", 15, "2026-03"),  # the type's item under records
        ("procedures/GZDS-ITSMS-QP-06.md", 15, "2026-08"),
    ]
    assert gaps[1]["message"].startswith("2026-08 月度服务报告缺失")
    mismatch = [f for f in data["findings"] if f["rule"] == "retention-mismatch"]
    assert [(f["file"], f["line"]) for f in mismatch] == [("records/R-QP06-2026-05.yml", 8)]
    assert "2 年" in mismatch[0]["message"] and "3 年" in mismatch[0]["message"]

    text = run("trace", "6.2", "--root", str(root), "--as-of", AFTER).output
    assert "月度服务报告 (GZDS-ITSMS-QP-06, 每月): 10/12 期齐全; 缺失 2 期" in text
    row = " | ".join(
        c.strip()
        for line in text.splitlines()
        if line.startswith("        20")
        for c in line.split("|")
    )
    assert row == " | ".join(
        f"{m} {'缺失' if m in ('2026-03', '2026-08') else '有'}" for m in MONTHS
    )
    js = json.loads(
        run("trace", "6.2", "--root", str(root), "--as-of", AFTER, "--format", "json").output
    )
    (cad,) = js["leaves"][0]["cadences"]
    assert [p["period"] for p in cad["periods"]] == MONTHS
    assert cad["missing"] == ["2026-03", "2026-08"]
    assert {r["why"] for r in js["leaves"][0]["records"]} == {"type"}


def test_periods_not_yet_due_are_no_gap(corpus: Callable[..., Path]) -> None:
    root = _reporting_repo(corpus, MONTHS[:6])
    _, data = check_json(root)  # as of 2026-11-27: November has not ended
    gaps = [f["message"][:7] for f in data["findings"] if f["rule"] == "evidence-gap"]
    assert gaps == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]


def _trace_leaves(root: Path, clause: str) -> dict[str, dict[str, str]]:
    """leaf -> {record id: why} from `itsms trace --format json`."""
    out = run("trace", clause, "--root", str(root), "--as-of", AS_OF, "--format", "json").output
    return {
        leaf["clause"]: {r["id"]: r["why"] for r in leaf["records"]}
        for leaf in json.loads(out)["leaves"]
    }


def test_a_record_evidences_only_its_types_clauses(corpus: Callable[..., Path]) -> None:
    qp18 = approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        clauses=["1", "2"],
        records=[{"type": "管理评审报告", "clauses": ["1.1"]}, "审核报告"],
    )
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(qp18),
            "records/2026/R-AUDIT.yml": front(record("R-AUDIT", type="审核报告", clauses=["1.2"])),
        }
    )
    leaves = _trace_leaves(root, "1") | _trace_leaves(root, "2")
    assert leaves["1.1"] == {"R-QP18-2026-01": "type"}
    assert leaves["1.2"] == {"R-AUDIT": "own"}
    # the service-level record (QP-10, clause 2) and nothing of QP-18's for clause 2
    assert leaves["2"] == {"R-QP10-2026-01": "type"}
    assert "unattributed-evidence" not in {f[0] for f in findings(root)}


def test_unattributed_records_keep_the_procedure_clauses_and_are_reported_once(
    corpus: Callable[..., Path],
) -> None:
    qp18 = approved("GZDS-ITSMS-QP-18", "管理评审程序", clauses=["1"], records=["管理评审报告"])
    second = record("R-QP18-2026-02", date="2026-07-01")
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(qp18),
            "records/2026/R-QP18-2026-02.yml": front(second),
        }
    )
    leaves = _trace_leaves(root, "1")
    assert (
        leaves["1.1"]
        == leaves["1.2"]
        == {
            "R-QP18-2026-01": "unattributed",
            "R-QP18-2026-02": "unattributed",
        }
    )
    assert [f for f in findings(root) if f[0] == "unattributed-evidence"] == [
        ("unattributed-evidence", "procedures/GZDS-ITSMS-QP-18.md", 14)
    ]


def test_record_type_clauses_must_exist(corpus: Callable[..., Path]) -> None:
    types = [{"type": "服务级别评审记录", "clauses": {"mini:2024": ["2", "9.9"]}}]
    root = corpus({"procedures/GZDS-ITSMS-QP-10.md": _qp10(types)})
    assert [f for f in findings(root) if f[0] == "unknown-clause"] == [
        ("unknown-clause", "procedures/GZDS-ITSMS-QP-10.md", 19)
    ]


def test_coverage_and_audit_pack_carry_the_cadence(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    present = [m for m in MONTHS if m not in ("2026-03", "2026-08")]
    root = _reporting_repo(corpus, present)
    out = run("coverage", "--root", str(root), "--as-of", AFTER, "--format", "json").output
    (row,) = [r for r in json.loads(out)["rows"] if r["clause"] == "6.2"]
    assert row["cadence"] == "10/12"
    assert row["gaps"] == ["2026-03 月度服务报告", "2026-08 月度服务报告"]
    csv_text = run("coverage", "--root", str(root), "--as-of", AFTER, "--format", "csv").output
    assert "2026-03 月度服务报告" in csv_text

    pack = tmp_path / "pack.zip"
    args = ["--root", str(root), "--as-of", AFTER, "--period", "2025-12-01..2026-11-30"]
    assert run("audit-pack", *args, "--out", str(pack)).exit_code in (0, 1)
    with zipfile.ZipFile(pack) as z:
        book = load_workbook(io.BytesIO(z.read("spreadsheets/coverage.xlsx")))
    sheet = book.worksheets[1]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if "GZDS-ITSMS-QP-06" in r)
    assert values[header][:6] == ["GZDS-ITSMS-QP-06", "月度服务报告", "每月", 3, 12, 10]


def test_portal_trace_shows_why_and_the_period_row(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    present = [m for m in MONTHS if m not in ("2026-03", "2026-08")]
    root = _reporting_repo(corpus, present)
    site = tmp_path / "site"
    run("build", "--root", str(root), "--as-of", AFTER, "--site-dir", str(site))
    for page in ("clauses/6.2/index.html", "procedures/GZDS-ITSMS-QP-06/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        block = html[html.index('<div class="itsms-cadence">') :]
        block = block[: block.index("</div>")]
        assert re.findall(r"<th>([^<]+)</th>", block) == MONTHS
        cells = re.findall(r"<td>(.*?)</td>", block)
        missing = '<span class="itsms-badge itsms-badge--bad">缺失</span>'  # a word, no emoji
        assert [c for c in cells if "缺失" in c] == [missing, missing]
        assert cells.index(missing) == MONTHS.index("2026-03")
        assert "10/12 期齐全；缺失 2 期" in html
    trace = (site / "clauses/6.2/index.html").read_text(encoding="utf-8")
    assert "<th>计入依据</th>" in trace and trace.count("<td>记录类型声明的条款</td>") == 10
    console = (site / "console/index.html").read_text(encoding="utf-8")
    assert "2026-03 月度服务报告缺失" in console and "2026-08 月度服务报告缺失" in console
    doc = (site / "procedures/GZDS-ITSMS-QP-06/index.html").read_text(encoding="utf-8")
    assert "<th>证明条款</th>" in doc and doc.count("<td>6.2（记录类型声明的条款）</td>") == 10


def _shipped(tmp_path: Path, standard: str) -> Path:
    """The shipped repository judged against ``standard`` (a copy; mkdocs.yml rewritten)."""
    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / standard.replace(":", "-")
    for name in ("content", "procedures", "records"):
        shutil.copytree(repo / name, root / name)
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"standard: \S+", f"standard: {standard}", text, count=1)
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("standard", "policy", "bcm"),
    [
        ("iso20000-1:2011", "6.6.1", ("6.3.1", "6.3.2", "6.3.3")),
        ("iso20000-1:2018", "8.7.3.1", ("8.7.1", "8.7.2")),
    ],
)
def test_shipped_records_evidence_only_what_they_are_about(
    tmp_path: Path, standard: str, policy: str, bcm: tuple[str, ...]
) -> None:
    root = _shipped(tmp_path, standard)
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").output
    )
    assert [f for f in data["findings"] if f["rule"] == "evidence-gap"] == []
    assert [f for f in data["findings"] if f["rule"] == "unattributed-evidence"] == []
    assert [f for f in data["findings"] if f["rule"] == "retention-mismatch"] == []

    def records(clause: str) -> dict[str, str]:
        out = run("trace", clause, "--root", str(root), "--as-of", AS_OF, "--format", "json")
        (leaf,) = json.loads(out.output)["leaves"]
        return {r["id"]: r["type"] for r in leaf["records"]}

    policy_records = records(policy)
    assert policy_records  # the security policy is evidenced ...
    assert not any("事件" in t for t in policy_records.values())  # ... by no incident record
    sets = [frozenset(records(c)) for c in bcm]
    assert all(sets) and len(set(sets)) == len(sets)


def test_shipped_records_have_local_hashed_evidence_for_at_least_half() -> None:
    repo = Path(__file__).resolve().parent.parent
    recs = [p for p in (repo / "records").rglob("R-*") if p.suffix in (".yml", ".md")]
    local = [
        p
        for p in recs
        if re.search(
            r"^evidence: files/.*\nsha256: [0-9a-f]{64}$", p.read_text(encoding="utf-8"), re.M
        )
    ]
    assert len(local) * 2 >= len(recs)


def test_weekly_and_quarterly_periods_at_the_edges_of_the_audit_period(
    corpus: Callable[..., Path],
) -> None:
    # audit period 2025-11-28..2026-11-27 (the 12 months up to the as-of date)
    types = [
        {"type": "周例会纪要", "clauses": ["2"], "every": "week", "retention_years": 3},
        {"type": "季度评审记录", "clauses": ["2"], "every": "quarter", "retention_years": 3},
    ]
    files: dict[str, str | bytes] = {"procedures/GZDS-ITSMS-QP-10.md": _qp10(types)}
    day = dt.date(2025, 12, 3)  # the Wednesday of 2025-W49, the first whole week
    while day <= dt.date(2026, 11, 18):
        if day != dt.date(2026, 3, 4):  # 2026-W10 has no minutes
            rid = f"R-W-{day.isoformat()}"
            fields = record(rid, type="周例会纪要", procedure="GZDS-ITSMS-QP-10", date=day)
            files[f"records/w/{rid}.yml"] = front({**fields, "date": day.isoformat()})
        day += dt.timedelta(days=7)
    for rid, date in (("R-Q1", "2026-03-20"), ("R-Q3", "2026-09-18")):
        fields = record(rid, type="季度评审记录", procedure="GZDS-ITSMS-QP-10", date=date)
        files[f"records/q/{rid}.yml"] = front(fields)
    root = corpus(files)
    _, data = check_json(root)
    gaps = [f["message"].split(" ")[0] for f in data["findings"] if f["rule"] == "evidence-gap"]
    # 2025-W48 and 2025-Q4 begin before the period, 2026-W48 and 2026-Q4 are still running
    assert gaps == ["2026-W10", "2026-Q2"]
    out = run("trace", "2", "--root", str(root), "--as-of", AS_OF, "--format", "json").output
    rows = {c["type"]: c for c in json.loads(out)["leaves"][0]["cadences"]}
    weeks = rows["周例会纪要"]["periods"]
    assert (weeks[0]["period"], weeks[0]["state"]) == ("2025-W48", "partial")
    assert (weeks[-1]["period"], weeks[-1]["state"]) == ("2026-W48", "partial")
    assert rows["周例会纪要"]["due"] == 51
    quarters = [(p["period"], p["state"]) for p in rows["季度评审记录"]["periods"]]
    assert quarters == [
        ("2025-Q4", "partial"),
        ("2026-Q1", "present"),
        ("2026-Q2", "missing"),
        ("2026-Q3", "present"),
        ("2026-Q4", "partial"),
    ]


_KEYS = st.sampled_from(["type", "clauses", "every", "retention_years", "owner"])
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["月度服务报告", "month", "week", "event", "2", "1.1", "9.9", "2026-13-01"]),
    st.lists(st.sampled_from(["1", "1.1", "2", "x", ""]), max_size=3),
    st.dictionaries(st.sampled_from(["mini:2024", "other:1"]), st.lists(st.text(max_size=4))),
    st.text(max_size=8),
)
_ITEMS = st.lists(
    st.one_of(st.text(max_size=8), st.dictionaries(_KEYS, _VALUES, max_size=5), _VALUES),
    max_size=4,
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=_ITEMS, rec_type=_VALUES, rec_date=_VALUES)
def test_any_record_type_declaration_is_only_ever_findings(
    tmp_path_factory: pytest.TempPathFactory,
    items: list[object],
    rec_type: object,
    rec_date: object,
) -> None:
    files = dict(clean_files())
    files["procedures/GZDS-ITSMS-QP-10.md"] = _qp10(items) if items else _qp10(["x"])
    files["records/2026/R-FUZZ.yml"] = yaml.safe_dump(
        record("R-FUZZ", type=rec_type, date=rec_date, procedure="GZDS-ITSMS-QP-10"),
        allow_unicode=True,
    )
    root = write_files(tmp_path_factory.mktemp("fuzz"), dict(files))
    for args in (
        ("check",),
        ("trace", "GZDS-ITSMS-QP-10", "--format", "json"),
        ("trace", "2"),
        ("coverage", "--format", "json"),
    ):
        result = run(*args, "--root", str(root), "--as-of", AS_OF)
        assert result.exit_code in (0, 1), result.output


def test_a_record_whose_evidence_is_altered_fills_no_period(corpus: Callable[..., Path]) -> None:
    root = _reporting_repo(corpus, MONTHS)
    path = root / "records/R-QP06-2026-04.yml"
    fields = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields.update(evidence="files/2026-04.md", sha256="0" * 64)
    path.write_text(front(fields), encoding="utf-8")
    write_files(root, {"records/files/2026-04.md": "# 2026年4月月度服务报告\n"})
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AFTER, "--format", "json").output
    )
    gaps = [f["message"][:7] for f in data["findings"] if f["rule"] == "evidence-gap"]
    assert gaps == ["2026-04"]
