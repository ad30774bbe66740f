"""Earlier versions of controlled documents, read from git (the git command:
one ``git log`` for the whole history, one ``git cat-file --batch`` for the blobs).

The working tree holds the newest state of each document; git holds its past.
The approved versions found there are what the portal keeps publishing while a
revision is drafted, and what it archives once superseded.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import fingerprint, schema, yamlread
from .findings import Finding, Severity
from .i18n import Msg
from .load import Source, decode, split_front_matter
from .model import APPROVED_STATES, Document, build_document
from .names import same_person
from .values import version_key

_TIMEOUT = 120


@dataclass(frozen=True)
class Version:
    """One committed state of a document file."""

    commit: str
    date: dt.date
    path: str  # repository-relative to the itsms root
    document: Document


class GitHistory:
    def __init__(self, root: Path, top: Path, memo: dict[Any, Any] | None = None) -> None:
        self.root = root
        self.top = top
        #: git's answers kept between checks (``itsms serve``): a log by the commit it
        #: starts from and the paths asked, a blob by its id; both never change
        self.memo = memo
        self.prefix = root.resolve().relative_to(top).as_posix()
        if self.prefix == ".":
            self.prefix = ""

    @classmethod
    def open(cls, root: Path, memo: dict[Any, Any] | None = None) -> GitHistory | None:
        """The history of the repository holding ``root``; None outside git."""
        if shutil.which("git") is None:
            return None
        try:
            out = subprocess.run(
                ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
                capture_output=True,
                text=True,
                timeout=_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        if out.returncode != 0 or not out.stdout.strip():
            return None
        top = Path(out.stdout.strip()).resolve()
        if not root.resolve().is_relative_to(top):
            return None
        return cls(root, top, memo)

    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        out = subprocess.run(
            ["git", "-C", str(self.top), *args],
            input=stdin,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
        return out.stdout if out.returncode == 0 else b""

    def _changes(self, paths: list[str]) -> dict[str, list[tuple[str, dt.date, str]]]:
        """path -> [(commit, date, blob)], newest first, from one ``git log --raw``."""
        full = [f"{self.prefix}/{p}" if self.prefix else p for p in paths]
        if self.memo is None:
            return self._log(full)
        head = self._git("rev-parse", "--verify", "-q", "HEAD").strip()
        key = ("log", head, tuple(full))
        if not head or key not in self.memo:
            for old in [k for k in self.memo if k[0] == "log" and k[1] != head]:
                del self.memo[old]  # logs from another commit: not asked again
            self.memo[key] = self._log(full)
        return self.memo[key]  # type: ignore[no-any-return]

    def _log(self, full: list[str]) -> dict[str, list[tuple[str, dt.date, str]]]:
        log = self._git(
            "log", "--no-renames", "--raw", "--no-abbrev", "-z", "--format=%x01%H %cs", "--", *full
        )
        # With -z every field ends in NUL: a commit's header (\x01 commit day, in the
        # committer's own calendar, as ``created`` says it), then per
        # file its ":modes blobs status" and its path. A path may hold any byte but NUL
        # (\x01 and newlines included), so it is known by its place after a status field.
        result: dict[str, list[tuple[str, dt.date, str]]] = {}
        tokens = log.split(b"\x00")
        commit, day = "", dt.date.min
        i = 0
        while i < len(tokens):
            token = tokens[i].lstrip(b"\n")
            i += 1
            if token.startswith(b":"):
                name = tokens[i].decode("utf-8", errors="replace") if i < len(tokens) else ""
                i += 1
                parts = token.decode(errors="replace").lstrip(":").split()
                if not commit or len(parts) < 5 or parts[4].startswith("D"):
                    continue
                rel = name[len(self.prefix) + 1 :] if self.prefix else name
                result.setdefault(rel, []).append((commit, day, parts[3]))
            elif token.startswith(b"\x01"):
                head, _, stamp = token[1:].decode(errors="replace").partition(" ")
                commit = head.strip()
                try:
                    day = dt.date.fromisoformat(stamp.strip())
                except ValueError:
                    day = dt.date.min
        return result

    def created(self, path: str) -> dt.date | None:
        """The day (the committer's own calendar) ``path`` was first committed; None when
        git does not hold it."""
        full = f"{self.prefix}/{path}" if self.prefix else path
        out = self._git("log", "--format=%cs", "--", full).decode(errors="replace").split()
        try:
            return dt.date.fromisoformat(out[-1]) if out else None
        except ValueError:
            return None

    def _blobs(self, ids: list[str]) -> dict[str, bytes]:
        if self.memo is None:
            return self._read_blobs(ids)
        known = {i: self.memo[("blob", i)] for i in ids if ("blob", i) in self.memo}
        known.update(self._read_blobs([i for i in ids if i not in known]))
        for i, data in known.items():
            self.memo[("blob", i)] = data
        return known

    def _read_blobs(self, ids: list[str]) -> dict[str, bytes]:
        if not ids:
            return {}
        raw = self._git("cat-file", "--batch", stdin=("\n".join(ids) + "\n").encode())
        out: dict[str, bytes] = {}
        pos = 0
        while pos < len(raw):
            end = raw.index(b"\n", pos)
            head = raw[pos:end].split()
            pos = end + 1
            if len(head) < 3 or head[1] == b"missing":
                continue
            size = int(head[2])
            out[head[0].decode()] = raw[pos : pos + size]
            pos += size + 1
        return out

    def versions(self, paths: list[str], standard: str) -> dict[str, list[Version]]:
        """Every committed, parseable state of each path, oldest first (equal blobs once)."""
        changes = self._changes(paths)
        blobs = self._blobs(sorted({b for items in changes.values() for _, _, b in items}))
        out: dict[str, list[Version]] = {}
        for path, items in changes.items():
            seen: set[str] = set()
            for commit, day, blob in reversed(items):
                if blob in seen or blob not in blobs:
                    continue
                seen.add(blob)
                doc = _parse(path, blobs[blob], standard)
                if doc is not None:
                    out.setdefault(path, []).append(Version(commit, day, path, doc))
        return out


def held_unapproved(
    doc: Document, on: dt.date, versions: list[Version], as_of: dt.date
) -> Version | None:
    """The committed state that shows ``doc`` not yet approved after ``on`` (None: none
    does): the latest state, known by ``as_of``, holding it as a draft or under review
    (of a version not later than ``doc``'s: a later revision dropped is no sign), dated
    after ``on``; else, when git never held it approved, its first state dated after
    ``on``. A first commit that already shows it approved (a set adopted into git after
    its paper approval) is no sign either."""
    known = [v for v in versions if v.document.id == doc.id and v.date <= as_of]
    key = version_key(doc.version)
    drafts = [
        v
        for v in known
        if v.document.status in ("draft", "review")
        and on < v.date
        and (key is None or (version_key(v.document.version) or key) <= key)
    ]
    if drafts:
        return max(drafts, key=lambda v: v.date)
    never = not any(v.document.status in APPROVED_STATES for v in known)
    return known[0] if known and never and on < known[0].date else None


def _parse(path: str, raw: bytes, standard: str) -> Document | None:
    text, problem = decode(raw, path)
    if text is None or problem is not None:
        return None
    try:
        front, body, body_line, meta_line = split_front_matter(text)
        if front is None:
            return None
        meta = yamlread.parse(front, meta_line - 1).data
    except yamlread.YamlError:
        return None
    if not isinstance(meta, dict):
        return None
    return build_document(
        Source(path, "document", meta, body, body_line, meta_line, front), standard
    )


def vet(version: Version, key: str = "version-rejected") -> list[Finding]:
    """Why a version read from git may not be published as approved (none: it may).

    The document rules a working copy passes — schema, approval, self-approval,
    fingerprint — applied to the committed text. Each finding is about the working
    file (git's past cannot be edited) and names the version and its commit."""
    doc = version.document
    where = {
        "version": doc.version or "?",
        "commit": version.commit[:10],
        "advice": Msg("version-rejected.advice.in_effect"),
    }
    reasons: list[tuple[str, Msg]] = []
    if not schema.is_valid("document", doc.meta):
        reasons.append(("schema", Msg("version-rejected.schema")))
    if not doc.approved_by or not doc.approved_on:
        reasons.append(("missing-approval", Msg("version-rejected.missing-approval")))
    if same_person(doc.approved_by, doc.author):
        reasons.append(
            ("self-approval", Msg("version-rejected.self-approval", {"person": doc.approved_by}))
        )
    if not fingerprint.verify(doc.meta, doc.body, doc.fingerprint):
        reasons.append(("stale-approval", Msg("version-rejected.stale-approval")))
    return [
        Finding(code, Severity.ERROR, doc.path, None, doc.id, key, {**where, "reason": reason})
        for code, reason in reasons
    ]


def _sealed_later(v: Version, later: list[Version]) -> bool:
    """An approval committed before it was sealed (no fingerprint yet), the same version
    sealed in a later commit: the state before ``itsms seal``, not a tampered text."""
    doc = v.document
    return not doc.fingerprint and any(
        w.document.id == doc.id
        and w.document.version == doc.version
        and fingerprint.verify(w.document.meta, w.document.body, w.document.fingerprint)
        for w in later
    )


def _paper(v: Version, versions: list[Version], first: dict[str, str]) -> bool:
    """A paper approval never sealed in git (no state of this version has a fingerprint)
    whose text is the one first committed as approved: accepted as a working copy is
    (``unsealed-approval``), not a stale one."""
    doc = v.document
    if doc.fingerprint or any(
        w.document.fingerprint
        for w in versions
        if w.document.id == doc.id and w.document.version == doc.version
    ):
        return False
    text = fingerprint.compute(doc.meta, doc.body)
    return first.setdefault(doc.version or "", text) == text


def approved_versions(
    versions: list[Version], rejected: list[Finding] | None = None
) -> list[Version]:
    """The approved versions, one per version number: the first commit that had it
    approved and passes the document rules (``vet``). Every committed state of an
    approved version is vetted — a text changed after its approval under the same
    version number is one too —; one that fails is left out and its findings added to
    ``rejected``. An approval committed unsealed counts as sealed by its first committed
    text."""
    out: dict[str, Version] = {}
    first: dict[str, str] = {}
    for n, v in enumerate(versions):
        doc = v.document
        if doc.status not in ("approved", "superseded") or not doc.version:
            continue
        if _sealed_later(v, versions[n + 1 :]):
            continue
        problems = vet(v)
        if _paper(v, versions, first):
            problems = [f for f in problems if f.rule != "stale-approval"]
        if problems:
            if rejected is not None:
                rejected.extend(problems)
        elif doc.version not in out:
            out[doc.version] = v
    return list(out.values())
