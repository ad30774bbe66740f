"""Issue 12 leftovers about history and the verbs: versions in git that fail the
document rules are reported, a removed seal, backdated approvals, ``itsms reviewed``."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import run_check
from generator.portal import PortalOptions, build_portal
from generator.settings import read_settings

from .conftest import AS_OF, approved, doc_text, run
from .test_trust import _draft, _git

DAY = dt.date.fromisoformat(AS_OF)
QP18 = "procedures/GZDS-ITSMS-QP-18.md"
TAMPERED = "篡改的一句：本程序可由任何人随意修改。"


def _head(root: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def _check_json(root: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    out = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json", *extra)
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)  # type: ignore[no-any-return]


# --- a version in git that fails the document rules is reported (item 1) ------------------


def _sealed_then_tampered(corpus: Callable[..., Path]) -> Path:
    """QP-18 1.0 approved and sealed; then its body changed under the same version and
    committed (a tampered commit, HEAD)."""
    root = corpus({QP18: doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序"))})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "1.0")
    path = root / QP18
    path.write_text(
        path.read_text(encoding="utf-8").replace("正文。", f"正文。{TAMPERED}"), encoding="utf-8"
    )
    _git(root, "commit", "-qam", "tampered")
    return root


def _tampered_then_revised(corpus: Callable[..., Path]) -> tuple[Path, str]:
    """``_sealed_then_tampered``, then a 1.1 draft. Returns the repository and the
    tampered commit."""
    root = _sealed_then_tampered(corpus)
    tampered = _head(root)
    path = root / QP18
    path.write_text(doc_text(_draft("GZDS-ITSMS-QP-18", version="1.1")), encoding="utf-8")
    _git(root, "commit", "-qam", "draft 1.1")
    return root, tampered


def test_a_tampered_version_in_git_is_reported_with_its_commit(
    corpus: Callable[..., Path],
) -> None:
    root, tampered = _tampered_then_revised(corpus)
    report = _check_json(root)
    found = [f for f in report["findings"] if f["id"] == "GZDS-ITSMS-QP-18" and f["line"] is None]
    assert [(f["rule"], f["severity"], f["file"]) for f in found] == [
        ("stale-approval", "warning", QP18)
    ]
    assert "1.0" in found[0]["message"] and tampered[:10] in found[0]["message"]
    # the text report says the same, in Chinese by default and in English on request
    out = run("check", "--root", str(root), "--as-of", AS_OF)
    assert f"git 中的 1.0 版（提交 {tampered[:10]}）没有指纹或指纹与内容不符" in out.output
    out = run("check", "--root", str(root), "--as-of", AS_OF, "--lang", "en")
    assert f"version 1.0 in git (commit {tampered[:10]})" in out.output
    # the approved 1.0 stays in effect; the tampered text is published nowhere
    result = run_check(root, read_settings(root), DAY)
    assert TAMPERED not in result.corpus.in_effect["GZDS-ITSMS-QP-18"].body
    portal = build_portal(result, PortalOptions(DAY))
    assert not any(TAMPERED in p.expanded() for p in portal.pages)
    # the build log lists it too (the plugin logs the portal's rejected versions)
    # with the check's words: a warning with the advice for a version on record
    assert [(f.rule, f.severity.value, f.params["commit"]) for f in portal.rejected] == [
        ("stale-approval", "warning", tampered[:10])
    ]
    assert portal.rejected[0].params["advice"].key == "version-rejected.advice.archived"


def test_a_tampered_working_copy_committed_is_reported_once(corpus: Callable[..., Path]) -> None:
    root = _sealed_then_tampered(corpus)
    found = [f for f in _check_json(root)["findings"] if f["file"] == QP18]
    # the working copy's own error; the same text in git is not said twice
    assert [(f["rule"], f["severity"], f["line"] is not None) for f in found] == [
        ("stale-approval", "error", True)
    ]


def test_a_version_committed_before_it_was_sealed_is_not_reported(
    corpus: Callable[..., Path],
) -> None:
    paper = approved("GZDS-ITSMS-QP-18", "管理评审程序")
    root = corpus({QP18: doc_text(paper, stamp=False)})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "adopted, approved on paper")
    assert run("seal", "--all", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    _git(root, "commit", "-qam", "sealed")
    path = root / QP18
    path.write_text(doc_text(_draft("GZDS-ITSMS-QP-18", version="1.1")), encoding="utf-8")
    _git(root, "commit", "-qam", "draft 1.1")
    report = _check_json(root)
    assert [f for f in report["findings"] if f["line"] is None] == []
    result = run_check(root, read_settings(root), DAY)
    assert result.corpus.in_effect["GZDS-ITSMS-QP-18"].version == "1.0"


# --- a seal removed from a sealed document (item 2) ---------------------------------------


def _without_fingerprint(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("fingerprint:")), "utf-8")


def test_deleting_the_fingerprint_of_a_sealed_version_is_an_error(
    corpus: Callable[..., Path],
) -> None:
    root = corpus({QP18: doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序"))})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "1.0 sealed")
    path = root / QP18
    _without_fingerprint(path)
    path.write_text(path.read_text("utf-8").replace("正文。", "改过的正文。"), "utf-8")
    found = [f for f in _check_json(root)["findings"] if f["file"] == QP18]
    assert [(f["rule"], f["severity"], f["line"]) for f in found] == [
        ("stale-approval", "error", 6)  # the status line
    ]
    assert "1.0 版的指纹被删除了" in found[0]["message"]
    # neither sealing nor approving again hides the change
    out = run("seal", "GZDS-ITSMS-QP-18", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 1 and "已封存，工作副本删除了指纹" in out.output
    out = run("seal", "--all", "--root", str(root), "--as-of", AS_OF)
    assert "已封存 0 个文件" in out.output and "GZDS-ITSMS-QP-18 (seal_removed)" in out.output
    out = run("approve", "GZDS-ITSMS-QP-18", "--by", "王芳", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 1 and "已封存，工作副本删除了指纹" in out.output
    assert "fingerprint" not in path.read_text("utf-8")


def test_a_paper_approval_never_sealed_in_git_stays_a_warning(
    corpus: Callable[..., Path],
) -> None:
    paper = approved("GZDS-ITSMS-QP-18", "管理评审程序")
    root = corpus({QP18: doc_text(paper, stamp=False)})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "adopted")
    found = [f for f in _check_json(root)["findings"] if f["file"] == QP18]
    assert [(f["rule"], f["severity"]) for f in found] == [("unsealed-approval", "warning")]


# --- backdated approvals (item 3) -----------------------------------------------------------


def test_approve_refuses_a_date_before_the_document_was_committed(
    corpus: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    under_review = _draft("GZDS-ITSMS-QP-50", version="0.2", status="review", clauses=["1.2"])
    root = corpus({"procedures/GZDS-ITSMS-QP-50.md": doc_text(under_review)})
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2026-10-10T09:00:00+08:00")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "QP-50 submitted")
    before = (root / "procedures/GZDS-ITSMS-QP-50.md").read_bytes()
    args = ("approve", "GZDS-ITSMS-QP-50", "--by", "王芳", "--root", str(root), "--as-of", AS_OF)
    out = run(*args, "--on", "2020-01-01")
    assert out.exit_code == 2
    refused = "批准日期 2020-01-01 早于 GZDS-ITSMS-QP-50 首次提交到 git 的日期 2026-10-10"
    assert refused in out.output
    assert (root / "procedures/GZDS-ITSMS-QP-50.md").read_bytes() == before
    assert run(*args, "--on", "2026-10-10").exit_code == 0


def test_an_approval_dated_before_the_previous_version_is_a_date_error(
    corpus: Callable[..., Path],
) -> None:
    first = {"version": "1.0", "date": "2026-03-01", "author": "张伟", "approved_by": "王芳"}
    backdated = approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        version="2.0",
        approved_on="2026-02-01",
        effective="2026-02-01",
        history=[first],
    )
    root = corpus({QP18: doc_text(backdated)})
    found = [
        (f["rule"], f["line"], f["message"])
        for f in _check_json(root)["findings"]
        if f["rule"] == "date-order"
    ]
    assert found == [
        (
            "date-order",
            10,
            "2.0 版的批准日期 2026-02-01 早于上一版 1.0 的批准日期 2026-03-01：批准日期被提前了",
        )
    ]
    # a paper approval whose dates are in order is accepted as it is
    in_order = approved("GZDS-ITSMS-QP-18", "管理评审程序", history=[first])
    (root / QP18).write_text(doc_text(in_order, stamp=False), encoding="utf-8")
    assert [f["rule"] for f in _check_json(root)["findings"]] == ["unsealed-approval"]


def test_a_hand_written_approval_before_git_held_it_under_review_is_refused(
    corpus: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    qp50 = "procedures/GZDS-ITSMS-QP-50.md"
    under_review = _draft("GZDS-ITSMS-QP-50", version="0.2", status="review", clauses=["1.2"])
    root = corpus({qp50: doc_text(under_review)})
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2026-10-10T09:00:00+08:00")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "QP-50 submitted")
    commit = _head(root)[:10]
    # what `itsms approve --on 2026-09-01` refuses, written by hand instead
    fields = {**under_review, "version": "1.0", "status": "approved", "approved_by": "王芳"}
    (root / qp50).write_text(doc_text({**fields, "approved_on": "2026-09-01"}, stamp=False))
    found = [
        (f["rule"], f["severity"], f["line"], f["message"])
        for f in _check_json(root)["findings"]
        if f["rule"] == "date-order"
    ]
    lines = (root / qp50).read_text(encoding="utf-8").splitlines()
    assert lines[15] == "approved_on: '2026-09-01'"
    assert found == [
        (
            "date-order",
            "error",
            16,  # the approved_on line (the last one written)
            "批准日期 2026-09-01 早于 2026-10-10，而 git 在 2026-10-10 的提交 "
            f"{commit} 中本文件仍是审核中（0.2 版）：批准日期被提前了；请把 approved_on "
            "改为真实的批准日期（不早于 2026-10-10），如果尚未批准，请恢复审核状态"
            "（status: review）后用 itsms approve 批准",
        )
    ]
    # seal refuses it, alone or with --all, and writes nothing
    before = (root / qp50).read_bytes()
    out = run("seal", "GZDS-ITSMS-QP-50", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 1
    assert f"git 在 2026-10-10 的提交 {commit} 中 GZDS-ITSMS-QP-50 仍是审核中" in out.output
    out = run("seal", "--all", "--root", str(root), "--as-of", AS_OF)
    assert "已封存 0 个文件" in out.output and "GZDS-ITSMS-QP-50 (backdated_held)" in out.output
    assert (root / qp50).read_bytes() == before
    # approved on the day git held it under review: accepted, and seal records it
    (root / qp50).write_text(doc_text({**fields, "approved_on": "2026-10-10"}, stamp=False))
    assert not [f for f in _check_json(root)["findings"] if f["rule"] == "date-order"]
    assert run("seal", "GZDS-ITSMS-QP-50", "--root", str(root), "--as-of", AS_OF).exit_code == 0


# --- itsms reviewed (item 4) ----------------------------------------------------------------


def _overdue() -> dict[str, object]:
    first = {"version": "1.0", "date": "2025-03-01", "author": "张伟", "approved_by": "王芳"}
    return approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        approved_on="2025-03-01",
        effective="2025-03-05",
        history=[first],
    )


def test_reviewed_records_a_review_and_changes_nothing_else(corpus: Callable[..., Path]) -> None:
    import difflib

    root = corpus({QP18: doc_text(_overdue())})
    found = [f for f in _check_json(root)["findings"] if f["file"] == QP18]
    assert [f["rule"] for f in found] == ["review-overdue"]
    assert "itsms reviewed GZDS-ITSMS-QP-18" in found[0]["message"]
    path = root / QP18
    before = path.read_text(encoding="utf-8")
    args = ("reviewed", "GZDS-ITSMS-QP-18", "--by", "王芳", "--on", "2026-11-20")
    out = run(*args, "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 0, out.output
    assert "下次评审 2027-11-20" in out.output
    after = path.read_text(encoding="utf-8")
    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:1] in "+-"]
    assert diff == [
        "+ next_review: 2027-11-20",
        '+ - version: "1.0"',
        "+   date: 2026-11-20",
        '+   summary: "定期评审，无变更（评审人：王芳）"',
    ]
    # version, approval and fingerprint still hold: the check is clean
    assert [f for f in _check_json(root)["findings"] if f["file"] == QP18] == []
    # --next sets the date asked for; the cycle is review_months otherwise
    out = run(*args[:2], "--next", "2027-06-30", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 0 and "next_review: 2027-06-30" in path.read_text(encoding="utf-8")


def test_reviewed_is_refused_for_drafts_and_withdrawn_documents(
    corpus: Callable[..., Path],
) -> None:
    withdrawn = approved(
        "GZDS-ITSMS-QP-30", "旧程序", status="withdrawn", withdrawn_on="2026-05-01"
    )
    withdrawn["withdrawn_reason"] = "退役"
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-50.md": doc_text(_draft("GZDS-ITSMS-QP-50")),
            "procedures/GZDS-ITSMS-QP-30.md": doc_text(withdrawn),
        }
    )
    for doc_id, status in (("GZDS-ITSMS-QP-50", "draft"), ("GZDS-ITSMS-QP-30", "withdrawn")):
        path = root / f"procedures/{doc_id}.md"
        before = path.read_bytes()
        out = run("reviewed", doc_id, "--root", str(root), "--as-of", AS_OF)
        assert out.exit_code == 1
        assert f"{doc_id} 的状态是 {status}：只有已批准的现行文件才能记录定期评审" in out.output
        assert path.read_bytes() == before


def test_reviewed_is_refused_before_the_version_takes_effect(
    corpus: Callable[..., Path],
) -> None:
    pending = approved(
        "GZDS-ITSMS-QP-31", "新程序", approved_on="2026-11-20", effective="2026-12-15"
    )
    pending["history"][0]["date"] = "2026-11-20"
    root = corpus({"procedures/GZDS-ITSMS-QP-31.md": doc_text(pending)})
    path = root / "procedures/GZDS-ITSMS-QP-31.md"
    before = path.read_bytes()
    out = run("reviewed", "GZDS-ITSMS-QP-31", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 1, out.output
    assert "GZDS-ITSMS-QP-31 已批准但 2026-12-15 才生效：生效前没有可评审的现行版本" in out.output
    assert path.read_bytes() == before


# --- the itsms settings block of mkdocs.yml in the catalogue's words (issue 11) ---------------

SETTINGS_CASES = [
    (
        "{standard: iso9999, standards_dir: standards}",
        "zh",
        "mkdocs.yml 中的 itsms 设置有误，无法运行：standard 的值「iso9999」不是已知的标准；"
        "可用的标准：iso20000-1:2011, iso20000-1:2018, mini:2024（其他条款目录放在 standards_dir "
        "指定的文件夹中）",
    ),
    (
        "{review_warning_days: 两周, standards_dir: standards}",
        "zh",
        "mkdocs.yml 中的 itsms 设置有误，无法运行：review_warning_days 应为下次评审前提前"
        "提醒的天数，0 到 3650 的整数；这里写的是文字「两周」",
    ),
    (
        "{standard: 'mini:2024', standards_dir: standards, review_days: 30}",
        "zh",
        "mkdocs.yml 中的 itsms 设置有误，无法运行：未知设置 review_days（拼写错误？）；可用的设置："
        "standard, standards_dir, transition_to, transition_from, audit_period, exclusions, "
        "review_warning_days, id_pattern, id_prefixes, severity, lang, search_index_mb, "
        "raw_html, enabled",
    ),
    (
        "{standard: 'mini:2024', standards_dir: standards, id_pattern: '^QP-([0-9]+$'}",
        "zh",
        "mkdocs.yml 中的 itsms 设置有误，无法运行：id_pattern 的值「^QP-([0-9]+$」不是有效的"
        "正则表达式（第 5 个字符处出错）；应为文件编号须匹配的正则表达式，如 "
        "^GZDS-ITSMS-(QM|QP|WI|FM)-[0-9]{2,3}$",
    ),
    (
        "{standard: 'mini:2024', standards_dir: standards, exclusions: [{clause: 7.2}]}",
        "en",
        "mkdocs.yml: the itsms settings cannot be used: required field "
        "exclusions.0.justification is missing; exclusions.0.clause should be a quoted clause "
        'id, e.g. "4.5.4.3"; what is written is the number 7.2',
    ),
    (  # a misspelt rule code would silently change nothing
        "{standard: 'mini:2024', standards_dir: standards, severity: {no-evidnce: 'off'}}",
        "zh",
        "mkdocs.yml 中的 itsms 设置有误，无法运行：severity 中的「no-evidnce」不是规则代码，"
        "这一项不会起作用；是否应为 no-evidence？",
    ),
]


def test_settings_errors_are_catalogue_messages(corpus: Callable[..., Path]) -> None:
    root = corpus()
    config = root / "mkdocs.yml"
    head = config.read_text(encoding="utf-8").split("  - itsms:")[0]
    for block, lang, message in SETTINGS_CASES:
        config.write_text(f"{head}  - itsms: {block}\n", encoding="utf-8")
        out = run("check", "--root", str(root), "--as-of", AS_OF, "--lang", lang)
        assert out.exit_code == 2, block
        assert out.output.replace(f"{root}/", "") == f"Error: {message}\n", block
    # without --lang, the settings' own lang is used when it can be read
    config.write_text(f"{head}  - itsms: {{lang: en, enabled: 1}}\n", encoding="utf-8")
    out = run("check", "--root", str(root), "--as-of", AS_OF)
    assert out.exit_code == 2
    assert out.output.replace(f"{root}/", "") == (
        "Error: mkdocs.yml: the itsms settings cannot be used: "
        "enabled should be true or false; what is written is the number 1\n"
    )


def test_plain_mkdocs_build_says_a_settings_error_in_the_catalogue_words(
    corpus: Callable[..., Path],
) -> None:
    import os
    import sys

    root = corpus()
    config = root / "mkdocs.yml"
    head = config.read_text(encoding="utf-8").split("  - itsms:")[0]
    config.write_text(f"{head}  - itsms: {{review_warning_days: 两周}}\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "ITSMS_AS_OF": AS_OF},
        cwd=root,
    )
    assert proc.returncode == 1  # MkDocs's own code for a build it aborts
    assert "review_warning_days 应为下次评审前提前提醒的天数，0 到 3650 的整数" in proc.stderr
    assert "Expected type" not in proc.stderr
