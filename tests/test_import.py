"""itsms import: real Word files (built with python-docx) and Markdown files become
controlled documents; the front matter and body are compared field by field."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import run_check
from generator.importer import map_version
from generator.load import split_front_matter
from generator.portal import PortalOptions, build_portal
from generator.settings import read_settings

from .conftest import AS_OF, approved, check_json, doc_text, run

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

HEADER = [
    ["文件编号", "GZDS-ITSMS-QP-30", "文件名称", "变更管理程序"],
    ["版本", "A/1", "编制", "张伟"],
    ["审核", "李娜", "批准", "王芳 2026年3月1日"],
    ["生效日期", "2026-03-05", "分发号", "01"],
]

BODY = """\
## 1 目的

本程序规定**变更**的*评审*要求。

## 2 工作程序

1. 提交变更申请
2. 评审变更
3. 实施变更

<!-- -->

- 变更经理
- 变更咨询委员会

| 步骤 | 负责 | 记录 |
|---|---|---|
| 申请 | 申请人 | 变更单 |

![变更流程图]({id}/image1.png)

见附件，共 1 页。
"""


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def word_file(path: Path, header: list[list[str]] | None = None) -> Path:
    """A procedure as departments write it: the header table, then the text."""
    document = docx.Document()
    rows = HEADER if header is None else header
    if rows:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.add_heading("1 目的", level=1)
    para = document.add_paragraph("本程序规定")
    para.add_run("变更").bold = True
    para.add_run("的")
    para.add_run("评审").italic = True
    para.add_run("要求。")
    document.add_heading("2 工作程序", level=1)
    for step in ("提交变更申请", "评审变更", "实施变更"):
        document.add_paragraph(step, style="List Number")
    for item in ("变更经理", "变更咨询委员会"):
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["步骤", "负责", "记录"], ["申请", "申请人", "变更单"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    picture = path.parent / "flow.png"
    picture.write_bytes(tiny_png())
    document.add_picture(str(picture), width=Cm(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "变更流程图")
    last = document.add_paragraph("见附件，共 ")
    last._p.append(
        parse_xml(
            f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r>'
            "</w:fldSimple>"
        )
    )
    last.add_run(" 页。")
    document.add_comment(last.runs, text="请补充附件", author="李娜")
    document.save(str(path))
    return path


def itsms(root: Path, *args: str) -> tuple[int, str, str]:
    result = run(*args, "--root", str(root), "--as-of", AS_OF)
    return result.exit_code, result.stdout, result.stderr


def read_doc(path: Path) -> tuple[str, dict[str, object], str]:
    text = path.read_text(encoding="utf-8")
    front, body, _, _ = split_front_matter(text)
    return text, yaml.safe_load(front or ""), body


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def root(corpus: Callable[..., Path]) -> Path:
    return corpus()


def test_word_file_approved_on_paper(root: Path, tmp_path: Path) -> None:
    source = word_file(tmp_path / "变更管理程序.docx")
    code, out, err = itsms(root, "import", str(source), "--owner", "管理者代表")
    assert code == 0, err
    target = root / "procedures/GZDS-ITSMS-QP-30.md"
    text, meta, body = read_doc(target)
    assert meta == {
        "id": "GZDS-ITSMS-QP-30",
        "title": "变更管理程序",
        "type": "procedure",
        "version": "1.1",  # 版本 A/1: edition A = 1, revision 1
        "status": "approved",
        "owner": "management-rep",  # the role named 管理者代表, written as its id
        "author": "张伟",
        "approved_by": "王芳",
        "approved_on": dt.date(2026, 3, 1),
        "effective": dt.date(2026, 3, 5),
        "x-reviewed_by": "李娜",
        "classification": "internal",
        "clauses": [],
        "records": [],
        "references": [],
        "raci": [],
        "history": [
            {
                "version": "1.1",
                "date": dt.date(2026, 3, 1),
                "author": "张伟",
                "approved_by": "王芳",
                "summary": "纸质批准，导入受控",
            }
        ],
    }
    assert 'version: "1.1"' in text  # a quoted string, never the number 1.1
    assert "fingerprint" not in text  # sealed later, after the controller's review
    assert body == "\n" + BODY.format(id="GZDS-ITSMS-QP-30")
    picture = root / "procedures/GZDS-ITSMS-QP-30/image1.png"
    assert picture.read_bytes() == tiny_png()
    assert out.splitlines() == [
        f"已导入 {source} → procedures/GZDS-ITSMS-QP-30.md（GZDS-ITSMS-QP-30，纸质批准，"
        "已批准但尚无指纹：itsms check 报 unsealed-approval，核对后运行 itsms seal "
        "GZDS-ITSMS-QP-30）",
        "  图片 1 个，保存在 procedures/GZDS-ITSMS-QP-30/",
        "  未能转换：域代码  NUMPAGES （只保留了显示的文字）",
        "  未能转换：批注「请补充附件」",
        "  未能转换：表头中的「分发号：01」没有对应字段",
        '  说明：版本「A/1」记为 "1.1"',
    ]
    _, report = check_json(root)
    rules = {f["rule"] for f in report["findings"] if f["file"] == "procedures/GZDS-ITSMS-QP-30.md"}
    # approved on paper and not sealed: reported until `itsms seal` records the fingerprint
    assert rules and rules <= {"unsealed-approval", "stale-approval"}


def test_word_file_without_approval_is_a_draft(root: Path, tmp_path: Path) -> None:
    header = [
        ["编号", "GZDS-ITSMS-QP-31", "名称", "事件管理程序"],
        ["编写", "张伟", "审核", "李娜"],
        ["批准", "", "实施日期", ""],
    ]
    source = word_file(tmp_path / "事件.docx", header)
    code, out, _ = itsms(root, "import", str(source), "--owner", "service-manager")
    assert code == 0
    _, meta, body = read_doc(root / "procedures/GZDS-ITSMS-QP-31.md")
    assert meta["status"] == "draft"
    assert meta["version"] == "0.1"
    assert meta["title"] == "事件管理程序"
    assert meta["author"] == "张伟"
    assert "approved_by" not in meta and "approved_on" not in meta
    assert body == "\n" + BODY.format(id="GZDS-ITSMS-QP-31")
    assert "（GZDS-ITSMS-QP-31，草稿）" in out
    assert "  说明：文件未写版本，记为 0.1" in out
    code, report = check_json(root)
    assert code == 0
    assert [f for f in report["findings"] if f["id"] == "GZDS-ITSMS-QP-31"] == []

    # a preview build publishes the page with its picture beside it in the site
    day = dt.date.fromisoformat(AS_OF)
    result = run_check(root, read_settings(root), day)
    portal = build_portal(result, PortalOptions(day, preview=True))
    page = next(p for p in portal.pages if p.path == "procedures/GZDS-ITSMS-QP-31.md")
    assert "![变更流程图](<../attachments/procedures/GZDS-ITSMS-QP-31/image1.png>)" in (
        page.expanded()
    )
    site_path = "attachments/procedures/GZDS-ITSMS-QP-31/image1.png"
    assert Path(portal.evidence[site_path]).read_bytes() == tiny_png()
    # ... and a normal build, which does not publish drafts, copies no picture
    published = build_portal(result, PortalOptions(day))
    assert site_path not in published.evidence


def test_id_off_the_pattern_or_taken_gets_the_next_free_id(root: Path, tmp_path: Path) -> None:
    taken = [["文件编号", "GZDS-ITSMS-QP-18", "文件名称", "管理评审程序（旧）"], ["批准", ""]]
    off = [["文件编号", "BG-ZD-007", "文件名称", "问题管理程序"], ["批准", ""]]
    first = word_file(tmp_path / "a.docx", taken)
    second = word_file(tmp_path / "b.docx", off)
    code, out, _ = itsms(root, "import", str(first), str(second), "--owner", "staff")
    assert code == 0
    assert "  说明：编号 GZDS-ITSMS-QP-18 已被其他文件使用，改用 GZDS-ITSMS-QP-19" in out
    assert "  说明：编号 BG-ZD-007 不符合设置的编号规则（id_pattern），改用 GZDS-ITSMS-QP-20" in out
    assert read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")[1]["title"] == "管理评审程序（旧）"
    assert read_doc(root / "procedures/GZDS-ITSMS-QP-20.md")[1]["title"] == "问题管理程序"
    assert read_doc(root / "procedures/GZDS-ITSMS-QP-18.md")[1]["title"] == "管理评审程序"


def test_unreadable_or_missing_files_write_nothing(root: Path, tmp_path: Path) -> None:
    fake = tmp_path / "程序.docx"
    fake.write_text("这是一个文本文件", encoding="utf-8")
    good = word_file(tmp_path / "good.docx")
    before = snapshot(root)
    code, out, err = itsms(root, "import", str(good), str(fake), "--owner", "staff")
    assert code == 2
    assert err == (
        f"itsms: {fake} 不是可读的 Word 文件（.docx）或 Markdown 文件（.md）；"
        "旧版 .doc 请先在 Word 中另存为 .docx。未写入任何文件\n"
    )
    assert out == ""
    assert snapshot(root) == before  # not even the good file of the batch

    code, _, err = itsms(root, "import", str(tmp_path / "无此文件.docx"), "--owner", "staff")
    assert code == 2
    assert err == f"itsms: 找不到文件 {tmp_path / '无此文件.docx'}\n"
    code, _, err = itsms(root, "import", str(fake), "--owner", "staff", "--lang", "en")
    assert code == 2
    assert err.startswith(f"itsms: {fake} is not a readable Word (.docx) or Markdown")
    assert snapshot(root) == before


def test_never_overwrites(root: Path, tmp_path: Path) -> None:
    (root / "procedures/GZDS-ITSMS-QP-30").mkdir()
    (root / "procedures/GZDS-ITSMS-QP-30/image1.png").write_bytes(b"theirs")
    before = snapshot(root)
    code, _, err = itsms(root, "import", str(word_file(tmp_path / "a.docx")), "--owner", "staff")
    assert code == 1
    assert err == "itsms: procedures/GZDS-ITSMS-QP-30 已存在，不会覆盖\n"
    assert snapshot(root) == before


def test_owner_is_checked_like_itsms_new(root: Path, tmp_path: Path) -> None:
    source = word_file(tmp_path / "a.docx")
    before = snapshot(root)
    code, _, err = itsms(root, "import", str(source), "--owner", "变更经理")
    assert code == 2
    assert err.startswith("itsms: 角色 变更经理 不在 content/roles.yml 中")
    code, _, new_err = itsms(root, "new", "procedure", "--title", "T", "--owner", "变更经理")
    assert (code, new_err) == (2, err)  # the same refusal as `itsms new`
    code, _, err = itsms(root, "import", str(source))
    assert code == 2
    assert "没有写明归口角色；请用 --owner 指定" in err
    assert snapshot(root) == before
    # a role's exact name is that role, written as its id, by both verbs
    code, out, _ = itsms(root, "new", "procedure", "--title", "T", "--owner", "服务经理")
    assert code == 0
    assert read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")[1]["owner"] == "service-manager"


def test_markdown_without_front_matter(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "问题管理.md"
    source.write_text("# 问题管理程序\n\n## 1 目的\n\n找出事件的根本原因。\n", encoding="utf-8")
    code, out, _ = itsms(root, "import", str(source), "--owner", "服务经理")
    assert code == 0
    text, meta, body = read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")
    assert meta["id"] == "GZDS-ITSMS-QP-19"
    assert meta["title"] == "问题管理程序"
    assert meta["type"] == "procedure"
    assert meta["version"] == "0.1" and 'version: "0.1"' in text
    assert meta["status"] == "draft"
    assert meta["owner"] == "service-manager"
    assert isinstance(meta["author"], str) and meta["author"]
    assert body == "\n## 1 目的\n\n找出事件的根本原因。\n"  # the title went to the front matter
    assert "  说明：文件未写编号，分配新编号 GZDS-ITSMS-QP-19" in out
    code, report = check_json(root)
    assert code == 0
    assert [f for f in report["findings"] if f["id"] == "GZDS-ITSMS-QP-19"] == []


def test_markdown_with_partial_front_matter(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "plan.md"
    source.write_text(
        "---\n# 服务连续性\ntitle: 服务连续性计划\ntype: plan\nversion: 2.1\nauthor: 李娜\n"
        "status: approved\n---\n\n## 1 范围\n\n全部服务。\n",
        encoding="utf-8",
    )
    code, out, _ = itsms(root, "import", str(source), "--owner", "top-management")
    assert code == 0
    text, meta, body = read_doc(root / "procedures/GZDS-ITSMS-PL-01.md")
    assert text.startswith("---\nid: GZDS-ITSMS-PL-01\n# 服务连续性\ntitle: 服务连续性计划\n")
    assert meta["type"] == "plan"
    assert meta["version"] == "2.1" and 'version: "2.1"' in text
    assert meta["status"] == "draft"  # approved, but no approver or date given
    assert meta["author"] == "李娜"
    assert meta["owner"] == "top-management"
    assert body == "\n## 1 范围\n\n全部服务。\n"
    assert '  说明：版本「2.1」记为 "2.1"' in out
    assert "  说明：状态 approved 没有批准人和批准日期，按草稿导入" in out

    # the options win over what the file says, and the import says so
    source.write_text(
        source.read_text(encoding="utf-8").replace("author:", "owner: staff\nauthor:")
    )
    code, out, _ = itsms(
        root, "import", str(source), "--owner", "top-management", "--type", "policy"
    )
    assert code == 0
    _, meta, _ = read_doc(root / "procedures/GZDS-ITSMS-PO-01.md")
    assert (meta["type"], meta["owner"]) == ("policy", "top-management")
    assert "  说明：字段 type 的「plan」按命令行选项改为 policy" in out
    assert "  说明：字段 owner 的「staff」按命令行选项改为 top-management" in out


@pytest.mark.parametrize(
    ("written", "version"),
    [
        ("1.0", "1.0"),
        ("V2.3", "2.3"),
        ("第2版", "2.0"),
        ("3", "3.0"),
        ("A/0", "1.0"),
        ("B/1", "2.1"),
        ("C", "3.0"),
        ("草案", None),
    ],
)
def test_paper_versions(written: str, version: str | None) -> None:
    assert map_version(written) == version


def test_header_across_columns_and_text_that_looks_like_markup(root: Path, tmp_path: Path) -> None:
    """Labels in one row and values below; Word text that Markdown would read as
    markup (a list number, HTML, asterisks) stays text."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=5)
    labels = ["文件编号", "文件名称", "版本号", "编写人", "发布日期"]
    values = ["GZDS-ITSMS-QP-40", "配置管理程序", "V2.0", "张伟", "2026/4/1"]
    for c, (label, value) in enumerate(zip(labels, values, strict=True)):
        table.cell(0, c).text = label
        table.cell(1, c).text = value
    document.add_paragraph("1. 这不是列表，而是正文中的编号")
    document.add_paragraph("<script>alert(1)</script> 与 *星号* 原样显示")
    source = tmp_path / "配置.docx"
    document.save(str(source))
    code, out, _ = itsms(root, "import", str(source), "--owner", "staff")
    assert code == 0
    _, meta, body = read_doc(root / "procedures/GZDS-ITSMS-QP-40.md")
    assert (meta["id"], meta["title"], meta["version"], meta["author"]) == (
        "GZDS-ITSMS-QP-40",
        "配置管理程序",
        "2.0",
        "张伟",
    )
    assert meta["status"] == "draft"  # a release date but no approver: not approved on paper
    assert body == (
        "\n1\\. 这不是列表，而是正文中的编号\n\n"
        "&lt;script>alert(1)&lt;/script> 与 \\*星号\\* 原样显示\n"
    )


