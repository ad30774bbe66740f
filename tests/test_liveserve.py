"""``itsms serve`` as a person runs it: the command in its own process, a page fetched
over HTTP, a file saved, the page fetched again; and the watcher's view of events."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    FileClosedNoWriteEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from .conftest import AS_OF, clean_doc

QP18 = "procedures/GZDS-ITSMS-QP-18.md"
QP10 = "procedures/GZDS-ITSMS-QP-10.md"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return str(answer.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def _until(what: Callable[[], bool], limit: float = 120) -> bool:
    """Polls ``what`` (a bound on a test that would otherwise hang, not a measure)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if what():
            return True
        time.sleep(0.1)
    return False


@contextmanager
def _serving(root: Path, log: Path, *extra: str) -> Iterator[str]:
    """``itsms serve`` on ``root`` in a process of its own: yields the served address."""
    port = _port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("ITSMS_NO_CACHE", None)
    code = "from generator.commands import main; main()"
    args = ["serve", "--root", str(root), "--as-of", AS_OF, "--dev-addr", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args, *extra],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        assert _until(lambda: _get(url) is not None), log.read_text("utf-8")
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def served(corpus: Callable[..., Path], tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    root = corpus({QP18: clean_doc(QP18, stamp=False), QP10: clean_doc(QP10, stamp=False)})
    log = tmp_path / "serve.log"
    with _serving(root, log) as url:
        yield root, url, log


def test_lang_en_serves_the_portal_in_english(corpus: Callable[..., Path], tmp_path: Path) -> None:
    root = corpus()
    log = tmp_path / "serve.log"
    with _serving(root, log, "--lang", "en") as url:
        home = _get(url) or ""
        assert "Document register" in home and "文件清单" not in home
        assert "previewing on" in log.read_text("utf-8")


def test_a_saved_text_shows_in_the_served_page(served: tuple[Path, str, Path]) -> None:
    root, url, log = served
    page = url + "procedures/GZDS-ITSMS-QP-18/"
    assert "管理评审程序" in (_get(page) or "")
    path = root / QP18
    path.write_text(path.read_text("utf-8") + "\n新增的一段说明。\n", "utf-8")
    assert _until(lambda: "新增的一段说明" in (_get(page) or "")), log.read_text("utf-8")
    assert _until(lambda: "只改了正文" in log.read_text("utf-8"))
    # a new title (of a document nobody cites): its page and the register show it
    path = root / QP10
    text = path.read_text("utf-8").replace("title: 服务级别管理程序", "title: 服务级别控制程序")
    path.write_text(text, "utf-8")
    assert _until(lambda: "服务级别控制程序" in (_get(url + "register/") or ""))
    assert "服务级别控制程序" in (_get(url + "procedures/GZDS-ITSMS-QP-10/") or "")
    said = log.read_text("utf-8")
    assert "错误 0" in said.splitlines()[-3] or "错误 0" in said
    assert "已重新检查" in said and "Traceback" not in said
    assert said.index("预览：") < said.index("只改了正文")


def test_a_broken_setting_keeps_the_preview_and_says_why(
    served: tuple[Path, str, Path],
) -> None:
    root, url, log = served
    settings = root / "mkdocs.yml"
    kept = settings.read_text("utf-8")
    broken = kept.replace("standards_dir: standards", "standards_dir: standards\n      lang: fr")
    assert broken != kept
    settings.write_text(broken, "utf-8")
    assert _until(lambda: "未能更新预览" in log.read_text("utf-8")), log.read_text("utf-8")
    assert "管理评审程序" in (_get(url + "procedures/GZDS-ITSMS-QP-18/") or "")
    settings.write_text(kept.replace("site_name: test", "site_name: 新名称"), "utf-8")
    assert _until(lambda: "新名称" in (_get(url) or "")), log.read_text("utf-8")
    assert "Traceback" not in log.read_text("utf-8")


def test_the_watcher_keeps_what_changed_not_what_was_read(tmp_path: Path) -> None:
    from generator.liveserve import Server, _relative

    server = Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        doc = str(tmp_path / QP18)
        server._event(FileOpenedEvent(doc))
        server._event(FileClosedNoWriteEvent(doc))
        server._event(FileModifiedEvent(str(tmp_path / "procedures/.QP-18.md.swp")))
        server._event(FileModifiedEvent(str(tmp_path / "procedures/QP-18.md~")))
        server._event(DirModifiedEvent(str(tmp_path / "procedures")))
        assert server.take() == set()
        server._event(FileMovedEvent(str(tmp_path / "procedures/4913"), doc))
        server._event(FileModifiedEvent(str(tmp_path / "records/a b 记录.yml")))
        assert _relative(tmp_path, server.take()) == {QP18, "records/a b 记录.yml"}
        server._event(DirCreatedEvent(str(tmp_path / "records/2027")))
        server._event(FileModifiedEvent(doc))
        assert server.take() is None  # a folder came: what changed is not known
        assert _relative(tmp_path, {"/elsewhere/x.md"}) is None
    finally:
        server.server_close()


def test_a_taken_port_is_said_before_any_build(corpus: Callable[..., Path]) -> None:
    from .conftest import run

    root = corpus()
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run(
            "serve", "--root", str(root), "--as-of", AS_OF, "--dev-addr", f"127.0.0.1:{port}"
        )
    assert result.exit_code == 2
    assert f"无法在 127.0.0.1:{port} 上提供预览" in result.output and "--dev-addr" in result.output
    assert not (root / "site").exists()


def test_a_folder_deleted_and_made_again_is_watched_again(tmp_path: Path) -> None:
    """rm -rf records; restore it: edits inside the new folder are still seen (a watch
    follows the folder it was given, not its name)."""
    import shutil

    from generator.liveserve import Server

    root = tmp_path / "repo"
    (root / "records/2026").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    server = Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch_repository(root, ("content", "procedures", "records"), root / "mkdocs.yml")
    server.observer.start()
    try:
        shutil.rmtree(root / "records")
        assert _until(lambda: server.take() is None, 20)  # a folder went: not known what
        (root / "records/2026").mkdir(parents=True)
        assert _until(lambda: server.take() is None, 20)
        time.sleep(0.5)
        server.take()
        record = root / "records/2026/R-1.yml"
        record.write_text("id: R-1\n", "utf-8")
        assert _until(lambda: str(record) in (server.take() or set()), 20)
        (root / "README.md").write_text("x\n", "utf-8")  # not the site's: ignored
        (root / "mkdocs.yml").write_text("site_name: y\n", "utf-8")
        assert _until(lambda: str(root / "mkdocs.yml") in (server.take() or set()), 20)
        time.sleep(0.5)
        left = server.take()  # a second event of the same save may come late: nothing else
        assert left is not None and left <= {str(root / "mkdocs.yml")}
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_a_commit_is_seen_and_git_status_is_not(tmp_path: Path) -> None:
    """The portal shows versions from git: a commit made while serving updates it; a
    command that only reads (``git status`` rewrites the index) does not."""
    from generator.liveserve import Server

    from .test_workflow import git

    root = tmp_path / "repo"
    (root / "procedures").mkdir(parents=True)
    (root / "procedures/a.md").write_text("# a\n", "utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    server = Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch_repository(root, ("content", "procedures", "records"), root / "mkdocs.yml")
    server.observer.start()
    try:
        time.sleep(0.5)
        git(root, "status", "--short")
        time.sleep(1)
        assert server.take() == set()
        (root / "procedures/a.md").write_text("# a\n\nb\n", "utf-8")
        git(root, "commit", "-qam", "two")
        head = str(root / ".git/HEAD")
        assert _until(lambda: head in (server.take() or set()), 20)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()
