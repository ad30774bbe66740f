"""Half of a list of independent jobs done by a forked child, on the other core.

The check's rules each read the whole corpus and return a few findings: at 100,000
records they take a second and a half in turn. A child made by fork sees the corpus as
it is, runs every other job and hands back only their results (pickled through a pipe).
The results come back in the jobs' order, as if every job had run here: whatever the
child fails at is done here again (so an error is raised here, as without a child).

Only where fork is safe: a process with one thread (``serve``'s server and watcher
threads could hold locks a child would wait on forever) and more than one core.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def map_in_two(jobs: Sequence[T], run: Callable[[T], R]) -> list[R]:
    """``[run(job) for job in jobs]``, every other job run by a forked child."""
    if len(jobs) < 2 or not hasattr(os, "fork") or threading.active_count() > 1 or _cores() < 2:
        return [run(job) for job in jobs]
    theirs = list(jobs[1::2])
    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        return [run(job) for job in jobs]
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            os.close(read)
            data = pickle.dumps([run(job) for job in theirs], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    got: list[R] | None = None
    try:
        mine = [run(job) for job in jobs[0::2]]
        with os.fdopen(read, "rb") as handle:
            data = handle.read()
        read = -1
        if os.waitpid(pid, 0)[1] == 0:
            with contextlib.suppress(Exception):
                got = pickle.loads(data)  # our own child's, through a pipe
        pid = 0
    finally:
        if read >= 0:
            with contextlib.suppress(OSError):
                os.close(read)
        if pid:  # this side failed: the child is not waited for its results
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
                os.waitpid(pid, 0)
    if got is None or len(got) != len(theirs):
        got = [run(job) for job in theirs]
    return [mine[n // 2] if n % 2 == 0 else got[n // 2] for n in range(len(jobs))]
