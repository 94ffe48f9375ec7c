"""A labelled case, and the rule that holds a third of them out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["ASK", "Case", "Expect", "held_out_by_hash"]

ASK: Final = "ask"
Expect = tuple[str, ...] | Literal["ask"] | None


@dataclass(frozen=True)
class Case:
    """One question and what must happen: entry ids (any one is right), None (abstain) or
    ``"ask"`` (ask which drug).

    ``drugs`` are the slugs an answer may come from (None: not known; empty: the drug has no
    page, so any answer is from a wrong drug). ``context`` is the drug the conversation is
    about, for a question that does not name it. ``line`` is where a sourced question was read.
    """

    question: str
    expect: Expect
    held_out: bool = False
    drugs: frozenset[str] | None = None
    context: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """How a failure names the case: the question, and its source line if it has one."""
        return f"line {self.line}: {self.question!r}" if self.line else repr(self.question)


def held_out_by_hash(text: str) -> bool:
    """The split rule: a third of all texts, decided by the text alone (sha256, first 8 hex
    digits as a number, mod 3 == 0)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 3 == 0
