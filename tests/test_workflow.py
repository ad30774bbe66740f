"""Document control end to end, in a temporary git repository: new, approve,
revise, supersede, withdraw; what the portal serves along the way."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import run_check
from generator.portal import PortalOptions, build_portal
from generator.settings import read_settings

from .conftest import AS_OF, check_json, run

QP18 = "procedures/GZDS-ITSMS-QP-18.md"


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "文件管理员",
        "GIT_AUTHOR_EMAIL": "dc@example.org",
        "GIT_COMMITTER_NAME": "文件管理员",
        "GIT_COMMITTER_EMAIL": "dc@example.org",
    }
    out = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout


@pytest.fixture
def repo(corpus: Callable[..., Path]) -> Path:
    root = corpus()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    return root


def itsms(root: Path, *args: str, as_of: str = AS_OF) -> tuple[int, str]:
    result = run(*args, "--root", str(root), "--as-of", as_of)
    return result.exit_code, result.output


def pages(root: Path, as_of: str = AS_OF, preview: bool = False) -> dict[str, str]:
    day = dt.date.fromisoformat(as_of)
    result = run_check(root, read_settings(root), day)
    portal = build_portal(result, PortalOptions(day, preview=preview))
    return {p.path: p.expanded() for p in portal.pages}


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }


def fill(root: Path, doc_id: str, clauses: str = '["1"]') -> None:
    """Write the template's sections and cite clauses, as an author would."""
    path = root / f"procedures/{doc_id}.md"
    text = path.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    front = front.replace("clauses: []", f"clauses: {clauses}")
    body = "\n## 1 目的\n\n规定管理评审的做法。\n\n## 2 适用范围\n\n信息部。\n"
    path.write_text(front + "\n---\n" + body, encoding="utf-8")


def test_new_then_approve_is_clean(repo: Path) -> None:
    code, out = itsms(
        repo,
        "new",
        "procedure",
        "--title",
        "服务目录管理程序",
        "--owner",
        "service-manager",
        "--author",
        "李强",
    )
    assert code == 0, out
    assert "GZDS-ITSMS-QP-19" in out  # the next free number after QP-18
    text = (repo / "procedures/GZDS-ITSMS-QP-19.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\nid: GZDS-ITSMS-QP-19\ntitle: 服务目录管理程序\ntype: procedure\n"
        'version: "0.1"\nstatus: draft\nowner: service-manager\nauthor: 李强\n'
    )
    for n, section in enumerate(("目的", "适用范围", "职责", "工作程序", "相关文件", "记录"), 1):
        assert f"\n## {n} {section}\n" in text
    _, data = check_json(repo)
    assert data["summary"]["errors"] == 0
    fill(repo, "GZDS-ITSMS-QP-19")
    assert itsms(repo, "submit", "GZDS-ITSMS-QP-19")[0] == 0
    code, out = itsms(repo, "approve", "GZDS-ITSMS-QP-19", "--by", "张伟", "--summary", "首次发布")
    assert code == 0, out
    text = (repo / "procedures/GZDS-ITSMS-QP-19.md").read_text(encoding="utf-8")
    assert 'version: "1.0"\nstatus: approved\n' in text
    assert "approved_by: 张伟\napproved_on: 2026-11-27\neffective: 2026-11-27\n" in text
    assert (
        'history:\n  - version: "1.0"\n    date: 2026-11-27\n    author: 李强\n'
        "    approved_by: 张伟\n    summary: 首次发布\nfingerprint: sha256v2:"
    ) in text
    _, data = check_json(repo)
    assert data["findings"] == []


def test_refusals_change_no_file(repo: Path) -> None:
    before = snapshot(repo)
    assert itsms(repo, "approve", "GZDS-ITSMS-QP-99", "--by", "张伟")[0] == 2
    code, out = itsms(repo, "approve", "GZDS-ITSMS-QP-18", "--by", "张伟")  # the author
    assert code == 1 and "作者" in out
    code, out = itsms(repo, "approve", "GZDS-ITSMS-QP-18", "--by", "李强")  # unchanged
    assert code == 1 and "已经批准" in out
    assert itsms(repo, "new", "procedure", "--title", "X", "--owner", "nobody")[0] == 2
    assert itsms(repo, "supersede", "GZDS-ITSMS-QP-18", "--by", "GZDS-ITSMS-QP-98")[0] == 2
    assert itsms(repo, "withdraw", "GZDS-ITSMS-QP-97", "--reason", "x")[0] == 2
    assert itsms(repo, "revise", "GZDS-ITSMS-QP-96")[0] == 2
    assert snapshot(repo) == before


