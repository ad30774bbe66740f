"""Content fingerprint of an approved document (as Doorstop marks a reviewed item
changed when its text changes): sha256 over the body and the fields that carry
meaning, normalised so that line endings and trailing spaces do not count."""

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
PREFIX = "sha256:"


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


def compute(meta: Any, body: str) -> str:
    fields = meta if isinstance(meta, dict) else {}
    payload = {
        "fields": {k: _plain(fields.get(k)) for k in MEANINGFUL_FIELDS if k in fields},
        "body": normalise_body(body),
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return PREFIX + hashlib.sha256(blob.encode("utf-8")).hexdigest()
