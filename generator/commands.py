"""The ``itsms`` entry point: the click group with every verb registered."""

from __future__ import annotations

from . import cli_audit, cli_docs  # noqa: F401 - register the auditor's and the controller's verbs
from .cli import main

__all__ = ["main"]
