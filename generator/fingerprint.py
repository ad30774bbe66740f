"""Content fingerprint of an approved document (as Doorstop marks a reviewed item
changed when its text changes): sha256 over the body and the fields that carry
meaning, normalised so that line endings and trailing spaces do not count.

Version 2 (``sha256v2:``, written by ``approve`` since) also covers the approval —
who approved, when, from when it is in effect, and who wrote it — so that none of
them can be changed after approval unnoticed. Version 1 fingerprints (``sha256:``)
still verify against the fields they covered."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

#: The fields whose change changes what the document says or requires.
MEANINGFUL_FIELDS = (
    "id",
    "title",
    "type",
    "version",
    "owner",
    "classification",
    "clauses",
    "records",
    "references",
    "raci",
)
#: Version 2 adds the approval: who wrote it, who approved it, when, from when.
APPROVAL_FIELDS = ("author", "approved_by", "approved_on", "effective")
PREFIX_V1 = "sha256:"
PREFIX = "sha256v2:"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def normalise_body(body: str) -> str:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _digest(meta: Any, body: str, keys: tuple[str, ...]) -> str:
    fields = meta if isinstance(meta, dict) else {}
    payload = {
        "fields": {k: _plain(fields.get(k)) for k in keys if k in fields},
        "body": normalise_body(body),
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def compute(meta: Any, body: str) -> str:
    """The fingerprint ``approve`` writes today (version 2)."""
    return PREFIX + _digest(meta, body, MEANINGFUL_FIELDS + APPROVAL_FIELDS)


def compute_v1(meta: Any, body: str) -> str:
    """The fingerprint earlier versions of itsms wrote (no approval fields)."""
    return PREFIX_V1 + _digest(meta, body, MEANINGFUL_FIELDS)


def verify(meta: Any, body: str, value: str | None) -> bool:
    """Does ``value`` (either version) match the document as it now is?"""
    if not value:
        return False
    if value.startswith(PREFIX):
        return value == compute(meta, body)
    if value.startswith(PREFIX_V1):
        return value == compute_v1(meta, body)
    return False
