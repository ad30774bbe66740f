"""jieba's dictionary in shares (generator.segmenter): a quick rebuild cuts Chinese into
the same search words as jieba with its whole dictionary, without loading it."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from generator import segmenter

TEXTS = [
    "服务台应在2小时内记录 IT 服务管理体系的变更，文件管理员核对。",
    "可用性管理程序",
    "管理评审由最高管理者主持，每年至少一次",
    "贵州省税务局信息中心运维值班长确认",  # names jieba does not know: its HMM cuts them
    "一",
    "ISO20000认证审核组长张三丰于第3季度复核了GZDS-ITSMS-QP-06",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    jieba.initialize()
    path = tmp_path_factory.mktemp("jieba") / "words.dict"
    segmenter.keep(path)
    return path


def test_the_cut_is_jiebas_with_its_whole_dictionary(store: Path) -> None:
    cut = segmenter.cutter(store)
    assert cut is not None
    for text in TEXTS:
        assert cut(text) == list(jieba.cut(text.encode("utf-8"))), text


def test_a_share_read_once_serves_later_texts(store: Path) -> None:
    cut = segmenter.cutter(store)
    assert cut is not None
    first = cut("变更管理")
    assert cut("变更管理") == first == list(jieba.cut("变更管理"))


def test_a_store_that_does_not_verify_is_not_used(store: Path, tmp_path: Path) -> None:
    data = bytearray(store.read_bytes())
    data[-3] ^= 1
    forged = tmp_path / "forged.dict"
    forged.write_bytes(bytes(data))
    assert segmenter.cutter(forged) is None
    assert segmenter.cutter(tmp_path / "missing.dict") is None
    (tmp_path / "empty.dict").write_bytes(b"")
    assert segmenter.cutter(tmp_path / "empty.dict") is None


def test_a_store_is_never_written_over(store: Path) -> None:
    before = store.stat().st_mtime_ns
    segmenter.keep(store)
    assert store.stat().st_mtime_ns == before


def test_a_sections_heading_is_the_one_materials_walk_finds() -> None:
    """find_toc_once looks headings up in a table: the same heading as Material's walk
    (the first in the page's order, a parent before its children), and none for an id
    no heading has."""
    from material.plugins.search.plugin import SearchIndex

    from generator.searchindex import find_toc_once

    class Heading:
        def __init__(self, id: str | None, *children: Heading) -> None:
            self.id, self.children = id, list(children)

    toc = [
        Heading("a", Heading("b", Heading("dup")), Heading("c")),
        Heading("dup", Heading("d")),
        Heading("e"),
    ]
    other = [Heading("z"), Heading("a")]
    material, ours = SearchIndex(), SearchIndex()
    find_toc_once(ours)
    for table in (toc, other, toc):
        for anchor in ("a", "b", "c", "d", "dup", "e", "z", "missing", None):
            want = material._find_toc_by_id(table, anchor)
            assert ours._find_toc_by_id(table, anchor) is want, anchor
