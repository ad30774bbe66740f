"""The audit pack: everything an auditor takes away, in one zip — the offline
portal, the three spreadsheets, the evidence files of the records in the period,
the check report as of the end of the period, and a manifest of every file with
its sha256. Confidential material is left out unless asked for."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import export, report, views
from .check import CheckResult
from .model import Document, Record
from .portal import PortalOptions
from .publish import build_site
from .rules.records import evidence_path, file_sha256
from .scope import Scope

MANIFEST = "manifest.json"


@dataclass
class Pack:
    path: Path
    files: int
    evidence: int


def without_confidential(result: CheckResult) -> CheckResult:
    """The check result less the findings about confidential documents and records."""
    items: list[Document | Record] = [*result.corpus.documents, *result.corpus.records]
    secret = [i for i in items if i.classification == "confidential"]

    ids = {i.id for i in secret if i.id}
    paths = {i.path for i in secret}
    kept = [f for f in result.findings if f.id not in ids and f.file not in paths]
    return replace(result, findings=kept)


def build_pack(result: CheckResult, out: Path, include_confidential: bool, lang: str) -> Pack:
    """Write the pack to ``out`` (whole or not at all); ``result`` is checked as of the
    end of the period."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".audit-pack-", dir=out.parent))
    try:
        stage = work / "pack"
        stage.mkdir()
        build_site(result, PortalOptions(result.as_of, offline=True), stage / "portal")
        scope = Scope(result, confidential=include_confidential)
        sheets = stage / "spreadsheets"
        sheets.mkdir()
        stamp = views.stamp(result, lang)
        for name, tables in (
            ("coverage.xlsx", [views.coverage_table(result, lang, scope)]),
            ("register.xlsx", [views.register_table(result, lang, scope)]),
            ("matrix.xlsx", views.matrix_tables(result, lang, scope)),
        ):
            export.write_xlsx(tables, sheets / name, lang, stamp)
        evidence = 0
        records_root = (result.root / "records").resolve()
        for rec in scope.records:
            if rec.date is None or rec.date not in result.period:
                continue
            local = evidence_path(result.root, rec)
            if local is None or not local.is_file():
                continue
            target = stage / "evidence" / local.relative_to(records_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, target)
            evidence += 1
        checks = stage / "check"
        checks.mkdir()
        shown = result if include_confidential else without_confidential(result)
        (checks / "report.txt").write_text(report.render_text(shown, lang), encoding="utf-8")
        (checks / "report.json").write_text(report.render_json(shown, lang), encoding="utf-8")

        files = sorted(p for p in stage.rglob("*") if p.is_file())
        manifest: dict[str, Any] = {
            "standard": result.standard.id,
            "period": {
                "from": result.period.start.isoformat(),
                "to": result.period.end.isoformat(),
            },
            "as_of": result.as_of.isoformat(),
            "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "include_confidential": include_confidential,
            "files": [
                {
                    "path": p.relative_to(stage).as_posix(),
                    "bytes": p.stat().st_size,
                    "sha256": file_sha256(p),
                }
                for p in files
            ],
        }
        (stage / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        tmp_zip = work / "pack.zip"
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            for p in [stage / MANIFEST, *files]:
                archive.write(p, p.relative_to(stage).as_posix())
        os.replace(tmp_zip, out)
        return Pack(out, len(files) + 1, evidence)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def verify(pack: Path) -> list[str]:
    """Problems found checking a pack against its manifest ([] when it verifies)."""
    problems: list[str] = []
    with zipfile.ZipFile(pack) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        listed = {f["path"]: f for f in manifest["files"]}
        names = set(archive.namelist()) - {MANIFEST}
        problems += [f"not in the manifest: {n}" for n in sorted(names - set(listed))]
        problems += [f"missing: {n}" for n in sorted(set(listed) - names)]
        for name in sorted(names & set(listed)):
            if hashlib.sha256(archive.read(name)).hexdigest() != listed[name]["sha256"]:
                problems.append(f"sha256 differs: {name}")
    return problems
