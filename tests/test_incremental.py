"""Incremental work: a check that re-reads only the files that changed, and ``serve``
rebuilds that keep the check's sources in memory. Whatever is reused, the result
equals a cold one (the check's JSON; the served site, file by file)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import sourcecache
from generator.sourcecache import SHARDS, SourceCache, _shard

from .conftest import (
    AS_OF,
    MKDOCS,
    approved,
    check_json,
    clean_doc,
    doc_text,
    front,
    record,
)

QP18 = "procedures/GZDS-ITSMS-QP-18.md"
QP10 = "procedures/GZDS-ITSMS-QP-10.md"
QP20 = "procedures/GZDS-ITSMS-QP-20.md"
SERVE_URL = "http://127.0.0.1:8000/"


def settle(root: Path, *rels: str) -> None:
    """Files last modified a while ago (all of them, or ``rels``): as an editor leaves
    them between two saves, so the cache may trust their stat."""
    past = time.time() - 60
    paths = [root / r for r in rels] if rels else [p for p in root.rglob("*") if p.is_file()]
    for path in paths:
        if path.exists() and ".cache" not in path.parts:
            os.utime(path, (past, past))


def write(root: Path, rel: str, text: str | None) -> None:
    path = root / rel
    if text is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    settle(root, rel)


#: (what the edit is, the file, its new text or None to delete it)
def _qp18(body: str) -> str:
    return clean_doc(QP18, body, stamp=False)


EDITS: list[tuple[str, str, str | None]] = [
    ("unsealed", QP18, _qp18("## 1 目的\n\n正文。\n")),
    ("body", QP18, _qp18("## 1 目的\n\n改过的正文。\n\n## 2 范围\n\n新的一节。\n")),
    ("body citing", QP18, _qp18("## 1 目的\n\n改过的正文，见 GZDS-ITSMS-QP-10。\n")),
    ("body again", QP18, _qp18("## 1 目的\n\n改过的正文。\n")),
    (
        "title and clauses",
        QP10,
        clean_doc(QP10, title="服务级别管理控制程序", clauses=["1.1", "2"]),
    ),
    (
        "new document",
        QP20,
        doc_text(approved("GZDS-ITSMS-QP-20", "内部审核程序", clauses=["1.2"], records=[])),
    ),
    ("new record", "records/2026/R-QP20-2026-01.yml", front(record("R-QP20-2026-01"))),
    ("evidence file", "records/files/mr.md", "# 2026 管理评审报告\n\n修订：补记一项决议。\n"),
    ("home page text", "content/index.md", "# 首页\n\n本门户发布全部受控文件。\n"),
    ("deleted document", QP20, None),
    ("broken yaml", QP10, "---\nid: GZDS-ITSMS-QP-10\ntitle: [服务级别\n---\n正文\n"),
]
FIXED = ("fixed yaml", QP10, next(text for what, _, text in EDITS if what == "title and clauses"))


def test_cached_check_equals_a_cold_one_after_each_edit(
    corpus: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = corpus()
    settle(root)
    for what, rel, text in [*EDITS, FIXED]:
        write(root, rel, text)
        monkeypatch.delenv("ITSMS_NO_CACHE", raising=False)
        cached = check_json(root)
        monkeypatch.setenv("ITSMS_NO_CACHE", "1")
        cold = check_json(root)
        assert cached == cold, what
        assert (root / ".cache/itsms/sources").is_dir()
    rules = [f["rule"] for f in cold[1]["findings"]]
    assert "yaml-syntax" not in rules  # the fixed file was read again


def test_only_changed_files_are_read_again(corpus: Callable[..., Path]) -> None:
    root = corpus()
    settle(root)
    first = SourceCache.on_disk(root)
    assert first is not None
    first.load(root)
    assert first.read == 6  # roles, two documents, two records, the index page
    first.save()
    again = SourceCache.on_disk(root)
    assert again is not None
    again.load(root)
    assert again.read == 0
    write(root, QP18, doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序"), "新正文\n"))
    loaded = again.load(root)
    assert again.read == 1
    assert "新正文" in next(s.body for s in loaded.sources if s.path == QP18)
    (root / QP10).unlink()
    loaded = again.load(root)
    assert again.read == 0 and QP10 not in {s.path for s in loaded.sources}


def test_an_edit_writes_only_its_shard_of_the_cache_again(corpus: Callable[..., Path]) -> None:
    root = corpus()
    settle(root)
    check_json(root)
    folder = root / ".cache/itsms/sources"

    def stamps() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    before = stamps()
    assert 1 < len(before) <= SHARDS  # the shards that hold a file
    time.sleep(0.01)
    write(root, QP18, doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序"), "新正文\n"))
    check_json(root)
    after = stamps()
    cache = SourceCache.on_disk(root)
    assert cache is not None
    assert [n for n in after if after[n] != before[n]] == [cache.shard_file(_shard(QP18)).name]
    assert after.keys() == before.keys()


def test_a_file_just_saved_is_read_again(corpus: Callable[..., Path]) -> None:
    """Saved within the clock's resolution of its reading, a file may change again
    with the same stat: it is not trusted until it is older."""
    root = corpus()
    settle(root)
    cache = SourceCache()
    cache.load(root)
    (root / QP18).write_text("---\nid: GZDS-ITSMS-QP-18\n---\n甲\n", encoding="utf-8")
    cache.load(root)
    assert cache.read == 1
    cache.load(root)
    assert cache.read == 1  # still too recent to be trusted


def test_records_and_documents_kept_with_their_files_follow_the_roles(
    corpus: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache on disk keeps the records and documents the check made with their
    files; the next check takes those of unchanged files as they are, unless the roles
    they were made under changed (an owner written by a role's name). Either way, what
    it finds is what a check without the cache finds."""
    from generator import check, model

    by_name = "records/2026/R-QP18-2026-05.yml"
    root = corpus(
        {
            by_name: front(record("R-QP18-2026-05", owner="服务经理")),
            QP10: clean_doc(QP10, owner="服务经理"),
        }
    )
    settle(root)

    def both() -> list[tuple[str, str]]:
        monkeypatch.delenv("ITSMS_NO_CACHE", raising=False)
        cached = check_json(root)
        monkeypatch.setenv("ITSMS_NO_CACHE", "1")
        assert cached == check_json(root)
        return [(f["rule"], f["file"]) for f in cached[1]["findings"]]

    made: list[str] = []
    for name in ("build_record", "build_document"):
        real = getattr(model, name)
        monkeypatch.setattr(
            check, name, lambda src, std, real=real: made.append(src.path) or real(src, std)
        )
    found = both()
    assert not any(f in (by_name, QP10) for _, f in found)  # 服务经理 is service-manager
    made.clear()
    monkeypatch.delenv("ITSMS_NO_CACHE", raising=False)
    check_json(root)
    assert made == []  # every record and document as kept on disk
    roles = (root / "content/roles.yml").read_text("utf-8").replace("服务经理", "服务级别经理")
    write(root, "content/roles.yml", roles)
    found = both()
    assert {f for _, f in found} >= {by_name, QP10}  # their owner names no role now
    made.clear()
    monkeypatch.delenv("ITSMS_NO_CACHE", raising=False)
    check_json(root)
    assert made == []  # made again under the new roles, and kept so


