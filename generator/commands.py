"""The ``itsms`` entry point: the click group with every verb registered."""

from __future__ import annotations

from . import cli_docs  # noqa: F401 - registers the document-control verbs
from .cli import main

__all__ = ["main"]
