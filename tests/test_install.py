"""The wheel carries every file the package needs at run time: built, installed into a
fresh virtual environment outside the repository, it publishes the same portal as the
editable install does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import AS_OF, run

REPO = Path(__file__).resolve().parent.parent


def _tooling_missing(what: str, proc: subprocess.CompletedProcess[str]) -> None:
    """Offline, without the build tools: skip on a desk, fail in CI (which has them)."""
    message = f"{what} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


@pytest.mark.wheel
def test_wheel_builds_the_same_portal_as_the_editable_install(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(
        REPO / "generator", src / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        _tooling_missing("pip wheel", built)
    assert "Deprecat" not in built.stderr, built.stderr  # e.g. setuptools on `license`
    wheel = next(wheels.glob("itsms-*.whl"))

    env_dir = tmp_path / "venv"
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(env_dir)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        _tooling_missing("python -m venv", made)
    python = env_dir / "bin" / "python"
    # The dependencies come from this environment's site-packages (a plain path: its
    # .pth files, the editable install's among them, are not run), the package itself
    # only from the wheel.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    where = subprocess.run(
        [str(python), "-c", "import generator; print(generator.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    from_wheel = tmp_path / "site-wheel"
    proc = subprocess.run(
        [str(env_dir / "bin" / "itsms"), "build", "--root", str(REPO), "--as-of", AS_OF]
        + ["--site-dir", str(from_wheel)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    editable = tmp_path / "site-editable"
    result = run("build", "--root", str(REPO), "--as-of", AS_OF, "--site-dir", str(editable))
    assert result.exit_code == 0, result.output

    assert _files(from_wheel) == _files(editable)
    for asset in ("itsms.css", "itsms.js", "vendor/iframe-worker/shim.js"):
        assert (from_wheel / "assets" / "itsms" / asset).is_file()
