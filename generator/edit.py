"""Surgical edits of front matter: change only the fields asked for and keep the
body and every other line (comments, key order, quoting) byte for byte; write a
file whole or not at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:")


class EditError(Exception):
    """The file's front matter cannot be edited safely."""


def _comment(line: str) -> str:
    """The trailing comment of a one-line ``key: value  # comment`` (with the spaces
    before it), or "": the first `` #`` after which the line reads the same without it."""
    import yaml

    try:
        whole = yaml.safe_load(line)
    except yaml.YAMLError:
        return ""
    for match in re.finditer(r"\s+#", line):
        try:
            if yaml.safe_load(line[: match.start()]) == whole:
                return line[match.start() :]
        except yaml.YAMLError:
            continue
    return ""


class FrontMatter:
    """A Markdown file's text split into front-matter lines and the rest, untouched.

    Each line keeps its own ending (an editor may leave CRLF on some lines and LF on
    others); a new line takes the ending of the opening ``---``."""

    def __init__(self, text: str) -> None:
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        raw = re.split(r"(?<=\n)", text[len(self.bom) :])
        if raw and raw[-1] == "":
            raw.pop()
        if not raw or raw[0].rstrip("\r\n").rstrip() != "---":
            raise EditError("no front matter")
        # new lines take the ending of the lines around them (the first field's, else the
        # opening delimiter's)
        self.newline = "\r\n" if raw[min(1, len(raw) - 1)].endswith("\r\n") else "\n"
        for end in range(1, len(raw)):
            if raw[end].rstrip("\r\n").rstrip() in ("---", "..."):
                break
        else:
            raise EditError("front matter not closed")
        self.head = raw[0]
        self.lines = raw[1:end]  # each with its own line ending
        self.rest = "".join(raw[end:])

    def text(self) -> str:
        return self.bom + self.head + "".join(self.lines) + self.rest

    def _ended(self, lines: list[str]) -> list[str]:
        return [line + self.newline for line in lines]

    def _span(self, key: str) -> tuple[int, int] | None:
        """Lines [start, stop) of top-level ``key`` and its indented continuation (comments
        at any column inside it included; blank and comment lines after it excluded)."""
        for i, line in enumerate(self.lines):
            match = _KEY.match(line)
            if match and match.group(1) == key:
                stop = i + 1
                while stop < len(self.lines) and (
                    self.lines[stop][:1] in (" ", "\t", "-", "#") or not self.lines[stop].strip()
                ):
                    stop += 1
                while stop > i + 1 and (
                    not self.lines[stop - 1].strip() or self.lines[stop - 1][:1] == "#"
                ):
                    stop -= 1  # blank lines and comments before the next key stay there
                return i, stop
        return None

    def has(self, key: str) -> bool:
        return self._span(key) is not None

    def set(self, key: str, value: Any, after: tuple[str, ...] = ()) -> None:
        """Set a top-level field; a new one goes after the first of ``after`` present."""
        new = render(key, value)
        span = self._span(key)
        if span is not None:
            # the line replaced keeps its own ending and, for one scalar, its comment
            first = self.lines[span[0]]
            ending = first[len(first.rstrip("\r\n")) :] or self.newline
            if span[1] - span[0] == 1 and len(new) == 1:
                new = [new[0] + _comment(first.rstrip("\r\n"))]
            self.lines[span[0] : span[1]] = [line + ending for line in new]
            return
        for anchor in after:
            where = self._span(anchor)
            if where is not None:
                self.lines[where[1] : where[1]] = self._ended(new)
                return
        self.lines.extend(self._ended(new))

    def remove(self, key: str) -> None:
        span = self._span(key)
        if span is not None:
            del self.lines[span[0] : span[1]]

    def items(self, key: str) -> list[tuple[int, int]]:
        """Line spans [start, stop) of the items of the top-level block list ``key``."""
        span = self._span(key)
        if span is None:
            return []
        out: list[tuple[int, int]] = []
        indent = None
        for i in range(span[0] + 1, span[1]):
            line = self.lines[i]
            stripped = line.lstrip(" ").rstrip()
            if stripped.startswith("- ") or stripped == "-":
                level = len(line) - len(line.lstrip(" "))
                if indent is None:
                    indent = level
                if level == indent:
                    if out:
                        out[-1] = (out[-1][0], i)
                    out.append((i, span[1]))
        return out

    def append_item(
        self,
        key: str,
        item: dict[str, Any],
        existing: list[Any] | None = None,
        after: tuple[str, ...] = (),
    ) -> None:
        """Append a mapping to the top-level list ``key``, in the list's own indentation.

        A list written in flow style (``[...]``) is rewritten one item per line from
        ``existing`` (its parsed items).
        """
        span = self._span(key)
        if span is None:
            self.set(key, [], after)
            span = self._span(key)
            assert span is not None
        head = self.lines[span[0]].split(":", 1)[1].strip()
        items = self.items(key)
        line = self.lines[span[0]]
        if span[1] == span[0] + 1 and head.startswith("[") and head.endswith("]") and head != "[]":
            # one flow-style line: the new item goes before the closing bracket, and every
            # byte of the items already there stays as it was
            flow = ", ".join(f"{k}: {scalar(v)}" for k, v in item.items())
            ending = line[len(line.rstrip("\r\n")) :]  # the line keeps its own ending
            self.lines[span[0]] = line[: line.rstrip().rfind("]")] + f", {{{flow}}}]" + ending
            return
        if head and not head.startswith("#"):  # flow style: [] or [{...}]
            block = [f"{key}:"]
            for old in existing or []:
                block += render_item(dict(old), "  ")
            block += render_item(item, "  ")
            self.lines[span[0] : span[1]] = self._ended(block)
            return
        first = self.lines[items[0][0]] if items else "  - "
        indent = " " * (len(first) - len(first.lstrip(" ")))
        self.lines[span[1] : span[1]] = self._ended(render_item(item, indent))

    def is_flow(self, key: str) -> bool:
        """The top-level ``key`` is written in flow style (``key: [...]``)."""
        span = self._span(key)
        if span is None:
            return False
        head = self.lines[span[0]].split(":", 1)[1].strip()
        return bool(head) and not head.startswith("#")

    def remove_item(self, key: str, index: int) -> None:
        spans = self.items(key)
        start, stop = spans[index]
        while stop > start + 1 and not self.lines[stop - 1].strip():
            stop -= 1
        del self.lines[start:stop]


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9\u4e00-\u9fff][\w\u4e00-\u9fff .:/()（）、，-]*", text) and not (
        re.fullmatch(r"[\d.:-]+|true|false|yes|no|null|~|on|off", text, re.I)
        or text.endswith(":")
        or ": " in text
        or " #" in text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def render(key: str, value: Any) -> list[str]:
    if isinstance(value, list):
        if not value:
            return [f"{key}: []"]
        return [f"{key}: [{', '.join(scalar(v) for v in value)}]"]
    return [f"{key}: {scalar(value)}"]


