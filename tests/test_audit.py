"""The auditor's desk: trace, the three views in every format, the audit pack."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from generator.auditpack import verify

from .conftest import AS_OF, approved, doc_text, front, record, run

SECRET = approved("GZDS-ITSMS-QP-40", "保密预案", classification="confidential", clauses=["1.1"])
FORMULA = approved(
    "GZDS-ITSMS-QP-41", '=HYPERLINK("http://x","点我")', clauses=["1.2"], owner="staff"
)


@pytest.fixture
def repo(corpus: Callable[..., Path]) -> Path:
    evidence = "会议纪要\n".encode()
    return corpus(
        {
            "procedures/GZDS-ITSMS-QP-40.md": doc_text(SECRET),
            "procedures/GZDS-ITSMS-QP-41.md": doc_text(FORMULA),
            "records/files/mr.md": evidence,
            "records/2026/R-QP18-2026-02.yml": front(
                record(
                    "R-QP18-2026-02",
                    date="2026-09-10",
                    evidence="files/mr.md",
                    sha256=hashlib.sha256(evidence).hexdigest(),
                )
            ),
            "records/2024/R-QP18-2024-01.yml": front(record("R-QP18-2024-01", date="2024-05-01")),
            "records/files/secret.md": "机密证据\n",
            "records/2026/R-QP40-2026-01.yml": front(
                record(
                    "R-QP40-2026-01",
                    procedure="GZDS-ITSMS-QP-40",
                    date="2026-08-01",
                    evidence="files/secret.md",
                    classification="confidential",
                )
            ),
        }
    )


def invoke(root: Path, *args: str) -> str:
    result = run(*args, "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_trace_a_leaf_clause(repo: Path) -> None:
    public = json.loads(invoke(repo, "trace", "1.1", "--format", "json"))
    (leaf,) = public["leaves"]  # what the portal publishes: nothing confidential
    assert [d["id"] for d in leaf["documents"]] == ["GZDS-ITSMS-QP-18"]
    assert [r["id"] for r in leaf["records"]] == ["R-QP18-2026-02", "R-QP18-2026-01"]
    data = json.loads(invoke(repo, "trace", "1.1", "--format", "json", "--include-confidential"))
    assert data["kind"] == "clause" and data["period"] == "2025-11-28..2026-11-27"
    (leaf,) = data["leaves"]
    assert [d["id"] for d in leaf["documents"]] == ["GZDS-ITSMS-QP-18", "GZDS-ITSMS-QP-40"]
    ids = [r["id"] for r in leaf["records"]]
    assert ids == ["R-QP18-2026-02", "R-QP40-2026-01", "R-QP18-2026-01"]  # newest first
    assert "R-QP18-2024-01" not in ids  # outside the period
    assert leaf["records"][0]["hash"] == "ok" and leaf["records"][0]["date"] == "2026-09-10"
    text = invoke(repo, "trace", "1.1")
    assert "GZDS-ITSMS-QP-18 《管理评审程序》 1.0 已批准" in text
    assert "2026-09-10  R-QP18-2026-02" in text and "sha256 一致" in text


def test_trace_a_parent_clause_and_gaps(repo: Path) -> None:
    (repo / "records/2026/R-QP10-2026-01.yml").unlink()
    data = json.loads(invoke(repo, "trace", "1", "--format", "json"))
    assert [leaf["clause"] for leaf in data["leaves"]] == ["1.1", "1.2"]
    text = invoke(repo, "trace", "2")
    assert "没有证据" in text  # QP-10 meets 2, no record evidences it
    period = json.loads(
        invoke(repo, "trace", "1.1", "--format", "json", "--period", "2024-01-01..2024-12-31")
    )
    # in that period, but made before QP-18 was first approved (2026-03-01): not evidence
    assert [r["id"] for r in period["leaves"][0]["records"]] == []
    assert [r["id"] for r in period["leaves"][0]["rejected"]] == ["R-QP18-2024-01"]


def test_trace_a_document(repo: Path) -> None:
    data = json.loads(invoke(repo, "trace", "GZDS-ITSMS-QP-10", "--format", "json"))
    assert data["kind"] == "document" and data["clauses"][0]["clause"] == "2"
    assert [r["id"] for r in data["records"]] == ["R-QP10-2026-01"]
    assert data["references"] == ["GZDS-ITSMS-QP-18"]
    back = json.loads(invoke(repo, "trace", "GZDS-ITSMS-QP-18", "--format", "json"))
    assert back["referenced_by"] == ["GZDS-ITSMS-QP-10"]
    unknown = run("trace", "9.9.9", "--root", str(repo), "--as-of", AS_OF)
    assert unknown.exit_code == 2


def test_coverage_csv_and_json_cell_by_cell(repo: Path) -> None:
    public = run("coverage", "--root", str(repo), "--as-of", AS_OF, "--format", "csv").stdout
    assert "GZDS-ITSMS-QP-40" not in public  # what the portal publishes: nothing confidential
    raw = run(
        "coverage",
        "--root",
        str(repo),
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "--include-confidential",
    ).stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "条款",
        "标题",
        "文件",
        "满足它的保密文件数",
        "覆盖",
        "删减",
        "审核期内记录数",
        "审核期内记录编号",
        "不计为证据",
        "最近记录",
        "有证据",
        "周期记录（齐全/应有）",
        "缺失的期间",
    ]
    assert rows[1] == [
        "1.1",
        "评审",
        "GZDS-ITSMS-QP-18 管理评审程序; GZDS-ITSMS-QP-40 保密预案",
        "0",
        "是",
        "",
        "3",
        "R-QP18-2026-01; R-QP18-2026-02; R-QP40-2026-01",
        "0",
        "2026-09-10",
        "是",
        "",
        "",
    ]
    data = json.loads(invoke(repo, "coverage", "--format", "json"))
    assert data["rows"][2] == {
        "clause": "2",
        "title": "服务级别",
        "documents": [{"id": "GZDS-ITSMS-QP-10", "title": "服务级别管理程序"}],
        "confidential": 0,
        "covered": True,
        "excluded": None,
        "records": 1,
        "record_ids": ["R-QP10-2026-01"],
        "rejected": 0,
        "latest": "2026-06-01",
        "evidenced": True,
        "cadence": None,
        "gaps": [],
    }


def test_register_xlsx(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "register.xlsx"
    invoke(repo, "register", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    sheet = book["文件清单"]
    header = [c.value for c in sheet[7]]
    assert header == [
        "文件编号",
        "标题",
        "类型",
        "版本",
        "状态",
        "责任角色",
        "批准",
        "批准日期",
        "生效日期",
        "下次评审",
        "密级",
    ]
    assert all(c.font.bold for c in sheet[7])
    assert sheet.freeze_panes == "A8" and sheet.auto_filter.ref == "A7:K10"  # QP-40: secret
    row = [c.value for c in sheet[8]]
    assert row[:6] == ["GZDS-ITSMS-QP-10", "服务级别管理程序", "程序", "1.0", "已批准", "服务经理"]
    assert row[7] == dt.datetime(2026, 3, 1)  # a date, not text
    assert sheet["H8"].number_format == "yyyy-mm-dd"
    formula = sheet["B10"]
    assert formula.value == '=HYPERLINK("http://x","点我")' and formula.data_type == "s"
    assert sheet.column_dimensions["B"].width >= 16


def test_csv_never_starts_a_formula(repo: Path) -> None:
    raw = run("register", "--root", str(repo), "--as-of", AS_OF, "--format", "csv").stdout
    assert "'=HYPERLINK" in raw


def test_matrix_tables(repo: Path, tmp_path: Path) -> None:
    data = json.loads(invoke(repo, "matrix", "--format", "json"))
    processes, activities = data["tables"]
    assert [c["key"] for c in processes["columns"]] == ["role", "role_id", "GZDS-ITSMS-QP-10"]
    assert {r["role_id"]: r["GZDS-ITSMS-QP-10"] for r in processes["rows"]} == {
        "management-rep": "A",
        "service-manager": "R",
        "staff": "I",
    }
    assert activities["rows"] == [
        {
            "process": "GZDS-ITSMS-QP-10",
            "title": "服务级别管理程序",
            "activity": "评审服务级别",
            "management-rep": "A",
            "service-manager": "R",
            "staff": "I",
        }
    ]
    out = tmp_path / "matrix.xlsx"
    invoke(repo, "matrix", "--format", "xlsx", "--out", str(out))
    assert load_workbook(out).sheetnames == ["角色 × 过程", "角色 × 活动"]


def test_audit_pack(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.zip"
    result = run(
        "audit-pack",
        "--root",
        str(repo),
        "--as-of",
        AS_OF,
        "--period",
        "2025-12-01..2026-11-30",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert verify(out) == []
    with zipfile.ZipFile(out) as pack:
        names = set(pack.namelist())
        manifest = json.loads(pack.read("manifest.json"))
        assert manifest["period"] == {"from": "2025-12-01", "to": "2026-11-30"}
        assert manifest["as_of"] == "2026-11-30"  # the check as of the end of the period
        assert manifest["include_confidential"] is False
        for required in (
            "portal/index.html",
            "portal/search/search_index.js",
            "spreadsheets/coverage.xlsx",
            "spreadsheets/register.xlsx",
            "spreadsheets/matrix.xlsx",
            "check/report.json",
            "check/report.txt",
            "evidence/files/mr.md",
        ):
            assert required in names, required
        assert "evidence/files/secret.md" not in names
        report = json.loads(pack.read("check/report.json"))
        assert report["as_of"] == "2026-11-30"
        everything = b"".join(pack.read(n) for n in names if not n.endswith(".xlsx"))
        for name in names:
            if name.endswith(".xlsx"):
                book = load_workbook(io.BytesIO(pack.read(name)))
                everything += "".join(
                    str(c.value) for s in book for row in s.iter_rows() for c in row
                ).encode()
        for secret in ("保密预案", "机密证据", "R-QP40-2026-01", "GZDS-ITSMS-QP-40"):
            assert secret.encode() not in everything, secret
        for name in ("coverage", "register", "matrix"):
            book = load_workbook(io.BytesIO(pack.read(f"spreadsheets/{name}.xlsx")))
            assert_fileable(book, ("2025-12-01", "2026-11-30"), "2026-11-30")
        register = load_workbook(io.BytesIO(pack.read("spreadsheets/register.xlsx")))
        ids = [c.value for c in register.active["A"]][1:]
        assert "GZDS-ITSMS-QP-18" in ids

    # tampering is caught
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"x" if item.filename == "evidence/files/mr.md" else data)
    assert verify(tampered) == ["sha256 differs: evidence/files/mr.md"]


def test_audit_pack_with_confidential(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.zip"
    result = run(
        "audit-pack",
        "--root",
        str(repo),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--include-confidential",
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as pack:
        assert json.loads(pack.read("manifest.json"))["include_confidential"] is True
        assert "evidence/files/secret.md" in pack.namelist()
        portal = b"".join(pack.read(n) for n in pack.namelist() if n.startswith("portal/"))
        assert "保密预案".encode() not in portal  # the portal never publishes it


def assert_fileable(book: Workbook, period: tuple[str, str], as_of: str) -> None:
    """What an auditor files: standard, audit period, as-of date and generation time on top
    of every sheet and in the properties; landscape, fitted to width, header repeated."""
    start, end = (dt.datetime.fromisoformat(d) for d in period)
    for sheet in book:
        assert sheet["A1"].value == sheet.title
        assert [c.value for c in sheet[2]][:3] == ["标准", "迷你标准", "mini:2024"]
        assert [c.value for c in sheet[3]][:3] == ["审核期", start, end]
        assert [c.value for c in sheet[4]][:2] == ["截至日期", dt.datetime.fromisoformat(as_of)]
        assert sheet["A5"].value == "生成时间（UTC）"
        assert isinstance(sheet["B5"].value, dt.datetime)
        assert sheet.freeze_panes == "A8" and all(c.font.bold for c in sheet[7] if c.value)
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$7:$7"
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    props = book.properties
    assert props.subject == "迷你标准" and props.creator == "itsms"
    assert props.keywords == f"mini:2024; {period[0]}..{period[1]}; {as_of}"
    custom = {p.name: p.value for p in book.custom_doc_props.props}
    assert custom["standard"] == "mini:2024"
    assert custom["audit_period"] == f"{period[0]}..{period[1]}"
    assert custom["as_of"] == as_of
    assert custom["generated"] == sheet["B5"].value


@pytest.mark.parametrize("verb", ["coverage", "register", "matrix"])
def test_every_xlsx_can_be_filed(repo: Path, tmp_path: Path, verb: str) -> None:
    out = tmp_path / f"{verb}.xlsx"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    invoke(repo, verb, "--format", "xlsx", "--out", str(out), "--period", "2026-01-01..2026-11-27")
    assert out.stat().st_mode & 0o777 == 0o644
    book = load_workbook(out)
    assert_fileable(book, ("2026-01-01", "2026-11-27"), AS_OF)
    assert before <= book.active["B5"].value <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if verb == "coverage":
        sheet = book.active
        header = [c.value for c in sheet[7]]
        rows = {
            r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(8, values_only=True)
        }
        assert rows["2"]["文件"] == "GZDS-ITSMS-QP-10 服务级别管理程序"
        assert rows["2"]["审核期内记录编号"] == "R-QP10-2026-01"
        # the confidential R-QP40-2026-01 is left out by default
        assert rows["1.1"]["审核期内记录编号"] == "R-QP18-2026-01; R-QP18-2026-02"
        assert header[3] == "满足它的保密文件数" and len(header) == 13
        assert sheet.auto_filter.ref == f"A7:M{sheet.max_row}"
