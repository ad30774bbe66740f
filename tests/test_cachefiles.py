"""What sits in the cache folder is never trusted to be a file: a FIFO, a link to a
device or anything not a regular file is no cache entry (never waited on, never read);
a missing home folder is never made to keep the signing key in; and what the command
line says about the system's refusals, paths and interrupts is a user's message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import AS_OF


def itsms(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    environ.pop("ITSMS_NO_CACHE", None)
    return subprocess.run(command, capture_output=True, text=True, timeout=240, env=environ)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_cache_file_that_is_no_file_is_no_entry(
    corpus: Callable[..., Path], tmp_path: Path, kind: str
) -> None:
    root = corpus()
    site = tmp_path / "site"
    first = itsms("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site))
    assert first.returncode == 0, first.stderr
    cache = root / ".cache/itsms"
    replaced = [
        *sorted((cache / "sources").glob("*.pickle"))[:2],
        *sorted((cache / "snapshot").glob("*.pickle"))[:2],
        *sorted((cache / "pages").rglob("*"))[:40:8],
    ]
    for path in replaced:
        if path.is_file():
            path.unlink()
            if kind == "fifo":
                os.mkfifo(path)
            else:
                path.symlink_to("/dev/zero")
    (root / "content/index.md").write_text("# 首页\n\n改过。\n", "utf-8")
    again = itsms("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site))
    assert again.returncode == 0, again.stderr  # neither hangs nor reads forever
    assert "改过" in (site / "index.html").read_text("utf-8")
    assert itsms("check", "--root", str(root), "--as-of", AS_OF).returncode == 0


def test_a_missing_home_folder_is_never_made(corpus: Callable[..., Path], tmp_path: Path) -> None:
    root = corpus()
    home = tmp_path / "nobody"
    env = {"HOME": str(home), "XDG_CACHE_HOME": ""}
    done = itsms("check", "--root", str(root), "--as-of", AS_OF, env=env)
    assert done.returncode == 0, done.stderr
    assert not home.exists()
    assert not (root / ".cache").exists()  # no key: nothing cached


def test_the_systems_refusal_is_said_not_an_internal_error(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    root = corpus()
    long = tmp_path / ("x" * 300)
    done = itsms("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(long))
    assert done.returncode == 2
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "无法读写" in done.stderr and "File name too long" in done.stderr


def test_control_characters_in_a_path_never_reach_the_terminal(
    corpus: Callable[..., Path], tmp_path: Path
) -> None:
    root = corpus()
    site = tmp_path / "a\nb\x1b[31m"
    done = itsms("build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr
    assert "a\\nb\\x1b[31m" in done.stdout
    assert (site / "index.html").is_file()


def test_ctrl_c_while_loading_is_an_interrupt(corpus: Callable[..., Path]) -> None:
    root = corpus()
    command = [sys.executable, "-m", "generator", "check", "--root", str(root), "--as-of", AS_OF]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for delay in (0.15, 0.3, 0.6):
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert "Traceback" not in err.decode("utf-8"), delay
        assert proc.returncode in (130, 0), (delay, proc.returncode)  # 0: done before it
