"""The build cache (.cache/itsms/pages) and the worker processes: whatever they reuse or
share out, the published site is byte for byte the one a build without them writes."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from generator import workers
from generator.check import run_check
from generator.portal import PortalOptions
from generator.publish import build_site
from generator.settings import read_settings

from .conftest import AS_OF, approved, clean_doc, clean_files, doc_text, run, write_files

QP10 = "procedures/GZDS-ITSMS-QP-10.md"

PAGES = Path(".cache") / "itsms" / "pages"


@pytest.fixture(autouse=True)
def _build_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs stamps sitemap.xml.gz with the build day: one day for every build here."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27
    monkeypatch.delenv("ITSMS_NO_CACHE", raising=False)


def tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def assert_same(got: Path, want: Path) -> None:
    a, b = tree(got), tree(want)
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    assert differ == []


def build(root: Path, site: Path, *extra: str) -> None:
    result = run("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site), *extra)
    assert result.exit_code == 0, result.output


def entries(root: Path) -> list[Path]:
    return sorted((root / PAGES).rglob("*.json"))


def test_a_rebuild_after_a_body_edit_equals_a_build_without_cache(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", dict(clean_files()))
    build(root, tmp_path / "first")
    kept = entries(root)
    assert kept  # render, sanitize, search and template entries
    (root / "procedures/GZDS-ITSMS-QP-10.md").write_text(
        clean_doc(QP10, "## 1 目的\n\n见《管理评审程序》GZDS-ITSMS-QP-18。\n\n新增的一段说明。\n"),
        encoding="utf-8",
    )
    build(root, tmp_path / "cached")
    build(root, tmp_path / "cold", "--no-cache")
    assert_same(tmp_path / "cached", tmp_path / "cold")
    page = tmp_path / "cached/procedures/GZDS-ITSMS-QP-10/index.html"
    assert "新增的一段说明。" in page.read_text(encoding="utf-8")
    # the entries of the page before the edit were pruned, the unchanged ones reused
    after = entries(root)
    assert len(after) == len(kept)
    assert set(after) & set(kept) and set(after) != set(kept)


def test_no_cache_reads_and_writes_nothing(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", dict(clean_files()))
    build(root, tmp_path / "site", "--no-cache")
    assert not (root / ".cache").exists()
    assert os.environ.get("ITSMS_NO_CACHE") is None  # only for that run


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  language: zh\n", "  language: zh\n  palette:\n    primary: teal\n"),
        ("site_name: test\n", "site_name: test\nmarkdown_extensions:\n  - pymdownx.mark\n"),
        ("      standards_dir: standards\n", "      standards_dir: standards\n      lang: en\n"),
    ],
    ids=["theme-palette", "markdown-extension", "lang"],
)
def test_a_change_of_settings_gives_the_uncached_output(tmp_path: Path, old: str, new: str) -> None:
    files: dict[str, str | bytes] = dict(clean_files())
    files["procedures/GZDS-ITSMS-QP-10.md"] = clean_doc(QP10, "## 1 目的\n\n这是==重点==。\n")
    root = write_files(tmp_path / "repo", files)
    build(root, tmp_path / "first")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")
    build(root, tmp_path / "cached")
    build(root, tmp_path / "cold", "--no-cache")
    assert_same(tmp_path / "cached", tmp_path / "cold")
    assert tree(tmp_path / "cached") != tree(tmp_path / "first")


def test_a_corrupt_cache_entry_is_ignored(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", dict(clean_files()))
    build(root, tmp_path / "first")
    kept = entries(root)
    assert len(kept) >= 4
    for n, path in enumerate(kept):
        data = path.read_bytes()
        damage: list[bytes] = [
            data[: len(data) // 2],  # truncated
            b"\x00\xff not json",
            json.dumps({"key": "another", "value": "<p>foreign</p>"}).encode(),
            json.dumps({"key": path.stem, "value": {"content": 3}}).encode(),  # wrong shape
        ]
        path.write_bytes(damage[n % len(damage)])
    build(root, tmp_path / "cached")
    build(root, tmp_path / "cold", "--no-cache")
    assert_same(tmp_path / "cached", tmp_path / "cold")
    assert_same(tmp_path / "cached", tmp_path / "first")


def _build_with(root: Path, site: Path, count: int, forks: list[int] | None = None) -> None:
    settings = read_settings(root)
    as_of = dt.date.fromisoformat(AS_OF)
    result = run_check(root, settings, as_of)
    if forks is not None:  # the build's own (the check runs half its rules in a child)
        forks.clear()
    build_site(result, PortalOptions(build_date=as_of), site, workers=count)


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the build's forks (each still forks)."""
    calls: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            calls.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return calls


def _many_documents() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(clean_files())
    for n in range(1, 9):
        doc = approved(
            f"GZDS-ITSMS-QP-2{n}",
            f"第{n}号程序",
            clauses=["1.1" if n % 2 else "1.2"],
            records=[],
        )
        body = f"## 1 目的\n\n第{n}号程序的正文，见 GZDS-ITSMS-QP-18。\n\n## 2 范围\n\n全部。\n"
        files[f"procedures/GZDS-ITSMS-QP-2{n}.md"] = doc_text(doc, body)
    return files


