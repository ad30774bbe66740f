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
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import export, report, views
from .check import CheckResult
from .portal import PortalOptions
from .publish import MARKER, build_site
from .redact import Redaction
from .rules.records import evidence_path, file_sha256
from .scope import Scope

MANIFEST = "manifest.json"


@dataclass
class Pack:
    path: Path
    files: int
    evidence: int


def without_confidential(result: CheckResult) -> CheckResult:
    """The check result less the findings about confidential documents and records, and
    with their ids and titles redacted from the others' messages."""
    redaction = Redaction.confidential(result.corpus, result.settings.lang)
    return replace(result, findings=redaction.findings(result.findings))


def build_pack(result: CheckResult, out: Path, include_confidential: bool, lang: str) -> Pack:
    """Write the pack to ``out`` (whole or not at all); ``result`` is checked as of the
    end of the period."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".audit-pack-", dir=out.parent))
    try:
        stage = work / "pack"
        stage.mkdir()
        # built beside the pack, not in it: the build's lock and temporary folders stay out
        built = build_site(result, PortalOptions(result.as_of, offline=True), work / "portal")
        (built.site_dir / MARKER).unlink(missing_ok=True)
        os.rename(built.site_dir, stage / "portal")
        scope = Scope(result, confidential=include_confidential)
        sheets = stage / "spreadsheets"
        sheets.mkdir()
        stamp = views.stamp(result, lang)
        for name, tables in (
            (
                "coverage.xlsx",
                [
                    views.coverage_table(result, lang, scope),
                    views.cadence_table(result, lang, scope),
                ],
            ),
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


def _unsafe(name: str) -> bool:
    """A member name that could be written outside the folder a pack is unpacked in."""
    parts = name.split("/")
    return (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or any(part in ("", ".", "..") for part in parts)
    )


def _digest(archive: zipfile.ZipFile, name: str) -> str:
    sha = hashlib.sha256()
    with archive.open(name) as member:
        for chunk in iter(lambda: member.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def verify(pack: Path) -> list[str]:
    """Problems found checking a pack against its manifest ([] when it verifies). Never
    raises: an unreadable pack or manifest, an unsafe or repeated name, a file missing
    from the manifest or from the pack, a differing sha256 are each a line."""
    try:
        with zipfile.ZipFile(pack) as archive:
            return _verify(archive)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        return [f"not a readable zip: {exc}"]


def _verify(archive: zipfile.ZipFile) -> list[str]:
    problems: list[str] = []
    members = [i.filename for i in archive.infolist() if not i.is_dir()]
    counts = Counter(members)
    problems += [f"unsafe name: {n}" for n in sorted(set(members)) if _unsafe(n)]
    problems += [f"duplicate name: {n}" for n, c in sorted(counts.items()) if c > 1]
    if counts[MANIFEST] != 1:
        return problems + [f"no single {MANIFEST}"]
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile, OSError, RuntimeError) as exc:
        return problems + [f"{MANIFEST} unreadable: {exc}"]
    entries = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(entries, list):
        return problems + [f"{MANIFEST} has no list of files"]
    listed: dict[str, str] = {}
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not isinstance(sha, str):
            problems.append(f"{MANIFEST}: an entry without path and sha256: {entry!r:.80}")
            continue
        if _unsafe(path):
            problems.append(f"unsafe name in the manifest: {path}")
        if path in listed:
            problems.append(f"listed twice in the manifest: {path}")
        listed[path] = sha
    names = set(members) - {MANIFEST}
    problems += [f"not in the manifest: {n}" for n in sorted(names - set(listed))]
    problems += [f"missing: {n}" for n in sorted(set(listed) - names)]
    for name in sorted(names & set(listed)):
        if _unsafe(name) or counts[name] > 1:
            continue
        try:
            digest = _digest(archive, name)
        except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as exc:
            problems.append(f"unreadable: {name}: {exc}")
            continue
        if digest != listed[name]:
            problems.append(f"sha256 differs: {name}")
    return problems
