"""What the red team found still untrue after issue 12 (trust), one test per finding:
each fails on the code before its fix. Corpora are the shipped content copied into a
fresh git repository in tmp_path, or small ones from conftest."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import AS_OF, front, record, run

REPO = Path(__file__).resolve().parent.parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "dc",
    "GIT_AUTHOR_EMAIL": "dc@example.org",
    "GIT_COMMITTER_NAME": "dc",
    "GIT_COMMITTER_EMAIL": "dc@example.org",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )


def commit(root: Path, message: str = "c") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The shipped content in a fresh one-commit git repository."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("content", "procedures", "records"):
        shutil.copytree(REPO / name, root / name)
    # judged against 2011: every shipped document cites both editions, and these cases
    # were written with the clauses of the red team's reports (6.4 budgeting, ...)
    settings = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    settings = settings.replace("standard: iso20000-1:2018", "standard: iso20000-1:2011")
    settings = re.sub(r"\n\s*transition_from:[^\n]*", "", settings)
    (root / "mkdocs.yml").write_text(settings, encoding="utf-8")
    git(root, "init", "-q")
    commit(root, "base")
    return root


def itsms(root: Path, *args: str) -> tuple[int, str]:
    out = run(*args, "--root", str(root), "--as-of", AS_OF)
    return out.exit_code, out.output


def check(root: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    out = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json", *extra)
    assert out.exit_code in (0, 1), out.output
    return out.exit_code, json.loads(out.stdout)


def rules(data: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(f["rule"] for f in data["findings"] if f["severity"] == "error")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def coverage_rows(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    out = run("coverage", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert out.exit_code == 0, out.output
    return {row["clause"]: row for row in json.loads(out.stdout)["rows"]}


QP20 = "procedures/GZDS-ITSMS-QP-20.md"


# --- 1. a draft revision's metadata is not the version in force ----------------------------


def test_a_draft_revisions_clauses_do_not_decide_what_records_prove(shipped: Path) -> None:
    assert itsms(shipped, "revise", "GZDS-ITSMS-QP-20", "--summary", "调整")[0] == 0
    old = 'clauses: {iso20000-1:2011: ["6.4"], iso20000-1:2018: ["8.4.1"]}\nrecords'
    edit(
        shipped / QP20,
        old,
        'clauses: {iso20000-1:2011: ["6.5"], iso20000-1:2018: ["8.4.1"]}\nrecords',
    )
    edit(shipped / QP20, "records:\n", "records:\n  - 草稿记录类型\n")
    commit(shipped)
    _, data = check(shipped)
    assert rules(data) == []
    assert not [f for f in data["findings"] if f["rule"] == "no-evidence"]
    rows = coverage_rows(shipped)
    assert rows["6.4"]["evidenced"] and rows["6.4"]["records"] > 0
    out = run("trace", "6.5", "--root", str(shipped), "--as-of", AS_OF, "--format", "json")
    assert "R-QP20" not in out.stdout
    # a record type declared only in the draft is not (yet) declared
    (shipped / "records/2026/R-DRAFT.yml").write_text(
        front(record("R-DRAFT", type="草稿记录类型", procedure="GZDS-ITSMS-QP-20")),
        encoding="utf-8",
    )
    _, data = check(shipped)
    assert [f["id"] for f in data["findings"] if f["rule"] == "unknown-record-type"] == ["R-DRAFT"]


def test_a_draft_revisions_title_is_not_what_citations_are_checked_against(
    shipped: Path,
) -> None:
    assert itsms(shipped, "revise", "GZDS-ITSMS-QP-20", "--summary", "改名")[0] == 0
    edit(shipped / QP20, "title: 服务预算与核算管理程序", "title: 服务财务管理程序")
    commit(shipped)
    code, data = check(shipped)
    assert [f for f in data["findings"] if f["rule"] == "citation-title-mismatch"] == []
    assert code == 0


# --- 3. invisible characters do not make another person ------------------------------------


@pytest.mark.parametrize(
    "mark", ["\ufe00", "\U000e0100", "\u034f", "\u3164", "\u115f", "\u2800", "\u180b"]
)
def test_invisible_characters_do_not_hide_self_approval(shipped: Path, mark: str) -> None:
    path = shipped / "procedures/GZDS-ITSMS-QP-24.md"
    before = path.read_bytes()
    code, out = itsms(shipped, "approve", "GZDS-ITSMS-QP-24", "--by", f"李强{mark}")
    assert code == 1 and "李强" in out
    assert path.read_bytes() == before


@pytest.mark.parametrize("mark", ["\u034f", "\ufe0f", "\u2800", "\u3164"])
def test_a_name_of_invisible_characters_is_no_name(shipped: Path, mark: str) -> None:
    code, _ = itsms(shipped, "approve", "GZDS-ITSMS-QP-24", "--by", mark)
    assert code == 2
    path = shipped / "procedures/GZDS-ITSMS-QP-18.md"
    edit(path, "approved_by: ", f'approved_by: "{mark}"\nx-was: ')
    _, data = check(shipped)
    assert "missing-approval" in rules(data)


def test_a_hand_written_approver_with_a_variation_selector_is_self_approval(
    shipped: Path,
) -> None:
    path = shipped / "procedures/GZDS-ITSMS-QP-18.md"
    text = path.read_text(encoding="utf-8")
    author = next(
        line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("author:")
    )
    edit(path, "approved_by: ", f'approved_by: "{author}\ufe00"\nx-was: ')
    _, data = check(shipped)
    assert "self-approval" in rules(data)


# --- 2. withdrawing mid-revision does not publish the draft ---------------------------------


def test_withdrawing_a_document_being_revised_is_refused(shipped: Path) -> None:
    assert itsms(shipped, "revise", "GZDS-ITSMS-QP-20", "--summary", "x")[0] == 0
    (shipped / QP20).write_text(
        (shipped / QP20).read_text(encoding="utf-8") + "\n草稿中新增的一句话。\n", encoding="utf-8"
    )
    commit(shipped)
    before = (shipped / QP20).read_bytes()
    code, out = itsms(shipped, "withdraw", "GZDS-ITSMS-QP-20", "--reason", "退役", "--force")
    assert code == 1 and "git checkout" in out
    assert (shipped / QP20).read_bytes() == before


def test_a_withdrawn_document_never_approved_is_not_published(
    corpus: Callable[..., Path],
) -> None:
    from generator.check import run_check
    from generator.scope import Scope
    from generator.settings import read_settings

    from .conftest import approved, doc_text

    draft = approved("GZDS-ITSMS-QP-30", "草稿程序", version="0.1", status="withdrawn")
    for key in ("approved_by", "approved_on", "effective"):
        draft.pop(key)
    draft["withdrawn_on"] = "2026-11-01"
    draft["withdrawn_reason"] = "取消"
    root = corpus(
        {"procedures/GZDS-ITSMS-QP-30.md": doc_text(draft, "## 1 目的\n\n未批准的文字。\n")}
    )
    import datetime as dt

    result = run_check(root, read_settings(root), dt.date.fromisoformat(AS_OF))
    assert "GZDS-ITSMS-QP-30" not in Scope(result).by_id
    out = run("register", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert "GZDS-ITSMS-QP-30" not in out.stdout


def test_a_withdrawn_documents_text_changed_after_approval_is_stale(shipped: Path) -> None:
    import yaml

    from generator import fingerprint
    from generator.load import split_front_matter

    path = shipped / "procedures/GZDS-ITSMS-WI-02.md"
    text = path.read_text(encoding="utf-8")
    front_text, body, _, _ = split_front_matter(text)
    sealed = fingerprint.compute(yaml.safe_load(front_text or ""), body)
    head, rest = text.split("\n---\n", 1)
    text = f"{head}\nfingerprint: {sealed}\n---\n{rest}"
    path.write_text(text, encoding="utf-8")
    assert "stale-approval" not in rules(check(shipped)[1])
    path.write_text(text + "\n作废后改动的文字。\n", encoding="utf-8")
    assert "stale-approval" in rules(check(shipped)[1])


# --- 4. the approval of every shipped document is sealed ------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("approved_by", "赵六"), ("approved_on", "2026-01-02"), ("effective", "2026-09-09")],
)
def test_the_shipped_approvals_cannot_be_changed_unnoticed(
    shipped: Path, field: str, value: str
) -> None:
    path = shipped / "procedures/GZDS-ITSMS-QP-18.md"
    line = next(
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith(f"{field}:")
    )
    edit(path, line + "\n", f"{field}: {value}\n")
    _, data = check(shipped)
    assert [f["id"] for f in data["findings"] if f["rule"] == "stale-approval"] == [
        "GZDS-ITSMS-QP-18"
    ]


def test_every_shipped_approval_carries_a_version_2_fingerprint() -> None:
    from generator.check import build_corpus
    from generator.load import load

    corpus = build_corpus(load(REPO), "iso20000-1:2011")
    sealed = [d for d in corpus.documents if d.approved_by]
    assert len(sealed) > 20
    assert [d.id for d in sealed if not (d.fingerprint or "").startswith("sha256v2:")] in (
        [],
        ["GZDS-ITSMS-WI-02"],  # withdrawn before fingerprints were written
    )


def test_a_version_1_fingerprint_is_a_warning_to_upgrade(corpus: Callable[..., Path]) -> None:
    import yaml

    from generator import fingerprint
    from generator.load import split_front_matter

    root = corpus()
    path = root / "procedures/GZDS-ITSMS-QP-18.md"
    text = path.read_text(encoding="utf-8")
    front_text, body, _, _ = split_front_matter(text)
    meta = yaml.safe_load(front_text or "")
    old = fingerprint.compute_v1(meta, body)
    path.write_text(text.replace(meta["fingerprint"], old), encoding="utf-8")
    code, data = check(root)
    found = [(f["rule"], f["severity"], f["id"]) for f in data["findings"]]
    assert found == [("legacy-fingerprint", "warning", "GZDS-ITSMS-QP-18")] and code == 0
    assert "itsms seal GZDS-ITSMS-QP-18" in data["findings"][0]["message"]
    assert fingerprint.upgrade(meta, body, old) == fingerprint.compute(meta, body)
    assert fingerprint.upgrade(meta, body + "改动", old) is None

    # `itsms seal` upgrades it: only the fingerprint line changes, and the warning is gone
    code, out = itsms(root, "seal", "GZDS-ITSMS-QP-18")
    assert code == 0, out
    assert path.read_text(encoding="utf-8") == text.replace(
        meta["fingerprint"], fingerprint.compute(meta, body)
    )
    code, data = check(root)
    assert data["findings"] == [] and code == 0


# --- 7. an approved version's text and history are never rewritten --------------------------


def test_re_approving_a_changed_document_is_refused(shipped: Path) -> None:
    path = shipped / "procedures/GZDS-ITSMS-QP-18.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n批准后加的一句。\n", encoding="utf-8")
    before = path.read_bytes()
    code, out = itsms(shipped, "approve", "GZDS-ITSMS-QP-18", "--by", "王芳", "--on", AS_OF)
    assert code == 1 and "itsms revise GZDS-ITSMS-QP-18" in out and "git checkout" in out
    assert path.read_bytes() == before


def test_a_version_approved_once_is_not_approved_again_under_review(shipped: Path) -> None:
    path = shipped / "procedures/GZDS-ITSMS-QP-18.md"
    text = path.read_text(encoding="utf-8")
    version = next(ln for ln in text.splitlines() if ln.startswith("version:"))
    author = next(ln for ln in text.splitlines() if ln.startswith("author:")).split(": ")[1]
    assert author != "王芳"
    for key in ("approved_by", "approved_on", "effective", "fingerprint"):
        text = re.sub(rf"^{key}:.*\n", "", text, count=1, flags=re.M)
    path.write_text(text.replace("status: approved", "status: review"), encoding="utf-8")
    before = path.read_bytes()
    code, out = itsms(shipped, "approve", "GZDS-ITSMS-QP-18", "--by", "王芳")
    assert code == 1 and version.split('"')[1] in out
    assert path.read_bytes() == before


# --- 8. no value makes a verb exit 2 ----------------------------------------------------------

VERBS = (
    ["check"],
    ["coverage", "--format", "json"],
    ["trace", "6.4"],
    ["register", "--format", "csv"],
)


@pytest.mark.parametrize(
    "fields",
    [
        {"retention_years": 9000},
        {"retention_years": 99999999999999999999},
        {"date": "9999-12-31"},
        {"evidence": "files/\0x"},
        {"evidence": "files/\0x", "date": "9999-12-31", "retention_years": 10**30},
    ],
)
def test_a_record_value_past_the_calendar_is_a_finding(shipped: Path, fields: dict) -> None:  # type: ignore[type-arg]
    rec = record("R-FZ", type="服务预算表", procedure="GZDS-ITSMS-QP-20", owner="finance")
    rec.update(fields)
    import yaml

    (shipped / "records/2026/R-FZ.yml").write_text(
        yaml.safe_dump(rec, allow_unicode=True), encoding="utf-8"
    )
    for args in VERBS:
        out = run(*args, "--root", str(shipped), "--as-of", AS_OF)
        assert out.exit_code in (0, 1), (args, out.output)
    _, data = check(shipped)
    assert [f["rule"] for f in data["findings"] if f["id"] == "R-FZ"]


@pytest.mark.parametrize("months", ["99999", "99999999999999999999999"])
def test_a_review_period_past_the_calendar_is_a_finding(shipped: Path, months: str) -> None:
    edit(shipped / QP20, "review_months: 12", f"review_months: {months}")
    for args in VERBS:
        out = run(*args, "--root", str(shipped), "--as-of", AS_OF)
        assert out.exit_code in (0, 1), (args, out.output)
    _, data = check(shipped)
    assert [f["rule"] for f in data["findings"] if f["severity"] == "error"] == ["schema"]


# --- 6. a clause covered by no shown document, a file that cannot be read ---------------------


def _portal(root: Path):  # type: ignore[no-untyped-def]
    import datetime as dt

    from generator.check import run_check
    from generator.portal import PortalOptions, build_portal
    from generator.settings import read_settings

    day = dt.date.fromisoformat(AS_OF)
    return build_portal(run_check(root, read_settings(root), day), PortalOptions(day))


def test_a_clause_met_only_by_a_confidential_replacement(shipped: Path) -> None:
    qp02 = (shipped / "procedures/GZDS-ITSMS-QP-02.md").read_text(encoding="utf-8")
    body = qp02.split("\n---\n", 1)[1]
    secret = {
        "id": "GZDS-ITSMS-QP-97",
        "title": "秘密问题程序",
        "type": "procedure",
        "version": "0.1",
        "status": "review",
        "owner": "service-manager",
        "author": "李强",
        "classification": "confidential",
        "clauses": ["8.2"],
        "history": [],
    }
    (shipped / "procedures/GZDS-ITSMS-QP-97.md").write_text(
        f"---\n{front(secret)}---\n{body}", encoding="utf-8"
    )
    assert (
        itsms(shipped, "approve", "GZDS-ITSMS-QP-97", "--by", "王芳", "--on", "2026-11-01")[0] == 0
    )
    args = ("supersede", "GZDS-ITSMS-QP-02", "--by", "GZDS-ITSMS-QP-97", "--on", "2026-11-02")
    assert itsms(shipped, *args)[0] == 0
    row = coverage_rows(shipped)["8.2"]
    assert (row["documents"], row["confidential"], row["covered"]) == ([], 1, True)
    code, text = itsms(shipped, "trace", "8.2")
    assert code == 0 and "保密文件" in text and "未覆盖" not in text
    data = json.loads(
        run("trace", "8.2", "--root", str(shipped), "--as-of", AS_OF, "--format", "json").stdout
    )
    assert data["leaves"][0]["covered"] and data["leaves"][0]["confidential"] == 1
    portal = _portal(shipped)
    pages = {p.path: p.markdown for p in portal.pages}
    assert not [p for p, text in pages.items() if "QP-97" in text or "秘密问题" in text]
    clause_page = next(text for p, text in pages.items() if p.endswith("8.2.md"))
    assert "未覆盖" not in clause_page and "保密文件" in clause_page


def test_a_sole_document_that_cannot_be_read_does_not_cover_its_clause(shipped: Path) -> None:
    edit(shipped / QP20, "title: 服务预算与核算管理程序", "title: [服务预算")
    _, data = check(shipped)
    assert data["summary"]["coverage"]["covered"] == data["summary"]["coverage"]["leaf_clauses"] - 1
    # no cascade: the file's own yaml-syntax error is the one finding
    assert rules(data) == ["yaml-syntax"]
    row = coverage_rows(shipped)["6.4"]
    assert (row["covered"], row["evidenced"]) == (False, False)
    code, text = itsms(shipped, "trace", "6.4")
    assert "未覆盖" in text


# --- 5. which records count as evidence ------------------------------------------------------


def _without_64_records(root: Path) -> None:
    git(root, "rm", "-q", "records/2026/R-QP20-2026-01.yml", "records/2025/R-QP20-2025-01.md")
    assert not coverage_rows(root)["6.4"]["evidenced"]


@pytest.mark.parametrize(
    "fields",
    [
        # its procedure withdrawn before the record's date
        {"procedure": "GZDS-ITSMS-WI-02", "type": "磁带备份登记表", "date": "2026-10-01"},
        # its procedure never approved (under review)
        {"procedure": "GZDS-ITSMS-QP-24", "type": "服务目录"},
        # its procedure superseded (by hand, without the date) long before
        {"procedure": "GZDS-ITSMS-QP-26", "type": "故障处理单"},
        # a type its procedure does not declare (another procedure does)
        {"procedure": "GZDS-ITSMS-QP-20", "type": "事件记录"},
        # no evidence named, or an empty one (a schema error)
        {"procedure": "GZDS-ITSMS-QP-20", "type": "服务预算表", "evidence": None},
        {"procedure": "GZDS-ITSMS-QP-20", "type": "服务预算表", "evidence": ""},
    ],
)
def test_a_record_that_proves_nothing_is_not_evidence(shipped: Path, fields: dict) -> None:  # type: ignore[type-arg]
    _without_64_records(shipped)
    rec = record("R-X", owner="finance", clauses=["6.4"], date="2026-10-01")
    rec.update(fields)
    rec = {k: v for k, v in rec.items() if v is not None}
    (shipped / "records/2026/R-X.yml").write_text(front(rec), encoding="utf-8")
    row = coverage_rows(shipped)["6.4"]
    assert (row["records"], row["evidenced"]) == (0, False), row


def test_a_record_of_a_procedure_in_force_on_its_date_is_evidence(shipped: Path) -> None:
    _without_64_records(shipped)
    rec = record(
        "R-X", owner="finance", procedure="GZDS-ITSMS-QP-20", type="服务预算表", date="2026-10-01"
    )
    (shipped / "records/2026/R-X.yml").write_text(front(rec), encoding="utf-8")
    assert coverage_rows(shipped)["6.4"]["evidenced"]


def test_a_record_made_before_its_procedure_took_effect_is_not_evidence(
    corpus: Callable[..., Path],
) -> None:
    """Approved on 2026-03-01 (its history row), in effect from 2026-03-05: a record of
    the days between proves nothing, one of the day it took effect does."""
    import datetime as dt

    from generator.check import run_check
    from generator.settings import read_settings

    early = record("R-QP18-2026-01", date="2026-03-03")
    on_time = record("R-QP18-2026-02", date="2026-03-05")
    root = corpus(
        {
            "records/2026/R-QP18-2026-01.yml": front(early),
            "records/2026/R-QP18-2026-02.yml": front(on_time),
        }
    )
    result = run_check(root, read_settings(root), dt.date.fromisoformat(AS_OF))
    why = {r.id: result.coverage.refusals.get(id(r)) for r in result.corpus.records}
    assert why["R-QP18-2026-01"] == "not-in-force" and why["R-QP18-2026-02"] is None
    trace = json.loads(
        run("trace", "1.1", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    counted = [r["id"] for leaf in trace["leaves"] for r in leaf["records"]]
    assert "R-QP18-2026-02" in counted and "R-QP18-2026-01" not in counted


def test_a_type_its_procedure_does_not_declare_is_reported(shipped: Path) -> None:
    rec = record("R-X", owner="finance", procedure="GZDS-ITSMS-QP-20", type="事件记录")
    (shipped / "records/2026/R-X.yml").write_text(front(rec), encoding="utf-8")
    _, data = check(shipped)
    assert [f["id"] for f in data["findings"] if f["rule"] == "unknown-record-type"] == ["R-X"]


# --- 10. backdated approvals; approvals not yet in effect --------------------------------------


def test_an_approval_dated_before_the_documents_history_is_refused(shipped: Path) -> None:
    path = shipped / "procedures/GZDS-ITSMS-QP-18.md"
    last = max(re.findall(r"^    date: (\d{4}-\d\d-\d\d)$", path.read_text(encoding="utf-8"), re.M))
    assert itsms(shipped, "revise", "GZDS-ITSMS-QP-18", "--summary", "补充")[0] == 0
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    assert itsms(shipped, "submit", "GZDS-ITSMS-QP-18")[0] == 0
    before = path.read_bytes()
    code, out = itsms(shipped, "approve", "GZDS-ITSMS-QP-18", "--by", "王芳", "--on", "2026-01-01")
    assert code == 2 and "2026-01-01" in out and last in out
    assert path.read_bytes() == before
    code, out = itsms(shipped, "approve", "GZDS-ITSMS-QP-18", "--by", "王芳", "--on", "2026-11-20")
    assert code == 0, out


def test_a_process_not_yet_in_effect_is_in_no_raci_matrix(corpus: Callable[..., Path]) -> None:
    from .conftest import approved, doc_text

    raci = [{"activity": "未来的活动", "R": ["staff"], "A": "top-management"}]
    later = approved("GZDS-ITSMS-QP-19", "新程序", effective="2026-12-15", raci=raci)
    root = corpus({"procedures/GZDS-ITSMS-QP-19.md": doc_text(later)})
    out = run("matrix", "--root", str(root), "--as-of", AS_OF, "--format", "csv")
    assert out.exit_code == 0 and "GZDS-ITSMS-QP-10" in out.stdout
    assert "GZDS-ITSMS-QP-19" not in out.stdout
    out = run("matrix", "--root", str(root), "--as-of", "2026-12-15", "--format", "csv")
    assert "GZDS-ITSMS-QP-19" in out.stdout
    pages = {p.path: p.markdown for p in _portal(root).pages}
    raci_pages = [text for p, text in pages.items() if "raci" in p or "matrix" in p]
    assert raci_pages and not [t for t in raci_pages if "未来的活动" in t]


# --- 11. trace takes what a person types ------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["６.４", "6.4\u200b", "GZDS-ITSMS-QP-\u200b20", "ＧＺＤＳ-ITSMS-QP-20"]
)
def test_trace_normalises_its_argument(shipped: Path, target: str) -> None:
    code, out = itsms(shipped, "trace", target)
    assert code == 0, out
    assert "GZDS-ITSMS-QP-20" in out


@pytest.mark.parametrize(
    ("evidence", "key"),
    [("files", "文件夹"), ("file:///etc/passwd", "records/ 之外")],
)
def test_a_folder_or_a_file_url_is_no_evidence(shipped: Path, evidence: str, key: str) -> None:
    _without_64_records(shipped)
    rec = record(
        "R-X", owner="finance", procedure="GZDS-ITSMS-QP-20", type="服务预算表", evidence=evidence
    )
    (shipped / "records/2026/R-X.yml").write_text(front(rec), encoding="utf-8")
    _, data = check(shipped)
    found = [f for f in data["findings"] if f["rule"] == "missing-evidence-file"]
    assert [f["id"] for f in found] == ["R-X"] and key in found[0]["message"]
    assert not coverage_rows(shipped)["6.4"]["evidenced"]


def test_a_replacement_with_a_stale_approval_replaces_nothing(shipped: Path) -> None:
    path = shipped / "procedures/GZDS-ITSMS-QP-18.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n批准后改动。\n", encoding="utf-8")
    old = shipped / "procedures/GZDS-ITSMS-QP-17.md"
    before = old.read_bytes()
    args = ("supersede", "GZDS-ITSMS-QP-17", "--by", "GZDS-ITSMS-QP-18", "--force")
    code, out = itsms(shipped, *args)
    assert code == 1 and "stale-approval" in out
    assert old.read_bytes() == before
