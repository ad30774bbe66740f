"""Load: find the repository's files, decode them, split and parse front matter.

Every problem here becomes a finding (encoding, yaml-syntax, duplicate-key);
a file that cannot be read is reported and skipped, the rest is still loaded.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import yamlread
from .findings import Finding, Severity

Kind = Literal["document", "record", "page", "roles"]

DOC_DIRS = ("content", "procedures")
RECORD_DIR = "records"
EVIDENCE_DIR = "files"  # records/files/ holds attachments, not records
ROLES_FILE = "content/roles.yml"
#: Front-matter keys that make a page under content/ a controlled document.
CONTROL_KEYS = frozenset({"id", "type", "status", "version"})
#: What MkDocs (or an editor) takes for Markdown, in any case: all of them are read.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
#: Largest file read whole; a bigger one is reported, not loaded.
MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass(slots=True)  # one per file, 100,000 at L: no __dict__ each
class Source:
    path: str  # repository-relative, POSIX separators
    kind: Kind
    meta: Any = None  # LineDict for a parsed file, None when it could not be parsed
    body: str = ""
    body_line: int = 1  # file line on which the body starts
    meta_line: int = 1  # file line on which the metadata starts
    front: str = ""  # the metadata's text, for quoting what was written

    def file_lines(self) -> list[str]:
        return [""] * (self.meta_line - 1) + self.front.split("\n")


@dataclass
class Loaded:
    root: Path
    sources: list[Source] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _finding(
    rule: str, path: str, line: int | None, msg: str, column: int | None = None, **params: Any
) -> Finding:
    return Finding(rule, Severity.ERROR, path, line, None, msg, params, column)


def decode(raw: bytes, path: str) -> tuple[str | None, Finding | None]:
    """UTF-8 (with or without BOM, any line ending) -> text; anything else -> a finding."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    guess: str | None = None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        guess = "UTF-16"
    elif b"\x00" in raw[:4096]:
        head = raw[:4096]
        odd_nuls = head[1::2].count(0)
        even_nuls = head[0::2].count(0)
        guess = "UTF-16" if max(odd_nuls, even_nuls) > len(head) // 4 else None
        if guess is None:
            return None, _finding("encoding", path, 1, "encoding.binary")
    if guess is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            try:
                raw.decode("gb18030")
                guess = "GB18030"
            except UnicodeDecodeError:
                return None, _finding("encoding", path, line, "encoding.unknown")
            return None, _finding(
                "encoding", path, line, "encoding", encoding=guess, iconv="GB18030"
            )
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text, None
    return None, _finding("encoding", path, 1, "encoding", encoding=guess, iconv="UTF-16")


def split_front_matter(text: str) -> tuple[str | None, str, int, int]:
    """(front matter or None, body, file line of the body, file line of the metadata)."""
    first, _, _ = text.partition("\n")
    if first.rstrip() != "---":
        return None, text, 1, 1
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2, 2
    raise yamlread.YamlError("front matter not closed", 1, 1)


_MMD_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_MMD_MORE = re.compile(r"^(?:[ ]{4}|\t)\s*(?P<value>.*)")


def mmd_meta(text: str) -> yamlread.LineDict | None:
    """The unfenced metadata MkDocs reads at the top of a page (``key: value`` lines up
    to a blank line, keys lower-cased, indented lines continuing a value), by MkDocs'
    own rules: a page's ``classification`` written so is honoured, not published."""
    data = yamlread.LineDict(1)
    key = None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            break
        match = _MMD_KEY.match(line)
        if match:
            key = match.group("key").lower().strip()
            value = match.group("value").strip()
            data[key] = f"{data[key]} {value}" if key in data else value
            data.key_lines.setdefault(key, number)
            continue
        more = _MMD_MORE.match(line)
        if not (more and key):
            break
        data[key] += " " + more.group("value").strip()
    return data or None


def _walk(root: Path, top: str, keep: Callable[[str], bool]) -> Iterator[tuple[str, bool]]:
    """(repository-relative path, is a symbolic link) of each file kept, in order.

    Directory links are not followed (a link loop cannot hang the walk, and a link
    cannot bring another folder's files in); nor is ``top`` itself when it is a link
    leading out of the repository.
    """
    start = root / top
    if start.is_symlink() and not start.resolve().is_relative_to(root.resolve()):
        return
    stack = [(start, top)]
    while stack:
        folder, rel_dir = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_dir}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                subdirs.append((Path(entry.path), rel))
            elif keep(rel):
                yield rel, entry.is_symlink()
        stack.extend(reversed(subdirs))


def is_markdown(rel: str) -> bool:
    return rel.lower().endswith(MARKDOWN_SUFFIXES)


def _is_record_file(rel: str) -> bool:
    if rel.startswith(f"{RECORD_DIR}/{EVIDENCE_DIR}/"):
        return False
    return rel.endswith((".md", ".yml", ".yaml"))


def kind_of(rel: str) -> Kind | None:
    """What ``discover`` would take the file at ``rel`` for, were it a regular file in
    a folder it walks (None: a file the check never reads, such as a picture)."""
    if any(part.startswith(".") for part in rel.split("/")):
        return None
    if rel == ROLES_FILE:
        return "roles"
    top = rel.split("/", 1)[0]
    if top in DOC_DIRS and "/" in rel and is_markdown(rel):
        return "document"
    if top == RECORD_DIR and "/" in rel and _is_record_file(rel):
        return "record"
    return None


