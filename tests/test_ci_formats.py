"""The check's outputs for CI and code hosts: JUnit XML, SARIF 2.1.0, GitHub workflow
commands, and the pre-commit hook; each fed to the tool or schema that reads it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from junitparser import Failure, JUnitXml

from .conftest import AS_OF, approved, doc_text, run
from .test_rules import P30, doc30

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
QP10 = "procedures/GZDS-ITSMS-QP-10.md"
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")


@pytest.fixture
def broken(corpus: Callable[..., Path]) -> Path:
    """Errors in one file (self-approval; citations whose title, or the cited document's
    title, carries Word's \\x0b line break), a '%' in another, a warning, and a corpus-wide
    error (an uncovered clause: QP-10 no longer cites clause 2)."""
    qp10 = approved(
        "GZDS-ITSMS-QP-10",
        "服务级别管理程序",
        owner="service-manager",
        clauses=["1"],
        records=["服务级别评审记录"],
        references=["GZDS-ITSMS-QP-18"],
    )
    return corpus(
        {
            P30: doc30(
                approved_by="张伟",
                body="见《服务级别\x0b管理程序》GZDS-ITSMS-QP-18、《预案》GZDS-ITSMS-QP-31。\n",
            ),
            "procedures/GZDS-ITSMS-QP-31.md": doc_text(
                approved("GZDS-ITSMS-QP-31", "应急\x0b预案", clauses=["1.2"])
            ),
            QP10: doc_text(qp10, "见《管理\x0b评审 100%》GZDS-ITSMS-QP-18。\n"),
        }
    )


def check(root: Path, fmt: str, *extra: str) -> tuple[int, str]:
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", fmt, *extra)
    return result.exit_code, result.stdout


def test_the_broken_corpus_has_what_the_tests_rely_on(broken: Path) -> None:
    _, out = check(broken, "json")
    found = [(f["rule"], f["severity"], f["file"], f["line"]) for f in json.loads(out)["findings"]]
    assert ("self-approval", "error", P30, 9) in found
    assert ("uncovered-clause", "error", None, None) in found
    assert sum(1 for r, _, _, _ in found if r == "citation-title-mismatch") == 3
    assert "应急\\u000b预案" in out  # the cited document's title, as written (JSON escape)
    assert any(sev == "warning" for _, sev, _, _ in found)


def test_junit_is_valid_against_junit_10_xsd_and_junitparser_agrees(
    broken: Path, tmp_path: Path
) -> None:
    code, out = check(broken, "junit")
    assert code == 1
    assert "\x0b" not in out  # Word's line break is a line break, as in the spreadsheets
    assert "管理&#10;评审 100%" in out and "应急\n预案" in out  # (attribute, text)
    xmlschema.XMLSchema(FIXTURES / "junit-10.xsd").validate(out)

    path = tmp_path / "report.xml"
    path.write_text(out, encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    cases = [case for suite in suites for case in suite]
    assert xml.tests == len(cases) == sum(suite.tests for suite in suites)
    failed = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    assert xml.failures == len(failed) == sum(suite.failures for suite in suites)
    assert xml.errors == 0
    # one test case per rule code and file: no two share a name in a class
    keys = [(c.classname, c.name) for c in cases]
    assert len(keys) == len(set(keys))

    by_file = {suite.name: suite for suite in suites}
    p30 = by_file[P30]
    assert p30._elem.get("file") == P30
    names = {c.name: c for c in p30}
    assert {"self-approval", "citation-title-mismatch"} <= set(names)
    failure = names["self-approval"].result[0]
    assert failure.type == "self-approval"
    assert failure.message.startswith(f"{P30}:9: [GZDS-ITSMS-QP-30] ")
    # the corpus-wide finding is filed under "itsms", not "（全局）:0"
    corpus_suite = by_file["itsms"]
    uncovered = {c.name: c for c in corpus_suite}["uncovered-clause"]
    assert uncovered.classname == "itsms" and "（全局）" not in out
    # every rule that found nothing is a passing case
    assert not {c.name: c for c in corpus_suite}["encoding"].result


def test_junit_warnings_are_output_not_failures_unless_strict(
    corpus: Callable[..., Path],
) -> None:
    root = corpus({P30: doc30(version='"1.1"')})  # history lacks 1.1: a warning only
    code, out = check(root, "junit")
    assert code == 0
    schema = xmlschema.XMLSchema(FIXTURES / "junit-10.xsd")
    schema.validate(out)
    root_el = ET.fromstring(out)
    assert root_el.get("failures") == "0" and root_el.find(".//failure") is None
    case = root_el.find(f"testsuite[@name='{P30}']/testcase[@name='history-mismatch']")
    assert case is not None
    system_out = case.find("system-out")
    assert system_out is not None and system_out.text is not None
    assert system_out.text.startswith(f"警告: {P30}:")

    code, strict = check(root, "junit", "--strict")
    assert code == 1
    schema.validate(strict)
    strict_el = ET.fromstring(strict)
    assert strict_el.get("failures") == "1"
    assert strict_el.find(".//testcase[@name='history-mismatch']/failure") is not None


def test_sarif_is_valid_sarif_2_1_0(broken: Path) -> None:
    code, out = check(broken, "sarif")
    assert code == 1
    log = json.loads(out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)

    run_ = log["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["self-approval"]["fullDescription"]["text"] == (
        "批准人即编写人 / the approver is the author"
    )
    assert rules["self-approval"]["defaultConfiguration"]["level"] == "error"
    _, data = check(broken, "json")
    assert len(run_["results"]) == len(json.loads(data)["findings"])
    first = next(r for r in run_["results"] if r["ruleId"] == "self-approval")
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": P30},
        "region": {"startLine": 9},
    }
    assert run_["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "self-approval"
    assert "张伟" in first["message"]["text"]
    uncovered = next(r for r in run_["results"] if r["ruleId"] == "uncovered-clause")
    assert uncovered["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "mkdocs.yml"}
    }


def test_github_workflow_commands(broken: Path) -> None:
    code, out = check(broken, "github")
    assert code == 1
    assert "\x0b" not in out
    lines = out.split("\n")[:-1]
    assert lines[0].startswith((f"::error file={QP10},line=", f"::warning file={QP10},line="))
    assert any(
        line.startswith(f"::error file={P30},line=9,title=self-approval::[GZDS-ITSMS-QP-30] ")
        for line in lines
    )
    mismatch = next(line for line in lines if QP10 in line and "citation-title-mismatch" in line)
    assert "100%25" in mismatch and "100% " not in mismatch  # % escaped
    uncovered = next(line for line in lines if "uncovered-clause" in line)
    assert uncovered.startswith("::error file=mkdocs.yml,title=uncovered-clause::")
    assert lines[-1].startswith("检查完成")
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[:-1])


def test_github_escapes_newlines_in_messages() -> None:
    from generator.report import _gh_data, _gh_property

    assert _gh_data("a%b\r\nc\x0bd\x07") == "a%25b%0D%0Ac%0Ad"
    assert _gh_property("x,y:z") == "x%2Cy%3Az"


def test_pre_commit_hooks_manifest() -> None:
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "itsms-check"
    assert hook["language"] == "python" and hook["entry"] == "itsms check"
    assert hook["pass_filenames"] is False
    assert re.match(hook["files"], "procedures/GZDS-ITSMS-QP-18.md")
    assert re.match(hook["files"], "mkdocs.yml") and not re.match(hook["files"], "README.md")
    if Path(PRE_COMMIT).exists():
        checked = subprocess.run(
            [PRE_COMMIT, "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is not installed")
@pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout of itsms")
def test_pre_commit_try_repo(corpus: Callable[..., Path], tmp_path: Path) -> None:
    """pre-commit installs this repository into a hook environment (pip) and runs
    ``itsms check`` in a small repository: it passes on a clean one, fails on an error."""
    root = corpus()
    env = {
        **os.environ,
        "ITSMS_AS_OF": AS_OF,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRE_COMMIT, "try-repo", str(REPO), "itsms-check", "--all-files"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "corpus")
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    (root / P30).write_text(doc30(approved_by="张伟"), encoding="utf-8")
    git("add", ".")
    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "self-approval" in failed.stdout


def test_warnings_in_sarif_and_github_follow_strict(corpus: Callable[..., Path]) -> None:
    root = corpus({P30: doc30(version='"1.1"')})  # history lacks 1.1: a warning only
    for extra, level in (((), "warning"), (("--strict",), "error")):
        _, sarif = check(root, "sarif", *extra)
        (result,) = json.loads(sarif)["runs"][0]["results"]
        assert (result["ruleId"], result["level"]) == ("history-mismatch", level)
        _, github = check(root, "github", *extra)
        assert github.startswith(f"::{level} file={P30},line=")


def test_every_rule_has_a_description_in_both_languages() -> None:
    from generator.i18n import MESSAGES
    from generator.rules import RULES

    for code in RULES:
        zh, en = MESSAGES[f"rule.{code}"]
        assert zh and en and zh != en, code
