"""The cyclic garbage collector paused while a check or a portal is built.

Both make hundreds of thousands of small objects that live until the build ends (at
2,000 documents / 100,000 records); each of the collector's passes walks them all again
and frees nothing: it cost a third of a build. What the build drops is freed by reference
counting as before; cycles left over are collected when the collector resumes."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def collector_paused(func: Callable[P, T]) -> Callable[P, T]:
    """``func`` run with the cyclic collector paused; resumed after it, as it was."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return run


@contextmanager
def paused() -> Iterator[None]:
    """The block run with the cyclic collector paused; resumed after it, as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class IdleCollection:
    """``itsms serve``: the collector paused while an edit is shown, and a whole
    collection a moment after the last one, while the reader looks at it.

    At 2,000 documents a whole collection walks millions of objects for a second or
    more; one fell inside most updates and the preview waited for it. What an update
    drops is freed by reference counting as before; the few cycles it leaves are
    collected here, before the next edit (``busy`` defers it while an update runs)."""

    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._busy = False
        #: how many collections ran (tests)
        self.runs = 0

    @contextmanager
    def busy(self) -> Iterator[None]:
        """An update: no collection meanwhile; one ``delay`` seconds after it."""
        with self._lock:
            self._busy = True
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        try:
            with paused():
                yield
        finally:
            with self._lock:
                self._busy = False
                self._timer = threading.Timer(self.delay, self._collect)
                self._timer.daemon = True
                self._timer.start()

    def _collect(self) -> None:
        with self._lock:
            if self._busy:
                return
            self._timer = None
            self.runs += 1
        gc.collect()

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
