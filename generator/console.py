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


def run() -> None:
    try:
        from .commands import run as command
    except KeyboardInterrupt:
        from .i18n_ui import UI

        zh, en = UI["ui.interrupted"]
        sys.stderr.write((en if os.environ.get("ITSMS_LANG") == "en" else zh) + "\n")
        os._exit(INTERRUPTED)
    command()