def test_body_edit_after_approval_is_stale(repo: Path) -> None:
    path = repo / QP18
    path.write_text(path.read_text(encoding="utf-8").replace("正文。", "正文（已改）。"), "utf-8")
    _, data = check_json(repo)
    assert [f["rule"] for f in data["findings"]] == ["stale-approval"]
    # re-approval after review puts it right, replacing the history entry of this version
    code, _ = itsms(repo, "approve", "GZDS-ITSMS-QP-18", "--by", "李强")
    assert code == 0
    text = path.read_text(encoding="utf-8")
    assert text.count("version: '1.0'") + text.count('version: "1.0"') == 2  # field + history
    _, data = check_json(repo)
    assert data["findings"] == []


def test_revise_keeps_serving_the_approved_version(repo: Path) -> None:
    path = repo / QP18
    code, out = itsms(repo, "revise", "GZDS-ITSMS-QP-18", "--summary", "增加评审输入")
    assert code == 0, out
    text = path.read_text(encoding="utf-8")
    assert "version: '1.1'" not in text and 'version: "1.1"' in text
    assert "status: draft" in text and "\napproved_by:" not in text
    assert "\nfingerprint:" not in text and "\neffective:" not in text

    path.write_text(text.replace("正文。", "新增的评审输入条款。"), "utf-8")
    git(repo, "commit", "-qam", "draft 1.1")
    # the check still counts the approved 1.0 (from git) as meeting its clauses
    _, data = check_json(repo)
    assert data["summary"]["errors"] == 0 and data["summary"]["coverage"]["covered"] == 3
    served = pages(repo)
    page = served["procedures/GZDS-ITSMS-QP-18.md"]
    assert "正文。" in page and "新增的评审输入条款" not in page
    assert "本文件正在修订（1.1 版草稿）" in page
    assert not any("新增的评审输入条款" in p for p in served.values())
    preview = pages(repo, preview=True)
    assert "新增的评审输入条款" in preview["preview/GZDS-ITSMS-QP-18.md"]
    # approve 1.1 to take effect later: 1.0 stays current until that day
    assert itsms(repo, "submit", "GZDS-ITSMS-QP-18")[0] == 0
    code, out = itsms(
        repo, "approve", "GZDS-ITSMS-QP-18", "--by", "李强", "--effective", "2026-12-15"
    )
    assert code == 0, out
    git(repo, "commit", "-qam", "approve 1.1")
    assert "正文。" in pages(repo)["procedures/GZDS-ITSMS-QP-18.md"]
    later = pages(repo, as_of="2026-12-20")
    current = later["procedures/GZDS-ITSMS-QP-18.md"]
    assert "新增的评审输入条款" in current
    old = later["obsolete/GZDS-ITSMS-QP-18-v1.0.md"]
    assert "本版本（1.0）已被" in old and "## 与 1.1 版的差异" in old
    # word by word: the changed words marked, the unchanged 。 not
    assert "<del>正文</del><ins>新增的评审输入条款</ins>。" in old
    assert "| 状态 | 已被替代 |" in old and "已批准" not in old.split("## 1 目的")[0]
    # the current version says what it changed, the same way
    revision = current.split("## 本版修订内容")[1].split("## 修订历史")[0]
    assert "**1.1**：增加评审输入" in revision and "与上一批准版本（1.0）相比" in revision
    assert "<del>正文</del><ins>新增的评审输入条款</ins>" in revision
    changes = later["changes.md"]
    assert changes.index("增加评审输入") < changes.index("首次发布")  # newest first
    commit = git(repo, "log", "--format=%H", "-1", "--", QP18).strip()
    history = current.split("## 修订历史")[1]
    assert f"`{commit[:10]}`" in history  # the commit 1.1 was approved in
    assert "[1.0](../obsolete/GZDS-ITSMS-QP-18-v1.0.md)" in history
    assert "增加评审输入" in history  # the revise summary became the history entry


