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
        with paused():
            return func(*args, **kwargs)

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
    """``itsms serve``: the collector paused from the start of an edit until a moment
    after the last one, then one whole collection while the reader looks at the page.

    At 2,000 documents a whole collection walks millions of objects for a second or
    more; one fell inside most updates and the preview waited for it. Resumed at the
    end of an update, the collector would first walk every object the update made
    (young, all of them). What an update drops is freed by reference counting as
    before; the few cycles it leaves are collected here, before the next edit."""

    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._busy = False
        self._held = False  # the collector is paused by this object
        self._was_enabled = True
        #: how many collections ran (tests)
        self.runs = 0

    @contextmanager
    def busy(self) -> Iterator[None]:
        """An update: the collector paused; a collection ``delay`` seconds after it."""
        with self._lock:
            self._busy = True
            self._stop_timer()
            if not self._held:
                self._was_enabled, self._held = gc.isenabled(), True
                gc.disable()
        try:
            yield
        finally:
            with self._lock:
                self._busy = False
                self._timer = threading.Timer(self.delay, self._collect)
                self._timer.daemon = True
                self._timer.start()

    def _collect(self) -> None:
        with self._lock:
            if self._busy or not self._held:
                return
            self._timer = None
            self.runs += 1
            gc.collect()
            self._resume()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _resume(self) -> None:
        if self._held and self._was_enabled:
            gc.enable()
        self._held = False

    def cancel(self) -> None:
        """No collection to come; the collector as it was before the first update."""
        with self._lock:
            self._stop_timer()
            if not self._busy:
                self._resume()
