"""The cyclic garbage collector paused while a check or a portal is built.

Both make hundreds of thousands of small objects that live until the build ends (at
2,000 documents / 100,000 records); each of the collector's passes walks them all again
and frees nothing: it cost a third of a build. What the build drops is freed by reference
counting as before; cycles left over are collected when the collector resumes."""

from __future__ import annotations

import gc
from collections.abc import Callable
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
