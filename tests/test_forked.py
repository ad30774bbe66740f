"""Half of the check's rules in a forked child (generator.forked): the same results in
the same order as when every rule runs here; whatever the child fails at is done here."""

from __future__ import annotations

import os
import threading

import pytest

from generator import forked


def test_the_results_come_back_in_the_jobs_order() -> None:
    here = os.getpid()
    out = forked.map_in_two(list(range(7)), lambda n: (n * n, os.getpid()))
    assert [value for value, _ in out] == [n * n for n in range(7)]
    pids = [pid for _, pid in out]
    if forked._cores() > 1:  # every other job was the child's
        assert pids[0::2] == [here] * 4 and here not in pids[1::2]


def test_what_the_child_fails_at_is_done_here() -> None:
    here = os.getpid()

    def run(n: int) -> int:
        if os.getpid() != here:
            os._exit(3)  # the child dies without a word
        return n + 1

    assert forked.map_in_two([1, 2, 3, 4], run) == [2, 3, 4, 5]


def test_an_error_is_raised_here_as_without_a_child() -> None:
    def run(n: int) -> int:
        if n == 3:
            raise ValueError("job 3")
        return n

    with pytest.raises(ValueError, match="job 3"):
        forked.map_in_two([0, 1, 2, 3], run)


def test_no_child_beside_other_threads() -> None:
    here = os.getpid()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert forked.map_in_two([1, 2, 3], lambda n: os.getpid()) == [here] * 3
    finally:
        stop.set()
        other.join()
