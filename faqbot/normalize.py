"""Text → tokens, the same way for questions and for knowledge, so the two can meet."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from faqbot.language import read_words

__all__ = ["normalize", "stem", "tokens"]

_APOSTROPHES = ("\u2019", "\u2018", "'", "`", "\u00b4")  # dropped: "can't" is "cant"
_WORD = re.compile(r"[0-9a-z]+")
# Longest suffix first: (suffix, replacement, shortest stem it may leave).
_SUFFIXES = (
    ("iness", "y", 3),
    ("ness", "", 4),
    ("ies", "y", 3),
    ("ing", "", 3),
    ("ed", "", 3),
    ("es", "e", 3),
    ("s", "", 3),
)
_KEEP = read_words("stem_exceptions.txt")  # "does" is not "doe"


def normalize(text: str) -> str:
    """Casefold, strip accents and punctuation, fold ``can't`` to ``cant``; idempotent."""
    return " ".join(_WORD.findall(_folded(text)))


def _folded(text: str) -> str:
    """``text`` casefolded, without apostrophes, accents or other non-ASCII characters."""
    folded = text.casefold()
    for mark in _APOSTROPHES:
        if mark in folded:
            folded = folded.replace(mark, "")
    if folded.isascii():  # the common case; decomposing changes nothing then
        return folded
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()


_CACHED = 40  # letters: a longer word of a question (none is a real one) is not cached


def stem(word: str) -> str:
    """A light, predictable stemmer: ``headaches``, ``headache`` → ``headach``."""
    return _stem(word) if len(word) <= _CACHED else _stem.__wrapped__(word)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if len(word) <= 3 or word in _KEEP or word.isdigit():
        return word
    for suffix, replacement, shortest in _SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < shortest:
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            break
        word = word[: -len(suffix)] + replacement
        if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]  # "stopped" → "stop"
        break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def tokens(text: str) -> list[str]:
    """Normalised, stemmed words of ``text`` (knowledge: its every word is cached)."""
    return list(map(_stem, _WORD.findall(_folded(text))))
