"""Document control (ISO/IEC 20000-1:2011 4.3.2): new, approve, revise,
supersede, withdraw. Each verb changes only the front-matter fields it must,
keeps the body and every other line as they were, writes whole files or
nothing, and never overwrites another document."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fingerprint, lifecycle, yamlread
from .check import CheckResult
from .edit import EditError, FrontMatter, write_atomic, write_many
from .findings import Severity
from .load import split_front_matter
from .model import Document, version_key
from .names import normalise, same_person
from .rules import APPROVAL_STATE, BLOCKING
from .rules.roles import resolve_role

#: Rules about the approval state itself, which approving puts right (the registry's).
APPROVAL_STATE_RULES = APPROVAL_STATE
TYPES = ("manual", "procedure", "policy", "plan", "work-instruction", "form")
SECTIONS = ("目的", "适用范围", "职责", "工作程序", "相关文件", "记录")
TEMPLATE_HINTS = (
    "说明本文件要达到的目的。",
    "说明本文件适用的服务、过程、部门和场所。",
    "- **{owner}**：负责……",
    "### 4.1 第一步\n\n1. ……",
    "- 《文件标题》文件编号",
    "| 记录名称 | 保存部门 | 保存期限 |\n|---|---|---|\n| …… | …… | …… |",
)


class ControlError(Exception):
    """A verb refused: ``code`` 1 (the document is not fit for it) or 2 (bad arguments)."""

    def __init__(self, code: int, key: str, **params: Any) -> None:
        super().__init__(key)
        self.code = code
        self.key = key
        self.params = params


@dataclass
class Change:
    key: str
    params: dict[str, Any]
    files: list[Path] = field(default_factory=list)


def _doc(result: CheckResult, doc_id: str) -> Document:
    doc = result.corpus.by_id.get(doc_id)
    if doc is None:
        raise ControlError(2, "ctl.unknown_id", id=doc_id)
    return doc


def _front(result: CheckResult, doc: Document) -> tuple[Path, str, FrontMatter]:
    path = result.root / doc.path
    try:
        text = path.read_bytes().decode("utf-8")
        return path, text, FrontMatter(text)
    except (OSError, UnicodeDecodeError, EditError) as exc:
        raise ControlError(1, "ctl.unreadable", file=doc.path, error=str(exc)) from None


def _parse(text: str) -> tuple[Any, str]:
    meta, body, _ = _parse_all(text)
    return meta, body


def _parse_all(text: str) -> tuple[Any, str, list[yamlread.DuplicateKey]]:
    front, body, _, meta_line = split_front_matter(text.lstrip("\ufeff").replace("\r\n", "\n"))
    parsed = yamlread.parse(front or "", meta_line - 1)
    return parsed.data, body, parsed.duplicates


_ABSENT = object()


def _plain(value: Any) -> Any:
    """A parsed or intended value in one form: dates as text, mappings and lists plain."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _checked(file: str, old: str, new: str, allowed: set[str], expect: dict[str, Any]) -> None:
    """Re-read what a verb is about to write: it must parse, keep the body, change no field
    but ``allowed`` ones and hold the ``expect``-ed values (``_ABSENT``: removed). Else the
    verb refuses (exit 1) and the file stays as it was."""

    def refuse(reason: str) -> ControlError:
        return ControlError(1, "ctl.unsafe_edit", file=file, reason=reason)

    try:
        old_meta, old_body, _ = _parse_all(old)
        new_meta, new_body, duplicates = _parse_all(new)
    except yamlread.YamlError as exc:
        raise refuse(f"YAML: {exc.problem} (line {exc.line})") from None
    if not isinstance(new_meta, dict) or not isinstance(old_meta, dict):
        raise refuse("front matter is not a mapping")
    if duplicates:
        raise refuse("duplicate key: " + ", ".join(sorted({d.key for d in duplicates})))
    if new_body != old_body:
        raise refuse("the body would change")
    changed = {
        str(k)
        for k in set(old_meta) | set(new_meta)
        if _plain(old_meta.get(k, _ABSENT)) != _plain(new_meta.get(k, _ABSENT))
    }
    if changed - allowed:
        raise refuse("fields that must not change: " + ", ".join(sorted(changed - allowed)))
    for key, value in expect.items():
        if _plain(new_meta.get(key, _ABSENT)) != _plain(value):
            raise refuse(f"{key} would not read as intended")


