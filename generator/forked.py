"""Work done by a forked child on the other core, its result handed back through a pipe.

A child made by fork sees the parent's objects as they are (the checked corpus, the last
site's path) and hands back only its result, pickled. Two uses: the check's rules, half
of them in a child (``map_in_two``: at 100,000 records they take a second and a half in
turn), and the last site linked and read while the check runs (generator.prefetch).
Whatever a child fails at is done again by the parent, so an error is raised there, as
without a child.

``map_in_two`` forks only where that is safe: a process with one thread (``serve``'s
server and watcher threads could hold locks a child would wait on forever) and more
than one core.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass
class Child:
    """A forked child computing a result; ``result()`` waits for it."""

    pid: int
    pipe: int  # the read end

    def result(self) -> tuple[bool, Any]:
        """(True, what the child returned), or (False, None) when it failed."""
        data = b""
        with contextlib.suppress(OSError), os.fdopen(self.pipe, "rb") as handle:
            data = handle.read()
        status = 1
        with contextlib.suppress(ChildProcessError):
            status = os.waitpid(self.pid, 0)[1]
        if status != 0 or not data:
            return False, None
        try:
            return True, pickle.loads(data)  # our own child's, through a pipe
        except Exception:  # noqa: BLE001 - a result that does not load is none
            return False, None

    def stop(self) -> None:
        """The child killed and waited for (its result is not wanted)."""
        with contextlib.suppress(OSError):
            os.close(self.pipe)
        with contextlib.suppress(OSError, ChildProcessError):
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)


def start(work: Callable[[], Any]) -> Child | None:
    """A child running ``work()``; None when no child can be made."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            os.close(read)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return Child(pid, read)


def map_in_two(jobs: Sequence[T], run: Callable[[T], R]) -> list[R]:
    """``[run(job) for job in jobs]``, every other job run by a forked child."""
    if len(jobs) < 2 or not hasattr(os, "fork") or threading.active_count() > 1 or _cores() < 2:
        return [run(job) for job in jobs]
    theirs = list(jobs[1::2])
    child = start(lambda: [run(job) for job in theirs])
    if child is None:
        return [run(job) for job in jobs]
    try:
        mine = [run(job) for job in jobs[0::2]]
    except BaseException:
        child.stop()
        raise
    done, got = child.result()
    if not done or not isinstance(got, list) or len(got) != len(theirs):
        got = [run(job) for job in theirs]
    return [mine[n // 2] if n % 2 == 0 else got[n // 2] for n in range(len(jobs))]
