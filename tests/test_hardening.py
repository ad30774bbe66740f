"""Hostile and broken input, interrupted and concurrent runs: nothing crashes,
nothing is lost, nothing leaks."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import run_check
from generator.rules import RULES
from generator.settings import read_settings

from .conftest import AS_OF, clean_files, front, record, run, write_files
from .test_portal import portal_files
from .test_rules import P30, doc30

ITSMS = [sys.executable, "-m", "generator"]
FIELDS = [
    "id",
    "title",
    "type",
    "version",
    "status",
    "owner",
    "author",
    "approved_by",
    "approved_on",
    "effective",
    "clauses",
    "records",
    "references",
    "raci",
    "history",
    "supersedes",
    "superseded_by",
    "classification",
    "fingerprint",
    "review_months",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.text(alphabet="<>&\"'`*_[]{}|#=+-@\u200b\ufeff\u202e", max_size=20),
    st.sampled_from(
        [
            "2026-02-30",
            "2026-03-01",
            "1.10",
            "approved",
            "GZDS-ITSMS-QP-18",
            "management-rep",
            "x" * 5000,
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
front_matter = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=12)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check_findings(root: Path) -> list[Any]:
    result = run_check(root, read_settings(root), dt.date.fromisoformat(AS_OF))
    for f in result.findings:
        assert f.rule in RULES
        assert f.file is not None or f.rule in ("uncovered-clause", "no-evidence")
    return result.findings


@FUZZ
@given(meta=front_matter, body=st.text(max_size=200))
def test_random_front_matter_is_only_ever_findings(
    tmp_path_factory: pytest.TempPathFactory, meta: dict[str, Any], body: str
) -> None:
    root = write_files(
        tmp_path_factory.mktemp("fuzz"),
        {
            **clean_files(),
            P30: "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body,
            "records/2026/fuzz.yml": yaml.safe_dump(meta, allow_unicode=True),
        },
    )
    _check_findings(root)
    result = run("check", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


@FUZZ
@given(data=st.data())
def test_mutated_files_are_only_ever_findings(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    original = doc30().encode("utf-8")
    raw = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        op = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        pos = data.draw(st.integers(0, len(raw) - 1))
        if op == "flip":
            raw[pos] = data.draw(st.integers(0, 255))
        elif op == "insert":
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            del raw[pos : pos + data.draw(st.integers(1, 20))]
    root = write_files(tmp_path_factory.mktemp("mut"), {**clean_files(), P30: bytes(raw)})
    _check_findings(root)
    for args in (
        ["check"],
        ["submit", "GZDS-ITSMS-QP-30"],
        ["approve", "GZDS-ITSMS-QP-30", "--by", "李强"],
        ["revise", "GZDS-ITSMS-QP-30"],
        ["supersede", "GZDS-ITSMS-QP-30", "--by", "GZDS-ITSMS-QP-18"],
        ["supersede", "GZDS-ITSMS-QP-18", "--by", "GZDS-ITSMS-QP-30"],
        ["withdraw", "GZDS-ITSMS-QP-30", "--reason", "x"],
        ["trace", "GZDS-ITSMS-QP-30"],
        ["register", "--format", "json"],
        ["matrix", "--format", "json"],
    ):
        result = run(*args, "--root", str(root), "--as-of", AS_OF)
        assert "internal error" not in result.output, (args, result.output)


def test_build_on_broken_input_reports_and_keeps_the_site(corpus: Callable[..., Path]) -> None:
    root = corpus({P30: doc30(version="1.10", extra="status: draft\n")})
    result = run("build", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1 and "internal error" not in result.output
    assert "duplicate-key" in result.output and not (root / "site").exists()


def test_resource_bombs_end_in_findings(corpus: Callable[..., Path]) -> None:
    keys = "".join(f"k{n}: {n}\n" for n in range(100_000))
    root = corpus(
        {
            "procedures/keys.md": "---\nid: GZDS-ITSMS-QP-50\n" + keys + "---\n",
            "procedures/huge.md": "---\nid: GZDS-ITSMS-QP-51\n---\n" + "正文" * (9 * 1024 * 1024),
        }
    )
    (root / "content/loop").symlink_to(root / "content")  # a link loop
    (root / "procedures/outside.md").symlink_to("/etc/hostname")
    start = time.monotonic()
    code, data = _json(root)
    assert code == 1
    by_file = {}
    for f in data["findings"]:
        by_file.setdefault(f["file"], []).append((f["rule"], f["message"]))
    assert by_file["procedures/huge.md"][0][0] == "encoding"  # too large: not read
    assert "过大" in by_file["procedures/huge.md"][0][1]
    assert any(r == "schema" for r, _ in by_file["procedures/keys.md"])
    assert len(by_file["procedures/keys.md"][0][1]) < 1000  # a message, not 100,000 keys
    assert by_file["procedures/outside.md"][0][0] == "encoding"
    assert time.monotonic() - start < 300  # bounded (a hang would never get here)


def _json(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = run("check", "--root", str(root), "--as-of", AS_OF, "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


def test_paths_never_leave_the_repository(corpus: Callable[..., Path], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("不在仓库里的机密\n", encoding="utf-8")
    root = corpus(
        {
            "records/2026/a.yml": front(record("R-A", evidence="../../secret.txt")),
            "records/2026/b.yml": front(record("R-B", evidence=str(secret))),
            "records/2026/c.yml": front(record("R-C", evidence="files/link.txt")),
        }
    )
    (root / "records/files").mkdir(parents=True, exist_ok=True)
    (root / "records/files/link.txt").symlink_to(secret)
    _, data = _json(root)
    outside = {f["file"] for f in data["findings"] if f["rule"] == "missing-evidence-file"}
    assert outside == {"records/2026/a.yml", "records/2026/b.yml", "records/2026/c.yml"}
    pack = tmp_path / "pack.zip"
    run("audit-pack", "--root", str(root), "--as-of", AS_OF, "--out", str(pack))
    run("build", "--root", str(root), "--as-of", AS_OF)
    blobs = [p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()]
    with zipfile.ZipFile(pack) as z:
        blobs += [z.read(n) for n in z.namelist()]
    assert not any("不在仓库里的机密".encode() in b for b in blobs)


SECRETS = ("机密正文甲乙丙", "绝密应急预案", "保密演练记录壬癸")
DRAFT = "草稿正文丁戊己"


def _all_text(paths: list[Path]) -> str:
    out = []
    for path in paths:
        data = path.read_bytes()
        if path.suffix == ".xlsx" or data[:2] == b"PK":
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        out.append(data.decode("utf-8", errors="replace"))
    return "\n".join(out).replace("\u200b", "")


def test_nothing_leaks_from_any_build_or_the_audit_pack(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", {**clean_files(), **portal_files()})
    outputs = {}
    for mode, extra in (("normal", []), ("offline", ["--offline"]), ("preview", ["--preview"])):
        site = tmp_path / mode
        assert (
            run(
                "build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site), *extra
            ).exit_code
            == 0
        )
        outputs[mode] = _all_text([p for p in site.rglob("*") if p.is_file()])
    pack = tmp_path / "pack.zip"
    assert (
        run("audit-pack", "--root", str(root), "--as-of", AS_OF, "--out", str(pack)).exit_code == 0
    )
    with zipfile.ZipFile(pack) as z:
        names = z.namelist()
        z.extractall(tmp_path / "unpacked")
    outputs["pack"] = _all_text([tmp_path / "unpacked" / n for n in names])
    for mode, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, (mode, secret)
        assert (DRAFT in text) == (mode == "preview"), mode


def _site_state(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _normalise(state: dict[str, bytes]) -> dict[str, bytes]:
    # the sitemap carries the build time; everything else is the same build to build
    return {k: v for k, v in state.items() if not k.startswith("sitemap")}


def test_a_killed_build_leaves_the_old_or_the_new_site(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", {**clean_files(), **portal_files()})
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
    cmd = [*ITSMS, "build", "--root", str(root), "--as-of", AS_OF]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    old = _normalise(_site_state(root / "site"))
    qp18 = root / "procedures/GZDS-ITSMS-QP-18.md"
    qp18.write_text(
        qp18.read_text(encoding="utf-8").replace("规定管理评审的方法", "规定新方法"),
        encoding="utf-8",
    )
    subprocess.run(
        [
            *ITSMS,
            "approve",
            "GZDS-ITSMS-QP-18",
            "--by",
            "李强",
            "--root",
            str(root),
            "--as-of",
            AS_OF,
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    rng = random.Random(20261127)
    for _ in range(4):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _normalise(_site_state(root / "site"))
        assert (
            state == old or "规定新方法".encode() in state["procedures/GZDS-ITSMS-QP-18/index.html"]
        ), "a mixture of two builds"
        if state != old:
            old = state  # the new site landed whole; later kills must keep it or a newer one
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    assert (
        "规定新方法".encode() in (root / "site/procedures/GZDS-ITSMS-QP-18/index.html").read_bytes()
    )


def test_two_builds_at_once_end_with_one_complete_site(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", {**clean_files(), **portal_files()})
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
    cmd = [*ITSMS, "build", "--root", str(root), "--as-of", AS_OF]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    assert [p.wait() for p in procs] == [0, 0]
    site = root / "site"
    alone = tmp_path / "alone"
    subprocess.run([*cmd, "--site-dir", str(alone)], env=env, check=True, capture_output=True)
    assert set(_normalise(_site_state(site))) == set(_normalise(_site_state(alone)))
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]


def test_a_killed_writer_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    root = write_files(tmp_path / "repo", {**clean_files()})
    env = {**os.environ, "CI": "1"}
    path = root / "procedures/GZDS-ITSMS-QP-18.md"
    before = path.read_bytes()
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen(
            [*ITSMS, "revise", "GZDS-ITSMS-QP-18", "--root", str(root), "--as-of", AS_OF],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = path.read_bytes()
        assert now == before or (
            b'version: "1.1"' in now and now.endswith(b"\xe6\x96\x87\xe3\x80\x82\n")
        ), now[-60:]
        path.write_bytes(before)


RECORD_FIELDS = [
    "id",
    "title",
    "type",
    "procedure",
    "clauses",
    "date",
    "owner",
    "evidence",
    "sha256",
    "retention_years",
    "classification",
]
record_values = st.one_of(
    values,
    st.sampled_from(
        [
            "2026-13-01",
            "2026-02-30",
            "0000-01-01",
            "9999-12-31",
            "R-QP18-2026-01",
            "GZDS-ITSMS-QP-18",
            "GZDS-ITSMS-QP-18\u200b",
            "files/../../etc/passwd",
            "/etc/passwd",
            "files/absent.pdf",
            "管理评审报告",
            "1.1",
            "0" * 64,
        ]
    ),
)
record_meta = st.dictionaries(
    st.sampled_from(RECORD_FIELDS) | st.text(max_size=10), record_values, max_size=12
)
AUDITOR_VERBS = (
    ["trace", "GZDS-ITSMS-QP-18", "--format", "json"],
    ["trace", "GZDS-ITSMS-QP-18"],
    ["trace", "1"],
    ["register", "--format", "json"],
    ["matrix", "--format", "csv"],
    ["coverage", "--format", "json"],
)


def _record_repo(root: Path, base: dict[str, Any], meta: dict[str, Any]) -> Path:
    as_yaml = yaml.safe_dump({**base, **meta}, allow_unicode=True)
    as_md = "---\n" + as_yaml + "---\n纪要。\n"
    return write_files(
        root,
        {
            **clean_files(),
            "records/2026/fuzz.yml": as_yaml,
            "records/2026/fuzz.md": as_md,
            "records/2026/raw.yml": yaml.safe_dump(meta, allow_unicode=True),
        },
    )


@FUZZ
@given(meta=record_meta)
def test_random_records_never_break_the_auditor_verbs(
    tmp_path_factory: pytest.TempPathFactory, meta: dict[str, Any]
) -> None:
    root = _record_repo(tmp_path_factory.mktemp("rec"), record("R-FUZZ"), meta)
    _check_findings(root)
    for args in (["check"], *AUDITOR_VERBS):
        result = run(*args, "--root", str(root), "--as-of", AS_OF)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "internal error" not in result.output and "Traceback" not in result.output


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(meta=record_meta)
def test_random_records_never_break_the_audit_pack(
    tmp_path_factory: pytest.TempPathFactory, meta: dict[str, Any]
) -> None:
    work = tmp_path_factory.mktemp("pack")
    root = _record_repo(work / "repo", record("R-FUZZ"), meta)
    result = run(
        "audit-pack", "--root", str(root), "--as-of", AS_OF, "--out", str(work / "pack.zip")
    )
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


def test_a_record_dated_2026_13_01_does_not_break_trace(corpus: Callable[..., Path]) -> None:
    rec = {k: v for k, v in record("R-BAD").items() if k != "date"}
    root = corpus({"records/2026/R-BAD.yml": front(rec) + "date: 2026-13-01\n"})
    for args in AUDITOR_VERBS:
        result = run(*args, "--root", str(root), "--as-of", AS_OF)
        assert result.exit_code == 0, (args, result.output)