def test_header_table_in_the_page_header(root: Path, tmp_path: Path) -> None:
    document = docx.Document()
    header = document.sections[0].header
    header.paragraphs[0].text = "贵州省地方税务局信息中心"
    table = header.add_table(rows=2, cols=4, width=Cm(16))
    for c, value in enumerate(["文件编号", "GZDS-ITSMS-QM-04", "版次", "B/0"]):
        table.cell(0, c).text = value
    for c, value in enumerate(["文件名称", "服务管理手册（第四章）", "批准", "王芳"]):
        table.cell(1, c).text = value
    document.add_paragraph("正文。")
    source = tmp_path / "手册.docx"
    document.save(str(source))
    code, out, _ = itsms(root, "import", str(source), "--owner", "top-management")
    assert code == 0, out
    _, meta, body = read_doc(root / "content/manual/GZDS-ITSMS-QM-04.md")
    assert (meta["type"], meta["version"], meta["status"]) == ("manual", "2.0", "draft")
    assert meta["title"] == "服务管理手册（第四章）"
    assert body == "\n正文。\n"
    assert "  未能转换：页眉或页脚中的文字「贵州省地方税务局信息中心」" in out
    assert "  说明：批准人「王芳」没有批准日期，按草稿导入（未记批准人）" in out


def test_what_cannot_be_converted_is_reported(root: Path, tmp_path: Path) -> None:
    ns = (
        f'xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    )
    document = docx.Document()
    para = document.add_paragraph("正文")
    for xml in (
        '<w:r><w:footnoteReference w:id="1"/></w:r>',
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r>"
        "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
        "<w:del><w:r><w:delText>旧条款</w:delText></w:r></w:del>",
        "<w:ins><w:r><w:t>新条款</w:t></w:r></w:ins>",
        "<m:oMath><m:r><m:t>x</m:t></m:r></m:oMath>",
    ):
        end = xml.index(">")  # the namespaces go on the first tag (never self-closing here)
        para._p.append(parse_xml(f"{xml[:end]} {ns}{xml[end:]}"))
    source = tmp_path / "杂项.docx"
    document.save(str(source))
    code, out, _ = itsms(root, "import", str(source), "--owner", "staff")
    assert code == 0
    _, meta, body = read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")
    assert body == "\n正文新条款\n"
    assert out.splitlines()[1:] == [
        "  未能转换：脚注或尾注（编号 1），请把内容并入正文",
        "  未能转换：文本框「框内文字」",
        "  未能转换：修订中删除的文字「旧条款」（请在 Word 中接受或拒绝修订）",
        "  未能转换：不支持的元素 oMath「」",
        "  说明：文件未写编号，分配新编号 GZDS-ITSMS-QP-19",
        "  说明：文件中没有标题，按文件名取为「杂项」",
        "  说明：文件未写版本，记为 0.1",
        f"  说明：文件未写编制人，记为 {meta['author']}",
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 not really a zip",
        b"",
        "zip:garbage",
        "zip:bad-xml",
    ],
)
def test_broken_word_files_are_a_clear_error(root: Path, tmp_path: Path, content: object) -> None:
    import io
    import zipfile

    source = tmp_path / "坏文件.docx"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        buffer = io.BytesIO()
        good = word_file(tmp_path / "good.docx")
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(buffer, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if content == "zip:garbage" and info.filename == "[Content_Types].xml":
                    data = b"\x00\x01garbage"
                if content == "zip:bad-xml" and info.filename == "word/document.xml":
                    data = data[: len(data) // 2]
                dst.writestr(info, data)
        source.write_bytes(buffer.getvalue())
    before = snapshot(root)
    code, out, err = itsms(root, "import", str(source), "--owner", "staff")
    assert (code, out) == (2, "")
    assert err.startswith(f"itsms: {source} 不是可读的 Word 文件（.docx）")
    assert snapshot(root) == before


def test_numbered_headings_and_lists_keep_word_numbers(root: Path, tmp_path: Path) -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )

    def heading(text: str, level: int) -> None:
        para = document.add_heading(text, level=level)
        para._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level - 1}"/>'
                '<w:numId w:val="90"/></w:numPr>'
            )
        )

    heading("目的", 1)
    heading("工作程序", 1)
    heading("申请", 2)
    document.add_paragraph("提交申请单", style="List Number")
    document.add_paragraph("填写原因", style="List Number")
    document.add_paragraph("申请单模板见附录。")
    document.add_paragraph("送交变更经理", style="List Number")
    heading("评审", 2)
    source = tmp_path / "编号.docx"
    document.save(str(source))
    code, _, _ = itsms(root, "import", str(source), "--owner", "staff")
    assert code == 0
    _, _, body = read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")
    assert body == (
        "\n## 1 目的\n\n## 2 工作程序\n\n### 2.1 申请\n\n1. 提交申请单\n2. 填写原因\n\n"
        "申请单模板见附录。\n\n3. 送交变更经理\n\n### 2.2 评审\n"
    )


