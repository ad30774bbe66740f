"""The quick rebuild of ``itsms build`` (generator.quickbuild): after edits of documents'
texts only, the last site with those pages made again. Whatever it does, the site is
byte for byte the one a whole build without any cache writes; anything it cannot vouch
for is a whole build."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import quickbuild

from .conftest import AS_OF, MKDOCS, clean_doc, clean_files, front, record, run, write_files
from .test_buildcache import assert_same
from .test_incremental import EDITS, FIXED, QP10, QP18, settle, write

QUICK = "只有文件正文有改动"
SAME = "沿用上次发布的内容"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def _build_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs stamps sitemap.xml.gz with the build day: one day for every build here."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27
    monkeypatch.delenv("ITSMS_NO_CACHE", raising=False)


def build(root: Path, site: Path, *extra: str) -> str:
    result = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site), *extra)
    assert result.exit_code == 0, result.output
    return result.output


def is_whole(output: str) -> bool:
    return QUICK not in output and SAME not in output


def body(text: str) -> str:
    """QP-18, approved on paper (no fingerprint): its text may change, its metadata not."""
    return clean_doc(QP18, text, stamp=False)


@pytest.fixture
def repo(corpus: Callable[..., Path]) -> Path:
    # a search index over its budget: each section's text is cut to fit (in both builds)
    settings = MKDOCS.replace(
        "standards_dir: standards", "standards_dir: standards\n      search_index_mb: 0.009"
    )
    evidenced = record("R-QP18-2026-09", date="2026-07-02", evidence="files/mr.md")
    root = corpus(
        {
            "mkdocs.yml": settings,
            "records/files/mr.md": "# 2026 管理评审报告\n",
            "records/2026/R-QP18-2026-09.yml": front(evidenced),
            QP18: body("## 1 目的\n\n正文。\n"),
        }
    )
    settle(root)
    return root


def test_a_body_edit_is_made_quickly_and_equals_a_whole_build(repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert is_whole(build(repo, site))
    # the whole build kept jieba's dictionary in shares: the quick ones cut new words so
    assert len(list((repo / ".cache/itsms/jieba").glob("*.dict"))) == 1
    for n, text in enumerate(["改过的正文。", "## 2 范围\n\n新的一节，第二次修改。", "再改一次。"]):
        write(repo, QP18, body(f"## 1 目的\n\n{text}\n"))
        out = build(repo, site)
        assert "重新生成 1 个页面" in out, n
        build(repo, tmp_path / f"whole-{n}", "--no-cache")
        assert_same(site, tmp_path / f"whole-{n}")
        page = (site / "procedures/GZDS-ITSMS-QP-18/index.html").read_text("utf-8")
        assert text.split("\n")[-1] in page
    # nothing changed at all: the same site again, quickly
    assert "没有改动：沿用上次发布的内容" in build(repo, site)
    assert_same(site, tmp_path / "whole-2")


def test_english_says_so_too(repo: Path, tmp_path: Path) -> None:
    build(repo, tmp_path / "site", "--lang", "en")
    write(repo, QP18, body("## 1 目的\n\n改过的正文。\n"))
    out = build(repo, tmp_path / "site", "--lang", "en")
    assert "only documents' texts changed: pages made again: 1;" in out


#: the edits of the live preview's test, each followed by ``itsms build``: only a text
#: that cites no other document, names no picture and changes no finding is quick (the
#: pages it makes again); the YAML fixed is the state the last site was built from (the
#: broken one was refused and published nothing)
QUICK_EDITS = {"body": 1, "fixed yaml": 0}


def test_every_other_edit_is_a_whole_build_and_equals_one(repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(repo, QP18, clean_files()[QP18])  # sealed: the first edit unseals it
    build(repo, site)
    for n, (what, rel, text) in enumerate([*EDITS, FIXED]):
        write(repo, rel, text)
        result = run("build", "--root", str(repo), "--as-of", AS_OF, "--site-dir", str(site))
        whole = run(
            "build",
            "--root",
            str(repo),
            "--as-of",
            AS_OF,
            "--site-dir",
            str(tmp_path / f"w{n}"),
            "--no-cache",
        )
        assert result.exit_code == whole.exit_code, what
        remade = QUICK_EDITS.get(what)
        assert (QUICK in result.output) == bool(remade), what
        assert (SAME in result.output) == (remade == 0), what
        if remade:
            assert f"重新生成 {remade} 个页面" in result.output
        if result.exit_code == 0:
            assert_same(site, tmp_path / f"w{n}")


@pytest.mark.parametrize(
    "change",
    [
        "a record",
        "the settings",
        "the site, by hand",
        "a file of the site removed",
        "the snapshot, by another",
        "a shard of its search entries, by another",
        "a shard of its search entries from an earlier build",
        "a picture in the text",
        "the home page's text",
        "a page edited, its size and time put back",
        "a page's mode",
        "an empty folder in the site",
        "a hidden file in the site",
        "a page linked to a file elsewhere",
    ],
)
def test_what_a_quick_rebuild_cannot_vouch_for_is_built_whole(
    repo: Path, tmp_path: Path, change: str
) -> None:
    site = tmp_path / "site"
    build(repo, site)
    write(repo, QP18, body("## 1 目的\n\n改过的正文。\n"))
    if change == "a record":
        write(
            repo,
            "records/2026/R-QP18-2026-01.yml",
            front(record("R-QP18-2026-01", date="2026-06-02")),
        )
    elif change == "the settings":
        config = repo / "mkdocs.yml"
        config.write_text(config.read_text("utf-8") + "copyright: 信息中心\n", "utf-8")
    elif change == "the site, by hand":
        page = site / "register" / "index.html"
        page.write_text(page.read_text("utf-8") + "<!-- changed -->", "utf-8")
    elif change == "a file of the site removed":
        (site / "raci" / "index.html").unlink()
    elif change in ("the snapshot, by another", "a shard of its search entries, by another"):
        folder = repo / ".cache/itsms/snapshot"
        name = "snapshot-7.pickle" if change.startswith("the") else "snapshot-7.search.3.pickle"
        data = bytearray((folder / name).read_bytes())
        data[-10] ^= 1
        (folder / name).write_bytes(bytes(data))
    elif change == "a shard of its search entries from an earlier build":
        folder = repo / ".cache/itsms/snapshot"
        shards = {p: p.read_bytes() for p in folder.glob("*.search.*.pickle")}
        write(repo, QP18, body("## 1 目的\n\n另一次修改。\n"))
        assert QUICK in build(repo, site)
        changed = [p for p, data in shards.items() if p.read_bytes() != data]
        assert len(changed) == 1  # the quick rebuild wrote the edited page's shard only
        changed[0].write_bytes(shards[changed[0]])
        write(repo, QP18, body("## 1 目的\n\n改过的正文。\n"))
    elif change == "a picture in the text":
        write(repo, "procedures/flow.png", "not really a picture")
        write(repo, QP18, body("## 1 目的\n\n![流程](flow.png)\n"))
    elif change == "the home page's text":
        write(repo, "content/index.md", "# 首页\n\n新的介绍。\n")
    elif change == "a page edited, its size and time put back":
        page = site / "register" / "index.html"
        before, st = page.read_bytes(), page.stat()
        with page.open("r+b") as handle:  # in place: the same inode
            handle.write(before.replace(b"<title>", b"<TITLE>", 1))
        os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert page.stat().st_size == st.st_size and page.read_bytes() != before
    elif change == "a page's mode":
        (site / "raci" / "index.html").chmod(0o600)
    elif change == "an empty folder in the site":
        (site / "procedures" / "GZDS-ITSMS-QP-99").mkdir()
    elif change == "a hidden file in the site":  # MkDocs' cleaning leaves hidden files
        (site / ".well-known").mkdir()
        (site / ".well-known" / "security.txt").write_text("Contact: a@b\n", "utf-8")
    elif change == "a page linked to a file elsewhere":
        page = site / "roles" / "index.html"
        private = tmp_path / "private.html"
        private.write_bytes(page.read_bytes())
        private.chmod(0o600)
        page.unlink()
        os.link(private, page)
    out = build(repo, site)
    assert is_whole(out)
    build(repo, tmp_path / "whole", "--no-cache")
    assert_same(site, tmp_path / "whole")
    if change == "a page linked to a file elsewhere":  # not made readable by others
        assert ((tmp_path / "private.html").stat().st_mode & 0o777) == 0o600


def test_the_last_site_is_never_written_through(repo: Path, tmp_path: Path) -> None:
    """The new site links the last one's files: a file made again is a new file, so a
    reader of the last site (a web server, a copy by hard link) sees it unchanged."""
    site = tmp_path / "site"
    build(repo, site)
    page = site / "procedures/GZDS-ITSMS-QP-18/index.html"
    index = site / "search/search_index.json"
    kept = {tmp_path / "page.html": page, tmp_path / "index.json": index}
    before = {}
    for link, path in kept.items():
        os.link(path, link)
        before[link] = link.read_bytes()
    write(repo, QP18, body("## 1 目的\n\n改过的正文。\n"))
    assert QUICK in build(repo, site)
    assert {link: link.read_bytes() for link in kept} == before
    assert page.read_bytes() != before[tmp_path / "page.html"]


def test_a_failed_quick_rebuild_is_followed_by_a_whole_one(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build(repo, site)
    write(repo, QP18, body("## 1 目的\n\n改过的正文。\n"))

    def broken(*args: object) -> int:
        raise RuntimeError("lost")

    monkeypatch.setattr(quickbuild, "run", broken)
    assert is_whole(build(repo, site))
    build(repo, tmp_path / "whole", "--no-cache")
    assert_same(site, tmp_path / "whole")


def test_no_cache_keeps_no_snapshot(repo: Path, tmp_path: Path) -> None:
    build(repo, tmp_path / "site", "--no-cache")
    assert not (repo / ".cache").exists()


def test_a_text_edit_in_git_beside_a_plain_page_is_quick_and_equal(
    repo: Path, tmp_path: Path
) -> None:
    """A committed document's text, and a plain page in the navigation (its title is its
    own text's): the quick rebuild's page names it as a whole build does."""
    write(repo, "content/guide.md", "# 使用指南\n\n说明。\n")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "建立"], check=True)
    settle(repo)
    site = tmp_path / "site"
    build(repo, site)
    write(repo, QP18, body("## 1 目的\n\n改过的正文。\n"))
    assert "重新生成 1 个页面" in build(repo, site)
    build(repo, tmp_path / "whole", "--no-cache")
    assert_same(site, tmp_path / "whole")
    page = (site / "procedures/GZDS-ITSMS-QP-18/index.html").read_text("utf-8")
    assert "使用指南" in page and ">None<" not in page


def test_a_picture_that_appears_beside_a_text_is_published(repo: Path, tmp_path: Path) -> None:
    write(repo, QP18, body("## 1 目的\n\n![流程](GZDS-ITSMS-QP-18/flow.png)\n"))
    site = tmp_path / "site"
    build(repo, site)
    picture = repo / "procedures/GZDS-ITSMS-QP-18/flow.png"
    picture.parent.mkdir()
    picture.write_bytes(PNG)
    settle(repo, "procedures/GZDS-ITSMS-QP-18/flow.png")
    assert is_whole(build(repo, site))
    build(repo, tmp_path / "whole", "--no-cache")
    assert_same(site, tmp_path / "whole")
    assert (site / "attachments/procedures/GZDS-ITSMS-QP-18/flow.png").read_bytes() == PNG


def test_what_mkdocs_said_about_the_pages_kept_is_said_again(
    repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A dead link in another document: a whole build warns of it each time, and so does
    a quick rebuild that keeps that document's page."""

    def said(about: str) -> list[str]:
        return [r.getMessage() for r in caplog.records if about in r.getMessage()]

    write(repo, QP10, clean_doc(QP10, "## 1 目的\n\n见[旧表格](missing-form.md)。\n", stamp=False))
    site = tmp_path / "site"
    build(repo, site)
    warned = said("missing-form.md")
    assert len(warned) == 1 and "GZDS-ITSMS-QP-10" in warned[0]
    caplog.clear()
    write(repo, QP18, body("## 1 目的\n\n改过的正文。\n"))
    assert QUICK in build(repo, site)
    assert said("missing-form.md") == warned
    caplog.clear()
    write(repo, QP18, body("## 1 目的\n\n再改一次，见[另一个](gone.md)。\n"))
    assert QUICK in build(repo, site)
    assert said("missing-form.md") == warned and len(said("gone.md")) == 1
    caplog.clear()
    write(repo, QP18, body("## 1 目的\n\n改好了。\n"))
    assert QUICK in build(repo, site)
    assert said("missing-form.md") == warned and said("gone.md") == []