def discover(root: Path) -> Iterator[tuple[str, Kind, bool]]:
    for top in DOC_DIRS:
        for rel, link in _walk(root, top, is_markdown):
            yield rel, "document", link
    roles = root / ROLES_FILE
    if roles.is_file():
        yield ROLES_FILE, "roles", roles.is_symlink()
    for rel, link in _walk(root, RECORD_DIR, _is_record_file):
        yield rel, "record", link


def load_file(
    root: Path, rel: str, kind: Kind, findings: list[Finding], link: bool = False
) -> Source | None:
    path = root / rel
    try:
        if link and not path.resolve().is_relative_to(root.resolve()):
            findings.append(_finding("encoding", rel, None, "file.outside"))
            return None
        top = rel.split("/", 1)[0]
        if link and kind == "document" and not path.resolve().is_relative_to(root.resolve() / top):
            # content/x.md -> ../records/...: a confidential record read as a plain page
            target = path.resolve().relative_to(root.resolve()).as_posix()
            findings.append(
                _finding("encoding", rel, None, "file.link_out", folder=top, target=target)
            )
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            size = path.stat().st_size
            findings.append(
                _finding("encoding", rel, None, "file.too_big", size=size, limit=MAX_FILE_BYTES)
            )
            # unread, but a document still claims the id its file name gives
            return Source(rel, kind, None) if kind == "document" else None
    except OSError as exc:
        findings.append(_finding("encoding", rel, None, "file.unreadable", error=exc.strerror))
        return None
    text, problem = decode(raw, rel)
    if text is None:
        if problem:
            findings.append(problem)
        # unread, but a document still claims the id its file name gives
        return Source(rel, kind, None) if kind == "document" else None
    whole_yaml = rel.endswith((".yml", ".yaml"))
    try:
        if whole_yaml:
            front: str | None = text
            body, body_line, meta_line = "", 1, 1
        else:
            front, body, body_line, meta_line = split_front_matter(text)
    except yamlread.YamlError as exc:
        findings.append(_finding("yaml-syntax", rel, exc.line, "yaml-syntax.unclosed", exc.column))
        # unread, but it still claims its id (from a tolerant reading, or its name)
        return Source(rel, kind, None, "", 1, 2, text.partition("\n")[2])
    if front is None:
        if kind == "document" and rel.startswith("content/"):
            return Source(rel, "page", mmd_meta(body), body, body_line, meta_line)
        findings.append(_finding("schema", rel, 1, "schema.no_front_matter"))
        return Source(rel, kind, None, body, body_line, meta_line)
    try:
        parsed = yamlread.parse(front, meta_line - 1)
    except yamlread.YamlError as exc:
        findings.append(
            _finding("yaml-syntax", rel, exc.line, "yaml-syntax", exc.column, problem=exc.problem)
        )
        return Source(rel, kind, None, body, body_line, meta_line, front)
    for dup in parsed.duplicates:
        findings.append(
            _finding(
                "duplicate-key",
                rel,
                dup.line,
                "duplicate-key",
                dup.column,
                key=dup.key,
                first_line=dup.first_line,
            )
        )
    meta = parsed.data
    if (
        kind == "document"
        and rel.startswith("content/")
        and not (isinstance(meta, dict) and CONTROL_KEYS & set(meta))
    ):
        return Source(rel, "page", meta, body, body_line, meta_line)
    return Source(rel, kind, meta, body, body_line, meta_line, front)


#: From this many files on, a second process reads half of them (where fork exists).
PARALLEL_MIN_FILES = 4000

Files = list[tuple[str, Kind, bool]]


#: what reading one file gives: its source (None when unread) and its findings
Read = tuple[Source | None, list[Finding]]


def read_each(
    root: Path,
    files: Files,
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> list[Read]:
    """Read ``files`` one by one: one (source, findings) for each, in order."""
    out: list[Read] = []
    for n, (rel, kind, link) in enumerate(files, 1):
        found: list[Finding] = []
        out.append((load_file(root, rel, kind, found, link), found))
        if progress is not None and (n % 200 == 0 or n == len(files)):
            progress(n, total or len(files))
    return out


def _can_fork() -> bool:
    import multiprocessing
    import threading

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1  # forking a threaded process (mkdocs serve) is unsafe
    )


def read_all(
    root: Path, files: Files, progress: Callable[[int, int], None] | None = None
) -> list[Read]:
    """``read_each``; for many files, a forked process reads the second half of them
    while this one reads the first (parsing YAML is most of a check's time)."""
    if len(files) < PARALLEL_MIN_FILES or not _can_fork():
        return read_each(root, files, progress)
    import multiprocessing

    half = len(files) // 2
    with multiprocessing.get_context("fork").Pool(1) as pool:
        other = pool.apply_async(read_each, (root, files[half:]))
        out = read_each(root, files[:half], progress, len(files))
        out += other.get()
    if progress is not None:
        progress(len(files), len(files))
    return out


def collect(root: Path, reads: list[Read]) -> Loaded:
    loaded = Loaded(root)
    for source, found in reads:
        loaded.findings.extend(found)
        if source is not None:
            loaded.sources.append(source)
    return loaded


def load(root: Path, progress: Callable[[int, int], None] | None = None) -> Loaded:
    """Read every file; ``progress(done, total)`` is called as files are read."""
    return collect(root, read_all(root, list(discover(root)), progress))
