from __future__ import annotations

from .console import run

run()