def test_a_refused_build_leaves_the_folder_it_staged_nowhere(repo: Path, tmp_path: Path) -> None:
    """The last site is linked into the new one's folder while the check runs: a build
    the check refuses leaves neither that folder nor a changed site behind."""
    site = tmp_path / "site"
    build(repo, site)
    before = sorted(p.name for p in tmp_path.iterdir())
    page = (site / "procedures/GZDS-ITSMS-QP-18/index.html").read_bytes()
    write(repo, QP18, "---\nid: [unclosed\n---\n正文。\n")
    refused = run("build", "--root", str(repo), "--as-of", AS_OF, "--site-dir", str(site))
    assert refused.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (site / "procedures/GZDS-ITSMS-QP-18/index.html").read_bytes() == page


def test_an_edit_of_a_record_is_one_whole_build_then_the_same_site(
    repo: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(repo, site)
    write(
        repo,
        "records/2026/R-QP18-2026-09.yml",
        front(record("R-QP18-2026-09", date="2026-07-03", evidence="files/mr.md")),
    )
    assert is_whole(build(repo, site))
    assert SAME in build(repo, site)  # the cache's files read in another order: the same


def test_a_word_added_to_the_departments_list_is_searched_as_without_the_cache(
    repo: Path, tmp_path: Path
) -> None:
    """Material's ``jieba_dict_user``: a word the department adds to its list is one
    search word on every page, as a build without the cache makes it."""
    words = tmp_path / "words.txt"
    words.write_text("值班长 10 n\n", "utf-8")
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "  - search\n", f"  - search:\n      lang: zh\n      jieba_dict_user: {words}\n"
        ),
        "utf-8",
    )
    assert f"jieba_dict_user: {words}" in config.read_text("utf-8")
    write(repo, QP18, body("## 1 目的\n\n磐石云瞳备份平台由值班长检查。\n"))
    site = tmp_path / "site"
    build(repo, site)
    words.write_text("值班长 10 n\n磐石云瞳备份平台 20 nz\n", "utf-8")
    build(repo, site)
    build(repo, tmp_path / "whole", "--no-cache")
    assert_same(site, tmp_path / "whole")
    index = (site / "search/search_index.json").read_text("utf-8")
    assert "磐石云瞳备份平台" in index
    write(repo, QP18, body("## 1 目的\n\n磐石云瞳备份平台由值班长再次检查。\n"))
    assert QUICK in build(repo, site)
    build(repo, tmp_path / "whole-2", "--no-cache")
    assert_same(site, tmp_path / "whole-2")


