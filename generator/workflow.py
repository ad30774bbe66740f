"""Document control (ISO/IEC 20000-1:2011 4.3.2): new, approve, revise, supersede,
withdraw (submit, seal and reviewed: ``workflow_review``; what they share:
``control``). Each verb changes only the front-matter fields it must, keeps the body
and every other line as they were, writes whole files or nothing, and never
overwrites another document."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from . import fingerprint, lifecycle, yamlread
from .check import CheckResult
from .control import (
    ABSENT,
    Change,
    ControlError,
    add_event,
    backdated_in_git,
    checked,
    find_doc,
    fit_for_review,
    open_front,
    parse,
    refuse_errors,
    seal_removed,
    stamp,
    write_all,
)
from .edit import FrontMatter, write_atomic
from .findings import Severity
from .model import Document
from .names import normalise, same_person
from .rules import APPROVAL_STATE, BLOCKING
from .rules.roles import resolve_role
from .values import version_key
from .workflow_review import REVIEW_NOTE, SEAL_NOTE, reviewed, seal, submit

__all__ = [
    "REVIEW_NOTE",
    "SEAL_NOTE",
    "TYPES",
    "Change",
    "ControlError",
    "approve",
    "new_document",
    "reviewed",
    "revise",
    "seal",
    "submit",
    "supersede",
    "withdraw",
]

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
        meta, _ = parse(fm.text())
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
    doc = find_doc(result, doc_id)
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
        if seal_removed(result, doc):
            raise ControlError(1, "ctl.seal_removed", id=doc_id, version=doc.version or "?")
        raise ControlError(1, "ctl.unsealed", id=doc_id, by=doc.approved_by)
    if on > result.as_of:
        raise ControlError(2, "ctl.future", date=on, as_of=result.as_of)
    if effective and effective < on:
        raise ControlError(2, "ctl.effective_before", effective=effective, on=on)
    last = max((h.date for h in doc.history if h.date), default=None)
    if last is not None and on < last:
        # an approval cannot precede what the document's own history records
        raise ControlError(2, "ctl.backdated", id=doc_id, date=on, last=last)
    _refuse_backdated(result, doc, on)
    fit_for_review(result, doc)
    refuse_errors(result, doc, doc_id)
    path, old_text, fm = open_front(result, doc)
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
    stamp(fm, doc.path)
    allowed = {"version", "status", "approved_by", "approved_on", "effective", "next_review"}
    expect: dict[str, Any] = {
        "version": version,
        "status": "approved",
        "approved_by": by,
        "approved_on": on,
        "effective": effective or on,
        "next_review": ABSENT,
        "change": ABSENT,
        "history": [*entries, entry],
    }
    checked(doc.path, old_text, fm.text(), allowed | {"change", "history", "fingerprint"}, expect)
    write_atomic(path, fm.text())
    return Change(
        "ctl.approved",
        {"id": doc_id, "version": version, "by": by, "effective": effective or on},
        [path],
    )


def _refuse_backdated(result: CheckResult, doc: Document, on: dt.date) -> None:
    """An approval cannot precede the approval of the version in force, nor, for a
    document whose history records no date yet (a first version), the day it was first
    committed to git. A document with a history is judged by it: a document set adopted
    into git today was written long before. A commit after the as-of date is not known
    then (a past --as-of judges as of that day)."""
    previous = result.corpus.in_effect.get(doc.id or "")
    if previous is not None and previous.approved_on and on < previous.approved_on:
        raise ControlError(
            2,
            "ctl.backdated_previous",
            id=doc.id,
            date=on,
            version=previous.version or "?",
            previous=previous.approved_on,
        )
    if not any(h.date for h in doc.history) and result.history is not None:
        created = result.history.created(doc.path)
        if created is not None and on < created <= result.as_of:
            raise ControlError(2, "ctl.backdated_created", id=doc.id, date=on, created=created)
    # nor a day git still held it as a draft or under review (the check says the same of
    # an approval written by hand, and seal refuses one)
    backdated_in_git(result, doc, on, 2)


def bump(version: str | None, major: bool) -> str:
    key = version_key(version) or (0, 0)
    return f"{key[0] + 1}.0" if major else f"{key[0]}.{key[1] + 1}"


def revise(result: CheckResult, doc_id: str, summary: str | None, major: bool) -> Change:
    doc = find_doc(result, doc_id)
    if doc.status != "approved":
        raise ControlError(1, "ctl.not_approved", id=doc_id, status=doc.status or "?")
    path, old_text, fm = open_front(result, doc)
    version = bump(doc.version, major)
    fm.set("version", version)
    fm.set("status", "draft")
    removed = ("approved_by", "approved_on", "effective", "next_review", "fingerprint")
    for key in removed:
        fm.remove(key)
    if summary:
        fm.set("change", summary, after=("status",))
    expect: dict[str, Any] = {"version": version, "status": "draft"}
    expect.update({key: ABSENT for key in removed})
    if summary:
        expect["change"] = summary
    checked(doc.path, old_text, fm.text(), {*expect, "change"}, expect)
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
    old = find_doc(result, doc_id)
    new = find_doc(result, by_id)
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
    old_path, old_text, old_fm = open_front(result, old)
    new_path, new_text, new_fm = open_front(result, new)
    old_fm.set("status", "superseded")
    _add_to_list(old_fm, old, "superseded_by", by_id)
    old_fm.set("superseded_on", on, after=("superseded_by",))
    old_history = add_event(old_fm, old, on, f"由 {by_id} 替代")
    _add_to_list(new_fm, new, "supersedes", doc_id)
    new_history = add_event(new_fm, new, on, f"替代 {doc_id}")
    by_list = list(dict.fromkeys([*(r.value for r in old.superseded_by), by_id]))
    of_list = list(dict.fromkeys([*(r.value for r in new.supersedes), doc_id]))
    old_expect = {
        "status": "superseded",
        "superseded_by": by_list,
        "superseded_on": on,
        "history": old_history,
    }
    checked(old.path, old_text, old_fm.text(), set(old_expect), old_expect)
    new_expect = {"supersedes": of_list, "history": new_history}
    checked(new.path, new_text, new_fm.text(), set(new_expect), new_expect)
    write_all([(old_path, old_fm.text()), (new_path, new_fm.text())])
    return Change("ctl.superseded", {"id": doc_id, "by": by_id, "on": on}, [old_path, new_path])


def _why(doc: Document, on: dt.date) -> Any:
    from .i18n import Msg

    if doc.status == "approved" and doc.effective and doc.effective > on:
        return Msg("cause.not_effective", {"id": doc.id, "date": doc.effective})
    return Msg(f"status.{doc.status}") if doc.status in lifecycle.STATES else doc.status or "?"


def withdraw(result: CheckResult, doc_id: str, reason: str, force: bool = False) -> Change:
    doc = find_doc(result, doc_id)
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
    path, old_text, fm = open_front(result, doc)
    fm.set("status", "withdrawn")
    fm.set("withdrawn_on", result.as_of, after=("status",))
    fm.set("withdrawn_reason", reason.strip(), after=("withdrawn_on",))
    expect = {
        "status": "withdrawn",
        "withdrawn_on": result.as_of,
        "withdrawn_reason": reason.strip(),
    }
    checked(doc.path, old_text, fm.text(), set(expect), expect)
    write_atomic(path, fm.text())
    return Change("ctl.withdrawn", {"id": doc_id}, [path])