def render_item(item: dict[str, Any], indent: str = "  ") -> list[str]:
    out = []
    for n, (k, v) in enumerate(item.items()):
        prefix = indent + ("- " if n == 0 else "  ")
        out.append(prefix + render(str(k), v)[0])
    return out


def _prepare(path: Path, text: str | bytes) -> str:
    """A temporary file beside ``path`` holding ``text`` (UTF-8) or bytes, flushed to disk."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else default_mode())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def default_mode(directory: bool = False) -> int:
    """The mode open() or mkdir() gives a new file or folder: 0666 / 0777 less the umask
    (mkstemp and mkdtemp make 0600 / 0700, which a web server as another user cannot read)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def open_up(tree: Path) -> None:
    """Give a folder made by mkdtemp, and everything in it, the usual modes."""
    file_mode, dir_mode = default_mode(), default_mode(directory=True)
    os.chmod(tree, dir_mode)
    for folder, dirs, files in os.walk(tree):
        for names, mode in ((dirs, dir_mode), (files, file_mode)):
            for name in names:
                path = os.path.join(folder, name)
                if stat.S_IMODE(os.lstat(path).st_mode) != mode:  # a linked file: as it is
                    os.chmod(path, mode)


def write_many(items: Sequence[tuple[Path, str | bytes]]) -> None:
    """Write files whole: all are prepared before any replaces its original."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, text in items:
            temps.append((_prepare(path, text), path))
        while temps:
            tmp, path = temps[0]
            os.replace(tmp, path)
            temps.pop(0)
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then rename."""
    write_many([(path, text)])