def test_supersede_and_withdraw(repo: Path) -> None:
    code, _ = itsms(
        repo,
        "new",
        "procedure",
        "--title",
        "管理评审程序（新）",
        "--owner",
        "management-rep",
        "--author",
        "李强",
    )
    assert code == 0
    fill(repo, "GZDS-ITSMS-QP-19")
    assert itsms(repo, "submit", "GZDS-ITSMS-QP-19")[0] == 0
    assert itsms(repo, "approve", "GZDS-ITSMS-QP-19", "--by", "王芳")[0] == 0
    code, out = itsms(repo, "supersede", "GZDS-ITSMS-QP-18", "--by", "GZDS-ITSMS-QP-19")
    assert code == 0, out
    old = (repo / QP18).read_text(encoding="utf-8")
    new = (repo / "procedures/GZDS-ITSMS-QP-19.md").read_text(encoding="utf-8")
    assert "status: superseded" in old and "superseded_by: [GZDS-ITSMS-QP-19]" in old
    assert "superseded_on: 2026-11-27" in old
    assert "supersedes: [GZDS-ITSMS-QP-18]" in new
    code, out = itsms(repo, "withdraw", "GZDS-ITSMS-QP-10", "--reason", "服务级别并入新程序")
    assert code == 1 and "2" in out  # clause 2 would lose its only document
    code, out = itsms(
        repo, "withdraw", "GZDS-ITSMS-QP-10", "--reason", "服务级别并入新程序", "--force"
    )
    assert code == 0, out
    _, data = check_json(repo)
    assert not [
        f
        for f in data["findings"]
        if f["severity"] == "error" and f["rule"] not in ("uncovered-clause",)
    ]
    served = pages(repo)
    archive = served["obsolete/GZDS-ITSMS-QP-18.md"]
    assert (
        "本文件已被 [GZDS-ITSMS-QP-19 管理评审程序（新）](../procedures/GZDS-ITSMS-QP-19.md) 替代"
        in archive
    )
    withdrawn = served["obsolete/GZDS-ITSMS-QP-10.md"]
    assert "本文件已于 2026-11-27 作废：服务级别并入新程序" in withdrawn
    assert "procedures/GZDS-ITSMS-QP-18.md" not in served


def test_writers_keep_everything_else_byte_for_byte(repo: Path) -> None:
    path = repo / QP18
    original = path.read_text(encoding="utf-8")
    commented = original.replace(
        "title: 管理评审程序\n", "title: 管理评审程序  # 勿改\n# 审核备注\n"
    )
    commented = commented.replace("\n", "\r\n")
    path.write_bytes(commented.encode("utf-8"))
    code, out = itsms(repo, "revise", "GZDS-ITSMS-QP-18")
    assert code == 0, out
    after = path.read_bytes().decode("utf-8")
    front, body = after.split("---\r\n", 2)[1:]
    assert body == commented.split("---\r\n", 2)[2]  # the body, byte for byte
    assert "title: 管理评审程序  # 勿改\r\n# 审核备注\r\n" in front
    kept = [
        line
        for line in commented.split("\r\n")
        if not line.startswith(
            ("version", "status", "approved_by", "approved_on", "effective", "fingerprint")
        )
    ]
    assert [
        line for line in after.split("\r\n") if not line.startswith(("version", "status"))
    ] == kept


def test_an_interrupted_write_leaves_the_old_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(repo)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    code, out = itsms(repo, "revise", "GZDS-ITSMS-QP-18")
    assert code == 2 and "disk full" in out
    assert snapshot(repo) == before  # no half-written file, no temporary file left


def test_outside_git_the_check_says_so_once(corpus: Callable[..., Path]) -> None:
    out = run("check", "--root", str(corpus()), "--as-of", AS_OF).stdout
    assert out.count("不是 git 仓库") == 1
