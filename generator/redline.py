"""What changed between two versions of a document's text, word by word.

Chinese has no spaces between words: a line diff marks a whole paragraph as
changed for one character. The text is cut into words with jieba (Latin words,
numbers and punctuation stay whole), paragraphs are aligned first, and only the
words that changed inside a changed paragraph are marked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Op = Literal["same", "ins", "del"]

_HEADING = re.compile(r"^#{1,6}\s")


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


@dataclass(frozen=True)
class Change:
    """One changed paragraph: the heading it stands under, and its words."""

    heading: str
    pieces: tuple[Piece, ...]

    @property
    def inserted(self) -> list[str]:
        return [p.text for p in self.pieces if p.op == "ins"]

    @property
    def deleted(self) -> list[str]:
        return [p.text for p in self.pieces if p.op == "del"]


def words(text: str) -> list[str]:
    """The text as jieba words (every character kept, in order)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba announces its dictionary on stderr
    return [w for w in jieba.lcut(text, HMM=False) if w]


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for p in pieces:
        if out and out[-1].op == p.op:
            out[-1] = Piece(p.op, out[-1].text + p.text)
        else:
            out.append(p)
    return tuple(out)


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """The words of ``new`` with what ``old`` had instead marked deleted."""
    a, b = words(old), words(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", "".join(b[j1:j2])))
    return _merge(pieces)


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]


def changes(old_body: str, new_body: str) -> list[Change]:
    """Each paragraph that was added, removed or reworded, in the new text's order."""
    a, b = _paragraphs(old_body), _paragraphs(new_body)
    out: list[Change] = []
    heading = ""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for para in b[j1:j2]:
                if _HEADING.match(para):
                    heading = para.split("\n", 1)[0].lstrip("#").strip()
            continue
        olds, news = a[i1:i2], b[j1:j2]
        # reworded paragraphs pair up one to one; the rest were added or removed
        for n in range(max(len(olds), len(news))):
            before = olds[n] if n < len(olds) else ""
            after = news[n] if n < len(news) else ""
            out.append(Change(heading, word_diff(before, after)))
            if _HEADING.match(after):
                heading = after.split("\n", 1)[0].lstrip("#").strip()
    return out
