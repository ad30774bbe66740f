"""``itsms seal-evidence``: record the sha256 of a record's local evidence file, so that
a later change or replacement of the file is found (``evidence-hash-mismatch``). The
one line ``sha256: …`` is added after ``evidence``; every other byte of the record stays
as it was, and the file is written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import yamlread
from .check import CheckResult
from .edit import EditError, FrontMatter, write_many
from .load import split_front_matter
from .model import Record
from .workflow import Change, ControlError

#: what each evidence state makes of a request to seal (None: it can be sealed)
_REFUSALS = {
    "ok": "ctl.evidence_sealed_already",
    "bad": "ctl.evidence_seal_bad",
    "url": "ctl.evidence_seal_not_local",
    "none": "ctl.evidence_seal_not_local",
    "missing": "ctl.evidence_seal_missing",
    "outside": "ctl.evidence_seal_missing",
    "folder": "ctl.evidence_seal_missing",
}


def _meta(text: str, is_yaml: bool) -> Any:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    front = text if is_yaml else split_front_matter(text)[0]
    return yamlread.parse(front or "").data


def with_sha256(text: str, is_yaml: bool, value: str) -> str:
    """``text`` with ``sha256: value`` after its ``evidence`` line (or replacing an empty
    ``sha256``); a YAML record is edited as the front matter of a Markdown one."""
    if not is_yaml:
        fm = FrontMatter(text)
        fm.set("sha256", value, after=("evidence",))
        return fm.text()
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    started = body.split("\n", 1)[0].rstrip() == "---"  # a YAML document start marker
    ended = body + ("\n" if body and not body.endswith("\n") else "") + "---\n"
    fm = FrontMatter(ended if started else "---\n" + ended)
    fm.set("sha256", value, after=("evidence",))
    out = (fm.head if started else "") + "".join(fm.lines)
    if body and not body.endswith("\n"):
        out = out.removesuffix(fm.newline).removesuffix("\n")
    return bom + out


def _sealed(result: CheckResult, rec: Record) -> tuple[Path, str]:
    """The record's file as it will be written, checked: it parses to the same fields
    with the sha256 added, else the verb refuses and nothing is written."""
    path = result.root / rec.path
    value = result.coverage.actual.get(id(rec), "")
    is_yaml = not rec.path.lower().endswith(".md")
    try:
        old = path.read_bytes().decode("utf-8")
        new = with_sha256(old, is_yaml, value)
        before, after = _meta(old, is_yaml), _meta(new, is_yaml)
    except (OSError, UnicodeDecodeError, EditError, yamlread.YamlError) as exc:
        raise ControlError(1, "ctl.unreadable", file=rec.path, error=str(exc)) from None
    if not (isinstance(before, dict) and isinstance(after, dict)) or after.get("sha256") != value:
        raise ControlError(1, "ctl.unsafe_edit", file=rec.path, reason="sha256")
    if {k: v for k, v in after.items() if k != "sha256"} != {
        k: v for k, v in before.items() if k != "sha256"
    }:
        raise ControlError(1, "ctl.unsafe_edit", file=rec.path, reason="other fields")
    return path, new


def seal_evidence(result: CheckResult, rec_ids: tuple[str, ...], every: bool) -> Change:
    """Named records must all be sealable (else nothing is written); with ``every``, each
    record whose local evidence file has no sha256 is sealed."""
    if every == bool(rec_ids):
        raise ControlError(2, "ctl.evidence_seal_args")
    state = result.coverage.evidence
    if every:
        records = [r for r in result.corpus.records if state.get(id(r)) == "unhashed"]
    else:
        records = []
        for rec_id in dict.fromkeys(rec_ids):
            rec = result.corpus.records_by_id.get(rec_id)
            if rec is None:
                raise ControlError(2, "ctl.unknown_record", id=rec_id)
            refusal = _REFUSALS.get(state.get(id(rec), "none"))
            if refusal is not None:
                raise ControlError(1, refusal, id=rec_id, evidence=rec.evidence or "")
            records.append(rec)
    writes = [_sealed(result, rec) for rec in records]
    write_many(writes)
    return Change(
        "ctl.evidence_sealed",
        {"count": len(writes), "ids": "、".join(r.id or r.path for r in records) or "-"},
        [p for p, _ in writes],
    )
