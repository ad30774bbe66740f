from __future__ import annotations

from .commands import run

run()