def test_workers_on_and_off_give_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITSMS_NO_CACHE", "1")  # the workers do all the work
    root = write_files(tmp_path / "repo", _many_documents())
    forks = _forks(monkeypatch)
    _build_with(root, tmp_path / "one", 1, forks)
    assert forks == []
    _build_with(root, tmp_path / "three", 3, forks)
    assert len(forks) == 4  # two for the Markdown, two for search and templates
    assert_same(tmp_path / "three", tmp_path / "one")
    assert not (root / ".cache").exists()


def test_a_failing_worker_leaves_its_share_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path / "repo", _many_documents())
    _build_with(root, tmp_path / "one", 1)

    def broken(*args: Any) -> None:
        raise RuntimeError("worker lost")

    monkeypatch.setattr(workers, "_populate", broken)
    monkeypatch.setattr(workers, "_build", broken)
    monkeypatch.setenv("ITSMS_NO_CACHE", "1")
    forks = _forks(monkeypatch)
    _build_with(root, tmp_path / "two", 2, forks)
    assert len(forks) == 2
    assert_same(tmp_path / "two", tmp_path / "one")


def test_how_many_processes() -> None:
    assert workers.processes(10, serving=False, forced=None) == 1  # a small site
    assert workers.processes(5000, serving=True, forced=None) == 1  # serve: the memo
    assert workers.processes(5000, serving=False, forced=None) == workers.cores()
    assert workers.processes(10, serving=False, forced=3) == 3
    assert workers.processes(10, serving=False, forced=0) == 1


def test_an_included_file_edit_reaches_a_cached_page(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    files: dict[str, str | bytes] = dict(clean_files())
    files["mkdocs.yml"] = str(files["mkdocs.yml"]) + (
        f"markdown_extensions:\n  - pymdownx.snippets:\n      base_path: ['{root / 'snippets'}']\n"
    )
    files["content/guide.md"] = '# 指南\n\n--8<-- "note.md"\n'
    files["snippets/note.md"] = "第一版说明。\n"
    write_files(root, files)
    build(root, tmp_path / "first")
    assert "第一版说明。" in (tmp_path / "first/guide/index.html").read_text(encoding="utf-8")
    (root / "snippets/note.md").write_text("第二版说明。\n", encoding="utf-8")
    build(root, tmp_path / "cached")
    build(root, tmp_path / "cold", "--no-cache")
    assert_same(tmp_path / "cached", tmp_path / "cold")
    assert "第二版说明。" in (tmp_path / "cached/guide/index.html").read_text(encoding="utf-8")


def test_a_reused_page_says_what_its_render_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files: dict[str, str | bytes] = dict(clean_files())
    files["content/guide.md"] = "# 指南\n\n见[缺失](missing.md)。\n"
    root = write_files(tmp_path / "repo", files)
    said = "Doc file 'guide.md' contains a link 'missing.md', but the target is not found"
    for name in ("first", "cached"):
        caplog.clear()
        build(root, tmp_path / name)
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert [r.getMessage().startswith(said) for r in warnings] == [True], name


def test_an_entry_changed_without_the_users_key_is_not_published(tmp_path: Path) -> None:
    """.cache is git-ignored: an edit there shows in no review, so an entry whose
    signature does not verify is not read, however well-formed."""
    root = write_files(tmp_path / "repo", dict(clean_files()))
    build(root, tmp_path / "first")
    edited = 0
    for path in entries(root):
        data = path.read_bytes()
        tag, text = data[:32], data[32:].decode("utf-8")
        if "<p>" in text:  # the key and the shape kept: only the text is changed
            path.write_bytes(tag + text.replace("<p>", "<p>POISON", 1).encode("utf-8"))
            edited += 1
    assert edited >= 3
    build(root, tmp_path / "cached")
    build(root, tmp_path / "cold", "--no-cache")
    assert_same(tmp_path / "cached", tmp_path / "cold")
    assert not any(b"POISON" in data for data in tree(tmp_path / "cached").values())


def test_a_cache_folder_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", dict(clean_files()))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cache").symlink_to(elsewhere)
    build(root, tmp_path / "site")
    assert list(elsewhere.iterdir()) == []


_SEARCH_CONFIG: dict[str, Any] = {
    "lang": ["zh"],
    "separator": r"[\s\u200b\u3000\-、。，．？！；]+",
    "pipeline": ["stemmer"],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}},
}


def _search_index() -> Any:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(**_SEARCH_CONFIG)
    index.entries = [
        {
            "location": f"p{n}/",
            "title": f"程序{n}\u200b标题",
            "text": "<p>" + "服务台\u200b应在\u200b正文 café \\u00e9 \x1f" * 40 + "</p>",
            **({"tags": ["变更"], "boost": 2.0} if n % 7 == 0 else {}),
        }
        for n in range(200)
    ]
    return index


