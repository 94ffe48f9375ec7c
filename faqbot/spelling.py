"""Typo tolerance for ordinary words: a small edit or swapped letters, never a different word."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["Speller", "correct_with"]


def max_edits(word: str) -> int:
    """How many edits a word of this length may carry and still be recognised."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 6 else 2


@dataclass
class Speller:
    """Corrects a word to the nearest of ``words`` (one edit for short words, two for long)."""

    words: list[str]
    anagrams: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, words: Iterable[str]) -> Speller:
        unique = sorted(set(words))
        anagrams: dict[str, str] = {}
        for w in unique:
            if len(w) >= 5:
                anagrams.setdefault("".join(sorted(w)), w)
        return cls(unique, anagrams)

    def correct(self, word: str) -> str | None:
        """The word meant, or None when no known word is close enough."""
        found = self.nearest(word)
        return found[0] if found else None

    def nearest(self, word: str) -> tuple[str, float] | None:
        """The closest known word and its distance (swapped letters count 1.5)."""
        edits = max_edits(word)
        if not edits:
            return None
        found = process.extractOne(word, self.words, scorer=OSA.distance, score_cutoff=edits)
        if found is not None:
            return found[0], found[1]
        anagram = self.anagrams.get("".join(sorted(word))) if len(word) >= 5 else None
        return (anagram, 1.5) if anagram else None


def correct_with(spellers: Iterable[Speller], word: str) -> str | None:
    """The closest correction any of ``spellers`` offers; the first wins a tie."""
    best: tuple[str, float] | None = None
    for speller in spellers:
        found = speller.nearest(word)
        if found and (best is None or found[1] < best[1]):
            best = found
    return best[0] if best else None
