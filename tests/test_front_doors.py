"""The two front doors (首页 for staff, 文件控制台 for controllers), role pages, what
changed (本版修订内容, 变更记录, feed.xml, reviews.ics) and the quiet, correct
tooling around MkDocs (anchors, serve)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.redline import changes, word_diff

from .conftest import AS_OF, MKDOCS, approved, doc_text, run
from .test_portal import OLD_DOC, make_portal, page, portal_files

WITHDRAWN = approved(
    "GZDS-ITSMS-QP-43",
    "旧服务报告程序",
    status="withdrawn",
    withdrawn_on="2026-10-08",
    withdrawn_reason="并入服务级别管理程序",
)


@pytest.fixture
def repo(corpus: Callable[..., Path]) -> Path:
    files = portal_files()
    files["procedures/GZDS-ITSMS-QP-43.md"] = doc_text(WITHDRAWN)
    files["procedures/GZDS-ITSMS-QP-42.md"] = doc_text(
        {**OLD_DOC, "superseded_on": "2026-04-02"}, "## 1 目的\n\n旧版正文庚辛。\n"
    )
    return corpus(files)


def test_home_is_for_staff(repo: Path) -> None:
    text = page(make_portal(repo), "index.md")
    assert '<label class="itsms-searchbox" for="__search">' in text  # opens Material's search
    recent = text.split("## 最近更新")[1].split("## ")[0]
    assert "首次发布" in recent  # the one-line summary of each change
    assert '<a href="procedures/GZDS-ITSMS-QP-18/#revision">管理评审程序 1.0</a>' in recent
    assert '<a href="changes/">全部变更记录 ›</a>' in text
    cards = text.split("## 按过程查找程序")[1].split("## ")[0]
    assert '<a class="itsms-card" href="procedures/GZDS-ITSMS-QP-10/">' in cards
    assert "<strong>服务级别管理程序</strong>" in cards
    assert '<a href="roles/service-manager/">服务经理</a>' in text
    # nothing for controllers here: no findings, no rule codes
    assert "retention-expired" not in text and "合规状态" not in text


def test_console_groups_findings_in_plain_chinese(corpus: Callable[..., Path]) -> None:
    files = portal_files()
    # QP-10 refers to the superseded QP-42; nothing covers clause 2 any more
    qp10 = approved(
        "GZDS-ITSMS-QP-10",
        "服务级别管理程序",
        clauses=["1.2"],
        references=["GZDS-ITSMS-QP-42"],
    )
    files["procedures/GZDS-ITSMS-QP-10.md"] = doc_text(qp10)
    root = corpus(files)
    text = page(make_portal(root), "console.md")
    assert '<a class="itsms-stat itsms-stat--bad" href="../clauses/">' in text  # 2 / 3
    assert '2 / 3<span class="itsms-stat__short">未达 100%</span>' in text
    assert "### 条款未覆盖（1） {#findings-1}" in text  # errors first, counted
    assert "### 引用了已作废文件（1）" in text
    assert '<a href="../clauses/2/">2</a>' in text  # the finding leads to its clause
    assert '<a href="../procedures/GZDS-ITSMS-QP-10/">GZDS-ITSMS-QP-10</a>' in text
    assert "引用文件 引用的 GZDS-ITSMS-QP-42" in text
    for code in ("uncovered-clause", "obsolete-reference", "references"):
        assert code not in text, code


def test_role_page_lists_what_the_role_owns_does_reviews_and_keeps(repo: Path) -> None:
    portal = make_portal(repo)
    text = page(portal, "roles/management-rep.md")
    assert text.startswith("# 管理者代表")
    owns = text.split("## 负责的文件")[1].split("## ")[0]
    assert "GZDS-ITSMS-QP-18" in owns and "GZDS-ITSMS-QP-42" not in owns  # current only
    activities = text.split("## 参与的活动")[1].split("## ")[0]
    assert "3 个程序中的 4 项活动。" in activities
    assert "<td>主持管理评审</td>" in activities and "R 执行" in activities
    assert "<td>评审服务级别</td>" in activities and "A 批准" in activities
    assert "2027-03-01" in text.split("## 评审到期")[1]
    assert "R-QP18-2026-02" in text.split("## 保管的记录")[1]
    raci = page(portal, "raci.md")
    assert "[管理者代表](roles/management-rep.md)" in raci


def test_word_level_redline_of_chinese_text() -> None:
    pieces = word_diff("变更经理每周召开变更评审会议。", "变更经理每月召开变更顾问委员会会议。")
    marked = "".join(
        f"[+{p.text}]" if p.op == "ins" else f"[-{p.text}]" if p.op == "del" else p.text
        for p in pieces
    )
    assert marked == "变更经理[-每周][+每月]召开变更[-评审][+顾问委员会]会议。"
    found = changes(
        "## 1 目的\n\n不变。\n\n## 2 职责\n\n旧的一段。\n",
        "## 1 目的\n\n不变。\n\n## 2 职责\n\n新的一段。\n",
    )
    assert len(found) == 1 and found[0].heading == "2 职责"
    assert found[0].deleted == ["旧"] and found[0].inserted == ["新"]


def test_change_log_feed_and_review_calendar(repo: Path) -> None:
    import feedparser
    import icalendar

    portal = make_portal(repo)
    log = page(portal, "changes.md")
    rows = [r for r in log.split("<tr>") if "<td>" in r]
    kinds = [r.split("itsms-badge--")[1].split('"')[0] for r in rows]
    assert kinds[0] == "withdrawn" and "2026-10-08" in rows[0]  # newest first
    assert kinds.count("approved") >= 3
    superseded = rows[kinds.index("superseded")]
    assert "<td>2026-04-02</td>" in superseded and "GZDS-ITSMS-QP-42" in superseded
    feed = feedparser.parse(portal.files["feed.xml"])
    assert not feed.bozo, feed.bozo_exception
    titles = [e.title for e in feed.entries]
    assert titles[0] == "作废：GZDS-ITSMS-QP-43 旧服务报告程序 1.0"
    assert any(t.startswith("批准：GZDS-ITSMS-QP-18 管理评审程序") for t in titles)
    assert feed.entries[0].summary == "并入服务级别管理程序"
    calendar = icalendar.Calendar.from_ical(portal.files["reviews.ics"])
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    review = events["评审到期：GZDS-ITSMS-QP-18 管理评审程序"]
    assert review.decoded("DTSTART") == dt.date(2027, 3, 1)
    assert not any("QP-43" in s or "QP-42" in s for s in events)  # current documents only
    assert all(len(line.encode()) <= 75 for line in portal.files["reviews.ics"].split("\r\n"))


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "dc",
        "GIT_AUTHOR_EMAIL": "dc@example.org",
        "GIT_COMMITTER_NAME": "dc",
        "GIT_COMMITTER_EMAIL": "dc@example.org",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_an_archived_version_is_not_approved_under_its_banner(
    corpus: Callable[..., Path],
) -> None:
    root = corpus()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "1.0")
    qp18 = approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        version="1.1",
        approved_on="2026-05-01",
        effective="2026-05-05",
        history=[
            {
                "version": "1.0",
                "date": "2026-03-01",
                "author": "张伟",
                "approved_by": "王芳",
                "summary": "首次发布",
            },
            {
                "version": "1.1",
                "date": "2026-05-01",
                "author": "张伟",
                "approved_by": "王芳",
                "summary": "评审改为每半年一次",
            },
        ],
    )
    (root / "procedures/GZDS-ITSMS-QP-18.md").write_text(
        doc_text(qp18, "## 1 目的\n\n正文每半年评审一次。\n"), encoding="utf-8"
    )
    _git(root, "commit", "-qam", "1.1")
    portal = make_portal(root)
    old = page(portal, "obsolete/GZDS-ITSMS-QP-18-v1.0.md")
    header = old.split("# 管理评审程序")[1].split("## 1 目的")[0]
    assert "已被替代" in header and "已批准" not in header
    current = page(portal, "procedures/GZDS-ITSMS-QP-18.md")
    revision = current.split("## 本版修订内容 {#revision}")[1]
    assert "**1.1**：评审改为每半年一次" in revision
    assert "正文<ins>每半年评审一次</ins>。" in revision


def test_strict_build_with_anchor_validation(repo: Path) -> None:
    """Every anchor a page links to exists when MkDocs validates, listings included."""
    (repo / "mkdocs.yml").write_text(MKDOCS + "validation:\n  anchors: warn\n", encoding="utf-8")
    env = {**os.environ, "ITSMS_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(repo / "out")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "WARNING -" not in out.stderr and "does not contain an anchor" not in out.stderr
    assert "not included" not in out.stderr  # pages reached from pages, not from the nav


def test_build_prints_only_what_a_person_needs(repo: Path) -> None:
    result = run("build", "--root", str(repo), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith("检查完成") and "门户已发布" in lines[1]
    site = repo / "site"
    assert (site / "feed.xml").is_file() and (site / "reviews.ics").is_file()
    worker = next((site / "assets/javascripts/workers").glob("search*.js"))
    assert worker.read_text(encoding="utf-8").startswith("/* itsms:")


def test_serve_watches_documents_and_records(repo: Path) -> None:
    from mkdocs.config import load_config

    from generator.plugin import ItsmsPlugin

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(repo / "mkdocs.yml"))
    plugin = config.plugins["itsms"]
    assert isinstance(plugin, ItsmsPlugin)
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)

    class Server:
        watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server: Any = Server()
    plugin.on_serve(server, config, None)
    assert sorted(Path(p).name for p in server.watched) == ["procedures", "records"]


def test_serve_shows_a_rejected_edit_in_the_page(repo: Path) -> None:
    from mkdocs.config import load_config

    from generator.plugin import ItsmsPlugin

    config = load_config(str(repo / "mkdocs.yml"))
    plugin = config.plugins["itsms"]
    assert isinstance(plugin, ItsmsPlugin)
    os.environ["ITSMS_AS_OF"] = AS_OF
    try:
        plugin.on_startup(command="serve", dirty=False)
        plugin.on_config(config)
        assert plugin.portal is not None and not plugin.rejected
        path = repo / "procedures/GZDS-ITSMS-QP-18.md"
        path.write_text(
            path.read_text(encoding="utf-8").replace("approved_by: 王芳", "approved_by: 张伟"),
            encoding="utf-8",
        )
        plugin.on_config(load_config(str(repo / "mkdocs.yml")))
    finally:
        del os.environ["ITSMS_AS_OF"]
    assert plugin.portal is plugin.last_good  # the last good preview stays
    assert "最近的修改未通过检查" in plugin.rejected
    assert "procedures/GZDS-ITSMS-QP-18.md:" in plugin.rejected and "作者" in plugin.rejected


def test_serve_leaves_out_mkdocs_chatter() -> None:
    import logging

    from generator.cli import _serve_filter

    def shown(message: str) -> bool:
        return _serve_filter(logging.makeLogRecord({"msg": message}))

    assert not shown("Building documentation...") and not shown("Cleaning site directory")
    assert shown("[13:31:51] Serving on http://127.0.0.1:8000/")
    assert shown("procedures/GZDS-ITSMS-QP-18.md:9 self-approval: 批准人「张伟」就是作者")


def test_every_rule_has_a_plain_label_for_the_console() -> None:
    from generator.i18n import text
    from generator.rules import RULES

    for code in RULES:
        for lang in ("zh", "en"):
            assert text(f"group.{code}", lang) != f"group.{code}", (code, lang)
