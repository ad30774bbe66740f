"""Security, what the red team still got through after issue 13 (F1..F8): each test is
one of their cases, made small."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from .conftest import (
    AS_OF,
    MINI_STANDARD,
    MKDOCS,
    approved,
    doc_text,
    front,
    record,
    run,
    write_files,
)
from .test_security import _site_text, _tree


def _mkdocs(root: Path, **settings: str) -> None:
    """``mkdocs build`` with mkdocs.yml's ``settings`` replaced (in process)."""
    text = MKDOCS
    for key, value in settings.items():
        text = re.sub(rf"(?m)^{key}:.*\n", "", text)
        text = f"{key}: '{value}'\n" + text
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    mkdocs_build(load_config(str(root / "mkdocs.yml")))


# --- F1: mkdocs build honours the site-folder refusals --------------------------------


def test_mkdocs_build_refuses_a_site_dir_it_may_not_replace(
    corpus: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("ITSMS_AS_OF", AS_OF)
    root = corpus({".git/HEAD": "ref: refs/heads/main\n"})
    sibling = write_files(tmp_path / "sib", {"keep/file.txt": "precious\n"})
    (tmp_path / "linkdir").symlink_to(sibling)
    before = _tree(root)
    for site_dir in ("../sib", ".git", "procedures", "records", "../linkdir"):
        caplog.clear()
        with pytest.raises(Abort):
            _mkdocs(root, site_dir=site_dir)
        assert "站点" in caplog.text, site_dir
        (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
        assert _tree(root) == before, site_dir
    assert _tree(sibling) == {"keep/file.txt": b"precious\n"}
    # the site it makes it may rebuild
    for _ in range(2):
        _mkdocs(root, site_dir="site")
    assert (root / "site/index.html").is_file() and (root / "site/.itsms-site").is_file()


# --- F4: the docs folder lies in the repository ----------------------------------------


def test_docs_dir_outside_the_repository_or_in_records_is_refused(
    corpus: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("ITSMS_AS_OF", AS_OF)
    outside = write_files(tmp_path / "outside", {"t.txt": "外部文件\n", "index.md": "外部页\n"})
    root = corpus()
    site = tmp_path / "dsite"
    for docs_dir, words in (
        (str(outside), "不在仓库"),
        ("../outside", "不在仓库"),
        ("records", "位于 records/ 之内"),
        ("procedures", "位于 procedures/ 之内"),
    ):
        mk = MKDOCS.replace("docs_dir: content", f"docs_dir: '{docs_dir}'")
        (root / "mkdocs.yml").write_text(mk, encoding="utf-8")
        result = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site))
        assert result.exit_code == 2 and words in result.stderr, (docs_dir, result.output)
        assert not site.exists()
        caplog.clear()
        with pytest.raises(Abort):
            mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
        assert "docs_dir" in caplog.text
        assert not site.exists()


# --- F3: a file link under the docs folder publishes nothing from elsewhere -------------


def _confidential_record(root: Path) -> None:
    evidence = root / "records/files/2026/conf.txt"
    write_files(root, {"records/files/2026/conf.txt": "保密证据内容戊己\n"})
    digest = hashlib.sha256(evidence.read_bytes()).hexdigest()
    rec = record(
        "R-CONF-1",
        title="保密记录标题庚",
        evidence="files/2026/conf.txt",
        sha256=digest,
        classification="confidential",
    )
    write_files(root, {"records/R-CONF-1.yml": front(rec)})


def test_a_file_link_in_the_docs_folder_is_not_followed(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    root = corpus()
    _confidential_record(root)
    (root / "content/linkconf.md").symlink_to("../records/files/2026/conf.txt")
    (root / "content/rconf.markdown").symlink_to("../records/R-CONF-1.yml")
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    found = {(f["rule"], f["file"]) for f in json.loads(result.stdout)["findings"]}
    assert ("encoding", "content/linkconf.md") in found
    assert ("encoding", "content/rconf.markdown") in found
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 1
    # a link that is no page (the check does not read it) is left out of the site
    (root / "content/linkconf.md").unlink()
    (root / "content/rconf.markdown").unlink()
    (root / "content/conf.txt").symlink_to("../records/files/2026/conf.txt")
    (root / "content/page.md").write_text("[证据](conf.txt)\n", encoding="utf-8")
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    pack = tmp_path / "pack.zip"
    args = ("--root", str(root), "--as-of", AS_OF, "--out", str(pack))
    assert run("audit-pack", *args).exit_code == 0
    from .test_security import _all_text

    for text in (_site_text(root / "site"), _all_text(pack)):
        assert "保密证据内容戊己" not in text and "保密记录标题庚" not in text


# --- F2: a plain page's metadata, however written, is honoured ------------------------


def test_plain_pages_unfenced_metadata_case_and_stray_files(corpus: Callable[..., Path]) -> None:
    root = corpus(
        {
            "content/mmd.md": "title: 无围栏标题\nclassification: confidential\n\n无围栏正文\n",
            "content/leak.txt": "文本文件泄露\n",
            "content/files/form.pdf": "%PDF 表单\n",
            "content/files/other.pdf": "%PDF 未链接\n",
            "content/forms.md": "---\ntitle: 表单\n---\n[表单](files/form.pdf)\n",
        }
    )
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    site = root / "site"
    text = _site_text(site)
    for secret in ("无围栏标题", "无围栏正文", "文本文件泄露", "未链接"):
        assert secret not in text, secret
    assert (site / "files/form.pdf").is_file() and not (site / "files/other.pdf").exists()
    assert not (site / "leak.txt").exists()
    # a value the check does not know is an error that stops the publication
    write_files(
        root,
        {
            "content/upper.md": "---\nclassification: Confidential\n---\n大写\n",
            "content/zh.md": "title: 中文密级\nclassification: 保密\n\n中文密级正文\n",
        },
    )
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    found = [(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    assert ("schema", "content/upper.md", 2) in found
    assert ("schema", "content/zh.md", 2) in found
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 1


def test_an_unknown_classification_keeps_a_document_out(corpus: Callable[..., Path]) -> None:
    from generator.check import run_check
    from generator.portal import PortalOptions, build_portal
    from generator.settings import read_settings

    doc = approved("GZDS-ITSMS-QP-40", "大写保密程序", classification="Confidential")
    root = corpus({"procedures/GZDS-ITSMS-QP-40.md": doc_text(doc)})
    settings = read_settings(root)
    result = run_check(root, settings, __import__("datetime").date.fromisoformat(AS_OF))
    portal = build_portal(result, PortalOptions(result.as_of))
    assert not [p for p in portal.pages if "大写保密程序" in p.markdown + p.title]


# --- F6: approve refuses front matter it cannot edit ----------------------------------

FLOW = (
    "---\n{id: GZDS-ITSMS-QP-04, title: 四, type: procedure, version: '0.9', status: review,"
    " owner: staff, author: 张伟, clauses: ['1']}\n---\n## 1 目的\n正文四\n"
)
ANCHOR = (
    "---\nid: GZDS-ITSMS-QP-05\ntitle: 五\ntype: procedure\nversion: '0.9'\nstatus: &s review\n"
    "x-s: *s\nowner: staff\nauthor: 张伟\nclauses: ['1']\n---\n## 1 目的\n正文五\n"
)


@pytest.mark.parametrize("text", [FLOW, ANCHOR], ids=["flow", "anchor"])
def test_approve_refuses_front_matter_it_cannot_edit(
    corpus: Callable[..., Path], text: str
) -> None:
    doc_id = re.search(r"GZDS-ITSMS-QP-0\d", text).group(0)  # type: ignore[union-attr]
    rel = f"procedures/{doc_id}.md"
    root = corpus({rel: text})
    result = run("approve", doc_id, "--by", "王芳", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1 and "未修改" in result.output, result.output
    assert (root / rel).read_text(encoding="utf-8") == text


# --- F5: a file name longer than the system allows is no crash -------------------------


def test_an_evidence_path_too_long_is_a_finding(corpus: Callable[..., Path]) -> None:
    rec = record("R-QP18-2026-01", evidence="a/" * 3000 + "x.pdf")
    root = corpus({"records/2026/R-QP18-2026-01.yml": front(rec)})
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1, result.output
    found = {(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]}
    assert ("missing-evidence-file", 7) in found
    for verb in ("build", "register", "coverage"):
        assert run(verb, "--root", str(root), "--as-of", AS_OF).exit_code in (0, 1), verb


# --- F8: no terminal escape sequence in text output -----------------------------------


def test_escape_sequences_do_not_reach_the_terminal(corpus: Callable[..., Path]) -> None:
    title = "标题\x1b]0;PWNED\x07\x1b[31m红\x9b2J"
    draft = approved("GZDS-ITSMS-QP-18", title, status="draft", version="0.1", clauses=["1.1"])
    root = corpus({"procedures/GZDS-ITSMS-QP-18.md": doc_text(draft)})
    args = ("--root", str(root), "--as-of", AS_OF)
    for cmd in (
        ("register", "--preview"),
        ("check",),
        ("trace", "GZDS-ITSMS-QP-18", "--preview"),
        ("coverage",),
    ):
        out = run(*cmd, *args).stdout
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), (cmd, out)
        assert "PWNED" not in out, cmd
    assert "标题红" in run("register", "--preview", *args).stdout


# --- F7: an edited line keeps its ending and its comment -------------------------------


def test_an_edited_line_keeps_its_ending_and_comment(corpus: Callable[..., Path]) -> None:
    text = (
        '---\r\nid: GZDS-ITSMS-QP-02\ntitle: 二\r\ntype: procedure\nversion: "0.9"\r\n'
        'status: review # 待批\nowner: staff\r\nauthor: 张伟\nclauses: ["1"]\r\n'
        'records: ["管理评审报告"]\n---\n\r\n正文二\r\n'
    )
    rel = "procedures/GZDS-ITSMS-QP-02.md"
    root = corpus({rel: text.encode("utf-8")})
    result = run(
        "approve", "GZDS-ITSMS-QP-02", "--by", "王芳", "--root", str(root), "--as-of", AS_OF
    )
    assert result.exit_code == 0, result.output
    lines = (root / rel).read_bytes().decode("utf-8").splitlines(keepends=True)
    assert 'version: "1.0"\r\n' in lines
    assert "status: approved # 待批\n" in lines
    assert "title: 二\r\n" in lines and "owner: staff\r\n" in lines


# --- low: a draft's id is not named in a normal build ----------------------------------


def test_a_draft_is_not_named_in_a_normal_build(corpus: Callable[..., Path]) -> None:
    draft = approved("GZDS-ITSMS-QP-03", "草稿程序丙", status="draft", version="0.1", clauses=["3"])
    standard = MINI_STANDARD + '  - {id: "3", en: "Change", zh: "变更"}\n'
    root = corpus(
        {"procedures/GZDS-ITSMS-QP-03.md": doc_text(draft), "standards/mini.yml": standard}
    )
    result = run("check", "--root", str(root), "--as-of", AS_OF)
    assert "GZDS-ITSMS-QP-03" in result.stdout  # the controller's own report names it
    assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
    text = _site_text(root / "site")
    assert "GZDS-ITSMS-QP-03" not in text and "草稿程序丙" not in text
    assert "一份未发布的文件" in text  # the finding still shown (文件控制台), its cause unnamed
    assert run("build", "--root", str(root), "--as-of", AS_OF, "--preview").exit_code == 0
    assert "GZDS-ITSMS-QP-03" in _site_text(root / "site")


# --- low: no lock file left behind; a killed build's folder swept at once ---------------


def test_no_lock_file_and_young_leftovers_of_dead_builds_are_swept(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    import fcntl
    import os

    root = corpus()
    dead = write_files(root / ".site.new-dead01", {".itsms-site": "", "index.html": "half\n"})
    running = write_files(root / ".site.new-live01", {".itsms-site": "", "index.html": "..\n"})
    held = os.open(running, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_SH)  # a build still running holds its folder
    try:
        assert run("build", "--root", str(root), "--as-of", AS_OF).exit_code == 0
        assert not dead.exists() and running.exists()
    finally:
        os.close(held)
    site = tmp_path / "elsewhere/site"
    assert (
        run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site)).exit_code == 0
    )
    assert not list(root.glob(".itsms-*")) and not list(site.parent.glob(".itsms-*"))


# --- low: trace does not confirm a hidden id; schema messages name no internal type -----


def test_trace_answers_a_hidden_and_an_unknown_id_alike(corpus: Callable[..., Path]) -> None:
    secret = approved("GZDS-ITSMS-QP-50", "保密程序", classification="confidential")
    draft = approved("GZDS-ITSMS-QP-51", "草稿程序", status="draft", version="0.1")
    root = corpus(
        {
            "procedures/GZDS-ITSMS-QP-50.md": doc_text(secret),
            "procedures/GZDS-ITSMS-QP-51.md": doc_text(draft),
        }
    )
    answers = set()
    for target in ("GZDS-ITSMS-QP-50", "GZDS-ITSMS-QP-51", "GZDS-ITSMS-QP-99"):
        result = run("trace", target, "--root", str(root), "--as-of", AS_OF)
        assert result.exit_code == 2
        answers.add(result.stderr.replace(target, "<id>"))
    assert len(answers) == 1, answers
    shown = run("trace", "GZDS-ITSMS-QP-50", "--include-confidential", "--root", str(root))
    assert shown.exit_code == 0 and "保密程序" in shown.stdout


def test_a_list_shaped_record_is_worded_without_internal_names(
    corpus: Callable[..., Path],
) -> None:
    root = corpus({"records/2026/R-LIST.yml": "- id: R-LIST\n- title: x\n"})
    result = run("check", "--root", str(root), "--as-of", AS_OF)
    line = next(x for x in result.stdout.splitlines() if "schema" in x)
    assert "列表" in line and "字段: 值" in line and "LineList" not in result.stdout, line


# --- low: itsms new refuses ids it could not control, and names what is in the way ------


def test_new_refuses_odd_prefixes_and_names_a_link_in_the_way(
    corpus: Callable[..., Path],
) -> None:
    for prefix, words in (("a\\nb-", "不是 procedures/"), ("QP-", "id_pattern")):
        mk = MKDOCS + f'      id_prefixes: {{procedure: "{prefix}"}}\n'
        root = corpus({"mkdocs.yml": mk})
        before = sorted(p.name for p in (root / "procedures").iterdir())
        args = ("new", "procedure", "--title", "新程序", "--owner", "staff", "--root", str(root))
        result = run(*args, "--as-of", AS_OF)
        assert result.exit_code == 2 and words in result.stderr, (prefix, result.output)
        assert sorted(p.name for p in (root / "procedures").iterdir()) == before
    root = corpus({"mkdocs.yml": MKDOCS})
    (root / "procedures/GZDS-ITSMS-QP-19.md").symlink_to("nowhere/else.md")
    args = ("new", "procedure", "--title", "新程序", "--owner", "staff", "--root", str(root))
    result = run(*args, "--as-of", AS_OF)
    assert result.exit_code == 1 and "procedures/GZDS-ITSMS-QP-19.md 已存在" in result.stderr
