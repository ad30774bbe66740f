"""Each rule fires on a minimal broken corpus with its code, file and line, and
stays quiet on a clean one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator import fingerprint
from generator.load import split_front_matter
from generator.rules import RULES
from generator.yamlread import YamlError, parse

from .conftest import ROLES, approved, check_json, doc_text, findings, front, record

P30 = "procedures/GZDS-ITSMS-QP-30.md"

# line:   1 is '---'; the fields below start on line 2
FIELDS = [
    ("id", "GZDS-ITSMS-QP-30"),  # 2
    ("title", "测试程序"),  # 3
    ("type", "procedure"),  # 4
    ("version", '"1.0"'),  # 5
    ("status", "approved"),  # 6
    ("owner", "management-rep"),  # 7
    ("author", "张伟"),  # 8
    ("approved_by", "王芳"),  # 9
    ("approved_on", "2026-03-01"),  # 10
    ("effective", "2026-03-05"),  # 11
    ("clauses", '["1.1"]'),  # 12
    ("records", "[管理评审报告]"),  # 13
    ("references", "[]"),  # 14
    ("history", '\n  - {version: "1.0", date: 2026-03-01, author: 张伟, approved_by: 王芳}'),
]


def doc30(
    body: str = "## 1 目的\n\n正文。\n", stamp: bool = True, extra: str = "", **changes: str | None
) -> str:
    """QP-30 with fields changed (None removes one); stamped with a right fingerprint."""
    lines = []
    for key, value in FIELDS:
        if key in changes:
            value = changes[key]  # type: ignore[assignment]
            if value is None:
                continue
        lines.append(f"{key}: {value}")
    text = "---\n" + "\n".join(lines) + "\n" + extra + "---\n" + body
    if stamp:
        front_text, body_text, _, _ = split_front_matter(text)
        try:
            meta = parse(front_text or "").data
        except YamlError:
            meta = None
        if isinstance(meta, dict) and meta.get("status") in ("approved", "superseded"):
            stamp_line = f"fingerprint: {fingerprint.compute(meta, body_text)}\n"
            text = "---\n" + "\n".join(lines) + "\n" + extra + stamp_line + "---\n" + body
    return text


def test_clean_corpus_has_no_findings(corpus: Callable[..., Path]) -> None:
    root = corpus()
    code, data = check_json(root)
    assert code == 0
    assert data["findings"] == []
    assert data["summary"] == {
        "documents": 2,
        "records": 2,
        "errors": 0,
        "warnings": 0,
        "coverage": {"leaf_clauses": 3, "covered": 3, "evidenced": 3},
    }


def test_doc30_itself_is_clean(corpus: Callable[..., Path]) -> None:
    assert findings(corpus({P30: doc30()})) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"version": "1.10"}, ("schema", 5)),
        ({"status": "published"}, ("schema", 6)),
        ({"type": "memo"}, ("schema", 4)),
        ({"approved_on": "2026-02-30"}, ("schema", 10)),
        ({"title": None}, ("schema", 2)),
        ({"clauses": "[1.1]"}, ("schema", 12)),
        ({"approved_by": None}, ("missing-approval", 6)),
        ({"approved_by": "张伟"}, ("self-approval", 9)),
        ({"approved_on": "2026-12-01", "effective": "2026-12-02"}, ("date-order", 10)),
        ({"effective": "2026-02-01"}, ("date-order", 11)),
        ({"owner": "auditor"}, ("unknown-role", 7)),
        ({"clauses": '["1.9"]'}, ("unknown-clause", 12)),
        ({"references": "[GZDS-ITSMS-QP-99]"}, ("unknown-reference", 14)),
        ({"id": "QP30"}, ("schema", 2)),
    ],
)
def test_field_rules(
    corpus: Callable[..., Path], changes: dict[str, str | None], expected: tuple[str, int]
) -> None:
    found = findings(corpus({P30: doc30(**changes)}))
    assert (expected[0], P30, expected[1]) in found, found


def test_unquoted_version_says_to_quote_it(corpus: Callable[..., Path]) -> None:
    _, data = check_json(corpus({P30: doc30(version="1.10")}))
    (msg,) = [f["message"] for f in data["findings"] if f["rule"] == "schema"]
    assert "1.10" in msg and "1.1" in msg and 'version: "1.10"' in msg


def test_unquoted_version_in_a_one_line_history_entry_quotes_what_was_written(
    corpus: Callable[..., Path],
) -> None:
    text = doc30().replace('{version: "1.0", date:', "{version: 1.0, date:")
    _, data = check_json(corpus({P30: text}))
    (msg,) = [f["message"] for f in data["findings"] if f["rule"] == "schema"]
    assert 'version: "1.0"' in msg and "{" not in msg, msg


def test_duplicate_key_is_caught_with_both_lines(corpus: Callable[..., Path]) -> None:
    _, data = check_json(corpus({P30: doc30(extra="status: draft\n")}))
    dup = [f for f in data["findings"] if f["rule"] == "duplicate-key"]
    assert [(f["file"], f["line"]) for f in dup] == [(P30, 17)]
    assert "status" in dup[0]["message"] and "6" in dup[0]["message"]


def test_stale_approval_after_body_edit(corpus: Callable[..., Path]) -> None:
    text = doc30().replace("正文。", "正文已改。")
    _, data = check_json(corpus({P30: text}))
    stale = [f for f in data["findings"] if f["rule"] == "stale-approval"]
    assert [(f["file"], f["line"]) for f in stale] == [(P30, 17)]  # the fingerprint
    assert "itsms revise GZDS-ITSMS-QP-30" in stale[0]["message"]


def test_fingerprint_ignores_line_endings_and_trailing_spaces(
    corpus: Callable[..., Path],
) -> None:
    text = doc30(body="## 1 目的\n\n正文。\n").replace("正文。\n", "正文。   \r\n")
    assert not [f for f in findings(corpus({P30: text})) if f[0] == "stale-approval"]


def test_approved_without_fingerprint_is_unsealed_not_stale(corpus: Callable[..., Path]) -> None:
    """Approved on paper before itsms: a warning that says to seal, never a blocking error."""
    code, data = check_json(corpus({P30: doc30(stamp=False)}))
    about = [f for f in data["findings"] if f["file"] == P30]
    assert [(f["rule"], f["severity"], f["line"]) for f in about] == [
        ("unsealed-approval", "warning", 6)
    ]
    assert "itsms seal GZDS-ITSMS-QP-30" in about[0]["message"]
    assert "approve" not in about[0]["message"]
    assert code == 0


def test_duplicate_id(corpus: Callable[..., Path]) -> None:
    found = findings(corpus({P30: doc30(), "procedures/copy.md": doc30()}))
    assert ("duplicate-id", "procedures/copy.md", 2) in found


def test_duplicate_record_id(corpus: Callable[..., Path]) -> None:
    found = findings(corpus({"records/2026/again.yml": front(record("R-QP18-2026-01"))}))
    assert ("duplicate-id", "records/2026/again.yml", 1) in found


def test_citation_rules(corpus: Callable[..., Path]) -> None:
    body = (
        "## 1 目的\n\n"  # body starts on line 19 (fields 2-16, fingerprint 17, --- 18)
        "\n"
        "见《服务级别管理程序》GZDS-ITSMS-QP-18。\n"  # 22: mismatch
        "见《不存在程序》GZDS-ITSMS-QP-77。\n"  # 23: unknown
        "见 GZDS-ITSMS-QP-88。\n"  # 24: unknown, bare
        "`GZDS-ITSMS-QP-66` 是代码示例。\n"  # 25: ignored
    )
    _, data = check_json(corpus({P30: doc30(body=body)}))
    got = {(f["rule"], f["line"]) for f in data["findings"]}
    assert got == {
        ("citation-title-mismatch", 22),
        ("unknown-reference", 23),
        ("unknown-reference", 24),
    }
    mismatch = next(f for f in data["findings"] if f["rule"] == "citation-title-mismatch")
    assert "《管理评审程序》" in mismatch["message"]
    assert "GZDS-ITSMS-QP-10" in mismatch["message"]  # where 《服务级别管理程序》 really is


def test_obsolete_reference_and_supersession(corpus: Callable[..., Path]) -> None:
    from .conftest import approved, doc_text

    old = approved(
        "GZDS-ITSMS-QP-31", "旧程序", status="superseded", superseded_by=["GZDS-ITSMS-QP-30"]
    )
    files = {
        "procedures/GZDS-ITSMS-QP-31.md": doc_text(old),
        P30: doc30(references="[GZDS-ITSMS-QP-31]"),
    }
    found = findings(corpus(files))
    assert ("obsolete-reference", P30, 14) in found
    # QP-31 says it is superseded by QP-30, but QP-30 does not say it supersedes QP-31
    assert any(
        r == "unknown-reference" and f == "procedures/GZDS-ITSMS-QP-31.md" for r, f, _ in found
    )


def test_history_rules(corpus: Callable[..., Path]) -> None:
    history = (
        '\n  - {version: "1.1", date: 2026-02-01, author: 张伟, approved_by: 王芳}'
        '\n  - {version: "1.0", date: 2026-01-01, author: 张伟, approved_by: 王芳}'
    )
    found = findings(corpus({P30: doc30(history=history)}))
    assert ("history-mismatch", P30, 17) in found  # 1.0 after 1.1
    assert ("date-order", P30, 17) in found  # dated before the entry above
    missing = '\n  - {version: "0.9", date: 2026-01-01, author: 张伟, approved_by: 王芳}'
    found = findings(corpus({P30: doc30(history=missing)}))
    assert ("history-mismatch", P30, 15) in found  # the current 1.0 is not in history


def test_history_self_approval(corpus: Callable[..., Path]) -> None:
    history = '\n  - {version: "1.0", date: 2026-03-01, author: 王芳, approved_by: 王芳}'
    assert ("self-approval", P30, 16) in findings(corpus({P30: doc30(history=history)}))


def test_review_dates(corpus: Callable[..., Path]) -> None:
    due = findings(
        corpus(
            {
                P30: doc30(
                    approved_on="2025-12-10",
                    effective="2025-12-12",
                    history='[{version: "1.0", date: 2025-12-10}]',
                )
            }
        )
    )
    assert ("review-due", P30, 10) in due


def test_review_overdue_but_not_for_obsolete(corpus: Callable[..., Path]) -> None:
    old = dict(
        approved_on="2025-01-10",
        effective="2025-01-12",
        history='[{version: "1.0", date: 2025-01-10}]',
    )
    assert ("review-overdue", P30, 10) in findings(corpus({P30: doc30(**old)}))
    withdrawn = findings(corpus({P30: doc30(status="withdrawn", **old)}))
    assert not any(r.startswith("review") for r, _, _ in withdrawn)


def test_raci_rules(corpus: Callable[..., Path]) -> None:
    raci = (
        "raci:\n"  # 17
        "  - activity: 编制计划\n"  # 18
        "    R: [staff]\n"
        "    A: [management-rep, top-management]\n"
        "  - activity: 批准计划\n"  # 21
        "    R: [staf]\n"  # 22
    )
    found = findings(corpus({P30: doc30(extra=raci)}))
    assert ("raci-accountable", P30, 18) in found
    assert ("raci-accountable", P30, 21) in found
    assert ("unknown-role", P30, 22) in found


def test_uncovered_clause_and_candidates(corpus: Callable[..., Path]) -> None:
    # QP-10 (the only document for clause 2) is a draft now
    files = {
        "procedures/GZDS-ITSMS-QP-10.md": doc30(
            id="GZDS-ITSMS-QP-10",
            title="服务级别管理程序",
            status="draft",
            approved_by=None,
            approved_on=None,
            effective=None,
            clauses='["2"]',
            history="[]",
        )
    }
    root = corpus(files)
    code, data = check_json(root)
    unc = [f for f in data["findings"] if f["rule"] == "uncovered-clause"]
    assert [(f["file"], f["id"]) for f in unc] == [(None, "2")]
    assert "GZDS-ITSMS-QP-10" in unc[0]["message"]
    # its record proves nothing of clause 2 while no document meets it: evidenced
    # implies covered
    assert data["summary"]["coverage"] == {"leaf_clauses": 3, "covered": 2, "evidenced": 2}


def test_exclusion_covers_a_clause(corpus: Callable[..., Path]) -> None:
    mk = (
        'site_name: t\nplugins:\n  - itsms:\n      standard: "mini:2024"\n'
        "      standards_dir: standards\n      exclusions:\n"
        '        - {clause: "2", justification: 不提供服务级别协议}\n'
    )
    files = {
        "mkdocs.yml": mk,
        "procedures/GZDS-ITSMS-QP-10.md": doc30(
            id="GZDS-ITSMS-QP-10",
            status="draft",
            approved_by=None,
            approved_on=None,
            effective=None,
            clauses='["2"]',
            title="服务级别管理程序",
            history="[]",
        ),
    }
    _, data = check_json(corpus(files))
    assert not [f for f in data["findings"] if f["rule"] in ("uncovered-clause", "no-evidence")]
    assert data["summary"]["coverage"]["covered"] == 3


def test_no_evidence_outside_period(corpus: Callable[..., Path]) -> None:
    from .conftest import clean_files

    # QP-10 in force since 2025-03 (a record counts only while its procedure is in force)
    qp10 = clean_files()["procedures/GZDS-ITSMS-QP-10.md"]
    meta, body = qp10.split("---\n")[1:3]
    fields = yaml.safe_load(meta)
    fields.pop("fingerprint")
    fields.update(approved_on="2025-03-01", effective="2025-03-05")
    fields["history"][0]["date"] = "2025-03-01"
    files = {
        "procedures/GZDS-ITSMS-QP-10.md": doc_text(fields, body),
        "records/2026/R-QP10-2026-01.yml": front(
            record(
                "R-QP10-2026-01",
                type="服务级别评审记录",
                procedure="GZDS-ITSMS-QP-10",
                date="2025-06-01",
                owner="service-manager",
            )
        ),
    }
    _, data = check_json(corpus(files))
    ne = [(f["rule"], f["id"]) for f in data["findings"] if f["rule"] == "no-evidence"]
    assert ne == [("no-evidence", "2")]
    # an explicit period that includes the record evidences it again
    _, data = check_json(corpus(files), "--period", "2025-01-01..2026-11-27")
    assert not [f for f in data["findings"] if f["rule"] == "no-evidence"]


def test_record_rules(corpus: Callable[..., Path]) -> None:
    evidence = b"minutes\n"
    good = hashlib.sha256(evidence).hexdigest()
    files: dict[str, str | bytes] = {
        "records/files/mr.md": evidence,
        "records/2026/a.yml": front(record("R-A", type="会议纪要")),
        "records/2026/b.yml": front(record("R-B", evidence="files/missing.md")),
        "records/2026/c.yml": front(record("R-C", evidence="files/mr.md", sha256="0" * 64)),
        "records/2026/d.yml": front(record("R-D", evidence="files/mr.md", sha256=good)),
        "records/2026/e.yml": front(record("R-E", date="2020-01-01", retention_years=3)),
        "records/2026/f.yml": front(record("R-F", evidence="../../etc/passwd")),
        "records/2026/g.yml": front(record("R-G", procedure="GZDS-ITSMS-QP-99")),
        "records/2026/h.yml": front(record("R-H", owner="nobody")),
    }
    found = findings(corpus(files))
    assert ("unknown-record-type", "records/2026/a.yml", 3) in found
    assert ("missing-evidence-file", "records/2026/b.yml", 7) in found
    assert ("evidence-hash-mismatch", "records/2026/c.yml", 9) in found
    assert not [f for f in found if f[1] == "records/2026/d.yml"]
    assert ("retention-expired", "records/2026/e.yml", 8) in found
    assert ("missing-evidence-file", "records/2026/f.yml", 7) in found
    assert ("unknown-reference", "records/2026/g.yml", 4) in found
    assert ("unknown-role", "records/2026/h.yml", 6) in found


def test_record_in_the_future(corpus: Callable[..., Path]) -> None:
    files = {"records/2026/x.yml": front(record("R-X", date="2027-01-01"))}
    assert ("date-order", "records/2026/x.yml", 5) in findings(corpus(files))


def test_missing_roles_catalogue(corpus: Callable[..., Path]) -> None:
    root = corpus()
    (root / "content/roles.yml").unlink()
    assert ("schema", "content/roles.yml", None) in findings(root)


def test_every_rule_in_spec_is_registered() -> None:
    spec_codes = {
        "encoding",
        "yaml-syntax",
        "duplicate-key",
        "schema",
        "duplicate-id",
        "unknown-reference",
        "citation-title-mismatch",
        "obsolete-reference",
        "missing-approval",
        "self-approval",
        "stale-approval",
        "legacy-fingerprint",
        "unsealed-approval",
        "duplicate-entry",
        "date-order",
        "history-mismatch",
        "review-due",
        "review-overdue",
        "unknown-role",
        "raci-accountable",
        "unknown-clause",
        "uncovered-clause",
        "no-evidence",
        "unknown-record-type",
        "missing-evidence-file",
        "evidence-hash-mismatch",
        "retention-expired",
        "retention-mismatch",
        "evidence-gap",
        "unattributed-evidence",
        "record-clause-outside",
        "unsealed-evidence",
    }
    assert set(RULES) == spec_codes


def test_severity_override(corpus: Callable[..., Path]) -> None:
    mk = (
        'site_name: t\nplugins:\n  - itsms:\n      standard: "mini:2024"\n'
        "      standards_dir: standards\n"
        '      severity: {self-approval: warning, unknown-role: "off"}\n'
    )
    history = '\n  - {version: "1.0", date: 2026-03-01, author: 张伟, approved_by: 张伟}'
    root = corpus(
        {"mkdocs.yml": mk, P30: doc30(approved_by="张伟", owner="nobody", history=history)}
    )
    code, data = check_json(root)
    got = {(f["rule"], f["severity"]) for f in data["findings"]}
    assert got == {("self-approval", "warning")}
    assert code == 0


def test_a_record_listing_a_clause_twice(corpus: Callable[..., Path]) -> None:
    """One of 100,000 records: found though the rule passes over records listing none."""
    clean = front(record("R-A", clauses=["1.1"]))
    twice = front(record("R-B", clauses=["1.1", "1.2", "1.1"]))
    root = corpus({"records/2026/a.yml": clean, "records/2026/b.yml": twice})
    found = [f for f in findings(root) if f[0] == "duplicate-entry"]
    assert found == [("duplicate-entry", "records/2026/b.yml", 12)]


def test_a_role_named_with_full_width_brackets(corpus: Callable[..., Path]) -> None:
    """A department's role names have full-width brackets: written as the catalogue has
    them, in a document's owner and its RACI, they name the role (found by a tester)."""
    cab = "变更咨询委员会（CAB）"
    roles = ROLES + f"  - id: cab\n    name: {cab}\n    description: 评审变更\n"
    raci = [{"activity": "评审变更", "R": [cab, "全角ＡＢＣ"], "A": cab}]
    roles += "  - id: abc\n    name: 全角ＡＢＣ\n    description: 全角名称\n"
    text = doc_text(approved("GZDS-ITSMS-QP-30", "变更评审程序", owner=cab, raci=raci))
    root = corpus({"content/roles.yml": roles, P30: text})
    assert [f for f in findings(root) if f[0] == "unknown-role"] == []
    page = check_json(root)[1]
    assert page["summary"]["errors"] == 0