def test_a_load_told_what_changed_stamps_only_those(corpus: Callable[..., Path]) -> None:
    """``serve``: the watcher names the files changed since the last load; the next
    load stamps those only, unless a file the check reads came or went (a scan then
    finds where it sorts)."""
    from generator.load import load

    root = corpus({"content/logo.png": b"\x89PNG"})
    settle(root)
    cache = SourceCache()
    cache.load(root)
    write(root, QP18, doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序"), "新正文\n"))
    cache.changed_since = {QP18, "content/logo.png"}  # a picture: the check reads none
    loaded = cache.load(root)
    assert cache.read == 1 and cache.changed_since is None
    assert "新正文" in next(s.body for s in loaded.sources if s.path == QP18)
    new = "records/2026/R-QP18-2026-07.yml"
    write(root, new, front(record("R-QP18-2026-07")))
    cache.changed_since = {new}
    loaded = cache.load(root)
    assert cache.read == 1
    assert [s.path for s in loaded.sources] == [s.path for s in load(root).sources]
    (root / QP10).unlink()
    cache.changed_since = {QP10}
    loaded = cache.load(root)
    assert QP10 not in {s.path for s in loaded.sources}
    cache.load(root)  # nobody said what changed: every file is stamped again
    assert cache.read == 0


def test_a_file_with_another_name_is_stamped_on_every_load(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """Written through a hard link outside the watched folders, a file changes out of
    the watcher's sight: a file with more than one name is stamped on every load."""
    root = corpus()
    settle(root)
    other = tmp_path / "elsewhere.md"
    os.link(root / QP18, other)
    cache = SourceCache()
    cache.load(root)  # a scan: it finds the second name
    cache.changed_since = set()
    with other.open("a", encoding="utf-8") as handle:
        handle.write("经另一个名字改的正文。\n")
    settle(root, QP18)
    loaded = cache.load(root)
    assert cache.read == 1
    assert "经另一个名字改的正文" in next(s.body for s in loaded.sources if s.path == QP18)


@pytest.mark.parametrize("content", [b"", b"\x80\x04garbage", b"not a pickle at all"])
def test_a_broken_cache_file_is_ignored(corpus: Callable[..., Path], content: bytes) -> None:
    root = corpus()
    settle(root)
    _, cold = check_json(root)
    for path in (root / ".cache/itsms/sources").iterdir():
        path.write_bytes(content)
    _, again = check_json(root)
    assert again == cold


def test_a_cache_file_naming_other_classes_is_refused(corpus: Callable[..., Path]) -> None:
    import pickle

    root = corpus()
    check_json(root)
    cache = SourceCache.on_disk(root)
    assert cache is not None and cache.path is not None
    for shard in range(SHARDS):
        foreign = {"format": 2, "shard": shard, "entries": {"x": os.getcwd}}
        cache.shard_file(shard).write_bytes(pickle.dumps(foreign))
    assert SourceCache.on_disk(root) is not None  # read as empty, no call made
    assert SourceCache.on_disk(root).entries == {}  # type: ignore[union-attr]


def test_a_signed_cache_file_reaching_through_a_module_calls_nothing(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """Even signed, a pickle may only name classes of generator.*: not a function, not
    a dotted name leading to another module's (os.makedirs through generator.cachedir)."""
    from generator.cachedir import sign

    root = corpus()
    check_json(root)
    cache = SourceCache.on_disk(root)
    assert cache is not None and cache.path is not None
    made = tmp_path / "made-by-a-pickle"
    for module, name in (("generator.cachedir", "os.makedirs"), ("os", "makedirs")):
        payload = f"\x80\x04c{module}\n{name}\n(V{made}\ntR.".encode("latin-1")
        cache.path.write_bytes(sign(payload))
        reread = SourceCache.on_disk(root)
        assert reread is not None and reread.entries == {}
        assert not made.exists()


# --- serve ------------------------------------------------------------------------------


@pytest.mark.parametrize("plugins", ["[search, itsms]", "[{search: {lang: zh}}, itsms]"])
def test_every_rebuild_reads_the_minimal_settings(
    corpus: Callable[..., Path], tmp_path: Path, plugins: str
) -> None:
    """mkdocs serve hands the same overrides to every rebuild's load_config: a bare
    plugin name (the README's minimal mkdocs.yml) must load the second time too."""
    from mkdocs.config import load_config

    from generator.cli import serve_overrides

    root = corpus()
    (root / "mkdocs.yml").write_text(f"site_name: 最小\nplugins: {plugins}\n", "utf-8")
    overrides = serve_overrides(root)
    for _ in range(3):
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"), **overrides)
        assert list(config.plugins) == ["material/search", "itsms"]


def _site(folder: Path) -> dict[str, bytes]:
    """Every file of a built site; a .gz file's content (its header holds the time)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel != ".itsms-site":
            data = path.read_bytes()
            out[rel] = gzip.decompress(data) if rel.endswith(".gz") else data
    return out


def _cold_build(root: Path, target: Path) -> dict[str, bytes]:
    """``itsms build`` in a fresh process without any cache: nothing a serve session
    holds (MkDocs keeps plugin objects per process) can leak into it."""
    env = {**os.environ, "ITSMS_NO_CACHE": "1", "NO_MKDOCS_2_WARNING": "1"}
    code = "from generator.commands import main; main()"
    args = ["build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(target)]
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return _site(target)


class Serve:
    """What ``itsms serve`` does: one whole build kept in memory (generator.livesite),
    then after each edit ``update`` with the files the watcher saw change."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        from generator.cli import serve_overrides
        from generator.livesite import LiveSite

        self.root, self.site_dir = root, site_dir
        self.overrides = serve_overrides(root)
        self.live = LiveSite(root, self.config)
        self.live.build()
        assert self.live.plugin is not None
        self.plugin = self.live.plugin

    def config(self) -> Any:
        from mkdocs.config import load_config

        config = load_config(
            str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir), **self.overrides
        )
        config.site_url = SERVE_URL
        return config

    def rebuild(self, *rels: str) -> dict[str, bytes]:
        self.live.update(rels or None)
        assert self.live.plugin is self.plugin
        return _site(self.site_dir)


@pytest.fixture
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ITSMS_AS_OF", AS_OF)
    monkeypatch.setenv("ITSMS_PREVIEW", "0")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    yield


#: how serve makes each edit of EDITS (and FIXED) visible
MODES = {
    "unsealed": "pages",
    "body": "text",
    "body citing": "pages",
    "body again": "pages",
    "title and clauses": "pages",
    "new document": "full",
    "new record": "pages",
    "evidence file": "pages",
    "home page text": "pages",
    "deleted document": "full",
    "broken yaml": "full",
    "fixed yaml": "full",
}


def test_serve_after_each_edit_equals_a_cold_build(
    corpus: Callable[..., Path], tmp_path: Path, serving: None
) -> None:
    # a search index over its budget: each section's text is cut to fit (in both builds)
    settings = MKDOCS.replace(
        "standards_dir: standards", "standards_dir: standards\n      search_index_mb: 0.009"
    )
    evidenced = record("R-QP18-2026-09", date="2026-07-02", evidence="files/mr.md")
    root = corpus(
        {
            "mkdocs.yml": settings + f"site_url: {SERVE_URL}\n",
            "records/files/mr.md": "# 2026 管理评审报告\n",
            "records/2026/R-QP18-2026-09.yml": front(evidenced),
            "content/guide.md": "# 使用指南\n\n正文。\n",  # titled in the navigation by its text
        }
    )
    settle(root)
    serve = Serve(root, tmp_path / "served")
    assert serve.rebuild() == _cold_build(root, tmp_path / "cold-0")
    for n, (what, rel, text) in enumerate([*EDITS, FIXED], 1):
        write(root, rel, text)
        served = serve.rebuild(rel)
        assert serve.live.last == MODES[what], what
        if what == "broken yaml":  # the last good site, under the check's findings
            assert serve.plugin.rejected and "yaml-syntax" not in serve.plugin.rejected
            assert f"{QP10}:" in served["index.html"].decode()
            continue
        cold = _cold_build(root, tmp_path / f"cold-{n}")
        assert sorted(served) == sorted(cold), what
        for name, data in cold.items():
            assert served[name] == data, f"{what}: {name}"
    index = (tmp_path / "served/search/search_index.json").read_text("utf-8")
    assert "…" in index and len(index.encode()) <= 9_000  # the budget was kept
    page = (tmp_path / "served/procedures/GZDS-ITSMS-QP-18/index.html").read_text("utf-8")
    assert "改过的正文" in page
    page = (tmp_path / "served/procedures/GZDS-ITSMS-QP-10/index.html").read_text("utf-8")
    assert "服务级别管理控制程序" in page


def test_serve_after_a_text_edit_then_another_documents_metadata_equals_a_cold_build(
    corpus: Callable[..., Path], tmp_path: Path, serving: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text edit does not go through the check's source cache; the next update,
    which stamps only the files the watcher named since the cache last loaded, still
    reads the text edited before."""
    root = corpus({"mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n"})
    settle(root)
    serve = Serve(root, tmp_path / "served")
    scans: list[Path] = []
    real_scan = sourcecache.scan
    monkeypatch.setattr(sourcecache, "scan", lambda root: scans.append(root) or real_scan(root))
    edits = [
        ("body", QP18, _qp18("## 1 目的\n\n正文。\n"), "pages"),  # stamped: the cache loads
        ("body", QP18, _qp18("## 1 目的\n\n第二次改的正文。\n"), "text"),
        ("title", QP10, clean_doc(QP10, stamp=False, title="服务级别管理控制程序"), "pages"),
        ("title", QP10, clean_doc(QP10, stamp=False, title="服务级别管理程序（修订）"), "pages"),
    ]
    for n, (what, rel, text, mode) in enumerate(edits, 1):
        write(root, rel, text)
        served = serve.rebuild(rel)
        assert serve.live.last == mode, (n, what)
        cold = _cold_build(root, tmp_path / f"cold-{n}")
        assert sorted(served) == sorted(cold), (n, what)
        for name, data in cold.items():
            assert served[name] == data, f"{n} {what}: {name}"
    assert serve.plugin.sources is not None and serve.plugin.sources.read == 1
    assert len(scans) == 1  # the first update after the whole build; then the watcher's word
    page = (tmp_path / "served/procedures/GZDS-ITSMS-QP-18/index.html").read_text("utf-8")
    assert "第二次改的正文" in page
    # an edit nobody was told of (written through a name the watcher does not watch),
    # then a change of mkdocs.yml: a whole build, which stamps every file again
    write(root, QP18, _qp18("## 1 目的\n\n没人报告的修改。\n"))
    (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml").read_text("utf-8") + "site_description: 运维\n", "utf-8"
    )
    served = serve.rebuild("mkdocs.yml")
    assert serve.live.last == "full" and len(scans) == 2
    assert "没人报告的修改" in served["procedures/GZDS-ITSMS-QP-18/index.html"].decode()


QP30 = "procedures/GZDS-ITSMS-QP-30.md"
R_QP10 = "records/2026/R-QP10-2026-01.yml"


def _qp30(**changes: Any) -> str:
    fields = approved(
        "GZDS-ITSMS-QP-30",
        "变更管理程序",
        clauses=["1.2"],
        records=[{"type": "变更记录", "clauses": ["1.2"]}],
    )
    return doc_text({**fields, **changes}, stamp=False)


#: metadata edits a controller makes (the repository stays valid), and how serve shows
#: each; with the pages that stay as they were (taken from the last portal) or not
META_EDITS: list[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "title",
        QP10,
        clean_doc(QP10, stamp=False, title="服务级别管理控制程序"),
        "pages",
        (QP30, "records/by-month/2026-06.md"),
        (QP10, QP18),  # QP-18's page names the documents citing it, with their titles
    ),
    (
        "clauses",
        QP10,
        clean_doc(QP10, stamp=False, title="服务级别管理控制程序", clauses=["1.1", "2"]),
        "pages",
        (QP30, QP18, "clauses/1.2.md"),
        (QP10, "clauses/1.1.md"),
    ),
    (
        "owner and roles",
        QP10,
        clean_doc(
            QP10,
            stamp=False,
            title="服务级别管理控制程序",
            clauses=["1.1", "2"],
            owner="staff",
            raci=[{"activity": "评审服务级别", "R": ["staff"], "A": "top-management"}],
        ),
        "pages",
        (QP30, QP18),
        (QP10, "roles/staff.md", "roles/top-management.md", "roles/service-manager.md"),
    ),
    (
        "a record's fields",
        R_QP10,
        front(
            record(
                "R-QP10-2026-01",
                type="服务级别评审记录",
                procedure="GZDS-ITSMS-QP-10",
                title="服务级别评审（补记）",
                owner="staff",
                date="2026-06-15",
            )
        ),
        "pages",
        (QP30, QP18),
        (QP10, "records/by-month/2026-06.md", "roles/staff.md"),
    ),
    (
        "a document citing another",
        QP18,
        clean_doc(QP18, "## 1 目的\n\n变更按 GZDS-ITSMS-QP-30 执行。\n", stamp=False),
        "pages",
        (QP10, "records/by-month/2026-06.md"),
        (QP18, QP30),
    ),
    (
        "the cited one's title",
        QP30,
        _qp30(title="变更与发布管理程序"),
        "pages",
        (QP10,),
        (QP30, QP18),
    ),
    (
        "status",
        QP30,
        _qp30(
            title="变更与发布管理程序",
            status="withdrawn",
            withdrawn_on="2026-11-01",
            withdrawn_reason="并入发布管理",
        ),
        "full",
        (),
        (),
    ),
]


def test_serve_after_metadata_edits_equals_a_cold_build(
    corpus: Callable[..., Path], tmp_path: Path, serving: None
) -> None:
    """Each metadata edit remakes only the pages that show what changed; the others are
    the last portal's own, and the served site equals a cold build after each."""
    root = corpus(
        {
            "mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n",
            QP30: _qp30(),
            "records/2026/R-QP30-2026-01.yml": front(
                record("R-QP30-2026-01", type="变更记录", procedure="GZDS-ITSMS-QP-30")
            ),
        }
    )
    settle(root)
    serve = Serve(root, tmp_path / "served")
    for n, (what, rel, text, mode, kept, remade) in enumerate(META_EDITS, 1):
        portal = serve.plugin.portal
        assert portal is not None
        before = {p.path: p for p in portal.pages}
        write(root, rel, text)
        served = serve.rebuild(rel)
        assert serve.live.last == mode, what
        assert serve.plugin.portal is not None
        after = {p.path: p for p in serve.plugin.portal.pages}
        assert [p for p in kept if after[p] is not before[p]] == [], what
        assert [p for p in remade if after[p] is before[p]] == [], what
        cold = _cold_build(root, tmp_path / f"cold-{n}")
        assert sorted(served) == sorted(cold), what
        for name, data in cold.items():
            assert served[name] == data, f"{what}: {name}"
    page = (tmp_path / "served/procedures/GZDS-ITSMS-QP-18/index.html").read_text("utf-8")
    assert "变更与发布管理程序" in page


def test_serve_judges_a_sealed_documents_text_edited_in_place_again(
    corpus: Callable[..., Path], tmp_path: Path, serving: None
) -> None:
    """A document kept between two checks remembers whether its seal holds; a text
    edit, which puts the new text into that very document, is judged again: the
    approval no longer holds and the edit is refused, and holds once the text is back."""
    root = corpus({"mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n"})
    settle(root)
    serve = Serve(root, tmp_path / "served")
    sealed = (root / QP18).read_text("utf-8")
    assert "fingerprint:" in sealed and not serve.plugin.rejected
    assert sealed.count("正文。") == 1
    write(root, QP18, sealed.replace("正文。", "正文。未经批准加入的一句。"))
    serve.rebuild(QP18)
    assert serve.plugin.rejected and serve.plugin.result is not None
    assert [f.rule for f in serve.plugin.result.findings] == ["stale-approval"]
    page = (tmp_path / "served/procedures/GZDS-ITSMS-QP-18/index.html").read_text("utf-8")
    assert "未经批准加入的一句" not in page
    write(root, QP18, sealed)
    served = serve.rebuild(QP18)
    assert serve.plugin.rejected == ""
    assert served == _cold_build(root, tmp_path / "cold")


def test_serve_judges_a_kept_record_again_when_its_procedure_changes(
    corpus: Callable[..., Path], tmp_path: Path, serving: None
) -> None:
    """Why a record is no evidence is kept between two checks for the same record,
    procedure and evidence state: a procedure approved later than the record's date,
    with the record's file untouched, makes it no evidence (and back again)."""
    rec = "records/2026/R-QP30-2026-01.yml"
    root = corpus(
        {
            "mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n",
            QP30: _qp30(),
            rec: front(record("R-QP30-2026-01", type="变更记录", procedure="GZDS-ITSMS-QP-30")),
        }
    )
    settle(root)
    serve = Serve(root, tmp_path / "served")

    def refusal() -> str | None:
        result = serve.plugin.result
        assert result is not None
        found = next(r for r in result.corpus.records if r.path == rec)
        return result.coverage.refusals[id(found)]

    assert refusal() is None
    later = [{"version": "1.0", "date": "2026-06-20", "author": "张伟", "approved_by": "王芳"}]
    for n, (text, why) in enumerate(
        [
            (
                _qp30(approved_on="2026-06-20", effective="2026-07-01", history=later),
                "not-in-force",
            ),
            (_qp30(), None),
        ]
    ):
        write(root, QP30, text)
        served = serve.rebuild(QP30)
        assert not serve.plugin.rejected and refusal() == why
        assert served == _cold_build(root, tmp_path / f"cold-{n}")
    # the same record and procedure, its evidence file gone: its state decides
    write(
        root,
        rec,
        front(
            record(
                "R-QP30-2026-01",
                type="变更记录",
                procedure="GZDS-ITSMS-QP-30",
                evidence="files/cr.md",
            )
        ),
    )
    write(root, "records/files/cr.md", "# 变更单\n")
    serve.rebuild(rec, "records/files/cr.md")
    assert refusal() is None
    write(root, "records/files/cr.md", None)
    serve.rebuild("records/files/cr.md")
    assert refusal() == "missing"


def test_serve_after_a_body_edit_of_another_procedure_shows_why_records_count(
    corpus: Callable[..., Path], tmp_path: Path, serving: None
) -> None:
    """A department's files (found by a tester): two procedures declaring one record
    type with its clause, approved on paper, a record kept by a role named by its name.
    A body edit of the other procedure reads its records again: equal records, other
    objects. What the last portal worked out of the records (their order on a clause's
    page, what its heatmap counts) is taken only for the very same objects: the clause
    page said the record was unattributed."""
    qp31 = "procedures/GZDS-ITSMS-QP-31.md"
    rec = "records/2026/R-QP30-2026-01.yml"
    fields = {"type": "变更记录", "procedure": "GZDS-ITSMS-QP-30", "owner": "管理者代表"}
    root = corpus(
        {
            "mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n",
            QP30: _qp30(),
            qp31: _qp30(id="GZDS-ITSMS-QP-31", title="变更管理补充程序"),
            rec: front(record("R-QP30-2026-01", **fields)),
        }
    )
    from .test_workflow import git

    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "approved on paper")
    settle(root)
    # just saved, as a department's files may be when serve starts: read again later
    (root / rec).write_text(front(record("R-QP30-2026-01", **fields)), encoding="utf-8")
    serve = Serve(root, tmp_path / "served")
    for n in range(2):
        write(
            root,
            qp31,
            _qp30(id="GZDS-ITSMS-QP-31", title="变更管理补充程序") + "补充说明。\n" * (n + 1),
        )
        served = serve.rebuild(qp31)
        page = served["clauses/1.2/index.html"].decode()
        assert "R-QP30-2026-01" in page and "记录类型声明的条款" in page
        assert served == _cold_build(root, tmp_path / f"cold-{n}")


def test_a_page_taken_whole_keeps_its_parts_for_a_later_edit(
    corpus: Callable[..., Path], tmp_path: Path, serving: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A role page lists the records its role keeps (the longest listing, a part of
    the page kept with what it was made from). An edit that leaves the page as it was
    takes it whole; a later edit that makes the page again still takes the listing."""
    from generator.portal import memo

    made: list[str] = []
    real = memo.Memo.part

    def part(self: Any, name: str, key: object, make: Callable[[], str]) -> str:
        return real(self, name, key, lambda: made.append(name) or make())

    monkeypatch.setattr(memo.Memo, "part", part)
    root = corpus(
        {"mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n", QP30: _qp30(owner="service-manager")}
    )
    settle(root)
    serve = Serve(root, tmp_path / "served")
    listing = "roles/management-rep.md"  # A in QP-10's RACI; keeps the records
    edits = [
        (QP10, clean_doc(QP10, stamp=False, title="服务级别管理控制程序")),
        (QP30, _qp30(owner="service-manager", author="李明")),  # not management-rep's
        (QP10, clean_doc(QP10, stamp=False, title="服务级别管理程序（修订）")),
    ]
    for n, (rel, text) in enumerate(edits):
        made.clear()
        write(root, rel, text)
        served = serve.rebuild(rel)
        assert serve.live.last == "pages" and listing not in made, n
    assert "服务级别管理程序（修订）" in served[listing.replace(".md", "/index.html")].decode()
    assert served == _cold_build(root, tmp_path / "cold")


def test_git_answers_kept_by_commit_follow_a_new_commit(corpus: Callable[..., Path]) -> None:
    from generator.history import GitHistory

    from .test_workflow import git

    root = corpus()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1.0")
    memo: dict[Any, Any] = {}

    def versions(kept: dict[Any, Any] | None) -> list[tuple[str, str | None]]:
        history = GitHistory.open(root, kept)
        assert history is not None
        found = history.versions([QP18], "mini:2024")
        return [(v.commit, v.document.version) for v in found.get(QP18, [])]

    assert versions(memo) == versions(None) and len(versions(memo)) == 1
    write(root, QP18, doc_text(approved("GZDS-ITSMS-QP-18", "管理评审程序", version="1.1")))
    git(root, "commit", "-qam", "v1.1")
    assert versions(memo) == versions(None)
    assert [v for _, v in versions(memo)] == ["1.0", "1.1"]


def test_the_search_index_written_from_memory_equals_a_fresh_one() -> None:
    """serve writes the index from the entries it keeps (their JSON and the clipped
    sizes of earlier writes): after entries change, the bytes are those of a fresh write."""
    from generator.searchindex import EntryMemo, index_text

    config = {"lang": ["zh"], "separator": "[\\s]+"}
    docs: list[dict[str, Any]] = [
        {
            "location": f"p{n}/#s{n}",
            "title": f"第{n}节",
            "text": "<p>" + "管理评审" * (n % 37) + "<b>abc</b>" * (n % 5) + "</p>",
        }
        for n in range(300)
    ]
    memo = EntryMemo()
    for budget in (0, 0.05, 0.03, 0.03):
        assert index_text(config, docs, budget, memo) == index_text(config, docs, budget)
    docs[5] = {**docs[5], "text": "<p>" + "新" * 90 + "</p>"}
    docs.insert(9, {"location": "new/", "title": "新页", "text": "x" * 40})
    del docs[100]
    again = index_text(config, docs, 0.03, memo)
    assert again == index_text(config, docs, 0.03)
    assert "…" in again and len(again.encode()) <= 30_000


def test_serve_after_a_commit_equals_a_cold_build(
    corpus: Callable[..., Path], tmp_path: Path, serving: None
) -> None:
    """A commit made while serving, no file changed: the revision history now names
    the commit that approved QP-18 (from git)."""
    from .test_workflow import git

    root = corpus({"mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "reset", "-q", QP18)
    git(root, "commit", "-qm", "all but QP-18")
    settle(root)
    serve = Serve(root, tmp_path / "served")
    page = "procedures/GZDS-ITSMS-QP-18/index.html"
    before = (tmp_path / "served" / page).read_text("utf-8")
    git(root, "add", QP18)
    git(root, "commit", "-qm", "QP-18 v1.0")
    commit = git(root, "rev-parse", "--short=10", "HEAD").strip()
    served = serve.rebuild(".git/HEAD")
    assert serve.live.last == "pages"
    assert commit not in before and commit in served[page].decode()
    cold = _cold_build(root, tmp_path / "cold")
    assert sorted(served) == sorted(cold)
    for name, data in cold.items():
        assert served[name] == data, name


def test_a_kept_schema_answer_holds_only_for_the_same_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cache keeps which schemas a file's metadata passed, with each schema's digest:
    after an upgrade that changes a schema, the file is validated again."""
    import pickle

    from generator import yamlread
    from generator.yamlread import LineDict

    meta = LineDict(3)
    meta["id"] = "R-1"
    meta.remember("record", True)
    meta.remember("document", False)
    again = pickle.loads(pickle.dumps(meta))
    assert again.valid == {"record": True, "document": False} and again.line == 3
    digests = dict(yamlread.schema_digests())
    digests["record"] = "another"
    monkeypatch.setattr(yamlread, "schema_digests", lambda: digests)
    assert pickle.loads(pickle.dumps(meta)).valid == {"record": True, "document": False}
    other = pickle.dumps(meta)  # written under the changed schema
    monkeypatch.undo()
    assert pickle.loads(other).valid == {"document": False}


def test_the_collector_waits_for_each_edit_then_runs_once() -> None:
    """``serve`` pauses the cyclic collector while it makes an edit visible and runs
    one whole collection a moment after the last edit, never during one."""
    import gc

    from generator.gcpause import IdleCollection

    was = gc.isenabled()
    idle = IdleCollection(delay=0.05)
    with idle.busy():
        assert not gc.isenabled()
    assert not gc.isenabled()  # until the collection: resumed now, it walks all made
    with idle.busy():  # the next edit came before the collection: it waits
        time.sleep(0.2)
        assert idle.runs == 0
    deadline = time.monotonic() + 10
    while idle.runs == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert idle.runs == 1 and gc.isenabled() == was
    with idle.busy():
        pass
    idle.cancel()  # serve stops: no collection to come, the collector as it was
    time.sleep(0.2)
    assert idle.runs == 1 and gc.isenabled() == was


def test_serve_sees_a_document_written_through_a_hard_link_at_the_next_text_edit(
    corpus: Callable[..., Path], tmp_path: Path, serving: None
) -> None:
    """A document given a second name outside the repository while serve runs, then
    written through it: the watcher sees nothing, and the next update, even one of
    another document's text only, reads it again (as a cold build would)."""
    qp20 = doc_text(approved("GZDS-ITSMS-QP-20", "内部审核程序", clauses=["1.2"], records=[]))
    root = corpus(
        {
            "mkdocs.yml": MKDOCS + f"site_url: {SERVE_URL}\n",
            QP18: _qp18("## 1 目的\n\n正文。\n"),
            QP20: qp20.replace("正文。", "审核正文。").replace("fingerprint:", "x-fp:"),
        }
    )
    settle(root)
    serve = Serve(root, tmp_path / "served")
    other = tmp_path / "elsewhere.md"
    os.link(root / QP18, other)  # (no update: the watcher may say nothing of a link)
    other.write_text(_qp18("## 1 目的\n\n经另一个名字改的正文。\n"), encoding="utf-8")
    write(root, QP20, qp20.replace("正文。", "审核正文第二版。").replace("fingerprint:", "x-fp:"))
    served = serve.rebuild(QP20)
    assert "经另一个名字改的正文" in served["procedures/GZDS-ITSMS-QP-18/index.html"].decode()
    cold = _cold_build(root, tmp_path / "cold")
    assert sorted(served) == sorted(cold)
    for name, data in cold.items():
        assert served[name] == data, name