def _stamp(fm: FrontMatter, file: str) -> None:
    """Set the fingerprint from the fields and body as they now are. Front matter the
    line editor cannot change safely (a flow mapping ``{id: …}``, an anchor whose alias
    the edit would orphan) no longer parses: the verb refuses, the file is unchanged."""
    try:
        meta, body = _parse(fm.text())
    except yamlread.YamlError as exc:
        reason = f"YAML: {exc.problem} (line {exc.line})"
        raise ControlError(1, "ctl.unsafe_edit", file=file, reason=reason) from None
    fm.set("fingerprint", fingerprint.compute(meta, body), after=("history",))


def default_author(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "config", "user.name"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return os.environ.get("USER") or getpass.getuser()


def next_id(result: CheckResult, dtype: str) -> str:
    prefix = result.settings.id_prefixes.get(dtype)
    if not prefix:
        raise ControlError(2, "ctl.no_prefix", type=dtype)
    used = [i[len(prefix) :] for i in result.corpus.by_id if i.startswith(prefix)]
    numbers = [int(n) for n in used if n.isdigit()]
    width = max([2, *(len(n) for n in used if n.isdigit())])
    return f"{prefix}{(max(numbers, default=0) + 1):0{width}d}"


def new_document(
    result: CheckResult, dtype: str, title: str, owner: str, author: str | None
) -> Change:
    if dtype not in TYPES:
        raise ControlError(2, "ctl.bad_type", type=dtype, types=", ".join(TYPES))
    if result.corpus.roles:
        resolved = resolve_role(owner.strip(), result.corpus.roles)
        if resolved is None:
            raise ControlError(
                2, "ctl.unknown_role", role=owner, roles=", ".join(sorted(result.corpus.roles))
            )
        owner = resolved
    if not title.strip():
        raise ControlError(2, "ctl.empty_title")
    doc_id = next_id(result, dtype)
    folder = "content/manual" if dtype == "manual" else "procedures"
    path = result.root / folder / f"{doc_id}.md"
    inside = (result.root / folder).resolve()
    if any(c in doc_id for c in "/\\") or doc_id.startswith(".") or not doc_id.isprintable():
        raise ControlError(2, "ctl.bad_prefix", type=dtype, prefix=repr(doc_id)[1:-1])
    if not re.fullmatch(result.settings.id_pattern, doc_id):
        raise ControlError(
            2, "ctl.prefix_pattern", type=dtype, id=doc_id, pattern=result.settings.id_pattern
        )
    if os.path.lexists(path):  # a file, or a link (even a dangling one), is in the way
        raise ControlError(1, "ctl.exists", file=path.relative_to(result.root).as_posix())
    if path.resolve().parent != inside or not inside.is_relative_to(result.root.resolve()):
        raise ControlError(2, "ctl.bad_prefix", type=dtype, prefix=doc_id)
    owner_name = result.corpus.roles[owner].name if owner in result.corpus.roles else owner
    fm = FrontMatter("---\n---\n")
    for key, value in (
        ("id", doc_id),
        ("title", title.strip()),
        ("type", dtype),
        ("version", "0.1"),
        ("status", "draft"),
        ("owner", owner),
        ("author", author or default_author(result.root)),
        ("classification", "internal"),
        ("clauses", []),
        ("records", []),
        ("references", []),
        ("raci", []),
        ("history", []),
    ):
        fm.set(key, value)
    body = "\n".join(
        f"## {n} {name}\n\n{hint.format(owner=owner_name)}\n"
        for n, (name, hint) in enumerate(zip(SECTIONS, TEMPLATE_HINTS, strict=True), 1)
    )
    rel = path.relative_to(result.root).as_posix()
    try:  # the new file must read back as the fields intended
        meta, _ = _parse(fm.text())
    except yamlread.YamlError as exc:
        raise ControlError(1, "ctl.unsafe_edit", file=rel, reason=exc.problem) from None
    if not isinstance(meta, dict) or (meta.get("id"), meta.get("title")) != (doc_id, title.strip()):
        raise ControlError(1, "ctl.unsafe_edit", file=rel, reason="id or title")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ControlError(1, "ctl.exists", file=path.relative_to(result.root).as_posix()) from None
    os.close(fd)
    try:
        write_atomic(path, fm.text() + "\n" + body)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Change(
        "ctl.created", {"id": doc_id, "file": path.relative_to(result.root).as_posix()}, [path]
    )


def approve(
    result: CheckResult,
    doc_id: str,
    by: str,
    on: dt.date | None,
    effective: dt.date | None,
    summary: str | None,
) -> Change:
    doc = _doc(result, doc_id)
    on = on or result.as_of
    by = normalise(by)
    if not by:
        raise ControlError(2, "ctl.no_approver")
    if doc.status in ("superseded", "withdrawn"):
        raise ControlError(1, "ctl.obsolete", id=doc_id, status=doc.status)
    if doc.status == "draft":
        raise ControlError(1, "ctl.not_submitted", id=doc_id)
    if same_person(by, doc.author):
        raise ControlError(1, "ctl.self_approval", id=doc_id, person=by)
    if doc.status == "approved" and fingerprint.verify(doc.meta, doc.body, doc.fingerprint):
        raise ControlError(1, "ctl.already", id=doc_id, version=doc.version or "?")
    if doc.status == "approved" and doc.approved_by and doc.fingerprint:
        # a sealed version changed since: its approved text is never replaced under the
        # same version number (a new version, or the approved text restored)
        raise ControlError(
            1, "ctl.changed_after_approval", id=doc_id, version=doc.version or "?", file=doc.path
        )
    if doc.status == "approved" and doc.approved_by and not doc.fingerprint:
        raise ControlError(1, "ctl.unsealed", id=doc_id, by=doc.approved_by)
    if on > result.as_of:
        raise ControlError(2, "ctl.future", date=on, as_of=result.as_of)
    if effective and effective < on:
        raise ControlError(2, "ctl.effective_before", effective=effective, on=on)
    last = max((h.date for h in doc.history if h.date), default=None)
    if last is not None and on < last:
        # an approval cannot precede what the document's own history records
        raise ControlError(2, "ctl.backdated", id=doc_id, date=on, last=last)
    _fit_for_review(result, doc)
    _refuse_errors(result, doc, doc_id)
    path, old_text, fm = _front(result, doc)
    summary = summary or (doc.meta.get("change") if isinstance(doc.meta, dict) else None)
    version = doc.version or "1.0"
    if (version_key(version) or (0, 0))[0] == 0:
        version = "1.0"  # drafts are 0.x; the first approved version is 1.0
        fm.set("version", version)
    fm.set("status", "approved")
    fm.set("approved_by", by, after=("author",))
    fm.set("approved_on", on, after=("approved_by",))
    fm.set("effective", effective or on, after=("approved_on",))
    fm.remove("next_review")
    fm.remove("change")
    history = doc.meta.get("history") if isinstance(doc.meta, dict) else None
    entries = list(history) if isinstance(history, list) else []
    if any(e.version == version and e.approved_by for e in doc.history):
        # this version was approved once: its history row is never rewritten
        raise ControlError(
            1, "ctl.changed_after_approval", id=doc_id, version=version, file=doc.path
        )
    entry: dict[str, Any] = {
        "version": version,
        "date": on,
        "author": doc.author,
        "approved_by": by,
    }
    entry["summary"] = str(summary) if summary else ("首次发布" if not entries else "修订")
    fm.append_item("history", entry, existing=entries, after=("raci", "references"))
    _stamp(fm, doc.path)
    allowed = {"version", "status", "approved_by", "approved_on", "effective", "next_review"}
    expect: dict[str, Any] = {
        "version": version,
        "status": "approved",
        "approved_by": by,
        "approved_on": on,
        "effective": effective or on,
        "next_review": _ABSENT,
        "change": _ABSENT,
        "history": [*entries, entry],
    }
    _checked(doc.path, old_text, fm.text(), allowed | {"change", "history", "fingerprint"}, expect)
    write_atomic(path, fm.text())
    return Change(
        "ctl.approved",
        {"id": doc_id, "version": version, "by": by, "effective": effective or on},
        [path],
    )


SEAL_NOTE = "纳入受控"


def _legacy(doc: Document) -> bool:
    """A version 1 fingerprint that still verifies (it does not cover the approval)."""
    return fingerprint.upgrade(doc.meta, doc.body, doc.fingerprint) is not None


def _sealable(result: CheckResult, doc: Document) -> ControlError | None:
    """Why ``doc`` cannot be sealed (None: it can)."""
    ident = doc.id or doc.path
    if doc.status not in ("approved", "superseded"):
        return ControlError(1, "ctl.not_approved", id=ident, status=doc.status or "?")
    if not doc.approved_by or not doc.approved_on:
        return ControlError(1, "ctl.seal_unapproved", id=ident)
    if doc.fingerprint:
        if _legacy(doc):
            return None  # a version 1 fingerprint that still holds: upgraded to version 2
        if fingerprint.verify(doc.meta, doc.body, doc.fingerprint):
            return ControlError(1, "ctl.sealed_already", id=ident)
        return ControlError(1, "ctl.seal_stale", id=ident)
    errors = sorted(
        {
            f.rule
            for f in result.findings
            if f.file == doc.path
            and f.severity is Severity.ERROR
            and f.rule not in APPROVAL_STATE_RULES
        }
    )
    if errors:
        return ControlError(1, "ctl.has_errors_seal", id=ident, rules=", ".join(errors))
    return None


def seal(result: CheckResult, doc_ids: tuple[str, ...], every: bool) -> Change:
    """Record the fingerprint of approvals made before itsms (on paper). The approval
    fields, the version and the body stay byte for byte; history gets a note. A version 1
    fingerprint that still holds is upgraded to version 2 (nothing else changes).

    Named documents must all be sealable (else nothing is written); with ``every``,
    each approved document without a fingerprint is sealed and the others are left."""
    if every == bool(doc_ids):
        raise ControlError(2, "ctl.seal_args")
    if every:
        docs = [
            d
            for d in result.corpus.documents
            if d.status in ("approved", "superseded") and (not d.fingerprint or _legacy(d))
        ]
    else:
        docs = [_doc(result, i) for i in dict.fromkeys(doc_ids)]
    writes: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for doc in docs:
        problem = _sealable(result, doc)
        if problem is not None:
            if not every:
                raise problem
            skipped.append(f"{doc.id or doc.path} ({problem.key.removeprefix('ctl.')})")
            continue
        path, old_text, fm = _front(result, doc)
        if doc.fingerprint:  # upgrade: only the fingerprint line changes
            _stamp(fm, doc.path)
            _checked(doc.path, old_text, fm.text(), {"fingerprint"}, {})
            writes.append((path, fm.text()))
            continue
        history = doc.meta.get("history") if isinstance(doc.meta, dict) else None
        entries = list(history) if isinstance(history, list) else []
        note = {"version": doc.version or "?", "date": result.as_of, "summary": SEAL_NOTE}
        fm.append_item("history", note, existing=entries, after=("raci", "references"))
        _stamp(fm, doc.path)
        # nothing but the history note and the fingerprint may change
        expect = {"history": [*entries, note]}
        _checked(doc.path, old_text, fm.text(), {"history", "fingerprint"}, expect)
        writes.append((path, fm.text()))
    _write_all(writes)
    sealed = [p.relative_to(result.root).as_posix() for p, _ in writes]
    return Change(
        "ctl.sealed",
        {"count": len(sealed), "skipped": "; ".join(skipped) or "-"},
        [p for p, _ in writes],
    )


def _refuse_errors(result: CheckResult, doc: Document, doc_id: str) -> None:
    """Refuse a document with check errors other than those the verb itself puts right."""
    errors = [
        f
        for f in result.findings
        if f.file == doc.path and f.severity is Severity.ERROR and f.rule not in APPROVAL_STATE
    ]
    if errors:
        raise ControlError(
            1,
            "ctl.has_errors",
            id=doc_id,
            count=len(errors),
            rules=", ".join(sorted({f.rule for f in errors})),
        )


def _fit_for_review(result: CheckResult, doc: Document) -> None:
    """Refuse the untouched template and a document that cites no clause (for types
    that must cite one)."""
    left = lifecycle.placeholders(doc.body)
    if left:
        raise ControlError(1, "ctl.template", id=doc.id, lines="；".join(left))
    if lifecycle.must_cite(doc, result.standard):
        raise ControlError(1, "ctl.no_clauses", id=doc.id, type=doc.type)


def submit(result: CheckResult, doc_id: str) -> Change:
    """A draft goes to review: no longer the template, citing its clauses, no errors
    other than those approving puts right."""
    doc = _doc(result, doc_id)
    if doc.status != "draft":
        raise ControlError(1, "ctl.not_draft", id=doc_id, status=doc.status or "?")
    _fit_for_review(result, doc)
    _refuse_errors(result, doc, doc_id)
    path, old_text, fm = _front(result, doc)
    fm.set("status", "review")
    _checked(doc.path, old_text, fm.text(), {"status"}, {"status": "review"})
    write_atomic(path, fm.text())
    return Change("ctl.submitted", {"id": doc_id, "version": doc.version or "?"}, [path])


def bump(version: str | None, major: bool) -> str:
    key = version_key(version) or (0, 0)
    return f"{key[0] + 1}.0" if major else f"{key[0]}.{key[1] + 1}"


def revise(result: CheckResult, doc_id: str, summary: str | None, major: bool) -> Change:
    doc = _doc(result, doc_id)
    if doc.status != "approved":
        raise ControlError(1, "ctl.not_approved", id=doc_id, status=doc.status or "?")
    path, old_text, fm = _front(result, doc)
    version = bump(doc.version, major)
    fm.set("version", version)
    fm.set("status", "draft")
    removed = ("approved_by", "approved_on", "effective", "next_review", "fingerprint")
    for key in removed:
        fm.remove(key)
    if summary:
        fm.set("change", summary, after=("status",))
    expect: dict[str, Any] = {"version": version, "status": "draft"}
    expect.update({key: _ABSENT for key in removed})
    if summary:
        expect["change"] = summary
    _checked(doc.path, old_text, fm.text(), {*expect, "change"}, expect)
    write_atomic(path, fm.text())
    return Change("ctl.revised", {"id": doc_id, "old": doc.version, "version": version}, [path])


def _add_to_list(fm: FrontMatter, doc: Document, key: str, value: str) -> None:
    current = [r.value for r in getattr(doc, key)]
    if value not in current:
        fm.set(key, [*current, value], after=("references", "records", "clauses"))


def _keep_covered(result: CheckResult, doc: Document, by: Document | None, force: bool) -> None:
    lost = lifecycle.would_uncover(result.coverage, result.standard, doc, by)
    if lost and not force:
        raise ControlError(1, "ctl.would_uncover", id=doc.id, clauses=", ".join(lost))


def supersede(
    result: CheckResult, doc_id: str, by_id: str, on: dt.date | None = None, force: bool = False
) -> Change:
    old = _doc(result, doc_id)
    new = _doc(result, by_id)
    on = on or result.as_of
    if old is new:
        raise ControlError(2, "ctl.same", id=doc_id)
    if old.status != "approved":
        raise ControlError(1, "ctl.not_approved", id=doc_id, status=old.status or "?")
    if new.status in ("superseded", "withdrawn"):
        raise ControlError(1, "ctl.obsolete", id=by_id, status=new.status)
    if on > result.as_of:
        raise ControlError(2, "ctl.future", date=on, as_of=result.as_of)
    # the replacement in force: its working copy, or (while it is being revised) the
    # approved version from git
    in_force = new if new.in_effect(on) else result.corpus.in_effect.get(by_id)
    if in_force is None or not in_force.in_effect(on):
        raise ControlError(1, "ctl.replacement_not_in_effect", id=by_id, cause=_why(new, on))
    broken = [
        f
        for f in result.findings
        if in_force is new
        and f.file == new.path
        and f.rule in BLOCKING
        and f.severity is Severity.ERROR
    ]
    if broken:  # a replacement whose approval or text cannot be trusted replaces nothing
        rules = ", ".join(sorted({f.rule for f in broken}))
        raise ControlError(1, "ctl.has_errors", id=by_id, count=len(broken), rules=rules)
    _keep_covered(result, old, in_force, force)
    old_path, old_text, old_fm = _front(result, old)
    new_path, new_text, new_fm = _front(result, new)
    old_fm.set("status", "superseded")
    _add_to_list(old_fm, old, "superseded_by", by_id)
    old_fm.set("superseded_on", on, after=("superseded_by",))
    old_history = _add_event(old_fm, old, on, f"由 {by_id} 替代")
    _add_to_list(new_fm, new, "supersedes", doc_id)
    new_history = _add_event(new_fm, new, on, f"替代 {doc_id}")
    by_list = list(dict.fromkeys([*(r.value for r in old.superseded_by), by_id]))
    of_list = list(dict.fromkeys([*(r.value for r in new.supersedes), doc_id]))
    old_expect = {
        "status": "superseded",
        "superseded_by": by_list,
        "superseded_on": on,
        "history": old_history,
    }
    _checked(old.path, old_text, old_fm.text(), set(old_expect), old_expect)
    new_expect = {"supersedes": of_list, "history": new_history}
    _checked(new.path, new_text, new_fm.text(), set(new_expect), new_expect)
    _write_all([(old_path, old_fm.text()), (new_path, new_fm.text())])
    return Change("ctl.superseded", {"id": doc_id, "by": by_id, "on": on}, [old_path, new_path])


def _why(doc: Document, on: dt.date) -> Any:
    from .i18n import Msg

    if doc.status == "approved" and doc.effective and doc.effective > on:
        return Msg("cause.not_effective", {"id": doc.id, "date": doc.effective})
    return Msg(f"status.{doc.status}") if doc.status in lifecycle.STATES else doc.status or "?"


def _add_event(fm: FrontMatter, doc: Document, on: dt.date, summary: str) -> list[Any]:
    """A history entry for a life event (no approver: nothing was approved); the history
    it makes (to check the file reads back so)."""
    history = doc.meta.get("history") if isinstance(doc.meta, dict) else None
    entries = list(history) if isinstance(history, list) else []
    entry: dict[str, Any] = {"version": doc.version or "?", "date": on, "summary": summary}
    fm.append_item("history", entry, existing=entries, after=("raci", "references"))
    return [*entries, entry]


def withdraw(result: CheckResult, doc_id: str, reason: str, force: bool = False) -> Change:
    doc = _doc(result, doc_id)
    if not reason.strip():
        raise ControlError(2, "ctl.no_reason")
    if doc.status in ("superseded", "withdrawn"):
        raise ControlError(1, "ctl.obsolete", id=doc_id, status=doc.status)
    in_force = result.corpus.in_effect.get(doc_id)
    if doc.status in ("draft", "review") and in_force is not None:
        # withdrawing would turn the unapproved draft into the withdrawn version
        raise ControlError(
            1,
            "ctl.withdraw_revising",
            id=doc_id,
            version=doc.version or "?",
            old=in_force.version or "?",
            file=doc.path,
        )
    _keep_covered(result, doc, None, force)
    path, old_text, fm = _front(result, doc)
    fm.set("status", "withdrawn")
    fm.set("withdrawn_on", result.as_of, after=("status",))
    fm.set("withdrawn_reason", reason.strip(), after=("withdrawn_on",))
    expect = {
        "status": "withdrawn",
        "withdrawn_on": result.as_of,
        "withdrawn_reason": reason.strip(),
    }
    _checked(doc.path, old_text, fm.text(), set(expect), expect)
    write_atomic(path, fm.text())
    return Change("ctl.withdrawn", {"id": doc_id}, [path])


def _write_all(items: list[tuple[Path, str]]) -> None:
    """Write several files: each whole, and none unless all could be prepared."""
    for _, text in items:
        yamlread.parse(split_front_matter(text)[0] or "")  # refuse to write what will not parse
    write_many(items)
