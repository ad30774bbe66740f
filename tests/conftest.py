"""Small corpora built in tmp_path from a dict of files, and the CLI driven by CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator import fingerprint
from generator.commands import main
from generator.load import split_front_matter

AS_OF = "2026-11-27"

ROLES = """\
roles:
  - id: top-management
    name: 最高管理者
    description: 信息部最高领导
  - id: management-rep
    name: 管理者代表
    description: 管理体系
  - id: service-manager
    name: 服务经理
    description: 服务级别
  - id: staff
    name: 部门员工
    description: 员工
"""

MINI_STANDARD = """\
id: "mini:2024"
title: {en: "Mini standard", zh: "迷你标准"}
clauses:
  - {id: "1", en: "Management", zh: "管理"}
  - {id: "1.1", en: "Review", zh: "评审"}
  - {id: "1.2", en: "Audit", zh: "审核"}
  - {id: "2", en: "Service levels", zh: "服务级别"}
"""

MKDOCS = """\
site_name: test
docs_dir: content
theme:
  name: material
  language: zh
plugins:
  - search
  - itsms:
      standard: "mini:2024"
      standards_dir: standards
"""


def front(fields: dict[str, Any]) -> str:
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)


def doc_text(
    fields: dict[str, Any], body: str = "## 1 目的\n\n正文。\n", stamp: bool = True
) -> str:
    """A document file; approved ones get a correct fingerprint unless stamp=False."""
    text = f"---\n{front(fields)}---\n{body}"
    if stamp and fields.get("status") in ("approved", "superseded"):
        front_text, body_text, _, _ = split_front_matter(text)
        meta = yaml.safe_load(front_text or "")
        fields = {**fields, "fingerprint": fingerprint.compute(meta, body_text)}
        text = f"---\n{front(fields)}---\n{body}"
    return text


def approved(doc_id: str, title: str, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": doc_id,
        "title": title,
        "type": "procedure",
        "version": "1.0",
        "status": "approved",
        "owner": "management-rep",
        "author": "张伟",
        "approved_by": "王芳",
        "approved_on": "2026-03-01",
        "effective": "2026-03-05",
        "clauses": ["1"],
        "records": [{"type": "管理评审报告", "clauses": ["1"]}],
        "history": [
            {
                "version": "1.0",
                "date": "2026-03-01",
                "author": "张伟",
                "approved_by": "王芳",
                "summary": "首次发布",
            }
        ],
    }
    fields.update(extra)
    return fields


def record(rec_id: str, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": rec_id,
        "title": "2026年管理评审报告",
        "type": "管理评审报告",
        "procedure": "GZDS-ITSMS-QP-18",
        "date": "2026-06-01",
        "owner": "management-rep",
        "evidence": "http://itsm.gzds.local/mr/2026",
        "retention_years": 3,
    }
    fields.update(extra)
    return fields


def clean_doc(rel: str, body: str | None = None, *, stamp: bool = True, **changes: Any) -> str:
    """A document of the clean corpus with other fields (``changes``) or another body:
    sealed again, or approved on paper with ``stamp=False`` (its text and title may then
    change and the repository stays valid)."""
    front_text, old_body, _, _ = split_front_matter(clean_files()[rel])
    fields = yaml.safe_load(front_text or "")
    fields.pop("fingerprint", None)
    return doc_text({**fields, **changes}, old_body if body is None else body, stamp=stamp)


def clean_files() -> dict[str, str]:
    """A corpus on which every rule stays quiet."""
    qp18 = approved("GZDS-ITSMS-QP-18", "管理评审程序", clauses=["1"])
    qp10 = approved(
        "GZDS-ITSMS-QP-10",
        "服务级别管理程序",
        owner="service-manager",
        clauses=["2"],
        records=[{"type": "服务级别评审记录", "clauses": ["2"]}],
        references=["GZDS-ITSMS-QP-18"],
        raci=[
            {
                "activity": "评审服务级别",
                "R": ["service-manager"],
                "A": "management-rep",
                "C": [],
                "I": ["staff"],
            }
        ],
    )
    return {
        "mkdocs.yml": MKDOCS,
        "standards/mini.yml": MINI_STANDARD,
        "content/roles.yml": ROLES,
        "content/index.md": "# 首页\n",
        "procedures/GZDS-ITSMS-QP-18.md": doc_text(qp18),
        "procedures/GZDS-ITSMS-QP-10.md": doc_text(
            qp10, "## 1 目的\n\n见《管理评审程序》GZDS-ITSMS-QP-18。\n"
        ),
        "records/2026/R-QP18-2026-01.yml": front(record("R-QP18-2026-01")),
        "records/2026/R-QP10-2026-01.yml": front(
            record(
                "R-QP10-2026-01",
                type="服务级别评审记录",
                procedure="GZDS-ITSMS-QP-10",
                title="服务级别评审",
                owner="service-manager",
            )
        ),
    }


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Callable[..., Path]:
    """corpus(files, base=True): the clean corpus (unless base=False) with ``files`` on top."""

    def make(files: dict[str, str | bytes] | None = None, base: bool = True) -> Path:
        all_files: dict[str, str | bytes] = dict(clean_files()) if base else {}
        all_files.update(files or {})
        return write_files(tmp_path / "repo", all_files)

    return make


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check_json(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def findings(root: Path, *extra: str) -> list[tuple[str, str | None, int | None]]:
    """(rule, file, line) of every finding."""
    _, data = check_json(root, *extra)
    return [(f["rule"], f["file"], f["line"]) for f in data["findings"]]