def test_portal_copies_only_pictures_inside_the_documents_folder(
    corpus: Callable[..., Path],
) -> None:
    body = (
        "## 1 目的\n\n![流程](GZDS-ITSMS-QP-18/flow.png)\n\n"
        "![证据](../records/files/secret.png)\n\n"
        "![外部](http://example.org/x.png)\n"
    )
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(
                approved("GZDS-ITSMS-QP-18", "管理评审程序", clauses=["1"]), body
            ),
            "procedures/GZDS-ITSMS-QP-18/flow.png": tiny_png(),
            "records/files/secret.png": tiny_png(),
        }
    )
    day = dt.date.fromisoformat(AS_OF)
    portal = build_portal(run_check(root, read_settings(root), day), PortalOptions(day))
    page = next(p for p in portal.pages if p.path == "procedures/GZDS-ITSMS-QP-18.md")
    text = page.expanded()
    assert "![流程](<../attachments/procedures/GZDS-ITSMS-QP-18/flow.png>)" in text
    assert "![证据](../records/files/secret.png)" in text  # left as written, not copied
    assert "![外部](http://example.org/x.png)" in text
    assert [k for k in portal.evidence if k.startswith("attachments/")] == [
        "attachments/procedures/GZDS-ITSMS-QP-18/flow.png"
    ]


