"""Scoring: each case's answer judged, and the figures over many cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from faqbot.answer import Answer
from faqbot.bot import Bot
from faqbot.evaluation.cases import ASK, Case

__all__ = ["Figures", "Outcome", "Verdict", "evaluate", "figures"]

Verdict = Literal["right", "wrong", "missed"]


@dataclass(frozen=True)
class Outcome:
    """A case, the bot's answer, and the verdict on it."""

    case: Case
    answer: Answer
    verdict: Verdict

    @property
    def used(self) -> str | None:
        """The id of the entry the answer used, if any."""
        return self.answer.entry.id if self.answer.entry is not None else None


def evaluate(bot: Bot, cases: Iterable[Case]) -> list[Outcome]:
    """Ask each question on its own (in a conversation about ``case.context``, if it has one)
    and judge each answer."""
    outcomes = []
    for case in cases:
        answer = bot.ask(case.question, case.context)
        used = answer.entry.id if answer.entry is not None else None
        outcomes.append(Outcome(case, answer, judge(case, used, answer.status == "clarify")))
    return outcomes


def judge(case: Case, used: str | None, clarified: bool) -> Verdict:
    """Right, wrong (an entry was used, not a right one) or missed (no entry where one was
    due, or no question back where one was due)."""
    if used is not None:
        return "right" if isinstance(case.expect, tuple) and used in case.expect else "wrong"
    if case.expect == ASK:
        return "right" if clarified else "missed"
    return "right" if case.expect is None else "missed"


@dataclass(frozen=True)
class Figures:
    """Counts over some cases, and the shares made from them."""

    questions: int = 0
    right: int = 0
    wrong: int = 0  # an entry used, and not a right one
    abstained: int = 0  # no entry used (ask cases aside)
    should_abstain: int = 0
    abstained_rightly: int = 0
    answered: int = 0  # an entry used
    answerable: int = 0  # cases that expect entry ids
    answerable_right: int = 0
    drug_known: int = 0  # answers whose case says which drugs are right
    wrong_drug: int = 0  # of those, answers from another drug

    @property
    def accuracy(self) -> float:
        return _share(self.right, self.questions, 0.0)

    @property
    def wrong_rate(self) -> float:
        return _share(self.wrong, self.questions, 0.0)

    @property
    def abstain_precision(self) -> float:
        return _share(self.abstained_rightly, self.abstained, 1.0)

    @property
    def abstain_recall(self) -> float:
        return _share(self.abstained_rightly, self.should_abstain, 1.0)

    @property
    def answer_precision(self) -> float:
        """Of the answers that used an entry, the share that were right."""
        return _share(self.answered - self.wrong, self.answered, 1.0)

    @property
    def answerable_recall(self) -> float:
        """Of the cases that expect an entry, the share answered with a right one."""
        return _share(self.answerable_right, self.answerable, 1.0)

    @property
    def wrong_drug_rate(self) -> float:
        return _share(self.wrong_drug, self.drug_known, 0.0)

    def as_dict(self) -> dict[str, float]:
        """The counts and shares, for JSON."""
        counts = {k: getattr(self, k) for k in self.__dataclass_fields__}
        shares = {k: getattr(self, k) for k in SHARES}
        return counts | shares


SHARES = (
    "accuracy",
    "wrong_rate",
    "abstain_precision",
    "abstain_recall",
    "answer_precision",
    "answerable_recall",
    "wrong_drug_rate",
)


def _share(part: int, whole: int, empty: float) -> float:
    return part / whole if whole else empty


def figures(outcomes: Iterable[Outcome], threshold: float = 0.0) -> Figures:
    """The figures over ``outcomes``; with ``threshold``, as if every answer less confident
    than it had been an abstention instead."""
    n = right = wrong = abstained = should = rightly = answered = answerable = 0
    answerable_right = known = wrong_drug = 0
    for o in outcomes:
        case, answer = o.case, o.answer
        used = o.used if answer.confidence >= threshold else None
        verdict = judge(case, used, answer.status == "clarify")
        n += 1
        right += verdict == "right"
        wrong += verdict == "wrong"
        should += case.expect is None
        if case.expect != ASK and used is None:
            abstained += 1
            rightly += case.expect is None
        if isinstance(case.expect, tuple):
            answerable += 1
            answerable_right += verdict == "right"
        if used is not None:
            answered += 1
            if case.drugs is not None:
                known += 1
                wrong_drug += answer.drug not in case.drugs
    return Figures(
        questions=n,
        right=right,
        wrong=wrong,
        abstained=abstained,
        should_abstain=should,
        abstained_rightly=rightly,
        answered=answered,
        answerable=answerable,
        answerable_right=answerable_right,
        drug_known=known,
        wrong_drug=wrong_drug,
    )