@pytest.mark.parametrize("budget", [0, 0.05])
def test_the_index_material_writes_itself_is_the_compacted_one(
    tmp_path: Path, budget: float
) -> None:
    from generator.searchindex import compact_search_index, write_compact

    material = tmp_path / "material.json"  # Material's ASCII JSON, then compacted
    material.write_bytes(_search_index().generate_search_index(None).encode("utf-8"))
    compact_search_index(material, budget)
    index = _search_index()
    write_compact(index, budget)
    direct = tmp_path / "direct.json"
    direct.write_bytes(index.generate_search_index(None).encode("utf-8"))
    written = direct.stat().st_ino
    compact_search_index(direct, budget)
    assert direct.stat().st_ino == written  # left as it is: not written again
    assert direct.read_bytes() == material.read_bytes()
    if budget:
        assert len(material.read_bytes()) <= budget * 1_000_000


def test_an_index_material_wrote_itself_is_not_read_back() -> None:
    """After a build whose index Material wrote through ``write_compact`` the plugin
    leaves it as it is; a ``--dirty`` merge (Material's own JSON) is compacted."""
    from types import SimpleNamespace

    from generator.searchindex import write_compact, written_compact

    index = _search_index()
    assert not written_compact(SimpleNamespace(search_index=index, search_index_prev=None))
    write_compact(index, 0)
    assert written_compact(SimpleNamespace(search_index=index, search_index_prev=None))
    merged = SimpleNamespace(search_index=index, search_index_prev=_search_index())
    assert not written_compact(merged)
    assert not written_compact(None)


def test_segmenting_each_run_once_gives_materials_words() -> None:
    from generator.searchindex import segment_once

    plain, once = _search_index(), _search_index()
    segment_once(once)
    texts = [
        "服务台应在2小时内登记事件，服务台应在当日关闭。",
        "English only, no Chinese",
        "混合 mixed 文本：服务台应在",
        "服务台应在2小时内登记事件，服务台应在当日关闭。",
    ]
    assert [once._segment_chinese(t) for t in texts] == [plain._segment_chinese(t) for t in texts]


def _sectioned_page(root: Path, text: str) -> tuple[Any, Any, Any]:
    """A portal page of ``text`` as MkDocs makes it (its config, files and page)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "raci.md").write_text(text, encoding="utf-8")
    (docs / "other.md").write_text("# 另一页\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: 门户\n", encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    config.markdown_extensions += ["toc", "attr_list", "md_in_html"]
    config.mdx_configs["toc"] = {"permalink": True}
    site = str(root / "site")
    files = Files([File(name, str(docs), site, True) for name in ("raci.md", "other.md")])
    page = Page(None, files.get_file_from_path("raci.md"), config)
    page.read_source(config)
    return config, files, page


def _raci_markdown(titles: list[str]) -> str:
    from generator.sections import MARK

    lines = ["# 角色职责矩阵\n", "## 按活动\n"]
    for n, title in enumerate(titles):
        if n % 4 == 0:
            lines.append(MARK + "\n")
        lines.append(f"### QP-{n} {title} {{#raci-{n}}}\n")
        lines.append(f"[流程 › {title}](other.md)\n")
        lines.append(f'<div data-itsms-block="{n}"></div>\n')
    return "\n".join(lines)


def test_a_page_rendered_by_sections_reads_as_one_render(tmp_path: Path) -> None:
    """A portal page marked in sections (the RACI matrix's processes) renders as the
    whole page would: the same HTML but for blank lines, the same nested contents, title
    and anchors; after an edit of one process only its section is rendered again."""
    from generator.pagecache import PageWork
    from generator.sections import MARK

    titles = [f"第{n}号程序" for n in range(10)]
    text = _raci_markdown(titles)
    config, files, whole = _sectioned_page(tmp_path / "whole", text.replace(MARK + "\n", ""))
    whole.render(config, files)

    config, files, page = _sectioned_page(tmp_path / "parts", text)
    work = PageWork()
    work.in_memory = False  # as in serve: no page kept in memory
    work.begin(tmp_path / "parts", config, files)
    rendered: list[str] = []
    real = page.render

    def counted(config: Any, files: Any) -> None:
        rendered.append(page.markdown)
        real(config, files)

    page.render = counted
    work.install_render(page, text, sectioned=True)
    page.render(config, files)
    assert len(rendered) == 4  # the heading's section and three of processes

    def lines(html: str) -> list[str]:
        return [line for line in html.split("\n") if line.strip()]

    assert lines(page.content) == lines(whole.content) and MARK not in page.content
    assert str(page.toc) == str(whole.toc)  # 按活动 holds every process, in order
    assert [a.title for a in page.toc][0] == "角色职责矩阵"
    assert page.title == whole.title == "角色职责矩阵"
    assert page.present_anchor_ids == whole.present_anchor_ids
    assert {"raci-0", "raci-9"} <= page.present_anchor_ids

    work.finish()  # as in serve after its first build: the disk's cache closed
    edited = _raci_markdown([*titles[:5], "第5号程序（修订）", *titles[6:]])
    rendered.clear()
    work.install_render(page, edited, sectioned=True)
    page.render(config, files)
    assert len(rendered) == 1 and "第5号程序（修订）" in rendered[0]
    assert "第5号程序（修订）" in page.content and "第5号程序（修订）" in str(page.toc)
