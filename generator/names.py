"""One way to compare what people type as names and ids: Unicode NFKC, with format
characters (U+200B zero-width space, U+FEFF, bidi marks, ...) and surrounding
whitespace removed. ``张\u200b伟`` is 张伟; ``ＱＰ`` is QP."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """The form two names or ids are compared in (and ids are indexed by)."""
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isascii():
        folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return folded.strip()


def same_person(a: str | None, b: str | None) -> bool:
    """Two people's names are one person's: equal once normalised, spaces inside ignored
    (张 伟 is 张伟)."""
    if not a or not b:
        return False
    return "".join(normalise(a).split()) == "".join(normalise(b).split())
