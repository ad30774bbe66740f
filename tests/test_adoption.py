"""Adoption: a department's own document set, written from the README, works on day one.

The department writes role ids in Chinese, roles.yml as a plain list, documents approved
on paper before itsms (no fingerprint), the minimal mkdocs.yml and a clause listed twice.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import AS_OF, check_json, front, run, write_files

MINIMAL_MKDOCS = "site_name: 信息部运维体系\nplugins:\n  - search\n  - itsms\n"

ROLES_LIST = """\
- id: 最高管理者
  name: 最高管理者
  description: 信息部主任
- id: 管理者代表
  name: 管理者代表
- id: 过程负责人
  name: 过程负责人
- id: 服务台
  name: IT 服务台
  description: 单一联系点
"""


def paper_approved(doc_id: str, title: str, clauses: list[str], **extra: object) -> str:
    """A procedure approved on paper: approver and date, no fingerprint."""
    fields = {
        "id": doc_id,
        "title": title,
        "type": "procedure",
        "version": "2.0",
        "status": "approved",
        "owner": "过程负责人",
        "author": "李明",
        "approved_by": "赵主任",
        "approved_on": "2026-01-20",
        "effective": "2026-02-01",
        "clauses": clauses,
        "raci": [{"activity": "执行", "R": ["过程负责人"], "A": "管理者代表", "I": ["IT 服务台"]}],
        "history": [
            {"version": "2.0", "date": "2026-01-20", "author": "李明", "approved_by": "赵主任"}
        ],
        **extra,
    }
    return f"---\n{front(fields)}---\n## 1 目的\n\n{title}的目的。\n"


def department_files() -> dict[str, str | bytes]:
    return {
        "mkdocs.yml": MINIMAL_MKDOCS,
        "content/roles.yml": ROLES_LIST,
        "content/index.md": "# 信息部运维体系\n\n欢迎。\n",
        "content/联系我们.md": "# 联系我们\n\n电话 1234。\n",
        "procedures/GZDS-ITSMS-QP-01.md": paper_approved(
            "GZDS-ITSMS-QP-01", "服务管理体系程序", ["4", "5", "4"], owner="管理者代表"
        ),
        "procedures/GZDS-ITSMS-QP-02.md": paper_approved(
            "GZDS-ITSMS-QP-02", "服务交付与运行程序", ["6", "7", "8", "9"]
        ),
    }


PAGES = (
    "index.html",
    "procedures/GZDS-ITSMS-QP-01/index.html",
    "procedures/GZDS-ITSMS-QP-02/index.html",
    "联系我们/index.html",
)


def test_a_department_repository_checks_builds_and_seals(tmp_path: Path) -> None:
    root = write_files(tmp_path / "dept", department_files())
    originals = {p: p.read_bytes() for p in (root / "procedures").glob("*.md")}

    code, data = check_json(root)
    assert code == 0, [f for f in data["findings"] if f["severity"] == "error"]
    rules = {(f["rule"], f["file"], f["line"]) for f in data["findings"]}
    assert ("unsealed-approval", "procedures/GZDS-ITSMS-QP-01.md", 6) in rules
    assert ("unsealed-approval", "procedures/GZDS-ITSMS-QP-02.md", 6) in rules
    assert ("duplicate-entry", "procedures/GZDS-ITSMS-QP-01.md", 15) in rules
    assert not [f for f in data["findings"] if f["rule"] in ("schema", "unknown-role")]
    assert data["summary"]["coverage"]["covered"] == data["summary"]["coverage"]["leaf_clauses"]

    mask = os.umask(0o022)
    try:
        built = run("build", "--root", str(root), "--as-of", AS_OF)
    finally:
        os.umask(mask)
    assert built.exit_code == 0, built.output
    site = root / "site"
    assert oct(site.stat().st_mode & 0o777) == "0o755"  # not mkdtemp's 0700
    assert {oct(p.stat().st_mode & 0o777) for p in site.rglob("*")} == {"0o755", "0o644"}
    for page in PAGES:
        assert (site / page).is_file(), page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh"' in index and "fonts.googleapis" not in index
    console = (site / "console" / "index.html").read_text(encoding="utf-8")  # 文件控制台
    console = " ".join(re.sub(r"<[^>]+>", " ", console).split())
    assert "itsms seal GZDS-ITSMS-QP-01" in console and "重复列出的值" in console
    assert "assets/stylesheets/main" in index  # Material, not MkDocs' own theme
    assert '"lang":["zh"]' in (site / "search" / "search_index.json").read_text("utf-8")

    sealed = run("seal", "--all", "--root", str(root), "--as-of", AS_OF)
    assert sealed.exit_code == 0, sealed.output
    _, after = check_json(root)
    assert not [f for f in after["findings"] if f["rule"] in ("unsealed-approval", "stale")]
    assert after["summary"]["errors"] == 0
    for path, before in originals.items():
        now = path.read_text(encoding="utf-8")
        note = f'- version: "2.0"\n  date: {AS_OF}\n  summary: 纳入受控\n'
        stamp = re.search(r"^fingerprint: sha256v2:[0-9a-f]{64}\n", now, re.M)
        assert stamp is not None
        assert note in now
        # every other byte (approver, dates, version, body) is as it was
        assert now.replace(note, "").replace(stamp.group(0), "").encode() == before

    path = root / "procedures" / "GZDS-ITSMS-QP-02.md"
    path.write_text(path.read_text(encoding="utf-8") + "改动。\n", encoding="utf-8")
    _, edited = check_json(root)
    assert [(f["rule"], f["file"]) for f in edited["findings"] if f["severity"] == "error"] == [
        ("stale-approval", "procedures/GZDS-ITSMS-QP-02.md")
    ]


def test_plain_mkdocs_build_publishes_every_page(tmp_path: Path) -> None:
    """MkDocs validates docs_dir and the theme before any plugin runs: with those two
    settings named, a plain ``mkdocs build`` publishes the same pages."""
    files = department_files()
    files["mkdocs.yml"] = (
        "site_name: 信息部运维体系\ndocs_dir: content\ntheme:\n  name: material\n"
        "  language: zh\nplugins:\n  - search\n  - itsms\n"
    )
    root = write_files(tmp_path / "dept", files)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ITSMS_AS_OF": AS_OF}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr
    for page in PAGES:
        assert (root / "site" / page).is_file(), page


def test_site_dir_from_mkdocs_yml_is_honoured(tmp_path: Path) -> None:
    files = department_files()
    files["mkdocs.yml"] = MINIMAL_MKDOCS + "site_dir: public\n"
    root = write_files(tmp_path / "dept", files)
    result = run("build", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (root / "public" / "index.html").is_file()
    assert not (root / "site").exists()


def test_explicit_settings_win_over_the_defaults(tmp_path: Path) -> None:
    files = department_files()
    files["mkdocs.yml"] = (
        "site_name: x\ntheme:\n  name: material\n  language: en\n"
        "plugins:\n  - search:\n      lang: en\n  - itsms\n"
    )
    root = write_files(tmp_path / "dept", files)
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    assert 'lang="en"' in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '"lang":["en"]' in (root / "site/search/search_index.json").read_text("utf-8")


def test_roles_by_name_and_new_accepts_what_check_accepts(tmp_path: Path) -> None:
    root = write_files(tmp_path / "dept", department_files())
    made = run(
        "new", "procedure", "--title", "事件管理程序", "--owner", "IT 服务台",
        "--author", "李明", "--root", str(root), "--as-of", AS_OF,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    text = (root / "procedures" / "GZDS-ITSMS-QP-03.md").read_text(encoding="utf-8")
    assert "\nowner: 服务台\n" in text  # the name stands for its role; the id is written
    refused = run(
        "new", "procedure", "--title", "x", "--owner", "服务经理", "--root", str(root),
        "--as-of", AS_OF,
    )  # fmt: skip
    assert refused.exit_code == 2
    assert not [f for f in check_json(root)[1]["findings"] if f["rule"] == "unknown-role"]
    matrix = run("matrix", "--root", str(root), "--as-of", AS_OF, "--format", "csv").output
    assert "IT 服务台,服务台,I,I" in matrix  # raci I: [IT 服务台] is the role 服务台


@pytest.mark.parametrize(
    ("roles", "line", "key_words"),
    [
        (
            "- id: 管理者代表\n  name: 甲\n- id: 管理者代表\n  name: 乙\n",
            3,
            "角色 id「管理者代表」重复",
        ),
        (
            "- id: 甲\n  name: 管理者代表\n- id: 乙\n  name: 管理者代表\n",
            3,
            "角色名称「管理者代表」",
        ),
        ("- id: 甲\n  name: 乙\n- id: 乙\n  name: 丙\n", 3, "角色 id「乙」重复"),
    ],
)
def test_duplicate_role_ids_or_names_are_errors(
    tmp_path: Path, roles: str, line: int, key_words: str
) -> None:
    root = write_files(tmp_path / "r", {**department_files(), "content/roles.yml": roles})
    _, data = check_json(root)
    dup = [f for f in data["findings"] if f["rule"] == "duplicate-id"]
    assert [(f["file"], f["line"]) for f in dup] == [("content/roles.yml", line)]
    assert key_words in dup[0]["message"]


def _schema_messages(root: Path) -> list[tuple[str | None, int | None, str]]:
    _, data = check_json(root)
    return [(f["file"], f["line"], f["message"]) for f in data["findings"] if f["rule"] == "schema"]


def test_schema_messages_name_the_fields_own_expectation(tmp_path: Path) -> None:
    files = department_files()
    files["procedures/GZDS-ITSMS-QP-01.md"] = paper_approved(
        "GZDS-ITSMS-QP-01", "服务管理体系程序", ["4", "5"], owner=" 管理者代表"
    )
    qp02 = paper_approved("GZDS-ITSMS-QP-02", "服务交付与运行程序", ["6", "7", "8", "9"])
    files["procedures/GZDS-ITSMS-QP-02.md"] = qp02.replace(
        "clauses:\n- '6'\n- '7'\n- '8'\n- '9'\n", "clauses: '6'\nreview_months: 十二\n"
    )
    files["procedures/GZDS-ITSMS-QP-03.md"] = paper_approved(
        "GZDS-ITSMS-QP-03", "第三程序", ["9"], version="2", approved_on="2025-13-01"
    ).replace("clauses:\n- '9'\n", "clauses:\n  iso20000-1:2011: '9'\n")
    root = write_files(tmp_path / "s", files)
    messages = _schema_messages(root)
    by_file = {(f, line): m for f, line, m in messages}
    owner = by_file[("procedures/GZDS-ITSMS-QP-01.md", 7)]
    assert "角色的 id 或名称" in owner and "前后不能有空格" in owner
    clauses = by_file[("procedures/GZDS-ITSMS-QP-02.md", 12)]
    assert "条款号列表" in clauses and "按标准分列" in clauses and "文字「6」" in clauses
    months = by_file[("procedures/GZDS-ITSMS-QP-02.md", 13)]
    assert "评审周期的月数" in months and "文字「十二」" in months
    mapping = by_file[("procedures/GZDS-ITSMS-QP-03.md", 13)]
    assert "条款号列表" in mapping and "按标准分列" not in mapping
    assert "版本号" in by_file[("procedures/GZDS-ITSMS-QP-03.md", 5)]
    assert "不是有效日期" in by_file[("procedures/GZDS-ITSMS-QP-03.md", 10)]
    for _, _, message in messages:
        assert not re.search(r"LineList|LineDict|object|array|string|integer|角色 id 如", message)


def test_roles_yml_of_the_wrong_shape_says_what_it_should_be(tmp_path: Path) -> None:
    files = {**department_files(), "content/roles.yml": "roles: 管理者代表\n"}
    messages = _schema_messages(write_files(tmp_path / "r", files))
    assert [(f, line) for f, line, _ in messages] == [("content/roles.yml", 1)]
    assert "角色列表" in messages[0][2]
    files["content/roles.yml"] = "管理者代表\n"
    messages = _schema_messages(write_files(tmp_path / "r2", files))
    assert "可直接写列表，也可写在 roles: 之下" in messages[0][2]
    files["content/roles.yml"] = "- id: 管理者代表\n  name: 管理者代表\n- id: 过程负责人\n"
    messages = _schema_messages(write_files(tmp_path / "r3", files))
    assert [(line, m) for _, line, m in messages] == [(3, "缺少必填字段 第 2 个角色 name")]


def test_repeated_values_are_warnings_not_errors(tmp_path: Path) -> None:
    qp = paper_approved(
        "GZDS-ITSMS-QP-02",
        "服务交付与运行程序",
        ["6", "7", "8", "9"],
        references=["GZDS-ITSMS-QP-01", "GZDS-ITSMS-QP-01"],
        records=["运行记录", "运行记录"],
        raci=[
            {
                "activity": "执行",
                "R": ["过程负责人", "过程负责人"],
                "A": ["管理者代表", "管理者代表"],
            }
        ],
    )
    root = write_files(tmp_path / "d", {**department_files(), "procedures/GZDS-ITSMS-QP-02.md": qp})
    code, data = check_json(root)
    assert code == 0
    found = [
        (f["line"], f["message"])
        for f in data["findings"]
        if f["rule"] == "duplicate-entry" and f["file"].endswith("QP-02.md")
    ]
    assert [line for line, _ in found] == [21, 24, 32, 35]  # R, A, references, records
    assert "references 中「GZDS-ITSMS-QP-01」重复列出（第 31 行已有）" in found[2][1]


def test_init_makes_a_repository_that_checks_and_builds(tmp_path: Path) -> None:
    root = tmp_path / "新仓库"
    made = run("init", str(root), "--name", "测试部门", "--author", "李明")
    assert made.exit_code == 0, made.output
    for rel in ("mkdocs.yml", "content/roles.yml", "content/index.md", ".gitignore",
                "README.md", "procedures/GZDS-ITSMS-QP-01.md"):  # fmt: skip
        assert (root / rel).is_file(), rel
    assert (root / "records").is_dir()
    roles = (root / "content" / "roles.yml").read_text(encoding="utf-8")
    for name in ("最高管理者", "管理者代表", "过程负责人", "内审员", "服务台"):
        assert f"- id: {name}\n" in roles
    code, data = check_json(root)
    assert (code, data["summary"]["errors"]) == (0, 0)
    built = run("build", "--root", str(root), "--as-of", AS_OF)
    assert built.exit_code == 0, built.output
    assert (root / "site" / "index.html").is_file()

    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "site" not in p.parts}
    again = run("init", str(root))
    assert again.exit_code == 0, again.output
    assert {p: p.read_bytes() for p in before} == before  # nothing overwritten


def test_init_refuses_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = run("init", str(tmp_path))
    assert refused.exit_code == 2
    assert "不是空文件夹，也不是 itsms 仓库" in refused.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_exports_are_readable_by_others(corpus: Callable[..., Path], tmp_path: Path) -> None:
    root = corpus()
    out = tmp_path / "register.csv"
    mask = os.umask(0o022)
    try:
        result = run("register", "--root", str(root), "--as-of", AS_OF, "--format", "csv",
                     "--out", str(out))  # fmt: skip
        xlsx = tmp_path / "register.xlsx"
        run("register", "--root", str(root), "--as-of", AS_OF, "--format", "xlsx",
            "--out", str(xlsx))  # fmt: skip
    finally:
        os.umask(mask)
    assert result.exit_code == 0, result.output
    assert oct(out.stat().st_mode & 0o777) == "0o644"
    assert oct(xlsx.stat().st_mode & 0o777) == "0o644"


def test_seal_refuses_what_it_cannot_vouch_for(tmp_path: Path) -> None:
    files = department_files()
    files["procedures/GZDS-ITSMS-QP-09.md"] = paper_approved(
        "GZDS-ITSMS-QP-09", "草稿程序", ["9"], status="draft"
    )
    root = write_files(tmp_path / "d", files)
    before = {p: p.read_bytes() for p in (root / "procedures").glob("*.md")}

    def seal(*args: str) -> int:
        return run("seal", *args, "--root", str(root), "--as-of", AS_OF).exit_code

    assert seal() == 2  # neither ids nor --all
    assert seal("GZDS-ITSMS-QP-01", "--all") == 2
    assert seal("GZDS-ITSMS-QP-77") == 2  # unknown id
    assert seal("GZDS-ITSMS-QP-01", "GZDS-ITSMS-QP-09") == 1  # a draft: nothing is written
    approve = run(
        "approve", "GZDS-ITSMS-QP-01", "--by", "新领导", "--root", str(root), "--as-of", AS_OF
    )
    assert approve.exit_code == 1 and "itsms seal GZDS-ITSMS-QP-01" in approve.output
    assert {p: p.read_bytes() for p in before} == before
    assert seal("GZDS-ITSMS-QP-01") == 0
    assert seal("GZDS-ITSMS-QP-01") == 1  # sealed already
    qp01 = root / "procedures" / "GZDS-ITSMS-QP-01.md"
    qp01.write_text(qp01.read_text(encoding="utf-8") + "改动。\n", encoding="utf-8")
    assert seal("GZDS-ITSMS-QP-01") == 1  # a seal never hides a change after sealing


def test_the_repository_stands_alone() -> None:
    """The README and docs/ are the user's whole documentation: nothing points outside."""
    repo = Path(__file__).resolve().parent.parent
    texts = [repo / "README.md", *sorted((repo / "docs").rglob("*.md"))]
    assert len(texts) > 1
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\.\./shared|/work/|SPEC\.md|NOTES\.md", text), path
        for target in re.findall(r"\]\(([^)#:]+)\)", text):  # relative links resolve
            assert (path.parent / target).exists(), (path, target)
    reference = (repo / "docs" / "reference.md").read_text(encoding="utf-8")
    from generator.rules import RULES

    for code in RULES:
        assert f"| `{code}` |" in reference, code


