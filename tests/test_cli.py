"""The command line: formats, exit codes, languages, the shipped content."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from .conftest import AS_OF, run
from .test_rules import P30, doc30

REPO = Path(__file__).resolve().parent.parent


def test_json_has_the_spec_shape(corpus: Callable[..., Path]) -> None:
    root = corpus({P30: doc30(approved_by="张伟")})
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["as_of", "standard", "summary", "findings"]
    assert data["as_of"] == AS_OF and data["standard"] == "mini:2024"
    assert list(data["summary"]) == ["documents", "records", "errors", "warnings", "coverage"]
    first = data["findings"][0]
    assert list(first) == ["rule", "severity", "file", "line", "id", "message"]
    assert first["rule"] == "self-approval" and first["line"] == 9
    assert first["id"] == "GZDS-ITSMS-QP-30" and "张伟" in first["message"]


def test_text_groups_by_file_and_ends_with_a_summary(corpus: Callable[..., Path]) -> None:
    root = corpus({P30: doc30(approved_by="张伟")})
    out = run("check", "--root", str(root), "--as-of", AS_OF).stdout
    lines = out.rstrip("\n").split("\n")
    assert lines[0] == P30
    assert "self-approval" in lines[1] and lines[1].lstrip().startswith("9")
    assert lines[-1] == (
        "检查完成（2026-11-27，mini:2024）：3 个文件，2 条记录；错误 1，警告 1；"
        "叶条款覆盖 3/3，有证据 3/3"
    )


def test_english_on_request(corpus: Callable[..., Path]) -> None:
    root = corpus({P30: doc30(approved_by="张伟")})
    out = run("check", "--root", str(root), "--as-of", AS_OF, "--lang", "en").stdout
    assert "the approver '张伟' is the author" in out
    assert out.rstrip().endswith("leaf clauses covered 3/3, evidenced 3/3")


def test_junit_fails_errors_and_shows_warnings(corpus: Callable[..., Path]) -> None:
    root = corpus({P30: doc30(approved_by="张伟")})
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "junit")
    tree = ET.fromstring(result.stdout)
    assert len(tree.findall(".//failure")) == 1  # the error; the warning is output
    assert len(tree.findall(".//system-out")) == 1
    suite = tree.find(f"testsuite[@name='{P30}']")
    assert suite is not None and suite.get("failures") == "1" and suite.get("file") == P30
    assert tree.find("testsuite[@name='itsms']/testcase[@name='encoding']") is not None


def test_exit_codes(corpus: Callable[..., Path], tmp_path: Path) -> None:
    clean = corpus()
    assert run("check", "--root", str(clean), "--as-of", AS_OF).exit_code == 0
    # a warning only: 0, but 1 with --strict
    (clean / "records/2026/old.yml").write_text(
        "id: R-OLD\ntitle: 旧记录\ntype: 管理评审报告\nprocedure: GZDS-ITSMS-QP-18\n"
        "date: 2020-01-01\nowner: staff\nevidence: http://x.local/1\nretention_years: 1\n",
        encoding="utf-8",
    )
    assert run("check", "--root", str(clean), "--as-of", AS_OF).exit_code == 0
    assert run("check", "--root", str(clean), "--as-of", AS_OF, "--strict").exit_code == 1
    # bad arguments and unreadable settings: 2
    assert run("check", "--root", str(clean), "--as-of", "27.11.2026").exit_code == 2
    assert run("check", "--root", str(tmp_path / "nowhere")).exit_code == 2
    (clean / "mkdocs.yml").write_text("plugins: [itsms: {standard: 3", encoding="utf-8")
    bad = run("check", "--root", str(clean), "--as-of", AS_OF)
    assert bad.exit_code == 2 and "mkdocs.yml" in bad.output
    (clean / "mkdocs.yml").write_text("plugins:\n  - itsms: {colour: red}\n", encoding="utf-8")
    assert run("check", "--root", str(clean), "--as-of", AS_OF).exit_code == 2
    (clean / "mkdocs.yml").write_text(
        "plugins:\n  - itsms: {standard: iso9999}\n", encoding="utf-8"
    )
    unknown = run("check", "--root", str(clean), "--as-of", AS_OF)
    assert unknown.exit_code == 2 and "iso9999" in unknown.output


def test_mkdocs_yml_with_python_tags_is_read(corpus: Callable[..., Path]) -> None:
    mk = (
        "site_name: t\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        'plugins:\n  - itsms:\n      standard: "mini:2024"\n      standards_dir: standards\n'
    )
    root = corpus({"mkdocs.yml": mk})
    assert run("check", "--root", str(root), "--as-of", AS_OF).exit_code == 0


def test_coverage_table_and_json(corpus: Callable[..., Path]) -> None:
    root = corpus()
    table = run("coverage", "--root", str(root), "--as-of", AS_OF).stdout
    assert (
        "1.1" in table and "GZDS-ITSMS-QP-18" in table and "审核期 2025-11-28..2026-11-27" in table
    )
    data = json.loads(
        run("coverage", "--root", str(root), "--as-of", AS_OF, "--format", "json").stdout
    )
    assert data["period"] == {"from": "2025-11-28", "to": "2026-11-27"}
    row = {r["clause"]: r for r in data["rows"]}["2"]
    assert row == {
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
        "cadence": None,  # no record type of clause 2 declares a cadence
        "gaps": [],
    }


def test_coverage_csv_opens_in_excel(corpus: Callable[..., Path]) -> None:
    result = run("coverage", "--root", str(corpus()), "--as-of", AS_OF, "--format", "csv")
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").split("\r\n")[0] == (
        "条款,标题,文件,满足它的保密文件数,覆盖,删减,审核期内记录数,审核期内记录编号,不计为证据,最近记录,有证据,"
        "周期记录（齐全/应有）,缺失的期间"
    )


def test_seed_citation_conflicts_are_caught(corpus: Callable[..., Path]) -> None:
    from .conftest import approved, doc_text

    fixture = (Path(__file__).parent / "fixtures/seed_citations.md").read_text(encoding="utf-8")
    files = {
        "content/manual/GZDS-ITSMS-QM-91.md": fixture,
        "procedures/GZDS-ITSMS-QP-12.md": doc_text(
            approved("GZDS-ITSMS-QP-12", "服务策划与实施管理程序")
        ),
        "procedures/GZDS-ITSMS-QP-21.md": doc_text(approved("GZDS-ITSMS-QP-21", "文件控制程序")),
        "procedures/GZDS-ITSMS-QP-22.md": doc_text(approved("GZDS-ITSMS-QP-22", "记录控制程序")),
    }
    result = run("check", "--root", str(corpus(files)), "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    got = [
        (f["line"], f["message"])
        for f in data["findings"]
        if f["file"] == "content/manual/GZDS-ITSMS-QM-91.md"
    ]
    assert [line for line, _ in got] == [13, 15]
    assert "GZDS-ITSMS-QP-12 是《服务策划与实施管理程序》" in got[0][1]
    assert "《管理评审程序》的编号是 GZDS-ITSMS-QP-18" in got[0][1]
    assert "GZDS-ITSMS-QP-21 是《文件控制程序》" in got[1][1]


def test_shipped_content_is_clean_and_fully_covered() -> None:
    result = run("check", "--root", str(REPO), "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0, [f for f in data["findings"] if f["severity"] == "error"]
    assert data["summary"]["errors"] == 0
    cov = data["summary"]["coverage"]
    assert data["standard"] == "iso20000-1:2018"
    assert cov["leaf_clauses"] == 57 and cov["covered"] == 57 and cov["evidenced"] == 57
    assert data["summary"]["documents"] >= 44 and data["summary"]["records"] >= 120


def test_shipped_content_is_fully_covered_under_2011_too(tmp_path: Path) -> None:
    """Every document cites both editions: judged against 2011 the repository is 39/39."""
    import shutil

    for folder in ("content", "procedures", "records"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    settings = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    settings = settings.replace("standard: iso20000-1:2018", "standard: iso20000-1:2011")
    settings = settings.replace("transition_from: iso20000-1:2011", "")
    (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    result = run("check", "--root", str(tmp_path), "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0, [f for f in data["findings"] if f["severity"] == "error"]
    assert data["standard"] == "iso20000-1:2011"
    cov = data["summary"]["coverage"]
    assert cov["leaf_clauses"] == 39 and cov["covered"] == 39 and cov["evidenced"] == 39


def test_a_refused_build_lists_its_errors_and_counts_every_finding(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """The errors that stop it, then the same summary line ``itsms check`` prints (a
    refused build used to count its errors only: 警告 0)."""
    from .conftest import clean_doc

    qp10 = "procedures/GZDS-ITSMS-QP-10.md"
    root = corpus({qp10: clean_doc(qp10, "## 1 目的\n\n见 GZDS-ITSMS-QP-99。\n", stamp=False)})
    checked = run("check", "--root", str(root), "--as-of", AS_OF)
    summary = checked.output.strip().splitlines()[-1]
    assert "错误 1" in summary and "警告 0" not in summary
    built = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(tmp_path / "s"))
    assert built.exit_code == 1
    said = built.stderr.splitlines()
    assert said[-2] == summary and said[-1].startswith("门户未发布")
    listed = [line for line in said if line.startswith("  ")]  # the errors only
    assert len(listed) == 1 and "unknown-reference" in listed[0]


def test_the_console_script_says_everything_and_keeps_exit_codes(
    corpus: Callable[..., Path],
) -> None:
    """``itsms`` ends without freeing its objects one by one (generator.commands.run):
    what it printed reaches a pipe whole, and its exit codes are click's and the verb's."""
    import subprocess
    import sys

    root = corpus({P30: doc30(approved_by="张伟")})

    def itsms(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "generator", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    found = itsms("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert found.returncode == 1
    assert json.loads(found.stdout)["summary"]["errors"] == 1  # the whole document
    clean = itsms("check", "--root", str(root), "--as-of", AS_OF, "--severity", "x")
    assert clean.returncode == 2 and "No such option" in clean.stderr
    assert itsms("--help").returncode == 0


def test_a_reader_that_stops_reading_ends_the_command_quietly(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """``itsms build | head -1``: the build is done, the rest of what it says goes
    nowhere, and the exit is a closed pipe's (141), not an internal error."""
    import subprocess
    import sys

    root = corpus({})
    site = tmp_path / "site"
    command = [sys.executable, "-m", "generator", "build", "--root", str(root)]
    command += ["--as-of", AS_OF, "--site-dir", str(site)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before a word is said
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=300) == 141, err
    assert err == ""
    assert (site / "index.html").is_file()