def test_markdown_approved_on_paper_stays_approved(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "old.md"
    text = (
        '---\ntitle: 信息安全管理程序\nversion: "3.0"\nstatus: approved\nauthor: 张伟\n'
        "approved_by: 王芳\napproved_on: 2025-06-01\n---\n正文。\n"
    )
    source.write_text(text, encoding="utf-8")
    code, out, _ = itsms(root, "import", str(source), "--owner", "management-rep")
    assert code == 0
    written, meta, body = read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")
    assert written == (
        '---\nid: GZDS-ITSMS-QP-19\ntitle: 信息安全管理程序\ntype: procedure\nversion: "3.0"\n'
        "status: approved\nowner: management-rep\nauthor: 张伟\napproved_by: 王芳\n"
        "approved_on: 2025-06-01\n---\n正文。\n"
    )
    assert "纸质批准" in out and "fingerprint" not in written


def test_pictures_of_an_unpublished_manual_chapter_stay_out_of_the_site(
    root: Path, tmp_path: Path
) -> None:
    """content/ is MkDocs' docs_dir, which copies every file in it: the pictures of a
    confidential chapter must not reach the site that way."""
    header = [
        ["文件编号", "GZDS-ITSMS-QM-09", "文件名称", "保密附录"],
        ["密级", "机密", "批准", ""],
    ]
    source = word_file(tmp_path / "附录.docx", header)
    code, _, _ = itsms(root, "import", str(source), "--owner", "top-management")
    assert code == 0
    _, meta, _ = read_doc(root / "content/manual/GZDS-ITSMS-QM-09.md")
    assert (meta["classification"], meta["type"]) == ("confidential", "manual")
    assert (root / "content/manual/GZDS-ITSMS-QM-09/image1.png").read_bytes() == tiny_png()
    code, _, err = itsms(root, "build", "--preview")
    assert code == 0, err
    site = root / "site"
    assert [p for p in site.rglob("*") if p.is_file() and p.read_bytes() == tiny_png()] == []
    assert not any("QM-09" in p.as_posix() for p in site.rglob("*"))


WORD_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))
    | st.sampled_from("*_#<>|:'\"`-[]\\"),
    max_size=30,
)


