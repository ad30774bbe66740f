"""The portal on real screens, in Debian's Chromium: a 1366x900 desktop and a 390x844
phone; search that finds the procedure; the redline; axe-core's accessibility check.
Each test saves a screenshot of what it looked at in tests/screenshots/ (git ignores it)."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import approved, doc_text, write_files
from .test_browser import _build, browser, clean_files, search, serve, shipped  # noqa: F401

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def screen(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(pg: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))


def open_page(pg: Any, url: str) -> None:
    pg.goto(url)
    pg.wait_for_load_state("networkidle")


OVERFLOW = """sel => [...document.querySelectorAll(sel)].filter(
    e => e.scrollWidth > e.clientWidth + 1).map(e => e.outerHTML.slice(0, 80))"""
WRAPPED_IDS = """sel => [...document.querySelectorAll(sel)].filter(
    e => e.getClientRects().length > 1).map(e => e.textContent)"""


def test_register_and_trace_fit_a_1366_screen(screen: Any, shipped: str) -> None:  # noqa: F811
    pg = screen
    open_page(pg, shipped + "register/")
    shot(pg, "register-1366")
    assert pg.evaluate(OVERFLOW, "article .md-typeset__scrollwrap, article table") == []
    ids = pg.locator(".itsms-sortable tbody td:first-child a")
    assert ids.count() >= 25
    assert pg.evaluate(WRAPPED_IDS, ".itsms-sortable tbody td:first-child a") == []
    heads = pg.locator(".itsms-sortable thead th").all_inner_texts()
    assert heads[-4:] == ["批准日期", "生效日期", "下次评审", "密级"]
    for th in pg.locator(".itsms-sortable thead th").all():  # every column in view
        box = th.bounding_box()
        assert box is not None and box["x"] + box["width"] <= DESKTOP["width"]

    open_page(pg, shipped + "clauses/4.5.4.3/")
    shot(pg, "trace-1366")
    assert pg.evaluate(OVERFLOW, "article .md-typeset__scrollwrap, article table") == []
    assert pg.evaluate(WRAPPED_IDS, "article td:first-child a") == []
    assert pg.locator("article td", has_text="一致").count() >= 1  # 校验 is in view
    assert pg.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_wide_matrix_keeps_its_first_column_in_view(screen: Any, shipped: str) -> None:  # noqa: F811
    pg = screen
    open_page(pg, shipped + "raci/")
    wrap = pg.locator(".itsms-matrix .md-typeset__scrollwrap").first
    wrap.scroll_into_view_if_needed()
    assert wrap.get_attribute("tabindex") == "0"  # a keyboard can scroll it
    before = wrap.locator("tbody td").first.bounding_box()
    wrap.evaluate("e => { e.scrollLeft = 600; }")
    pg.wait_for_timeout(100)
    shot(pg, "raci-scrolled-1366")
    after = wrap.locator("tbody td").first.bounding_box()
    third = wrap.locator("tbody tr").first.locator("td").nth(3).bounding_box()
    assert before and after and third
    assert abs(after["x"] - before["x"]) < 2  # the role stays where it was
    assert third["x"] < before["x"]  # while the processes moved under it


def test_document_header_stacks_on_a_phone(browser: Any, shipped: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    pg = context.new_page()
    try:
        open_page(pg, shipped + "procedures/GZDS-ITSMS-QP-18/")
        shot(pg, "qp18-390")
        assert pg.evaluate(OVERFLOW, ".itsms-meta, .itsms-meta *") == []
        cells = pg.locator(".itsms-meta tr").first.locator("th, td")
        boxes = [c.bounding_box() for c in cells.all()]
        assert all(b is not None for b in boxes)
        label, value, label2 = boxes[0], boxes[1], boxes[2]
        assert label and value and label2
        assert abs(label["y"] - value["y"]) < 2  # a label beside its value
        assert label2["y"] > label["y"] + label["height"] - 1  # the next pair below
        right = max(b["x"] + b["width"] for b in boxes if b)
        assert right <= PHONE["width"]
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "first"),
    [("变更管理", "GZDS-ITSMS-QP-04 变更管理程序"), ("管理评审", "GZDS-ITSMS-QP-18 管理评审程序")],
)
def test_a_process_name_finds_its_procedure_first(
    screen: Any,
    shipped: str,  # noqa: F811
    query: str,
    first: str,
) -> None:
    open_page(screen, shipped)
    titles = search(screen, query)
    shot(screen, f"search-{query}")
    assert titles and titles[0] == first, titles
    snippets = screen.locator(".md-search-result").inner_text()
    assert "打印件为非受控副本" not in snippets  # page chrome stays out of snippets


def test_a_word_in_no_document_finds_nothing(screen: Any, shipped: str) -> None:  # noqa: F811
    open_page(screen, shipped)
    assert search(screen, "请假") == []
    shot(screen, "search-请假")
    open_page(screen, shipped)  # a fresh box: the last "没有找到" must not be read again
    assert search(screen, "管理评审") != []  # the same search still finds what exists
    open_page(screen, shipped)
    titles = search(screen, "内部审")  # a word being typed finds the words it begins
    assert any("内部审核程序" in t for t in titles[:3]), titles


def test_feed_and_review_calendar_parse(shipped: str) -> None:  # noqa: F811
    import feedparser
    import icalendar

    with urllib.request.urlopen(shipped + "feed.xml") as response:
        feed = feedparser.parse(response.read())
    assert not feed.bozo and len(feed.entries) >= 20
    assert all(e.title.split("：")[0] in ("批准", "被替代", "作废") for e in feed.entries)
    assert any(e.title.startswith("批准：") and e.summary for e in feed.entries)
    with urllib.request.urlopen(shipped + "reviews.ics") as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    assert len(calendar.walk("VEVENT")) >= 26


def test_a_role_page_lists_activities_across_procedures(
    screen: Any,
    shipped: str,  # noqa: F811
) -> None:
    open_page(screen, shipped + "raci/")
    screen.locator("article a", has_text="管理者代表").first.click()
    screen.wait_for_load_state("networkidle")
    shot(screen, "role-1366")
    assert screen.locator("article h1").first.inner_text().startswith("管理者代表")
    section = screen.locator("article table").nth(1)  # 参与的活动
    procedures = set(section.locator("tbody td:first-child").all_inner_texts())
    assert len(procedures) >= 3, procedures
    assert section.locator(".itsms-badge", has_text="A 批准").count() >= 1


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=dc", "-c", "user.email=dc@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_redline_marks_inserted_and_deleted_phrases(
    screen: Any,
    tmp_path: Path,
    browser: Any,  # noqa: F811
) -> None:
    files = clean_files()
    root = write_files(tmp_path / "repo", files)
    qp18 = approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        clauses=["1"],
        version="1.1",
        approved_on="2026-05-01",
        effective="2026-05-05",
        history=[
            {
                "version": "1.1",
                "date": "2026-05-01",
                "author": "张伟",
                "approved_by": "王芳",
                "summary": "评审改为每半年一次，取消季度简报",
            }
        ],
    )
    path = root / "procedures/GZDS-ITSMS-QP-18.md"
    path.write_text(
        doc_text(
            approved("GZDS-ITSMS-QP-18", "管理评审程序", clauses=["1"]),
            "## 1 目的\n\n最高管理者每年主持一次管理评审，并编写季度简报。\n",
        ),
        encoding="utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "1.0")
    path.write_text(
        doc_text(qp18, "## 1 目的\n\n最高管理者每半年主持一次管理评审。\n"), encoding="utf-8"
    )
    _git(root, "commit", "-qam", "1.1")
    site = _build(root, tmp_path / "site")
    with serve(site) as url:
        open_page(screen, url + "procedures/GZDS-ITSMS-QP-18/#revision")
        redline = screen.locator(".itsms-redline")
        redline.scroll_into_view_if_needed()
        shot(screen, "redline-1366")
        inserted = redline.locator("ins").all_inner_texts()
        deleted = redline.locator("del").all_inner_texts()
        assert "半" in "".join(inserted) and "并编写季度简报" in "".join(deleted)
        style = redline.locator("del").first.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert "line-through" in style
        assert "评审改为每半年一次" in screen.locator("article").inner_text()
        open_page(screen, url + "obsolete/GZDS-ITSMS-QP-18-v1.0/")
        header = screen.locator(".itsms-meta").inner_text()
        assert "已被替代" in header and "已批准" not in header


AXE_PAGES = {
    "首页": "",
    "程序文件": "procedures/GZDS-ITSMS-QP-18/",
    "文件清单": "register/",
    "角色职责矩阵": "raci/",
    "条款追溯": "clauses/4.5.4.3/",
    "文件控制台": "console/",
    # and the other new pages
    "条款覆盖": "clauses/",
    "变更记录": "changes/",
    "角色": "roles/management-rep/",
}


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_serious_violation(screen: Any, shipped: str, name: str) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    open_page(screen, shipped + AXE_PAGES[name])
    shot(screen, f"axe-{AXE_PAGES[name].strip('/').replace('/', '-') or 'home'}")
    results = Axe().run(screen)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