@pytest.mark.parametrize("made_up", [".cache", ".cache/itsms/jieba", ".cache/itsms/templates"])
def test_a_file_where_the_cache_keeps_a_folder_is_no_cache(
    repo: Path, tmp_path: Path, made_up: str
) -> None:
    import shutil

    shutil.rmtree(repo / ".cache", ignore_errors=True)
    (repo / made_up).parent.mkdir(parents=True, exist_ok=True)
    (repo / made_up).write_text("x", "utf-8")
    build(repo, tmp_path / "site")
    build(repo, tmp_path / "whole", "--no-cache")
    assert_same(tmp_path / "site", tmp_path / "whole")


def test_a_record_saved_just_before_each_build_is_never_taken_as_unchanged(
    repo: Path, tmp_path: Path
) -> None:
    """A file saved within two seconds before a build read it is not trusted by its
    stamp: edited again just as quickly, the next build still sees the change."""
    site = tmp_path / "site"
    build(repo, site)
    rec = repo / "records/2026/R-QP18-2026-09.yml"
    for n, date in enumerate(["2026-07-03", "2026-07-04"]):
        changed = record("R-QP18-2026-09", date=date, evidence="files/mr.md")
        rec.write_text(front(changed), "utf-8")  # saved just now: its stamp not trusted
        assert is_whole(build(repo, site)), n
        build(repo, tmp_path / f"whole-{n}", "--no-cache")
        assert_same(site, tmp_path / f"whole-{n}")


def test_a_sites_theme_files_are_those_mkdocs_takes(tmp_path: Path) -> None:
    """The quick rebuild and serve list the theme's files without walking its hidden
    folders (Material's icons): the same files as MkDocs' own listing."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from generator.livesite import add_theme_files

    root = write_files(
        tmp_path / "repo",
        {
            "mkdocs.yml": "site_name: 运维流程体系\ndocs_dir: content\n"
            "theme:\n  name: material\n  custom_dir: overrides\n",
            "content/index.md": "# 首页\n",
            "overrides/.hidden/a.css": "a {}\n",
            "overrides/x/.dot.js": "1\n",
            "overrides/x/y.css": "b {}\n",
            "overrides/.top.css": "c {}\n",
        },
    )
    config = load_config(str(root / "mkdocs.yml"))
    theirs, ours = get_files(config), get_files(config)
    theirs.add_files_from_theme(config.theme.get_env(), config)
    add_theme_files(ours, config.theme.get_env(), config)
    listed = [(f.src_uri, f.abs_src_path) for f in ours]
    assert listed == [(f.src_uri, f.abs_src_path) for f in theirs]
    assert "x/y.css" in {uri for uri, _ in listed} and len(listed) > 20
