"""Issue 12's leftovers (red-team items 5, 10, 11): a record's clauses kept within its
procedure's, evidence files without a sha256, one-line titles, the register's status of
an approval not yet in effect, and role ids in JSON. Each test fails before its fix."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.check import run_check
from generator.portal import PortalOptions, build_portal
from generator.settings import read_settings

from .conftest import AS_OF, approved, check_json, clean_files, doc_text, front, record, run
from .test_trust_redteam import commit, git


def _line(text: str, prefix: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(prefix))


def _coverage(root: Path) -> dict[str, dict[str, Any]]:
    out = run("coverage", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert out.exit_code == 0, out.output
    return {row["clause"]: row for row in json.loads(out.stdout)["rows"]}


def test_a_record_clause_beyond_its_procedure_is_reported_and_not_counted(
    corpus: Callable[..., Path],
) -> None:
    files: dict[str, str | bytes] = dict(clean_files())
    del files["records/2026/R-QP10-2026-01.yml"]  # clause 2 has no evidence of its own
    text = front(record("R-QP18-2026-09", clauses=["2", "1.1"]))
    files["records/2026/R-QP18-2026-09.yml"] = text
    root = corpus(files, base=False)
    _, data = check_json(root)
    outside = [f for f in data["findings"] if f["rule"] == "record-clause-outside"]
    assert [(f["file"], f["line"], f["severity"], f["id"]) for f in outside] == [
        ("records/2026/R-QP18-2026-09.yml", _line(text, "clauses:"), "warning", "R-QP18-2026-09")
    ]
    assert "2" in outside[0]["message"] and "GZDS-ITSMS-QP-18" in outside[0]["message"]
    rows = _coverage(root)
    assert rows["2"]["covered"] and not rows["2"]["evidenced"]  # QP-10 meets 2; no record
    assert "R-QP18-2026-09" not in rows["2"]["record_ids"]
    assert "R-QP18-2026-09" in rows["1.1"]["record_ids"]
    # the trace says so too: the record evidences 1.1 (and 1.2 by its type), never 2
    out = run(
        "trace", "GZDS-ITSMS-QP-18", "--root", str(root), "--as-of", AS_OF, "--format", "json"
    )
    recs = {r["id"]: r for r in json.loads(out.stdout)["records"]}
    assert recs["R-QP18-2026-09"]["why"]["clauses"] == ["1.1", "1.2"]
    out = run("trace", "2", "--root", str(root), "--as-of", AS_OF)
    assert "R-QP18-2026-09" not in out.output


def test_without_a_declaration_for_the_type_the_procedures_clauses_bound_the_record(
    corpus: Callable[..., Path],
) -> None:
    qp18 = approved("GZDS-ITSMS-QP-18", "管理评审程序", clauses=["1.1"], records=["管理评审报告"])
    text = front(record("R-QP18-2026-09", clauses=["1"]))
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(qp18),
            "records/2026/R-QP18-2026-09.yml": text,
        }
    )
    # clause 1 is a parent of 1.1, which the procedure meets: not outside, counted for 1.1 only
    _, data = check_json(root)
    assert [f["rule"] for f in data["findings"] if f["id"] == "R-QP18-2026-09"] == []
    rows = _coverage(root)
    assert "R-QP18-2026-09" in rows["1.1"]["record_ids"]
    assert "R-QP18-2026-09" not in rows["1.2"]["record_ids"]


def _trace_why(root: Path, doc_id: str, rec_id: str) -> dict[str, Any]:
    out = run("trace", doc_id, "--root", str(root), "--as-of", AS_OF, "--format", "json")
    why: dict[str, Any] = {r["id"]: r for r in json.loads(out.stdout)["records"]}[rec_id]["why"]
    return why


def test_a_parent_clause_of_what_the_type_declares_is_not_outside_and_counts_for_those_leaves(
    corpus: Callable[..., Path],
) -> None:
    """The type declares 1.1 and 2 is the procedure's too; the record names the parent 1: no
    record-clause-outside, and the rule, coverage and trace agree it evidences 1.1 only."""
    qp18 = approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        clauses=["1.1", "2"],
        records=[{"type": "管理评审报告", "clauses": ["1.1"]}],
    )
    text = front(record("R-QP18-2026-09", clauses=["1"]))
    root = corpus(
        {"procedures/GZDS-ITSMS-QP-18.md": doc_text(qp18), "records/2026/R-QP18-2026-09.yml": text}
    )
    _, data = check_json(root)
    assert [f for f in data["findings"] if f["rule"] == "record-clause-outside"] == []
    rows = _coverage(root)
    assert "R-QP18-2026-09" in rows["1.1"]["record_ids"]
    assert "R-QP18-2026-09" not in rows["1.2"]["record_ids"]
    assert "R-QP18-2026-09" not in rows["2"]["record_ids"]
    assert _trace_why(root, "GZDS-ITSMS-QP-18", "R-QP18-2026-09") == {
        "reasons": ["own"],
        "clauses": ["1.1"],
    }
    out = run("trace", "1.1", "--root", str(root), "--as-of", AS_OF)
    line = next(x for x in out.output.splitlines() if "R-QP18-2026-09" in x)
    assert line.endswith("(记录自身的条款)")


def test_a_record_whose_own_clauses_are_all_outside_counts_for_nothing(
    corpus: Callable[..., Path],
) -> None:
    """It claimed none of the clauses its type declares (1), so it does not fall back to
    them: the warning says it counts for nothing, and coverage and trace agree."""
    files: dict[str, str | bytes] = dict(clean_files())
    del files["records/2026/R-QP18-2026-01.yml"]
    text = front(record("R-QP18-2026-09", clauses=["2"]))
    files["records/2026/R-QP18-2026-09.yml"] = text
    root = corpus(files, base=False)
    _, data = check_json(root)
    outside = [f for f in data["findings"] if f["rule"] == "record-clause-outside"]
    assert [(f["id"], f["line"]) for f in outside] == [("R-QP18-2026-09", _line(text, "clauses:"))]
    assert "不计为任何条款的证据" in outside[0]["message"]
    out = run("check", "--root", str(root), "--as-of", AS_OF, "--lang", "en")
    assert "evidence for no clause at all" in out.output
    rows = _coverage(root)
    for clause in ("1.1", "1.2", "2"):
        assert "R-QP18-2026-09" not in rows[clause]["record_ids"]
    assert _trace_why(root, "GZDS-ITSMS-QP-18", "R-QP18-2026-09") == {"reasons": [], "clauses": []}


def test_the_shipped_records_stay_within_their_procedures() -> None:
    root = Path(__file__).resolve().parent.parent
    _, data = check_json(root)
    assert [f for f in data["findings"] if f["rule"] == "record-clause-outside"] == []
    assert data["summary"]["errors"] == 0 and data["summary"]["warnings"] == 0
    assert data["summary"]["coverage"] == {"leaf_clauses": 57, "covered": 57, "evidenced": 57}


REPORT = b"# 2026 \xe7\xae\xa1\xe7\x90\x86\xe8\xaf\x84\xe5\xae\xa1\xe6\x8a\xa5\xe5\x91\x8a\n"


def test_a_local_evidence_file_without_sha256_is_reported_with_the_value_to_record(
    corpus: Callable[..., Path],
) -> None:
    digest = hashlib.sha256(REPORT).hexdigest()
    # a hand-written record: a comment, CRLF line endings, no newline at the end
    text = (
        "id: R-QP18-2026-09\r\ntitle: 2026年管理评审报告  # 7 月\r\ntype: 管理评审报告\r\n"
        "procedure: GZDS-ITSMS-QP-18\r\ndate: 2026-07-02\r\nowner: management-rep\r\n"
        "evidence: files/mr.md\r\nretention_years: 3"
    )
    root = corpus({"records/files/mr.md": REPORT, "records/2026/R-QP18-2026-09.yml": text})
    _, data = check_json(root)
    found = [f for f in data["findings"] if f["id"] == "R-QP18-2026-09"]
    assert [(f["rule"], f["line"], f["severity"]) for f in found] == [
        ("unsealed-evidence", 7, "warning")
    ]
    assert "itsms seal-evidence R-QP18-2026-09" in found[0]["message"]
    assert f"sha256: {digest}" in found[0]["message"]
    # it still counts (neither missing nor altered), and the trace says it is unsealed
    assert "R-QP18-2026-09" in _coverage(root)["1.1"]["record_ids"]
    out = run("trace", "1.1", "--root", str(root), "--as-of", AS_OF)
    line = next(x for x in out.output.splitlines() if "R-QP18-2026-09" in x)
    assert "sha256 未记录" in line

    out = run("seal-evidence", "R-QP18-2026-09", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 0, out.output
    written = (root / "records/2026/R-QP18-2026-09.yml").read_bytes().decode("utf-8")
    assert written == text.replace(
        "evidence: files/mr.md\r\n", f"evidence: files/mr.md\r\nsha256: {digest}\r\n"
    )
    _, data = check_json(root)
    assert [f for f in data["findings"] if f["id"] == "R-QP18-2026-09"] == []
    # sealed: a later change is found, and seal-evidence will not hide it
    (root / "records/files/mr.md").write_bytes(REPORT + b"x")
    _, data = check_json(root)
    assert [f["rule"] for f in data["findings"] if f["id"] == "R-QP18-2026-09"] == [
        "evidence-hash-mismatch"
    ]
    out = run("seal-evidence", "--all", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 0 and "0" in out.output
    out = run("seal-evidence", "R-QP18-2026-09", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 1
    assert (root / "records/2026/R-QP18-2026-09.yml").read_bytes().decode("utf-8") == written


def test_seal_evidence_all_writes_only_unsealed_local_files_and_refuses_a_url(
    corpus: Callable[..., Path],
) -> None:
    md = "---\n" + front(record("R-QP18-2026-08", evidence="files/a.md")) + "---\n摘要。\n"
    root = corpus(
        {
            "records/files/a.md": REPORT,
            "records/files/b.md": REPORT + b"b",
            "records/2026/R-QP18-2026-08.md": md,
            "records/2026/R-QP18-2026-09.yml": front(
                record("R-QP18-2026-09", evidence="files/b.md")
            ),
            # a YAML record opening with a document start marker
            "records/2026/R-QP18-2026-07.yml": "---\n"
            + front(record("R-QP18-2026-07", evidence="files/a.md")),
        }
    )
    url = (root / "records/2026/R-QP18-2026-01.yml").read_bytes()
    out = run("seal-evidence", "R-QP18-2026-01", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 1 and "不是 records/ 下的本地文件" in out.output
    out = run("seal-evidence", "R-NONE", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 2
    out = run("seal-evidence", "--all", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 0, out.output
    assert (root / "records/2026/R-QP18-2026-01.yml").read_bytes() == url
    sealed = (root / "records/2026/R-QP18-2026-08.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(REPORT).hexdigest()
    assert sealed == md.replace(
        "evidence: files/a.md\n", f"evidence: files/a.md\nsha256: {digest}\n"
    )
    started = (root / "records/2026/R-QP18-2026-07.yml").read_text(encoding="utf-8")
    assert started.startswith("---\nid: R-QP18-2026-07\n")
    assert f"evidence: files/a.md\nsha256: {digest}\n" in started
    _, data = check_json(root)
    assert data["summary"]["warnings"] == 0 and data["summary"]["errors"] == 0


def test_a_title_of_several_lines_or_with_a_control_character_is_a_schema_finding(
    corpus: Callable[..., Path],
) -> None:
    qp18 = doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序"))
    multi = qp18.replace("title: 管理评审程序\n", "title: |\n  管理评审\n  程序\n")
    bell = front(record("R-QP18-2026-09")).replace("title: 2026年管理评审报告", 'title: "报告\\a"')
    folded = front(record("R-QP18-2026-08")).replace(
        "title: 2026年管理评审报告", "title: >-\n  2026年\n  管理评审报告"
    )  # folded into one line: fine
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": multi,
            "records/2026/R-QP18-2026-09.yml": bell,
            "records/2026/R-QP18-2026-08.yml": folded,
        }
    )
    _, data = check_json(root)
    schema = [
        (f["file"], f["line"], f["message"]) for f in data["findings"] if f["rule"] == "schema"
    ]
    assert [(f, line) for f, line, _ in schema] == [
        ("procedures/GZDS-ITSMS-QP-18.md", _line(multi, "title:")),
        ("records/2026/R-QP18-2026-09.yml", _line(bell, "title:")),
    ]
    for _, _, message in schema:
        assert message.startswith("title 含有换行符或控制字符；应为一行文字")
        assert "\n" not in message and "\a" not in message


def test_the_trace_names_the_check_error_that_keeps_a_record_out_and_shows_its_title_on_one_line(
    corpus: Callable[..., Path],
) -> None:
    """A record whose evidence matches its sha256 but whose title breaks the schema: the
    trace (text, json, portal page) says it is not counted for its check errors (the rule
    named), not for its evidence file; the text trace shows the title on one line."""
    text = front(
        record(
            "R-QP18-2026-09",
            title="多行\n标\t题",
            evidence="files/mr.md",
            sha256=hashlib.sha256(REPORT).hexdigest(),
        )
    )
    root = corpus({"records/files/mr.md": REPORT, "records/2026/R-QP18-2026-09.yml": text})
    _, data = check_json(root)
    assert [f["rule"] for f in data["findings"] if f["id"] == "R-QP18-2026-09"] == ["schema"]
    out = run("trace", "1.1", "--root", str(root), "--as-of", AS_OF)
    lines = out.output.splitlines()
    row = next(x for x in lines if "R-QP18-2026-09" in x)
    assert "  多行\\n标\\t题  [" in row
    assert row.endswith("sha256 一致  (记录有检查错误：schema)")
    assert lines[lines.index(row) - 1].strip() == "不计为证据（原因见各行）:"
    assert "证据文件缺失或与 sha256 不一致" not in out.output
    out = run("trace", "1.1", "--root", str(root), "--as-of", AS_OF, "--lang", "en")
    assert "(the record has check errors: schema)" in out.output
    out = run("trace", "1.1", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    (leaf,) = json.loads(out.stdout)["leaves"]
    assert [(r["id"], r["hash"], r["reason"], r["rules"]) for r in leaf["rejected"]] == [
        ("R-QP18-2026-09", "ok", "invalid", ["schema"])
    ]
    result = run_check(root, read_settings(root), dt.date.fromisoformat(AS_OF))
    portal = build_portal(result, PortalOptions(dt.date.fromisoformat(AS_OF)))
    pages = [p.expanded() for p in portal.pages if "不计为证据（原因见各行）" in p.expanded()]
    assert len(pages) == 2  # the trace pages of 1.1 and 1.2, the clauses of its type
    for page in pages:
        row = next(x for x in page.splitlines() if "R-QP18-2026-09" in x)
        assert "不计入的原因" in page and "记录有检查错误：schema" in row


def _raci(role: str = "service-manager") -> list[dict[str, Any]]:
    return [{"activity": "维护服务目录", "R": [role], "A": "management-rep", "C": [], "I": []}]


def _pending(corpus: Callable[..., Path]) -> Path:
    """QP-24 approved on 2026-11-20, in effect only from 2026-12-15 (after AS_OF), with no
    earlier version; QP-10 approved as 2.0 the same way, its 1.0 in effect (from git)."""
    pending = {"approved_on": "2026-11-20", "effective": "2026-12-15"}
    history = [{"version": "1.0", "date": "2026-11-20", "author": "李强", "approved_by": "王芳"}]
    qp24 = approved(
        "GZDS-ITSMS-QP-24",
        "服务目录管理程序",
        author="李强",
        owner="service-manager",
        clauses=["2"],
        records=[],
        raci=_raci(),
        history=history,
        **pending,
    )
    root = corpus({"procedures/GZDS-ITSMS-QP-24.md": doc_text(qp24)})
    git(root, "init", "-q")
    commit(root)
    qp10 = root / "procedures/GZDS-ITSMS-QP-10.md"
    meta = yaml.safe_load(qp10.read_text(encoding="utf-8").split("---\n")[1])
    meta.pop("fingerprint")
    history = [*meta["history"], {"version": "2.0", "date": "2026-11-20", "approved_by": "王芳"}]
    meta.update(version="2.0", history=history, raci=_raci("staff"), **pending)
    qp10.write_text(doc_text(meta), encoding="utf-8")
    commit(root)
    return root


def test_an_approval_not_yet_in_effect_is_never_presented_as_in_effect(
    corpus: Callable[..., Path],
) -> None:
    root = _pending(corpus)
    args = ("--root", str(root), "--as-of", AS_OF)
    rows = {
        r["id"]: r for r in json.loads(run("register", *args, "--format", "json").stdout)["rows"]
    }
    assert (rows["GZDS-ITSMS-QP-24"]["status"], rows["GZDS-ITSMS-QP-24"]["effective"]) == (
        "approved_pending",
        "2026-12-15",
    )
    # the version in force stays the earlier one
    assert (rows["GZDS-ITSMS-QP-10"]["version"], rows["GZDS-ITSMS-QP-10"]["status"]) == (
        "1.0",
        "approved",
    )
    csv = run("register", *args, "--format", "csv").stdout
    assert "GZDS-ITSMS-QP-24,服务目录管理程序,程序,1.0,已批准（待生效）," in csv
    table = run("register", *args).stdout
    assert "已批准（待生效）" in next(x for x in table.splitlines() if "QP-24" in x)
    result = run_check(root, read_settings(root), dt.date.fromisoformat(AS_OF))
    portal = build_portal(result, PortalOptions(dt.date.fromisoformat(AS_OF)))
    pages = {p.path: p.expanded() for p in portal.pages}
    row = next(r for r in pages["register.md"].split("<tr>") if "GZDS-ITSMS-QP-24" in r)
    assert "<td>已批准（待生效）</td>" in row and "<td>2026-12-15</td>" in row
    page = next(v for k, v in pages.items() if k.endswith("GZDS-ITSMS-QP-24.md"))
    assert "已批准（待生效）" in page
    out = run("trace", "GZDS-ITSMS-QP-24", *args, "--format", "json")
    assert json.loads(out.stdout)["status"] == "approved_pending"
    # the RACI matrices list only documents in effect: QP-10 1.0's RACI, not 2.0's nor QP-24's
    assert "GZDS-ITSMS-QP-24" not in pages["raci.md"]
    matrix = json.loads(run("matrix", *args, "--format", "json").stdout)
    processes = {r["process"] for r in matrix["tables"][1]["rows"]}
    assert processes == {"GZDS-ITSMS-QP-10"}
    assert {r["activity"] for r in matrix["tables"][1]["rows"]} == {"评审服务级别"}


def test_json_carries_role_ids_and_names_only_in_name_fields(
    corpus: Callable[..., Path],
) -> None:
    root = corpus()
    args = ("--root", str(root), "--as-of", AS_OF)
    rows = json.loads(run("register", *args, "--format", "json").stdout)["rows"]
    qp10 = next(r for r in rows if r["id"] == "GZDS-ITSMS-QP-10")
    assert (qp10["owner"], qp10["owner_name"]) == ("service-manager", "服务经理")
    # a reader's format shows the name where the id is
    csv = run("register", *args, "--format", "csv").stdout
    assert "GZDS-ITSMS-QP-10,服务级别管理程序,程序,1.0,已批准,服务经理," in csv
    matrix = json.loads(run("matrix", *args, "--format", "json").stdout)
    by_role = {r["role"]: r for r in matrix["tables"][0]["rows"]}
    assert set(by_role) == {"service-manager", "management-rep", "staff"}
    assert by_role["staff"]["role_name"] == "部门员工"
    assert by_role["management-rep"]["GZDS-ITSMS-QP-10"] == "A"
    out = run("trace", "GZDS-ITSMS-QP-10", *args, "--format", "json")
    data = json.loads(out.stdout)
    assert (data["owner"], data["owner_name"]) == ("service-manager", "服务经理")
    assert [(r["owner"], r["owner_name"]) for r in data["records"]] == [
        ("service-manager", "服务经理")
    ]
    out = run("trace", "GZDS-ITSMS-QP-10", *args)
    assert "[服务经理]" in out.output and "service-manager]" not in out.output


def test_a_records_clauses_are_bounded_by_its_procedure_in_force_on_its_date(
    corpus: Callable[..., Path],
) -> None:
    """QP-18 1.0 met clause 1 (1.1 and 1.2); 2.0, in effect from 2026-09-01, meets 1.1 only.
    A June record naming 1.2 is evidence for it; an October one is not."""
    v1 = approved("GZDS-ITSMS-QP-18", "管理评审程序", records=["管理评审报告"])
    june = front(record("R-QP18-2026-06", date="2026-06-01", clauses=["1.2"]))
    root = corpus({"procedures/GZDS-ITSMS-QP-18.md": doc_text(v1)})
    git(root, "init", "-q")
    commit(root)
    history = [*v1["history"], {"version": "2.0", "date": "2026-09-01", "approved_by": "王芳"}]
    v2 = {
        **v1,
        "version": "2.0",
        "clauses": ["1.1"],
        "approved_on": "2026-09-01",
        "effective": "2026-09-01",
        "history": history,
    }
    october = front(record("R-QP18-2026-10", date="2026-10-01", clauses=["1.2"]))
    (root / "procedures/GZDS-ITSMS-QP-18.md").write_text(doc_text(v2), encoding="utf-8")
    (root / "records/2026/R-QP18-2026-06.yml").write_text(june, encoding="utf-8")
    (root / "records/2026/R-QP18-2026-10.yml").write_text(october, encoding="utf-8")
    commit(root)
    _, data = check_json(root)
    outside = [f["id"] for f in data["findings"] if f["rule"] == "record-clause-outside"]
    assert outside == ["R-QP18-2026-10"]
    rows = _coverage(root)
    assert "R-QP18-2026-06" in rows["1.2"]["record_ids"]
    assert "R-QP18-2026-10" not in rows["1.2"]["record_ids"]
