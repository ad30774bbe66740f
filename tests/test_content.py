"""The shipped content read as a lead auditor would: the customer's manual keeps the
customer's sentences, marks what is not the customer's, and the documents an auditor
asks for first exist, approved, citing both editions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import yamlread
from generator.load import split_front_matter

REPO = Path(__file__).resolve().parent.parent
SEED = Path(__file__).parent / "fixtures/seed_manual.txt"  # the customer's text, as received
MANUAL = sorted((REPO / "content/manual").glob("GZDS-ITSMS-QM-*.md"))

#: The slips corrected in the manual (each chapter's history says which): the seed's
#: sentence counts as kept when it is there with these corrections.
SLIPS = (
    ("信息信息管理体系", "信息服务管理体系"),
    ("信息信息", "信息"),
    ("信心部门", "信息部门"),
    ("供商", "供应商"),
    ("的的", "的"),
    ("提供相的", "提供相关的"),
    ("信息部的设立了", "信息部设立了"),
    ("考虑虚拟审核", "考虑拟审核"),
    ("批评、排定", "批准、排定"),
    ("规范文件未", "规范文件是"),
    ("有授权的用", "有授权的应用"),
    ("记录评估结构", "记录评估结果"),
    ("服务提者", "服务提供者"),
    ("服务响时间", "服务响应时间"),
    ("服务连续计划", "服务连续性计划"),
)


def _plain(text: str) -> str:
    """Letters, digits and CJK only: punctuation, spaces, Markdown and the Word
    bullet Ø do not count."""
    return "".join(ch for ch in text if ch.isalnum() and ch != "Ø")


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        for part in re.split(r"[。；;！？]", line):
            for wrong, right in SLIPS:
                part = part.replace(wrong, right)
            plain = _plain(part)
            if len(plain) >= 6:  # headings and list numbers alone are not sentences
                out.append(plain)
    return out


def _manual_text() -> str:
    bodies = []
    for path in MANUAL:
        _, body, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        bodies.append(body)
    return _plain("\n".join(bodies))


def test_the_manual_keeps_the_customers_sentences() -> None:
    seed = _sentences(SEED.read_text(encoding="utf-8"))
    manual = _manual_text()
    kept = [s for s in seed if s in manual]
    assert len(seed) > 250
    assert len(kept) / len(seed) >= 0.95, [s for s in seed if s not in manual][:20]


def test_what_is_not_the_customers_is_marked() -> None:
    text = (REPO / "content/manual/GZDS-ITSMS-QM-01.md").read_text(encoding="utf-8")
    notes = re.findall(r'^!!! note "编者注"\n((?:    .*\n)+)', text, re.M)
    joined = "".join(notes)
    for flagged in (
        "占位符“XXX”“XXXXX”",  # the policy and objectives are the editor's
        "“信息部主任”不是客户原文",
        "Part 1: Specification",
        "质量、环境和职业健康安全管理体系",
        "“本文2-6”",
        "“第2到7章”",
        "ISO/IEC 20000-1:2005 第 4.4 条",  # 1.5.5.3
        "附件二",
        "附录2",
    ):
        assert flagged in joined, flagged
    assert all("待确认" in n for n in notes)
    _, body, _, _ = split_front_matter(text)
    assert "信息管理体系" not in body.replace("信息服务管理体系", "")


def test_the_manual_styles_editorial_notes_as_admonitions() -> None:
    config = yamlread.parse_config((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "admonition" in config["markdown_extensions"]


#: The documents a lead auditor asks for first (issue 16), by id, and what each is.
AUDITOR_FIRST = {
    "GZDS-ITSMS-PL-01": ("服务管理体系范围声明", ["4.3"]),
    "GZDS-ITSMS-PL-02": ("服务管理计划", ["6.3", "8.1"]),
    "GZDS-ITSMS-PO-01": ("服务管理方针和目标", ["5.2.1", "6.2.1"]),
    "GZDS-ITSMS-PL-03": ("服务目录", ["8.2.4"]),
    "GZDS-ITSMS-PL-04": ("服务级别协议和运营级别协议", ["8.3.3", "8.3.4.2"]),
    "GZDS-ITSMS-PL-05": ("内部审核方案", ["9.2"]),
    "GZDS-ITSMS-QR-01": ("纠正措施登记册", ["10.1"]),
    "GZDS-ITSMS-PL-06": ("业务影响分析", ["8.7.2"]),
    "GZDS-ITSMS-PO-02": ("信息安全方针", ["8.7.3.1"]),
    "GZDS-ITSMS-PL-07": ("组织环境与相关方分析", ["4.1", "4.2"]),
    "GZDS-ITSMS-QR-02": ("风险和机会登记册", ["6.1"]),
    "GZDS-ITSMS-QP-27": ("知识管理程序", ["7.6"]),
    "GZDS-ITSMS-QP-28": ("资产管理程序", ["8.2.5"]),
    "GZDS-ITSMS-QP-29": ("需求管理程序", ["8.4.2"]),
}


def _front(path: Path) -> dict[str, object]:
    front, _, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
    data = yamlread.parse_config(front or "")
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("doc_id", sorted(AUDITOR_FIRST))
def test_a_document_an_auditor_asks_for_exists_approved(doc_id: str) -> None:
    title, clauses_2018 = AUDITOR_FIRST[doc_id]
    meta = _front(REPO / "procedures" / f"{doc_id}.md")
    assert meta["title"] == title and meta["status"] == "approved"
    assert meta["approved_by"] and meta["approved_by"] != meta["author"]
    clauses = meta["clauses"]
    assert isinstance(clauses, dict)
    assert clauses["iso20000-1:2011"] or doc_id == "GZDS-ITSMS-PL-07"
    assert set(clauses_2018) <= set(clauses["iso20000-1:2018"])
    records = meta["records"]
    assert isinstance(records, list) and records
    for declared in records:
        assert set(declared) == {"type", "clauses", "every", "retention_years"}


def test_the_policy_agrees_with_the_procedures_that_set_its_targets() -> None:
    """The manual's invented 4 h and 90 points are not the controlled objectives."""
    text = (REPO / "procedures/GZDS-ITSMS-PO-01.md").read_text(encoding="utf-8")
    assert "P1 事件 2 小时内解决" in text and "综合满意度 ≥ 85 分" in text
    qp01 = (REPO / "procedures/GZDS-ITSMS-QP-01.md").read_text(encoding="utf-8")
    qp16 = (REPO / "procedures/GZDS-ITSMS-QP-16.md").read_text(encoding="utf-8")
    assert "| P1 | 5 分钟 | 2 小时 |" in qp01 and "综合满意度目标 ≥ 85 分" in qp16


def test_the_corrective_action_register_covers_the_audit_nonconformities() -> None:
    register = (REPO / "procedures/GZDS-ITSMS-QR-01.md").read_text(encoding="utf-8")
    report = (REPO / "records/files/2026/ia-2026-01-report.md").read_text(encoding="utf-8")
    for nc in sorted(set(re.findall(r"NC-2026-\d+", report))):
        assert f"| {nc} |" in register, nc


def test_at_least_half_of_the_records_carry_hashed_local_evidence() -> None:
    records = [p for p in (REPO / "records").rglob("R-*.*") if "files" not in p.parts]
    sealed = re.compile(r"^sha256: [0-9a-f]{64}$", re.M)
    hashed = [p for p in records if sealed.search(p.read_text("utf-8"))]
    assert len(records) >= 120 and len(hashed) * 2 >= len(records)


def test_no_document_repeats_a_line() -> None:
    """An edit applied twice shows as the same line twice in a row."""
    for path in sorted([*(REPO / "procedures").glob("*.md"), *MANUAL]):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for a, b in zip(lines, lines[1:], strict=False):
            if a == b and not set(a) <= set("|-: "):
                pytest.fail(f"{path.name} repeats {a[:40]}")
