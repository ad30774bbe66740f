"""Issue 12: the portal, the check and every export state only what is true.
One rule registry; evidence that is missing or altered is no evidence."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

from generator.check import run_check
from generator.i18n import text
from generator.portal import PortalOptions, build_portal
from generator.portal.overview import DASHBOARD_RULES
from generator.rules import APPROVAL_STATE, BLOCKING, RULES, Category
from generator.scope import Scope
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

    assert (
        INTEGRITY_RULES
        == BLOCKING
        == {c for c, r in RULES.items() if r.category is Category.BLOCKING}
    )
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
    assert rows["1.1"]["rejected"] == 1  # the coverage says why
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
    console = next(p.expanded() for p in portal.pages if p.path == "console.md")
    assert "证据文件与校验值不符（1）" in console  # in words, not the rule code
    assert '<span class="itsms-stat__value">1 / 3<span class="itsms-stat__short">' in console


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


# --- lifecycle (item 1) ------------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _itsms(root: Path, *args: str) -> tuple[int, str]:
    out = run(*args, "--root", str(root), "--as-of", AS_OF)
    return out.exit_code, out.output


def _draft(doc_id: str, **extra: object) -> dict[str, object]:
    from .conftest import approved

    fields = approved(
        doc_id, "问题管理程序（草稿）", **{"version": "0.1", "status": "draft", **extra}
    )
    for key in ("approved_by", "approved_on", "effective", "history"):
        fields.pop(key)
    return fields


def test_supersede_by_a_draft_is_refused(corpus: Callable[..., Path]) -> None:
    from .conftest import doc_text

    root = corpus({"procedures/GZDS-ITSMS-WI-01.md": doc_text(_draft("GZDS-ITSMS-WI-01"))})
    before = _snapshot(root)
    code, out = _itsms(root, "supersede", "GZDS-ITSMS-QP-18", "--by", "GZDS-ITSMS-WI-01")
    assert code == 1 and "GZDS-ITSMS-WI-01" in out and "草稿" in out
    assert _snapshot(root) == before


def test_supersede_by_one_not_yet_in_effect_is_refused(corpus: Callable[..., Path]) -> None:
    from .conftest import approved, doc_text

    later = approved("GZDS-ITSMS-QP-19", "管理评审程序（新）", effective="2026-12-15")
    root = corpus({"procedures/GZDS-ITSMS-QP-19.md": doc_text(later)})
    code, out = _itsms(root, "supersede", "GZDS-ITSMS-QP-18", "--by", "GZDS-ITSMS-QP-19")
    assert code == 1 and "2026-12-15" in out
    day = ("--root", str(root), "--as-of", "2026-12-15")
    out = run("supersede", "GZDS-ITSMS-QP-18", "--by", "GZDS-ITSMS-QP-19", *day)
    assert out.exit_code == 0, out.output
    old = (root / "procedures/GZDS-ITSMS-QP-18.md").read_text(encoding="utf-8")
    new = (root / "procedures/GZDS-ITSMS-QP-19.md").read_text(encoding="utf-8")
    assert "superseded_on: 2026-12-15" in old
    assert "summary: 由 GZDS-ITSMS-QP-19 替代" in old and "summary: 替代 GZDS-ITSMS-QP-18" in new


def test_withdrawing_the_only_document_of_a_clause_is_refused(
    corpus: Callable[..., Path],
) -> None:
    root = corpus()
    before = _snapshot(root)
    code, out = _itsms(root, "withdraw", "GZDS-ITSMS-QP-18", "--reason", "合并")
    assert code == 1 and "1.1, 1.2" in out and "--force" in out
    assert _snapshot(root) == before
    code, out = _itsms(root, "withdraw", "GZDS-ITSMS-QP-18", "--reason", "合并", "--force")
    assert code == 0, out
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    messages = [f["message"] for f in data["findings"] if f["rule"] == "uncovered-clause"]
    assert len(messages) == 2
    assert all("GZDS-ITSMS-QP-18 已作废" in m and "尚未批准" not in m for m in messages)


def test_uncovered_clause_names_each_cause(corpus: Callable[..., Path]) -> None:
    from .conftest import approved, doc_text

    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(
                approved("GZDS-ITSMS-QP-18", "管理评审程序", effective="2026-12-01")
            ),
            "procedures/GZDS-ITSMS-QP-19.md": doc_text(_draft("GZDS-ITSMS-QP-19", status="review")),
            "procedures/GZDS-ITSMS-QP-20.md": doc_text(_draft("GZDS-ITSMS-QP-20")),
        }
    )
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    message = next(f["message"] for f in data["findings"] if f["rule"] == "uncovered-clause")
    assert "GZDS-ITSMS-QP-18 自 2026-12-01 起才生效" in message
    assert "GZDS-ITSMS-QP-19 正在审核" in message
    assert "GZDS-ITSMS-QP-20 还是草稿" in message


def test_the_untouched_template_is_not_approved(corpus: Callable[..., Path]) -> None:
    root = corpus()
    code, _ = _itsms(
        root, "new", "procedure", "--title", "问题管理程序", "--owner", "staff", "--author", "李强"
    )
    assert code == 0
    path = root / "procedures/GZDS-ITSMS-QP-19.md"
    code, out = _itsms(root, "approve", "GZDS-ITSMS-QP-19", "--by", "王芳")
    assert code == 1 and "itsms submit" in out  # a draft goes to review first
    code, out = _itsms(root, "submit", "GZDS-ITSMS-QP-19")
    assert code == 1 and "说明本文件要达到的目的。" in out
    text = path.read_text(encoding="utf-8")
    front_text, _ = text.split("\n---\n", 1)
    path.write_text(front_text + "\n---\n## 1 目的\n\n处理问题。\n", encoding="utf-8")
    code, out = _itsms(root, "submit", "GZDS-ITSMS-QP-19")
    assert code == 1 and "clauses" in out  # a procedure must cite a clause
    path.write_text(
        path.read_text(encoding="utf-8").replace("clauses: []", 'clauses: ["2"]'), "utf-8"
    )
    assert _itsms(root, "submit", "GZDS-ITSMS-QP-19")[0] == 0
    assert "status: review" in path.read_text(encoding="utf-8")
    code, out = _itsms(root, "approve", "GZDS-ITSMS-QP-19", "--by", "王芳")
    assert code == 0, out


# --- fingerprint and names (item 4) -------------------------------------------------------


def test_fingerprint_covers_the_approval(corpus: Callable[..., Path]) -> None:
    root = corpus()
    path = root / "procedures/GZDS-ITSMS-QP-18.md"
    text = path.read_text(encoding="utf-8")
    assert "fingerprint: sha256v2:" in text
    for old, new in (
        ("approved_by: 王芳", "approved_by: 赵六"),
        ("effective: '2026-03-05'", "effective: '2026-03-06'"),
        ("author: 张伟", "author: 李四"),
        ("approved_on: '2026-03-01'", "approved_on: '2026-03-02'"),
    ):
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        data = json.loads(
            run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
        )
        rules = {(f["rule"], f["id"]) for f in data["findings"]}
        assert ("stale-approval", "GZDS-ITSMS-QP-18") in rules, old


def test_version_1_fingerprints_still_verify(corpus: Callable[..., Path]) -> None:
    from generator import fingerprint

    root = corpus()
    path = root / "procedures/GZDS-ITSMS-QP-18.md"
    text = path.read_text(encoding="utf-8")
    import yaml

    from generator.load import split_front_matter

    front_text, body, _, _ = split_front_matter(text)
    meta = yaml.safe_load(front_text or "")
    v1 = fingerprint.compute_v1(meta, body)
    assert v1.startswith("sha256:") and not v1.startswith("sha256v2:")
    path.write_text(text.replace(meta["fingerprint"], v1), encoding="utf-8")
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    # it verifies: no stale-approval, only the warning to upgrade it
    assert [f["rule"] for f in data["findings"]] == ["legacy-fingerprint"]


def test_a_zero_width_space_does_not_hide_self_approval(corpus: Callable[..., Path]) -> None:
    from .conftest import doc_text

    root = corpus(
        {"procedures/GZDS-ITSMS-QP-19.md": doc_text(_draft("GZDS-ITSMS-QP-19", status="review"))}
    )
    code, out = _itsms(root, "approve", "GZDS-ITSMS-QP-19", "--by", "张\u200b伟")
    assert code == 1 and "作者" in out
    code, out = _itsms(root, "approve", "GZDS-ITSMS-QP-19", "--by", " 张伟\ufeff ")
    assert code == 1
    from generator.names import normalise, same_person

    assert normalise("ＧＺＤＳ-ITSMS-QP-18\u200b ") == "GZDS-ITSMS-QP-18"
    assert same_person("张\u200b伟", "张 伟")


def test_ids_and_roles_are_compared_normalised(corpus: Callable[..., Path]) -> None:
    from .conftest import approved, doc_text

    qp19 = approved(
        "GZDS-ITSMS-QP-19",
        "评审",
        owner="staff\u200b",
        references=["GZDS-ITSMS-QP-18\u200b"],
        raci=[{"activity": "评审", "R": ["staff "], "A": "management-rep\u200b"}],
    )
    root = corpus({"procedures/GZDS-ITSMS-QP-19.md": doc_text(qp19)})
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    rules = {f["rule"] for f in data["findings"]}
    assert not rules & {"unknown-role", "unknown-reference", "raci-accountable"}, data


# --- errors never cascade (item 7) --------------------------------------------------------


def test_a_broken_file_still_claims_its_id(corpus: Callable[..., Path]) -> None:
    from .conftest import clean_files

    text = clean_files()["procedures/GZDS-ITSMS-QP-18.md"]
    broken = text.replace("title: 管理评审程序\n", "title: [管理评审程序\n")
    assert broken != text
    root = corpus({"procedures/GZDS-ITSMS-QP-18.md": broken})
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    assert [(f["rule"], f["file"]) for f in data["findings"]] == [
        ("yaml-syntax", "procedures/GZDS-ITSMS-QP-18.md")
    ]


def test_an_unparseable_file_claims_the_id_of_its_name(corpus: Callable[..., Path]) -> None:
    root = corpus({"procedures/GZDS-ITSMS-QP-18.md": b"---\nid: \xff\xfe bad\n---\n"})
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    rules = [(f["rule"], f["file"]) for f in data["findings"]]
    assert ("encoding", "procedures/GZDS-ITSMS-QP-18.md") in rules
    assert not [r for r, _ in rules if r in ("unknown-reference", "unknown-record-type")]


# --- history is checked too (item 3) ------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    import os
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "dc",
        "GIT_AUTHOR_EMAIL": "dc@example.org",
        "GIT_COMMITTER_NAME": "dc",
        "GIT_COMMITTER_EMAIL": "dc@example.org",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_a_self_approved_unsealed_version_in_git_is_not_in_effect(
    corpus: Callable[..., Path],
) -> None:
    from .conftest import approved, doc_text

    bad = approved("GZDS-ITSMS-QP-18", "管理评审程序", approved_by="张伟", extra_field="x")
    root = corpus({"procedures/GZDS-ITSMS-QP-18.md": doc_text(bad, stamp=False)})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "1.0")
    draft = _draft("GZDS-ITSMS-QP-18", version="1.1")
    (root / "procedures/GZDS-ITSMS-QP-18.md").write_text(doc_text(draft), encoding="utf-8")
    _git(root, "commit", "-qam", "draft 1.1")
    result = run_check(root, read_settings(root), DAY)
    assert "GZDS-ITSMS-QP-18" not in result.corpus.in_effect
    rejected = {
        f.rule
        for f in result.findings
        if f.key == "version-rejected" and f.id == "GZDS-ITSMS-QP-18"
    }
    # never sealed in git: a paper approval, rejected for what it is, not as stale
    assert rejected == {"schema", "self-approval"}
    assert result.errors > 0
    portal = build_portal(result, PortalOptions(DAY))
    assert "procedures/GZDS-ITSMS-QP-18.md" not in {p.path for p in portal.pages}


# --- data is data (item 8) ----------------------------------------------------------------

TEXT_FIELDS = frozenset({"message", "label", "title", "name", "note"})


def _data(value: object) -> object:
    """A JSON value less its text fields (the only ones --lang may change)."""
    if isinstance(value, dict):
        return {k: _data(v) for k, v in value.items() if k not in TEXT_FIELDS}
    if isinstance(value, list):
        return [_data(v) for v in value]
    return value


def test_lang_changes_no_json_value_but_text() -> None:
    root = README.parent
    commands = [
        ("check", "--format", "json"),
        ("coverage", "--format", "json"),
        ("register", "--format", "json"),
        ("matrix", "--format", "json"),
        ("trace", "8.7.2", "--format", "json"),  # the shipped standard is 2018
        ("trace", "GZDS-ITSMS-QP-18", "--format", "json"),
        ("transition", "--to", "iso20000-1:2018", "--format", "json"),
    ]
    for args in commands:
        outputs = []
        for lang in ("zh", "en"):
            out = run(*args, "--root", str(root), "--as-of", AS_OF, "--lang", lang)
            assert out.exit_code in (0, 1), out.output
            outputs.append(json.loads(out.stdout))
        assert _data(outputs[0]) == _data(outputs[1]), args
    register = json.loads(
        run("register", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    row = next(r for r in register["rows"] if r["id"] == "GZDS-ITSMS-QP-18")
    assert (row["status"], row["type"], row["classification"]) == (
        "approved",
        "procedure",
        "internal",
    )


# --- one publication scope (item 5) -------------------------------------------------------


def _mid_revision(corpus: Callable[..., Path]) -> Path:
    """QP-18 approved 1.0 in git, its 1.1 drafted in the tree (with a new RACI activity);
    a confidential QP-40; a draft QP-50 never approved."""
    from .conftest import approved, doc_text

    raci = [{"activity": "主持评审", "R": ["management-rep"], "A": "top-management"}]
    secret = approved(
        "GZDS-ITSMS-QP-40", "保密预案", classification="confidential", clauses=["1.2"], raci=raci
    )
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(
                approved("GZDS-ITSMS-QP-18", "管理评审程序", raci=raci)
            ),
            "procedures/GZDS-ITSMS-QP-40.md": doc_text(secret),
            "procedures/GZDS-ITSMS-QP-50.md": doc_text(
                _draft("GZDS-ITSMS-QP-50", clauses=["1.2"], raci=raci)
            ),
        }
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "approved")
    assert run("revise", "GZDS-ITSMS-QP-18", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    path = root / "procedures/GZDS-ITSMS-QP-18.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  A: top-management\n",
            "  A: top-management\n- activity: 草稿中的活动\n  R: [staff]\n  A: management-rep\n",
        ),
        encoding="utf-8",
    )
    assert "草稿中的活动" in path.read_text(encoding="utf-8")
    return root


def _export(root: Path, verb: str, fmt: str, tmp: Path) -> object:
    from openpyxl import load_workbook

    args = [verb, "--root", str(root), "--as-of", AS_OF, "--format", fmt]
    if fmt == "xlsx":
        out = tmp / f"{verb}.xlsx"
        assert run(*args, "--out", str(out)).exit_code == 0
        book = load_workbook(out)
        return [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]
    result = run(*args)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        return json.loads(result.stdout)
    import csv
    import io

    return list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))


def test_portal_and_every_export_show_the_same_versions(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    root = _mid_revision(corpus)
    result = run_check(root, read_settings(root), DAY)
    portal = build_portal(result, PortalOptions(DAY))
    pages = {p.path: p.expanded() for p in portal.pages}
    # the register: (id, version) in the portal, csv, xlsx and json
    cells = re.findall(r"<tr>(.*?)</tr>", pages["register.md"])
    in_portal = []
    for row in cells:
        tds = re.findall(r"<td>(.*?)</td>", row)
        if tds:
            in_portal.append((re.sub(r"<[^>]+>", "", tds[0]), tds[3]))
    expected = [("GZDS-ITSMS-QP-10", "1.0"), ("GZDS-ITSMS-QP-18", "1.0")]
    assert in_portal == expected
    as_json = _export(root, "register", "json", tmp_path)
    assert [(r["id"], r["version"]) for r in as_json["rows"]] == expected  # type: ignore[index]
    as_csv = _export(root, "register", "csv", tmp_path)
    assert [(r[0], r[3]) for r in as_csv[1:]] == expected  # type: ignore[index]
    as_xlsx = _export(root, "register", "xlsx", tmp_path)
    assert [(r[0], r[3]) for r in as_xlsx[7:]] == expected  # type: ignore[index]
    # the matrix: which processes and activities
    raci = pages["raci.md"]
    assert "草稿中的活动" not in raci and "GZDS-ITSMS-QP-40" not in raci
    assert "GZDS-ITSMS-QP-50" not in raci
    portal_processes = sorted(set(re.findall(r"^### (GZDS-ITSMS-QP-\d+) ", raci, re.M)))
    matrix = _export(root, "matrix", "json", tmp_path)
    activities = matrix["tables"][1]["rows"]  # type: ignore[index]
    assert sorted({r["process"] for r in activities}) == portal_processes
    assert portal_processes == ["GZDS-ITSMS-QP-10", "GZDS-ITSMS-QP-18"]
    assert "草稿中的活动" not in {r["activity"] for r in activities}
    matrix_xlsx = _export(root, "matrix", "xlsx", tmp_path)
    flat = {str(c) for row in matrix_xlsx for c in row}  # type: ignore[union-attr]
    assert "草稿中的活动" not in flat and "GZDS-ITSMS-QP-50" not in flat
    assert "GZDS-ITSMS-QP-40" not in flat and "GZDS-ITSMS-QP-18" in flat
    # coverage: the documents of each leaf clause
    tree = pages["clauses/index.md"]
    in_tree = {
        m.group(1): re.findall(r">(GZDS-ITSMS-QP-\d+)</a>", m.group(2))
        for m in re.finditer(
            r"^<li><a href=\"[^\"]*\"><strong>([\d.]+)</strong>.*?</a>(.*)$", tree, re.M
        )
    }
    coverage = _export(root, "coverage", "json", tmp_path)
    by_clause = {
        r["clause"]: [d["id"] for d in r["documents"]]
        for r in coverage["rows"]  # type: ignore[index]
    }
    assert (
        by_clause
        == in_tree
        == {
            "1.1": ["GZDS-ITSMS-QP-18"],
            "1.2": ["GZDS-ITSMS-QP-18"],
            "2": ["GZDS-ITSMS-QP-10"],
        }
    )
    cov_csv = _export(root, "coverage", "csv", tmp_path)
    assert (
        {  # the cell names each document with its title
            r[0]: [d.split(" ", 1)[0] for d in r[2].split("; ")]
            for r in cov_csv[1:]  # type: ignore[index]
        }
        == by_clause
    )
    trace = json.loads(
        run("trace", "1.2", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    assert [(d["id"], d["version"]) for d in trace["leaves"][0]["documents"]] == [
        ("GZDS-ITSMS-QP-18", "1.0")
    ]
    scope = Scope(result)
    assert scope.confidential_ids == {"GZDS-ITSMS-QP-40"}
    assert scope.confidential_titles == {"保密预案"}


def test_the_clause_page_says_altered_evidence_is_not_counted(
    corpus: Callable[..., Path],
) -> None:
    root = _tampered(corpus)
    result = run_check(root, read_settings(root), DAY)
    portal = build_portal(result, PortalOptions(DAY))
    page = next(p.expanded() for p in portal.pages if p.path == "clauses/1.1.md")
    assert "不计为证据" in page and "R-QP18-2026-01" in page and "不一致" in page
    assert "没有证据" in page


def test_the_check_refuses_a_supersession_by_an_unpublished_document(
    corpus: Callable[..., Path],
) -> None:
    from .conftest import approved, doc_text

    old = approved(
        "GZDS-ITSMS-QP-18", "管理评审程序", status="superseded", superseded_by=["GZDS-ITSMS-WI-01"]
    )
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(old),
            "procedures/GZDS-ITSMS-WI-01.md": doc_text(
                _draft("GZDS-ITSMS-WI-01", supersedes=["GZDS-ITSMS-QP-18"])
            ),
        }
    )
    data = json.loads(
        run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    found = [
        f
        for f in data["findings"]
        if f["rule"] == "unknown-reference" and f["id"] == "GZDS-ITSMS-QP-18"
    ]
    assert len(found) == 1 and "GZDS-ITSMS-WI-01 还是草稿" in found[0]["message"]
    build = run("build", "--root", str(root), "--as-of", AS_OF)
    assert build.exit_code == 1  # the banner would name an unpublished document


def test_invalid_raci_feeds_no_matrix_and_is_shown(corpus: Callable[..., Path]) -> None:
    from .conftest import approved, doc_text

    bad = approved(
        "GZDS-ITSMS-QP-19",
        "无人负责的程序",
        clauses=["2"],
        raci=[{"activity": "无人担责的活动", "R": ["staff"], "C": ["nobody-role"]}],
    )
    unknown_clause = approved("GZDS-ITSMS-QP-20", "条款写错的程序", clauses=["9.9"])
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-19.md": doc_text(bad),
            "procedures/GZDS-ITSMS-QP-20.md": doc_text(unknown_clause),
        }
    )
    matrix = json.loads(
        run("matrix", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    assert "GZDS-ITSMS-QP-19" not in {r["process"] for r in matrix["tables"][1]["rows"]}
    result = run_check(root, read_settings(root), DAY)
    portal = build_portal(result, PortalOptions(DAY))
    pages = {p.path: p.expanded() for p in portal.pages}
    assert "无人担责的活动" not in pages["raci.md"] and "nobody-role" not in pages["raci.md"]
    console = pages["console.md"]
    for code in ("raci-accountable", "unknown-role", "unknown-clause"):
        assert text(f"group.{code}") in console, code


def test_an_archived_version_failing_the_rules_is_not_published(
    corpus: Callable[..., Path],
) -> None:
    from .conftest import approved, doc_text

    bad = approved("GZDS-ITSMS-QP-18", "管理评审程序", approved_by="张伟")
    root = corpus({"procedures/GZDS-ITSMS-QP-18.md": doc_text(bad, stamp=False)})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "1.0, self-approved")
    good = approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        version="2.0",
        approved_on="2026-06-01",
        effective="2026-06-01",
        history=[{"version": "2.0", "date": "2026-06-01", "author": "张伟", "approved_by": "王芳"}],
    )
    (root / "procedures/GZDS-ITSMS-QP-18.md").write_text(doc_text(good), encoding="utf-8")
    _git(root, "commit", "-qam", "2.0")
    result = run_check(root, read_settings(root), DAY)
    portal = build_portal(result, PortalOptions(DAY))
    paths = {p.path for p in portal.pages}
    assert "obsolete/GZDS-ITSMS-QP-18-v1.0.md" not in paths
    # never sealed in git: a paper approval, rejected for the self-approval, not as stale
    assert {(f.rule, f.params["version"]) for f in portal.rejected} == {("self-approval", "1.0")}
    console = next(p.expanded() for p in portal.pages if p.path == "console.md")
    assert "git 中的历史版本未通过检查（未归档）（1）" in console and "git 中的 1.0 版" in console


def test_superseded_before_approval_is_a_date_error(corpus: Callable[..., Path]) -> None:
    from .conftest import findings

    root = corpus()
    path = root / "procedures/GZDS-ITSMS-QP-18.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("status: approved\n", "status: approved\nsuperseded_on: '2026-01-01'\n"),
        "utf-8",
    )
    assert findings(root) == [("date-order", "procedures/GZDS-ITSMS-QP-18.md", 7)]


def test_shipped_problem_procedure_is_not_superseded_by_the_draft_wi01(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "repo"
    root.mkdir()
    for name in ("content", "procedures", "records"):
        shutil.copytree(README.parent / name, root / name)
    shutil.copy(README.parent / "mkdocs.yml", root / "mkdocs.yml")
    before = (root / "procedures/GZDS-ITSMS-QP-02.md").read_bytes()
    out = run(
        "supersede",
        "GZDS-ITSMS-QP-02",
        "--by",
        "GZDS-ITSMS-WI-01",
        "--root",
        str(root),
        "--as-of",
        AS_OF,
    )
    assert out.exit_code == 1 and "GZDS-ITSMS-WI-01" in out.output
    assert (root / "procedures/GZDS-ITSMS-QP-02.md").read_bytes() == before


def test_a_work_instruction_need_not_cite_a_clause(corpus: Callable[..., Path]) -> None:
    root = corpus()
    args = ("--owner", "staff", "--author", "李强")
    assert _itsms(root, "new", "work-instruction", "--title", "备份操作指引", *args)[0] == 0
    path = root / "procedures/GZDS-ITSMS-WI-01.md"
    front_text, _ = path.read_text(encoding="utf-8").split("\n---\n", 1)
    path.write_text(front_text + "\n---\n## 1 目的\n\n每日备份。\n", encoding="utf-8")
    code, out = _itsms(root, "submit", "GZDS-ITSMS-WI-01")
    assert code == 0, out
    assert _itsms(root, "approve", "GZDS-ITSMS-WI-01", "--by", "王芳")[0] == 0


def test_a_leaf_lists_the_records_it_shows_newest_first(corpus: Callable[..., Path]) -> None:
    """What a trace lists of a leaf: the records shown, newest first, a tie of dates by
    id; never a confidential one, nor one whose date is no date (outside any period)."""
    from generator.scope import newest_first

    dates = {"01": "2026-06-01", "02": "2026-06-01", "03": "2026-07-01", "04": "2026-05-01"}
    files: dict[str, str | bytes] = {
        f"records/2026/R-QP18-2026-{n}.yml": front(record(f"R-QP18-2026-{n}", date=d))
        for n, d in dates.items()
    }
    files["records/2026/R-QP18-2026-05.yml"] = front(
        record("R-QP18-2026-05", date="2026-06-15", classification="confidential")
    )
    files["records/2026/R-QP18-2026-06.yml"] = front(record("R-QP18-2026-06", date="不详"))
    root = corpus(files)
    result = run_check(root, read_settings(root), DAY)
    scope = Scope(result)
    listed = []
    for status in result.coverage.leaves.values():
        view = scope.leaf(status)
        assert view.records == newest_first([r for r in status.records if scope.shows(r)])
        assert view.rejected == newest_first([r for r in status.rejected if scope.shows(r)])
        listed.append([r.id for r in view.records + view.rejected])
    assert ["R-QP18-2026-03", "R-QP18-2026-02", "R-QP18-2026-01", "R-QP18-2026-04"] in [
        ids[:4] for ids in listed
    ]
    assert all("R-QP18-2026-05" not in ids for ids in listed)
