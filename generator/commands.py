"""The ``itsms`` entry point: the click group with every verb registered."""

from __future__ import annotations

import atexit
import os
import sys

from . import cli_audit, cli_docs  # noqa: F401 - register the auditor's and the controller's verbs
from .cli import main
from .console import CLOSED_PIPE, INTERRUPTED

__all__ = ["main", "run"]


def run() -> None:
    """The console script. Once the verb has run, said what it had to and its exit
    handlers ran, the process ends without freeing its objects one by one: after a
    build of 2,000 documents that is seconds of a controller's wait for nothing.
    Every file the verb writes is written whole before it returns (generator.edit)."""
    try:
        main()  # click's standalone mode: ends in SystemExit
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # outside a verb (click reading the arguments)
        code = INTERRUPTED
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): said on stderr, exit 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader stopped reading (itsms ... | head)
            code = code or CLOSED_PIPE
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()  # logging's shutdown, temporary folders, child processes
    os._exit(code)
