"""The ``itsms`` console script, and the exits a shell gives for a program stopped by a
signal: Ctrl+C while Python is still loading the verbs is an interrupt like any other,
not a traceback."""

from __future__ import annotations

import os
import sys

#: the exit of a command stopped by Ctrl+C (128 + SIGINT)
INTERRUPTED = 130
#: the exit of a command whose reader stopped reading (128 + SIGPIPE)
CLOSED_PIPE = 141


def _interrupt(exc: BaseException | None) -> bool:
    """Whether ``exc`` is Ctrl+C, or an error it caused: Python wraps one that arrives
    while a class is being made (``__set_name__``) in a RuntimeError."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def run() -> None:
    try:
        from .commands import run as command
    except BaseException as exc:  # noqa: BLE001 - Ctrl+C, however Python reports it
        if not _interrupt(exc):
            raise
        from .i18n_ui import UI

        zh, en = UI["ui.interrupted"]
        sys.stderr.write((en if os.environ.get("ITSMS_LANG") == "en" else zh) + "\n")
        os._exit(INTERRUPTED)
    command()
