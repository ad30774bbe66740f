"""Broken files become findings with file and line; nothing raises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import check_json, findings, run
from .test_rules import P30, doc30

AS_OF = "2026-11-27"


def test_utf8_with_bom_and_crlf_is_accepted(corpus: Callable[..., Path]) -> None:
    text = "\ufeff" + doc30().replace("\n", "\r\n")
    assert findings(corpus({P30: text.encode("utf-8")})) == []


def test_gbk_file_is_reported_with_the_command_to_convert(corpus: Callable[..., Path]) -> None:
    _, data = check_json(corpus({P30: doc30().encode("gb18030")}))
    (enc,) = [f for f in data["findings"] if f["rule"] == "encoding"]
    assert enc["file"] == P30 and enc["line"] == 3  # the first non-UTF-8 byte: the title
    assert "GB18030" in enc["message"] and "iconv -f GB18030 -t UTF-8" in enc["message"]


def test_utf16_file_is_reported(corpus: Callable[..., Path]) -> None:
    _, data = check_json(corpus({P30: doc30().encode("utf-16")}))
    (enc,) = [f for f in data["findings"] if f["rule"] == "encoding"]
    assert "UTF-16" in enc["message"] and enc["line"] == 1


def test_a_document_too_large_to_read_still_claims_its_id(corpus: Callable[..., Path]) -> None:
    """Over 8 MB: not read, one finding; its records do not name a missing document (a
    red team's case: a false blocking unknown-reference on each of them)."""
    from .conftest import front, record

    qp18 = "procedures/GZDS-ITSMS-QP-18.md"
    big = (doc30(id="GZDS-ITSMS-QP-18") + "很长" * 1_500_000).encode("utf-8")
    root = corpus({qp18: big, "records/2026/r.yml": front(record("R-1"))})
    assert [f for f in findings(root) if f[0] != "uncovered-clause"] == [("encoding", qp18, None)]


def test_yaml_syntax_error_has_line_and_column(corpus: Callable[..., Path]) -> None:
    text = doc30().replace('clauses: ["1.1"]', 'clauses: ["1.1"')
    root = corpus({P30: text})
    assert ("yaml-syntax", P30, 13) in findings(root)
    out = run("check", "--root", str(root), "--as-of", AS_OF).output
    assert f"{P30}\n" in out and "13:1" in out


def test_unclosed_front_matter(corpus: Callable[..., Path]) -> None:
    text = doc30().replace("---\n## 1", "## 1")
    assert ("yaml-syntax", P30, 1) in findings(corpus({P30: text}))


def test_procedure_without_front_matter(corpus: Callable[..., Path]) -> None:
    assert ("schema", P30, 1) in findings(corpus({P30: "# 只有正文\n"}))


def test_content_page_without_front_matter_is_not_a_document(
    corpus: Callable[..., Path],
) -> None:
    assert findings(corpus({"content/about.md": "# 关于\n"})) == []


def test_billion_laughs_is_refused(corpus: Callable[..., Path]) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        levels.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "---\n" + "\n".join(levels) + "\n---\n"
    found = findings(corpus({P30: text}))
    assert [r for r, f, _ in found if f == P30] == ["yaml-syntax"]


def test_a_corpus_of_broken_files_is_checked_in_one_run(corpus: Callable[..., Path]) -> None:
    files: dict[str, str | bytes] = {
        "procedures/a.md": doc30(id="GZDS-ITSMS-QP-41").encode("gb18030"),
        "procedures/b.md": "---\nid: [unclosed\n---\n",
        "procedures/c.md": doc30(id="GZDS-ITSMS-QP-43", extra="id: GZDS-ITSMS-QP-44\n"),
        "procedures/d.md": doc30(id="GZDS-ITSMS-QP-45", version="2", status="7"),
        "procedures/e.md": b"\x00\x01\x02binary",
        "procedures/f.md": "---\n- just\n- a list\n---\n",
        "procedures/g.md": "---\n---\n",
        "procedures/h.md": "",
        "procedures/i.md": "---\nid: GZDS-ITSMS-QP-49\nraci: 5\nhistory: [1, 2]\n"
        'clauses: {"x": 3}\nreferences: [{a: 1}]\n---\n',
        "records/2026/x.yml": "- not a mapping\n",
        "records/2026/y.yml": "id: R-Y\ndate: 2026-02-30\nsha256: xyz\n",
        "records/2026/z.md": "no front matter at all\n",
        "content/roles.yml": "roles: 3\n",
    }
    root = corpus(files)
    result = run("check", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    _, data = check_json(root)
    rules = {(f["file"], f["rule"]) for f in data["findings"]}
    assert ("procedures/a.md", "encoding") in rules
    assert ("procedures/b.md", "yaml-syntax") in rules
    assert ("procedures/c.md", "duplicate-key") in rules
    assert ("procedures/d.md", "schema") in rules
    assert ("procedures/e.md", "encoding") in rules
    assert ("procedures/f.md", "schema") in rules
    assert ("procedures/h.md", "schema") in rules
    assert ("procedures/i.md", "schema") in rules
    assert ("records/2026/x.yml", "schema") in rules
    assert ("records/2026/y.yml", "schema") in rules
    assert ("records/2026/z.md", "schema") in rules
    assert ("content/roles.yml", "schema") in rules
    # the good documents are still checked
    assert data["summary"]["documents"] >= 2
