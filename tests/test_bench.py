"""bench/serve.py's pure helpers and the edits it makes (no timing here: the benchmark
measures, a test never does)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.corpus import editable_ids, generate
from bench.serve import (
    corpus_clauses,
    fmt,
    leaves,
    page_url,
    plan_clauses,
    split_page,
    summary,
    with_metadata,
    with_sentence,
)

from .conftest import check_json


def test_summary_median_and_worst() -> None:
    s = summary([1.0, 3.0, 2.0, 0.5])
    assert (s["median_s"], s["worst_s"], s["timed_out"]) == (1.5, 3.0, 0)
    assert fmt(s) == "1.5 s / 3.0 s"


def test_summary_counts_a_timeout_as_the_slowest() -> None:
    s = summary([1.0, None, 2.0])
    assert (s["median_s"], s["worst_s"], s["timed_out"]) == (2.0, None, 1)
    assert fmt(s) == "2.0 s / 1 timed out"
    assert fmt(summary([None, None, 1.0])) == "timed out / 2 timed out"


def test_page_url() -> None:
    base = "http://127.0.0.1:8123/"
    assert page_url(base, "register/index.html") == base + "register/"
    assert page_url(base, "index.html") == base
    assert page_url(base, "clauses/4.5.1/index.html") == base + "clauses/4.5.1/"


PAGE = (
    "---\nid: X-1\ntitle: 旧标题\nclauses:\n- 4.1\n- 5.2\nstatus: approved\n---\n正文。\n\n| a |\n"
)


def test_metadata_edit_changes_title_and_one_clause_and_keeps_the_body() -> None:
    edited = with_metadata(PAGE, "新标题", "4.1", "6.3")
    meta, body = split_page(edited)
    assert meta == {"id": "X-1", "title": "新标题", "clauses": ["5.2", "6.3"], "status": "approved"}
    assert body == "正文。\n\n| a |\n"
    with pytest.raises(ValueError):
        with_metadata(PAGE, "新标题", "9.9", "6.3")


def test_body_edit_adds_one_paragraph() -> None:
    assert with_sentence(PAGE, "新句子。").endswith("正文。\n\n| a |\n\n新句子。\n")


def test_plan_gives_up_only_clauses_another_document_still_meets() -> None:
    clauses = {"A": ["1", "2"], "B": ["1", "3"], "C": ["2", "3"]}
    plan = plan_clauses(dict(clauses), ["A", "B", "C"], ["1", "2", "3", "4"])
    met = {doc: set(c) for doc, c in clauses.items()}
    for doc, (old, new) in zip(["A", "B", "C"], plan, strict=True):
        assert old in met[doc] and new not in met[doc]
        met[doc] = (met[doc] - {old}) | {new}
        assert Counter(c for cs in met.values() for c in cs).keys() >= {"1", "2", "3"}
    with pytest.raises(ValueError):
        plan_clauses({"A": ["1"], "B": ["2"]}, ["A"], ["1", "2", "3"])


def test_the_bench_edits_leave_the_corpus_valid(tmp_path: Path) -> None:
    """The S corpus checks clean; its editable documents are only unsealed, and after
    the benchmark's body and metadata edits on each of them it still has no error."""
    root = tmp_path / "corpus"
    generate("S", root)
    code, data = check_json(root)
    assert code == 0
    unsealed = {f["id"] for f in data["findings"] if f["rule"] == "unsealed-approval"}
    assert unsealed == set(editable_ids("S"))
    edited = editable_ids("S")
    plan = plan_clauses(corpus_clauses(root), edited, leaves())
    for n, (doc, (old, new)) in enumerate(zip(edited, plan, strict=True)):
        path = root / "procedures" / f"{doc}.md"
        text = with_sentence(path.read_text("utf-8"), f"基准修改第{n}次。")
        path.write_text(with_metadata(text, f"基准修订程序（{n}）", old, new), "utf-8")
    code, data = check_json(root)
    assert code == 0, [f for f in data["findings"] if f["severity"] == "error"]
    assert data["summary"]["errors"] == 0
    assert data["summary"]["coverage"]["covered"] == data["summary"]["coverage"]["leaf_clauses"]
