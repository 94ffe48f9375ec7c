"""How far confidence can be trusted: right answers per confidence bin, and the threshold
that would keep wrong answers rare."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from faqbot.evaluation.scoring import Figures, Outcome, figures

__all__ = ["MAX_WRONG", "Bin", "Suggestion", "reliability", "suggest_threshold"]

EDGES = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # the matcher abstains below 0.4
MAX_WRONG = 0.01  # the share of questions answered wrongly that a threshold aims at


@dataclass(frozen=True)
class Bin:
    """Answers whose confidence is in [low, high) (the last bin includes 1.0)."""

    low: float
    high: float
    answers: int
    right: int

    @property
    def share_right(self) -> float | None:
        return self.right / self.answers if self.answers else None


def reliability(outcomes: Sequence[Outcome]) -> list[Bin]:
    """The answers that used an entry, by confidence bin, from 0.0-0.4 (empty unless an
    answer was less sure than the matcher's threshold) to 0.9-1.0."""
    answered = [o for o in outcomes if o.used is not None]
    edges = (0.0, *EDGES)
    bins = []
    for low, high in itertools.pairwise(edges):
        last = high == edges[-1]
        inside = [
            o
            for o in answered
            if low <= o.answer.confidence and (o.answer.confidence < high or last)
        ]
        bins.append(Bin(low, high, len(inside), sum(o.verdict == "right" for o in inside)))
    return bins


@dataclass(frozen=True)
class Suggestion:
    """The lowest threshold at which wrong answers are at most ``max_wrong`` of the
    questions, and the figures it would give (None: no threshold gets there)."""

    threshold: float | None
    figures: Figures
    max_wrong: float = MAX_WRONG


def suggest_threshold(outcomes: Sequence[Outcome], max_wrong: float = MAX_WRONG) -> Suggestion:
    """Each answer's confidence tried as the threshold, lowest first (0.0: as things are)."""
    allowed = max_wrong * len(outcomes)
    answered = sorted(
        (o.answer.confidence, o.verdict == "wrong") for o in outcomes if o.used is not None
    )
    wrong = sum(w for _, w in answered)  # the wrong answers the threshold keeps
    threshold, i = 0.0, 0
    while wrong > allowed:  # ends: with no answer kept, none is wrong
        below = answered[i][0]
        while i < len(answered) and answered[i][0] == below:
            wrong -= answered[i][1]
            i += 1
        threshold = answered[i][0] if i < len(answered) else math.inf
    if math.isinf(threshold):  # only by answering nothing
        return Suggestion(None, figures(outcomes, math.inf), max_wrong)
    return Suggestion(threshold, figures(outcomes, threshold), max_wrong)