@given(
    title=WORD_TEXT,
    author=WORD_TEXT,
    version=WORD_TEXT,
    paragraphs=st.lists(
        st.tuples(
            WORD_TEXT,
            st.sampled_from(
                ["Normal", "Heading 1", "Heading 2", "List Number", "List Bullet", "Title"]
            ),
            st.booleans(),
            st.booleans(),
        ),
        max_size=6,
    ),
)
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_word_text_imports_into_valid_front_matter(
    corpus: Callable[..., Path],
    tmp_path: Path,
    title: str,
    author: str,
    version: str,
    paragraphs: list[tuple[str, str, bool, bool]],
) -> None:
    """Whatever the Word file says, the import writes front matter the check accepts
    (no yaml-syntax, no schema finding) and keeps the title and author as written."""
    root = corpus()
    for old in (root / "procedures").glob("GZDS-ITSMS-QP-19*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate([("文件名称", title), ("编制", author), ("版本", version)]):
        table.cell(r, 0).text = label
        table.cell(r, 1).text = value
    for text, style, bold, italic in paragraphs:
        para = document.add_paragraph(style=style)
        run = para.add_run(text)
        run.bold, run.italic = bold, italic
    source = tmp_path / "fuzz.docx"
    document.save(str(source))
    code, out, err = itsms(root, "import", str(source), "--owner", "staff")
    assert code == 0, err
    _, meta, _ = read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")
    if title.strip() and "\n" not in title:
        assert meta["title"] == title.strip()
    if author.strip() and "\n" not in author and not re.search(r"\d{4}", author):
        assert meta["author"] == author.strip()
    assert re.fullmatch(r"\d+\.\d+", str(meta["version"]))
    _, report = check_json(root)
    rules = {f["rule"] for f in report["findings"] if f["file"].endswith("QP-19.md")}
    assert not rules & {"yaml-syntax", "schema", "duplicate-key", "encoding"}, (rules, out)


def test_revision_table_becomes_history(root: Path, tmp_path: Path) -> None:
    document = docx.Document()
    rows = [
        ["文件编号", "GZDS-ITSMS-QP-30", "文件名称", "变更管理程序"],
        ["版本", "A/1", "编制", "张伟"],
        ["批准", "王芳", "批准日期", "2026-03-01"],
    ]
    revisions = [
        ["版本", "修订内容", "修订人", "批准", "日期", "页码"],
        ["A/0", "首次发布", "张伟", "王芳", "2024-05-01", "全部"],
        ["A/1", "增加紧急变更", "张伟", "", "2026年3月1日", "3"],
        ["草案", "讨论稿", "李娜", "", "", ""],
    ]
    for table_rows in (rows, revisions):
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.add_paragraph("正文。")
    source = tmp_path / "变更.docx"
    document.save(str(source))
    code, out, _ = itsms(root, "import", str(source), "--owner", "management-rep")
    assert code == 0
    _, meta, body = read_doc(root / "procedures/GZDS-ITSMS-QP-30.md")
    assert meta["history"] == [
        {
            "version": "1.0",
            "date": dt.date(2024, 5, 1),
            "author": "张伟",
            "approved_by": "王芳",
            "summary": "首次发布",
        },
        {
            "version": "1.1",
            "date": dt.date(2026, 3, 1),
            "author": "张伟",
            "summary": "增加紧急变更",
            "approved_by": "王芳",  # the header's approver of the current version
        },
    ]
    assert (meta["status"], meta["version"], meta["approved_on"]) == (
        "approved",
        "1.1",
        dt.date(2026, 3, 1),
    )
    assert body == "\n正文。\n"  # the revision table is the history now, not text
    assert "  未能转换：修订记录的「页码」列没有对应字段" in out
    assert (
        "  未能转换：修订记录中的一行「草案 | 讨论稿 | 李娜 |  |  | 」"
        "没有可识别的版本或日期，未写入 history" in out
    )
    assert "  说明：修订记录表的 2 行写入 history" in out
    _, report = check_json(root)
    rules = {f["rule"] for f in report["findings"] if f["id"] == "GZDS-ITSMS-QP-30"}
    assert "history-mismatch" not in rules and "schema" not in rules


def test_a_list_in_a_table_cell_keeps_its_marks(root: Path, tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(1, 0).text = "步骤", "要求", "评审"
    cell = table.cell(1, 1)
    cell.paragraphs[0].text = "检查以下内容："
    cell.add_paragraph("影响", style="List Number")
    cell.add_paragraph("风险", style="List Number")
    cell.add_paragraph("回退 | 恢复", style="List Bullet")
    source = tmp_path / "表.docx"
    document.save(str(source))
    code, _, _ = itsms(root, "import", str(source), "--owner", "staff")
    assert code == 0
    _, _, body = read_doc(root / "procedures/GZDS-ITSMS-QP-19.md")
    assert body == (
        "\n| 步骤 | 要求 |\n|---|---|\n"
        "| 评审 | 检查以下内容：<br>1. 影响<br>2. 风险<br>• 回退 \\| 恢复 |\n"
    )


def test_author_who_approved_is_said_at_once(root: Path, tmp_path: Path) -> None:
    header = [["文件编号", "GZDS-ITSMS-QP-30"], ["编制", "王芳"], ["批准", "王 芳 2026-03-01"]]
    code, out, _ = itsms(
        root, "import", str(word_file(tmp_path / "a.docx", header)), "--owner", "staff"
    )
    assert code == 0
    assert (
        "  说明：编制人和批准人都是「王 芳」：itsms check 将报 self-approval，须由他人批准" in out
    )
    _, report = check_json(root)
    assert "self-approval" in {
        f["rule"] for f in report["findings"] if f["id"] == "GZDS-ITSMS-QP-30"
    }


def test_markdown_with_crlf_keeps_its_line_endings(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "crlf.md"
    source.write_bytes(
        "---\r\nauthor: 李娜\r\n---\r\n\r\n# 可用性管理程序\r\n\r\n正文。\r\n".encode()
    )
    code, _, _ = itsms(root, "import", str(source), "--owner", "staff")
    assert code == 0
    written = (root / "procedures/GZDS-ITSMS-QP-19.md").read_bytes().decode()
    assert written == (
        "---\r\nid: GZDS-ITSMS-QP-19\r\ntitle: 可用性管理程序\r\ntype: procedure\r\n"
        'version: "0.1"\r\nstatus: draft\r\nowner: staff\r\nauthor: 李娜\r\n---\r\n\r\n正文。\r\n'
    )
