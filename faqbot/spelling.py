"""Typo tolerance for ordinary words: a small edit or swapped letters, never a different word."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

__all__ = [
    "MAX_COMPARISONS",
    "MAX_WORD",
    "Budget",
    "Found",
    "Speller",
    "correct_with",
    "same_first_letter",
]

# The typo work one question may do, in known words compared with the words typed (30-60 ns
# each, so 1-2 ms). The costliest of the 715 real and development questions we hold needs 14,177.
MAX_COMPARISONS = 30_000
MAX_WORD = 40  # letters; a longer word is left as typed (3,700 drugs' longest name word has 28)


Found = tuple[str, float] | None  # a correction and its distance, or none


class Budget:
    """The typo work one question may still do, counted in candidate comparisons: a count, not
    a clock, so that the same question always gets the same answer. A check that would overdraw
    the budget is not made, and its word is left as typed. Each word is checked once."""

    __slots__ = ("checked", "comparisons", "left")

    def __init__(self, comparisons: int = MAX_COMPARISONS) -> None:
        self.comparisons = self.left = comparisons
        self.checked: dict[tuple[int, str, int], Found] = {}  # (speller, word, edits) → found

    @property
    def spent(self) -> int:
        return self.comparisons - self.left

    def spend(self, comparisons: int) -> bool:
        """Take ``comparisons`` from the budget if they fit; whether they did."""
        if comparisons > self.left:
            return False
        self.left -= comparisons
        return True


def max_edits(word: str, typed: int = 0) -> int:
    """How many edits a word may carry and still be recognised, by its length or, for a stem,
    the length of the word typed (the stem of "sdie" is "sdi", yet "sdie" has four letters)."""
    length = max(len(word), typed)
    if length < 4:
        return 0
    return 1 if length <= 6 else 2


class Speller:
    """Corrects a word to the nearest of ``words`` (one edit for short words, two for long)."""

    def __init__(self, words: Iterable[str]) -> None:
        # Sorted, as the first of equally close words wins, and by length, as a word can be
        # no fewer edits away than its length differs.
        self._by_length: dict[int, list[str]] = {}
        for w in sorted(set(words)):
            self._by_length.setdefault(len(w), []).append(w)
        self._near: dict[tuple[int, int], list[str]] = {}  # made when first needed
        self._anagrams: dict[int, dict[str, str]] = {}  # by length, made when first needed

    def within(self, length: int, edits: int) -> list[str]:
        """The words, sorted, whose length is within ``edits`` of ``length``."""
        near = self._near.get((length, edits))
        if near is None:
            lengths = range(length - edits, length + edits + 1)
            near = sorted(w for n in lengths for w in self._by_length.get(n, ()))
            self._near[length, edits] = near
        return near

    def anagram(self, word: str) -> str | None:
        """The first known word made of the same letters as ``word``, if any."""
        table = self._anagrams.get(len(word))
        if table is None:
            table = {}
            for w in self._by_length.get(len(word), ()):
                table.setdefault("".join(sorted(w)), w)  # sorted words: the first one wins
            self._anagrams[len(word)] = table
        return table.get("".join(sorted(word)))

    def correct(self, word: str, budget: Budget, typed: int = 0) -> str | None:
        """The word meant, or None when no known word is close enough (or within budget).
        ``typed``: the length of the word as typed, when ``word`` is its stem."""
        found = self.nearest(word, budget, typed)
        return found[0] if found else None

    def nearest(self, word: str, budget: Budget, typed: int = 0) -> Found:
        """The closest known word and its distance (swapped letters count 1.5), if the
        comparisons it takes fit in ``budget``."""
        edits = max_edits(word, typed)
        key = (id(self), word, edits)
        if key not in budget.checked:
            budget.checked[key] = self._nearest(word, edits, budget)
        return budget.checked[key]

    def nearest_alike(self, word: str, budget: Budget) -> Found:
        """The closest known word that begins with the same letter (a twentieth of the work
        of :meth:`nearest`), if the comparisons fit in ``budget``."""
        edits = max_edits(word)
        if not edits or len(word) > MAX_WORD:
            return None
        alike = same_first_letter(word, self.within(len(word), edits))
        if not alike or not budget.spend(len(alike)):
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        found = process.extractOne(word, alike, scorer=OSA.distance, score_cutoff=edits)
        return (found[0], found[1]) if found is not None else None

    def _nearest(self, word: str, edits: int, budget: Budget) -> Found:
        if not edits or len(word) > MAX_WORD:
            return None
        near = self.within(len(word), edits)
        if not budget.spend(len(near)):
            return None
        from rapidfuzz import process  # imported when first needed: a question may not
        from rapidfuzz.distance import OSA

        found = process.extractOne(word, near, scorer=OSA.distance, score_cutoff=edits)
        if found is not None:
            return found[0], found[1]
        anagram = self.anagram(word) if len(word) >= 5 else None
        return (anagram, 1.5) if anagram else None


def same_first_letter(word: str, words: list[str]) -> list[str]:
    """Of ``words`` (sorted), those that begin with ``word``'s first letter."""
    if not word:
        return []
    start = bisect_left(words, word[0])
    return words[start : bisect_left(words, chr(ord(word[0]) + 1), start)]


def correct_with(
    spellers: Iterable[Speller], word: str, budget: Budget, typed: int = 0
) -> str | None:
    """The closest correction any of ``spellers`` offers; the first wins a tie."""
    best: Found = None
    for speller in spellers:
        found = speller.nearest(word, budget, typed)
        if found and (best is None or found[1] < best[1]):
            best = found
    return best[0] if best else None
