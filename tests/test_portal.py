"""The portal's pages, from small corpora (the core, without MkDocs), and
``itsms build`` end to end: what a reader gets, and what never gets out."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import run_check
from generator.portal import Portal, PortalOptions, build_portal
from generator.settings import read_settings

from .conftest import AS_OF, approved, doc_text, front, record, run

DAY = dt.date.fromisoformat(AS_OF)

SECRET_DOC = approved(
    "GZDS-ITSMS-QP-40", "绝密应急预案", classification="confidential", clauses=["1.1"]
)
DRAFT_DOC = {
    "id": "GZDS-ITSMS-WI-01",
    "title": "草稿作业指导书",
    "type": "work-instruction",
    "version": "0.1",
    "status": "draft",
    "owner": "staff",
    "author": "李强",
}
HOSTILE = approved(
    "GZDS-ITSMS-QP-41",
    "<script>alert(1)</script>*粗体* [链接](javascript:x) {{ x }}",
    clauses=["1.2"],
    raci=[
        {
            "activity": "<img src=x onerror=alert(2)>",
            "R": ["staff"],
            "A": "management-rep",
            "C": [],
            "I": [],
        }
    ],
)
OLD_DOC = approved(
    "GZDS-ITSMS-QP-42", "旧管理评审程序", status="superseded", superseded_by=["GZDS-ITSMS-QP-18"]
)


def portal_files() -> dict[str, str | bytes]:
    qp18 = approved(
        "GZDS-ITSMS-QP-18",
        "管理评审程序",
        clauses=["1"],
        supersedes=["GZDS-ITSMS-QP-42"],
        raci=[
            {
                "activity": "主持管理评审",
                "R": ["management-rep"],
                "A": "top-management",
                "C": ["service-manager"],
                "I": ["staff"],
            },
            {
                "activity": "编制评审报告",
                "R": ["staff"],
                "A": "management-rep",
                "C": [],
                "I": ["top-management"],
            },
        ],
    )
    return {
        "procedures/GZDS-ITSMS-QP-18.md": doc_text(
            qp18, "## 1 目的\n\n规定管理评审的方法。参见《服务级别管理程序》GZDS-ITSMS-QP-10。\n"
        ),
        "procedures/GZDS-ITSMS-QP-40.md": doc_text(SECRET_DOC, "## 1 目的\n\n机密正文甲乙丙。\n"),
        "procedures/GZDS-ITSMS-WI-01.md": doc_text(DRAFT_DOC, "## 1 目的\n\n草稿正文丁戊己。\n"),
        "procedures/GZDS-ITSMS-QP-41.md": doc_text(HOSTILE),
        "procedures/GZDS-ITSMS-QP-42.md": doc_text(OLD_DOC, "## 1 目的\n\n旧版正文庚辛。\n"),
        "records/files/mr-2026.md": "# 纪要\n",
        "records/2026/R-QP18-2026-02.md": "---\n"
        + front(
            record(
                "R-QP18-2026-02",
                evidence="files/mr-2026.md",
                sha256="2b8c6b6e5b6a1a3b2f0e27d6e0f1c6b4f0e7c2d3c1b1a0f9e8d7c6b5a4f3e2d1",
            )
        )
        + "---\n会议决定增加两名值班人员。\n",
        "records/2026/R-QP40-2026-01.yml": front(
            record(
                "R-QP40-2026-01",
                procedure="GZDS-ITSMS-QP-40",
                classification="confidential",
                title="保密演练记录壬癸",
            )
        ),
    }


def make_portal(root: Path, preview: bool = False) -> Portal:
    settings = read_settings(root)
    result = run_check(root, settings, DAY)
    return build_portal(result, PortalOptions(DAY, preview=preview))


def page(portal: Portal, path: str) -> str:
    found = [p.expanded() for p in portal.pages if p.path == path]
    assert found, f"{path} not in {[p.path for p in portal.pages]}"
    return found[0]


def everything(portal: Portal) -> str:
    return "\n".join(p.title + "\n" + p.expanded() for p in portal.pages)


@pytest.fixture
def repo(corpus: Callable[..., Path]) -> Path:
    import hashlib

    files = portal_files()
    digest = hashlib.sha256(b"# \xe7\xba\xaa\xe8\xa6\x81\n").hexdigest()
    text = files["records/2026/R-QP18-2026-02.md"]
    assert isinstance(text, str)
    files["records/2026/R-QP18-2026-02.md"] = text.replace(
        "2b8c6b6e5b6a1a3b2f0e27d6e0f1c6b4f0e7c2d3c1b1a0f9e8d7c6b5a4f3e2d1", digest
    )
    return corpus(files)


def test_every_section_has_its_page(repo: Path) -> None:
    portal = make_portal(repo)
    paths = {p.path for p in portal.pages}
    for required in (
        "index.md",
        "manual/index.md",
        "procedures/index.md",
        "register.md",
        "clauses/index.md",
        "clauses/1.1.md",
        "clauses/1.md",
        "raci.md",
        "records/index.md",
        "obsolete/index.md",
        "procedures/GZDS-ITSMS-QP-18.md",
        "obsolete/GZDS-ITSMS-QP-42.md",
        "records/by-month/2026-06.md",
    ):
        assert required in paths
    titles = [n.title for n in portal.nav]
    assert titles == [
        "首页",
        "服务管理手册",
        "程序文件",
        "文件清单",
        "条款覆盖",
        "角色职责矩阵",
        "记录",
        "变更记录",
        "已作废文件",
        "文件控制台",
    ]


def test_confidential_and_draft_are_nowhere(repo: Path) -> None:
    text = everything(make_portal(repo))
    for secret in (
        "GZDS-ITSMS-QP-40",
        "绝密应急预案",
        "机密正文甲乙丙",
        "R-QP40-2026-01",
        "保密演练记录壬癸",
        "GZDS-ITSMS-WI-01",
        "草稿作业指导书",
        "草稿正文丁戊己",
    ):
        assert secret not in text, secret


def test_preview_shows_drafts_under_a_banner_but_never_confidential(repo: Path) -> None:
    portal = make_portal(repo, preview=True)
    draft = page(portal, "procedures/GZDS-ITSMS-WI-01.md")
    assert '!!! warning "草稿，未批准，不得使用"' in draft and "草稿正文丁戊己" in draft
    assert "机密正文甲乙丙" not in everything(portal)


def test_document_page_header_history_records_and_links(repo: Path) -> None:
    text = page(make_portal(repo), "procedures/GZDS-ITSMS-QP-18.md")
    print_line = "GZDS-ITSMS-QP-18 · 版本 1.0 · 打印件为非受控副本"
    assert f'<div class="itsms-print" data-search-exclude>{print_line}' in text  # not a snippet
    assert "# 管理评审程序" in text
    for label in (
        "文件编号",
        "版本",
        "状态",
        "责任角色",
        "编写",
        "批准",
        "批准日期",
        "生效日期",
        "下次评审",
        "满足条款",
    ):
        assert f"| {label} |" in text or f"| {label} " in text, label
    assert "[1](../clauses/1.md) 管理" in text  # clauses link to their trace
    assert "[《服务级别管理程序》GZDS-ITSMS-QP-10](GZDS-ITSMS-QP-10.md)" in text  # citation
    assert "## 修订历史" in text and "首次发布" in text
    assert "## 本文件产生的记录" in text
    assert "[R-QP18-2026-02](GZDS-ITSMS-QP-18.md#rec-r-qp18-2026-02)" in text
    listing = text.split("## 本文件产生的记录 {#itsms-records}")[1]
    assert '<span id="rec-r-qp18-2026-02"></span>R-QP18-2026-02' in listing
    assert "### R-QP18-2026-02 2026年管理评审报告\n\n会议决定增加两名值班人员。" in listing
    assert "2027-03-01" in text  # next review: 12 months after approval
    assert "引用本文件的文件" not in text or "GZDS-ITSMS-QP-10" in text


def test_archive_banner_names_the_replacement(repo: Path) -> None:
    portal = make_portal(repo)
    text = page(portal, "obsolete/GZDS-ITSMS-QP-42.md")
    assert text.count('!!! danger "已作废，不得使用"') == 1
    assert (
        "本文件已被 [GZDS-ITSMS-QP-18 管理评审程序](../procedures/GZDS-ITSMS-QP-18.md) 替代" in text
    )
    assert "GZDS-ITSMS-QP-42" in page(portal, "obsolete/index.md")
    assert "GZDS-ITSMS-QP-42" not in page(portal, "procedures/index.md")


def test_metadata_is_escaped_everywhere(repo: Path) -> None:
    portal = make_portal(repo)
    text = "\n".join(p.expanded() for p in portal.pages)  # titles are plain text (see below)
    assert "<script>" not in text and "<img" not in text and "{{" not in text
    assert "&#60;script&#62;alert(1)&#60;/script&#62;&#42;粗体&#42;" in text
    assert "&#91;链接&#93;(javascript:x)" in text


def test_register_lists_published_documents_sortably(repo: Path) -> None:
    text = page(make_portal(repo), "register.md")
    assert '<div class="itsms-sortable"><table data-search-exclude>' in text
    assert 'class="itsms-filter' in text
    rows = text.split("<tbody>")[1].split("<tr>")[1:]
    assert [r.split('">')[1].split("<")[0] for r in rows] == [
        "GZDS-ITSMS-QP-10",
        "GZDS-ITSMS-QP-18",
        "GZDS-ITSMS-QP-41",
        "GZDS-ITSMS-QP-42",
    ]
    assert rows[0].startswith('<td><a href="../procedures/GZDS-ITSMS-QP-10/">')
    assert "已被替代" in rows[3]


def test_clause_trace_lists_documents_and_dated_records(repo: Path) -> None:
    portal = make_portal(repo)
    text = page(portal, "clauses/1.1.md")
    assert "## 满足本条款的文件" in text
    assert '<td><a href="../../procedures/GZDS-ITSMS-QP-18/">GZDS-ITSMS-QP-18</a></td>' in text
    assert "审核期内的证据记录（2025-11-28..2026-11-27）" in text
    row = next(r for r in text.split("<tr>") if "R-QP18-2026-02" in r)
    assert "<td>2026-06-01</td>" in row and "<td>一致</td>" in row  # date and hash check
    assert '<a href="../../evidence/files/mr-2026.md.html">mr-2026.md</a>' in row
    assert (
        '<a href="../../procedures/GZDS-ITSMS-QP-18/#rec-r-qp18-2026-02">R-QP18-2026-02</a>'
    ) in row

    assert portal.evidence == {
        "evidence/files/mr-2026.md.html": str(repo / "records/files/mr-2026.md")
    }
    assert "1 份保密文件" in text  # the confidential QP-40 also meets 1.1, unnamed
    tree = page(portal, "clauses/index.md")
    assert '<li><a href="1.1/"><strong>1.1</strong> 评审</a> — ' in tree
    assert '<span class="itsms-badge itsms-badge--ok">已覆盖</span>' in tree  # a word, no emoji
    assert "✅" not in everything(portal)
    # the clause x month heatmap: 1.1 has its one record in June 2026
    heat = tree.split("证据热力图（条款 × 月份）")[1]
    row = next(r for r in heat.split("<tr>") if ">1.1</a>" in r)
    assert row.count("<td") == 13 and 'itsms-heat--2">2<' in row  # 2025-11 .. 2026-11
    assert '<a href="../records/by-month/2026-06/">2026-06</a>' in heat


def test_raci_matrix_takes_the_strongest_letter(repo: Path) -> None:
    text = page(make_portal(repo), "raci.md")
    matrix = text.split("## 角色 × 过程")[1].split("## 角色 × 活动")[0]
    assert '<div class="itsms-matrix">' in matrix
    staff = next(row for row in matrix.split("<tr>") if "部门员工" in row)
    cells = [c.split("</td>")[0] for c in staff.split("<td>")[1:]]
    # columns: role, QP-10, QP-18, QP-41: staff is I in QP-10, R (over I) in QP-18, R in QP-41
    assert cells[1:] == ["I", "R", "R"]
    assert '<abbr title="员工">部门员工</abbr>' in staff  # the description at hand


def test_console_states_coverage_and_findings(repo: Path) -> None:
    text = page(make_portal(repo), "console.md")
    assert "合规状态（截至 2026-11-27，mini:2024）" in text
    assert '<a class="itsms-stat itsms-stat--ok" href="../clauses/">' in text
    assert '<span class="itsms-stat__value">3 / 3</span>' in text
    assert (
        "已批准</span> <strong>3</strong>" in text and "已被替代</span> <strong>1</strong>" in text
    )


def test_build_publishes_and_a_failed_build_keeps_the_old_site(repo: Path) -> None:
    site = repo / "site"
    result = run("build", "--root", str(repo), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "门户已发布" in result.stdout
    index = (site / "console/index.html").read_text(encoding="utf-8")
    assert "合规状态" in index
    html = (site / "procedures/GZDS-ITSMS-QP-18/index.html").read_text(encoding="utf-8")
    assert "打印件为非受控副本" in html
    evidence = (site / "evidence/files/mr-2026.md.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in evidence and "<h1>纪要</h1>" in evidence
    assert not (site / "roles.yml").exists()
    raw_index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "管理" in raw_index  # UTF-8, not \uXXXX escapes: half the download
    search = json.loads(raw_index)

    blob = json.dumps(search, ensure_ascii=False)
    assert "管理评审" in blob.replace("\u200b", "")
    # the procedures index (a searched block: no Markdown) is still searchable, cell by cell
    listing = " ".join(
        d["text"].replace("\u200b", "")
        for d in search["docs"]
        if d["location"].startswith("procedures/#")
    )
    assert re.search(r"GZDS-ITSMS-QP-18\s+管理评审程序", listing)
    for secret in ("机密正文甲乙丙", "保密演练记录壬癸", "草稿正文丁戊己"):
        assert secret not in blob
    for html_file in site.rglob("*.html"):
        page_html = html_file.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in page_html and "<img src=x" not in page_html, html_file
        assert "机密正文甲乙丙" not in page_html and "草稿正文丁戊己" not in page_html
        assert "data-itsms-block" not in page_html  # every listing is in place

    assert not any(p.name.startswith(".site.") for p in repo.iterdir())

    # an integrity error: the check's report, exit 1, the published site untouched
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    bad = repo / "procedures/GZDS-ITSMS-QP-18.md"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("approved_by: 王芳", "approved_by: 张伟"), "utf-8"
    )
    failed = run("build", "--root", str(repo), "--as-of", AS_OF)
    assert failed.exit_code == 1
    assert "self-approval" in failed.stderr and "门户未发布" in failed.stderr
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not any(p.name.startswith(".site.") for p in repo.iterdir())


def test_compliance_findings_do_not_stop_the_build(corpus: Callable[..., Path]) -> None:
    root = corpus(
        {"records/2026/old.yml": front(record("R-OLD", date="2020-01-01", retention_years=1))}
    )
    result = run("build", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    console = (root / "site/console/index.html").read_text(encoding="utf-8")
    assert "记录超过保存期限（1）" in console and "retention-expired" not in console


def test_a_large_search_index_keeps_titles_and_beginnings(tmp_path: Path) -> None:
    from generator.searchindex import compact_search_index

    docs = [
        {"location": f"p{n}/", "title": f"程序{n}标题", "text": "<p>" + "正文内容" * 500 + "</p>"}
        for n in range(200)
    ]
    path = tmp_path / "search_index.json"
    path.write_text(json.dumps({"config": {"lang": ["zh"]}, "docs": docs}), encoding="utf-8")
    compact_search_index(path, 0)  # no budget: only re-encoded as UTF-8
    assert "正文内容" in path.read_text(encoding="utf-8")
    assert len(json.loads(path.read_text(encoding="utf-8"))["docs"][0]["text"]) == 2007
    compact_search_index(path, 0.2)
    assert path.stat().st_size <= 200_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [d["title"] for d in data["docs"]] == [f"程序{n}标题" for n in range(200)]
    first = data["docs"][0]["text"]
    assert first.startswith("<p>正文内容") and first.endswith("…") and len(first) < 2007


def test_a_link_to_a_document_by_its_file_stays_a_link(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """An id inside a Markdown link (its text or its target) or an HTML tag is left as
    written: only the ids of the running text become links (the target used to become
    ``[GZDS-ITSMS-QP-18](GZDS-ITSMS-QP-18).md``, a dead link)."""
    from .conftest import clean_doc

    qp10 = "procedures/GZDS-ITSMS-QP-10.md"
    text = (
        "## 1 目的\n\n见[管理评审](GZDS-ITSMS-QP-18.md)，"
        "[GZDS-ITSMS-QP-18 全文](../procedures/GZDS-ITSMS-QP-18.md)，"
        '<abbr title="GZDS-ITSMS-QP-18">评审</abbr>，以及 GZDS-ITSMS-QP-18。\n'
    )
    root = corpus({qp10: clean_doc(qp10, text, stamp=False)})
    site = tmp_path / "site"
    result = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site))
    assert result.exit_code == 0, result.output
    assert "not found among documentation files" not in result.output
    page = (site / "procedures/GZDS-ITSMS-QP-10/index.html").read_text("utf-8")
    assert '<a href="../GZDS-ITSMS-QP-18/">管理评审</a>' in page
    assert '<a href="../GZDS-ITSMS-QP-18/">GZDS-ITSMS-QP-18 全文</a>' in page
    assert '<abbr title="GZDS-ITSMS-QP-18">评审</abbr>' in page
    assert '以及 <a href="../GZDS-ITSMS-QP-18/">GZDS-ITSMS-QP-18</a>' in page


@pytest.mark.parametrize(
    "title",
    [
        "管理评审程序",
        "",
        'say "yes"',
        "C:\\path\\x",
        "key: value # not a comment",
        "- [a] {b} & *c !d %e @f `g` |h >i",
        "null",
        "true",
        "1.0",
        " leading and trailing ",
        "全角　空格",
        "line\u2028separator",
        "tab\there",
        "new\nline",
        "emoji 😀",
        "\ufeffbom",
        "'single'",
    ],
)
@pytest.mark.parametrize(
    "search,boost,wide",
    [(True, None, False), (False, None, True), (True, 0.5, True), (True, 1e-05, False)],
)
def test_a_pages_front_matter_reads_back_as_made(
    title: str, search: bool, boost: float | None, wide: bool
) -> None:
    """Whatever a title holds, MkDocs reads back the title and search settings the
    portal gave the page."""
    import yaml

    from generator.pagesource import page_source
    from generator.portal.markup import attr
    from generator.portal.site import PortalPage

    source = page_source(PortalPage("x.md", title, "正文\n", search=search, boost=boost, wide=wide))
    front = source.split("---\n")[1]
    wanted: dict[str, object] = {"title": attr(title)}
    if not search:
        wanted["search"] = {"exclude": True}
    elif boost is not None:
        wanted["search"] = {"boost": boost}
    if wide:
        wanted["hide"] = ["toc"]
    assert yaml.safe_load(front) == wanted


def test_a_full_width_space_in_a_value_is_kept() -> None:
    """A value is put on one line (spaces, tabs and line breaks one space); a full-width
    space, which Chinese titles use on purpose and browsers show, stays as written."""
    from generator.portal.markup import attr, h, md

    for escape in (h, md, attr):
        assert escape("文件　控制程序") == "文件　控制程序"
        assert escape(" 文件 \n\t 控制　　程序 ") == "文件 控制　　程序"
        assert escape("a\u2028b\u00a0c") == "a b c"


def test_raci_links_each_process_under_its_own_shelf(corpus: Callable[..., Path]) -> None:
    """A manual chapter with a RACI table is linked as part of the manual, a procedure as
    a procedure."""
    from .conftest import approved, doc_text

    raci = [{"activity": "体系策划", "R": ["management-rep"], "A": "management-rep"}]
    chapter = approved("GZDS-ITSMS-QM-01", "服务管理体系要求", type="manual", raci=raci)
    root = corpus({"content/manual/GZDS-ITSMS-QM-01.md": doc_text(chapter)})
    text = page(make_portal(root), "raci.md")
    assert "[服务管理手册 › 服务管理体系要求](manual/GZDS-ITSMS-QM-01.md)" in text
    assert "[程序文件 › 服务级别管理程序](procedures/GZDS-ITSMS-QP-10.md)" in text


def test_a_body_heading_records_is_the_authors_own(corpus: Callable[..., Path]) -> None:
    """A document's body with a heading {#records}: the page's own records section has
    another id, so each id is on the page once (a red team's case)."""
    from .conftest import clean_doc

    qp18 = "procedures/GZDS-ITSMS-QP-18.md"
    body = "## 1 目的\n\n正文。\n\n## 附：记录说明 {#records}\n\n作者自己的小节。\n"
    root = corpus({qp18: clean_doc(qp18, body)})
    text = page(make_portal(root), qp18)
    assert text.count("{#records}") == 1 and text.count("{#itsms-records}") == 1
    index = page(make_portal(root), "records/index.md")
    assert "GZDS-ITSMS-QP-18/#itsms-records" in index
