"""Load: find the repository's files, decode them, split and parse front matter.

Every problem here becomes a finding (encoding, yaml-syntax, duplicate-key);
a file that cannot be read is reported and skipped, the rest is still loaded.
"""

from __future__ import annotations

import codecs
import os
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


@dataclass
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
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            size = path.stat().st_size
            findings.append(
                _finding("encoding", rel, None, "file.too_big", size=size, limit=MAX_FILE_BYTES)
            )
            return None
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
            return Source(rel, "page", None, body, body_line, meta_line)
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


def _load_files(
    root: Path,
    files: Files,
    findings: list[Finding],
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> list[Source]:
    sources: list[Source] = []
    for n, (rel, kind, link) in enumerate(files, 1):
        source = load_file(root, rel, kind, findings, link)
        if source is not None:
            sources.append(source)
        if progress is not None and (n % 200 == 0 or n == len(files)):
            progress(n, total or len(files))
    return sources


def _load_chunk(root: Path, files: Files) -> tuple[list[Source], list[Finding]]:
    findings: list[Finding] = []
    return _load_files(root, files, findings), findings


def _can_fork() -> bool:
    import multiprocessing
    import threading

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1  # forking a threaded process (mkdocs serve) is unsafe
    )


def load(root: Path, progress: Callable[[int, int], None] | None = None) -> Loaded:
    """Read every file; ``progress(done, total)`` is called as files are read.

    Parsing YAML is most of a check's time: in a large repository a forked process
    reads the second half of the files while this one reads the first.
    """
    loaded = Loaded(root)
    files: Files = list(discover(root))
    if len(files) < PARALLEL_MIN_FILES or not _can_fork():
        loaded.sources = _load_files(root, files, loaded.findings, progress)
        return loaded
    import multiprocessing

    half = len(files) // 2
    with multiprocessing.get_context("fork").Pool(1) as pool:
        other = pool.apply_async(_load_chunk, (root, files[half:]))
        loaded.sources = _load_files(root, files[:half], loaded.findings, progress, len(files))
        sources, findings = other.get()
    loaded.sources.extend(sources)
    loaded.findings.extend(findings)
    if progress is not None:
        progress(len(files), len(files))
    return loaded
