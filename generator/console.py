"""The ``itsms`` console script: Ctrl+C while Python is still loading the verbs is an
interrupt like any other (exit 130), not a traceback."""

from __future__ import annotations

import os
import sys


def run() -> None:
    try:
        from .commands import run as command
    except KeyboardInterrupt:
        sys.stderr.write("已中断。\n" if os.environ.get("ITSMS_LANG") != "en" else "Aborted.\n")
        os._exit(130)
    command()
