"""The names of real drugs that have no page, packed for a fast start.

Some 70,000 names, sorted, in one string with an array of where each starts: a cached index
loads them in well under a millisecond, where a set or a dict of as many strings would take
tens. A name is found by bisection; a misspelt word is compared only with names of its first
letter and about its length.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import overload

from faqbot.normalize import normalize

__all__ = ["NameTable", "Packed"]

MAX_NAME_WORDS = 3  # words of a name kept and looked for: longer ones nobody types
LENGTH_SLACK = 2  # a misspelt word is compared with names this many letters shorter or longer


class Packed(Sequence[str]):
    """A list of strings stored as one string and the offsets between them."""

    __slots__ = ("_ends", "_text")

    def __init__(self, items: Iterable[str]) -> None:
        items = list(items)
        self._text = "".join(items)
        ends, end = array("I"), 0
        for item in items:
            end += len(item)
            ends.append(end)
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        start = self._ends[i - 1] if i else 0
        return self._text[start : self._ends[i]]

    def __getstate__(self) -> tuple[str, array[int]]:
        return self._text, self._ends

    def __setstate__(self, state: tuple[str, array[int]]) -> None:
        self._text, self._ends = state


_SAME = 0  # a name that is the drug's own: shown as typed
_START = 3  # letters of a name's first word that its bit in the bitmap stands for
_BITS = 1 << 16  # bits of the bitmap of names' starts
_State = tuple[Packed, bytes, Packed, "array[int]", dict[tuple[str, int], str]]


def _bit(name: str) -> int:
    """The bit that stands for the start of ``name``'s first word (a hash that is the same
    in every process, unlike ``hash``)."""
    return zlib.crc32(name.split(" ", 1)[0][:_START].encode()) & (_BITS - 1)


class NameTable:
    """Normalised drug names (one or more words) → how to call the drug in a reply: the name,
    and the drug's own name where the name is another ("Toradol (Ketorolac)")."""

    __slots__ = ("_buckets", "_display", "_names", "_shown", "_starts")

    def __init__(self, names: dict[str, str | None]) -> None:
        ordered = sorted(names)
        shown = sorted({s for s in names.values() if s})
        number = {s: i for i, s in enumerate(shown, 1)}
        self._names = Packed(ordered)
        # A bitmap of the starts of the names' first words: a word that starts no name
        # (most words of a question) is told so at once, not by a bisection of the names;
        # 8 kB of bytes load in no time, where a set of the starts would not.
        starts = bytearray(_BITS // 8)
        for n in ordered:
            bit = _bit(n)
            starts[bit >> 3] |= 1 << (bit & 7)
        self._starts = bytes(starts)
        self._shown = Packed(shown)
        self._display = array("I", (number.get(names[n] or "", _SAME) for n in ordered))
        # One-word names by first letter and length, each bucket one string: a misspelling
        # is compared with a few hundred names, and the buckets load as fast as the names.
        buckets: dict[tuple[str, int], list[str]] = {}
        for name in ordered:
            if " " not in name:
                buckets.setdefault((name[:1], len(name)), []).append(name)
        self._buckets = {key: "\n".join(found) for key, found in buckets.items()}

    def __len__(self) -> int:
        return len(self._names)

    def __getstate__(self) -> _State:
        return self._names, self._starts, self._shown, self._display, self._buckets

    def __setstate__(self, state: _State) -> None:
        self._names, self._starts, self._shown, self._display, self._buckets = state

    def _find(self, name: str) -> int:
        """Where ``name`` is or would be in the sorted names."""
        return bisect_left(self._names, name)

    def _may_start(self, name: str) -> bool:
        """Whether some name's first word may start as ``name``'s does (False: none does)."""
        bit = _bit(name)
        return bool(self._starts[bit >> 3] & (1 << (bit & 7)))

    def _place(self, name: str) -> int | None:
        """Where ``name`` is in the sorted names, if it is one of them."""
        if not self._may_start(name):
            return None
        i = self._find(name)
        return i if i < len(self._names) and self._names[i] == name else None

    def get(self, name: str) -> str | None:
        """How to call the drug ``name`` (normalised), if it is one."""
        i = self._place(name)
        if i is None:
            return None
        typed = " ".join(w.capitalize() for w in name.split())
        own = self._display[i]
        return f"{typed} ({self._shown[own - 1]})" if own != _SAME else typed

    def drug_of(self, name: str) -> str | None:
        """The drug ``name`` (normalised) names, normalised: "toradol" gives "ketorolac"."""
        i = self._place(name)
        if i is None:
            return None
        own = self._display[i]
        return name if own == _SAME else normalize(self._shown[own - 1])

    def longest_at(self, words: Sequence[str], start: int) -> int:
        """The number of words of the longest name that starts at ``words[start]`` (0: none)."""
        first = words[start]
        if not self._may_start(first):
            return 0
        i = self._find(first)
        if i >= len(self._names):
            return 0
        found = self._names[i]
        if found != first and not found.startswith(first + " "):
            return 0
        most = min(MAX_NAME_WORDS, len(words) - start)
        for n in range(most, 0, -1):
            if self._place(" ".join(words[start : start + n])) is not None:
                return n
        return 0

    def candidates(self, word: str) -> list[str]:
        """One-word names that a misspelling of ``word`` may be: same first letter, about
        the same length."""
        found: list[str] = []
        for n in range(len(word) - LENGTH_SLACK, len(word) + LENGTH_SLACK + 1):
            bucket = self._buckets.get((word[:1], n))
            if bucket:
                found += bucket.split("\n")
        return found
