"""What a value written in YAML is taken to be: a text, an id, a name, a date, a number
or a version (``model`` builds documents and records with these)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .names import normalise
from .yamlread import is_date

__all__ = ["as_date", "as_id", "as_int", "as_name", "as_str", "version_key"]


def as_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if is_date(value):
        return str(value.isoformat())
    return None


def as_id(value: Any) -> str | None:
    """An id or a role: compared after NFKC, format characters and spaces removed."""
    text = as_str(value)
    return (normalise(text) or None) if text else None


def as_name(value: Any) -> str | None:
    """A person's name as written, or None when nothing visible is left of it once
    normalised (a name made only of invisible characters is no name)."""
    text = as_str(value)
    return text if text and normalise(text) else None


def as_date(value: Any) -> dt.date | None:
    if is_date(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def version_key(version: str | None) -> tuple[int, int] | None:
    if not version:
        return None
    major, dot, minor = version.partition(".")
    if not (dot and major.isdigit() and minor.isdigit()):
        return None
    return int(major), int(minor)
