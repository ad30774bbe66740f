"""One way to compare what people type as names and ids: Unicode NFKC, with the
code points that show nothing removed (Unicode's Default_Ignorable_Code_Point set:
format characters such as U+200B, U+FEFF and bidi marks, variation selectors, the
combining grapheme joiner, Hangul fillers, ...), blank symbols (U+2800) read as
spaces, and surrounding whitespace removed. ``张\u200b伟`` and ``张\ufe00伟`` are 张伟;
``ＱＰ`` is QP; a name made only of such characters is no name."""

from __future__ import annotations

import re
import unicodedata

#: Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt), less what NFKC
#: already maps away; format characters (Cf) are removed by category as well.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
#: Symbols that print as a blank but are not whitespace to Python (braille blank).
_BLANK = re.compile("[\u2800]")


def normalise(text: str) -> str:
    """The form two names or ids are compared in (and ids are indexed by)."""
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isascii():
        folded = _BLANK.sub(" ", _IGNORABLE.sub("", folded))
        folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return folded.strip()


def same_person(a: str | None, b: str | None) -> bool:
    """Two people's names are one person's: equal once normalised, spaces inside ignored
    (张 伟 is 张伟)."""
    if not a or not b:
        return False
    return "".join(normalise(a).split()) == "".join(normalise(b).split())