def test_an_unknown_field_is_named_alone(tmp_path: Path) -> None:
    qp = paper_approved("GZDS-ITSMS-QP-02", "服务交付与运行程序", ["6", "7", "8", "9"])
    qp = qp.replace("owner:", "titel: 错字\nx-备注: 自定义\nowner:")
    root = write_files(tmp_path / "d", {**department_files(), "procedures/GZDS-ITSMS-QP-02.md": qp})
    messages = _schema_messages(root)
    assert [(f, line) for f, line, _ in messages] == [("procedures/GZDS-ITSMS-QP-02.md", 7)]
    assert messages[0][2].startswith("未知字段 titel（")


def test_seal_keeps_a_flow_style_history_and_crlf_byte_for_byte(tmp_path: Path) -> None:
    text = (
        "---\r\nid: GZDS-ITSMS-QP-02\r\ntitle: 服务交付与运行程序   # 纸面 2.0 版\r\n"
        'type: procedure\r\nversion: "2.0"\r\nstatus: approved\r\nowner: 过程负责人\r\n'
        "author: 李明\r\napproved_by: 赵主任\r\napproved_on: 2026-01-20\r\n"
        'clauses: ["6", "7", "8", "9"]\r\n'
        'history: [{version: "2.0", date: 2026-01-20, approved_by: 赵主任}]\r\n'
        "---\r\n正文。\r\n"
    )
    root = write_files(tmp_path / "d", department_files())
    path = root / "procedures" / "GZDS-ITSMS-QP-02.md"
    path.write_bytes(text.encode("utf-8"))
    assert run("seal", "GZDS-ITSMS-QP-02", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    now = path.read_bytes().decode("utf-8")
    stamp = re.search(r"fingerprint: sha256v2:[0-9a-f]{64}\r\n", now)
    assert stamp is not None
    note = f", {{version: 2.0, date: {AS_OF}, summary: 纳入受控}}"
    note = note.replace("2.0", '"2.0"', 1)
    assert now.replace(stamp.group(0), "").replace(note, "") == text


@pytest.mark.parametrize(
    ("mkdocs_yml", "expected"),
    [
        (
            MINIMAL_MKDOCS,
            {
                "docs_dir": "content",
                "theme": {"name": "material", "language": "zh", "font": False},
                "plugins": [{"search": {"lang": "zh"}}, "itsms"],
            },
        ),
        (  # what the user set wins; only what is missing is added
            "site_name: x\ndocs_dir: 文档\ntheme: {name: material, language: en}\n"
            "plugins:\n  - search: {lang: en}\n  - itsms\n",
            {"theme": {"name": "material", "language": "en", "font": False}},
        ),
        (  # another theme is the user's choice
            "site_name: x\ntheme: readthedocs\nplugins: [itsms]\n",
            {"docs_dir": "content"},
        ),
        (  # values MkDocs resolves itself are never rewritten
            "site_name: x\nplugins:\n  - search\n  - itsms:\n      enabled: !ENV [ITSMS, true]\n",
            {"docs_dir": "content", "theme": {"name": "material", "language": "zh", "font": False}},
        ),
    ],
)
def test_minimal_settings_are_filled_in_and_explicit_ones_win(
    tmp_path: Path, mkdocs_yml: str, expected: dict[str, object]
) -> None:
    from generator.mkconfig import overrides

    (tmp_path / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    assert overrides(tmp_path) == expected
