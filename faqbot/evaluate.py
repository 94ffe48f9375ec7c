"""Answer quality on a question set: how often the bot is right, wrong, or rightly silent."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from faqbot.answer import Answer
from faqbot.bot import Bot
from faqbot.errors import FaqbotError

__all__ = ["ASK", "Case", "EvalSet", "Report", "evaluate", "load_eval_set"]

ASK = "ask"
Verdict = Literal["right", "wrong", "missed"]


@dataclass(frozen=True)
class Case:
    """One question and what must happen: entry ids, None (abstain) or ``"ask"``."""

    question: str
    expect: tuple[str, ...] | Literal["ask"] | None


@dataclass(frozen=True)
class EvalSet:
    """A question set and the corpus pages it needs (none: the shipped knowledge)."""

    path: Path
    drugs: tuple[str, ...]
    cases: tuple[Case, ...]


@dataclass
class Report:
    """Figures over a question set, and every failure."""

    total: int = 0
    right: int = 0
    wrong: int = 0  # an entry was used, and it was not a right one
    abstained: int = 0  # no entry used where one was expected, or an abstention
    should_abstain: int = 0
    abstained_rightly: int = 0
    failures: list[tuple[Case, Answer, Verdict]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def wrong_rate(self) -> float:
        return self.wrong / self.total if self.total else 0.0

    @property
    def abstain_precision(self) -> float:
        return self.abstained_rightly / self.abstained if self.abstained else 1.0

    @property
    def abstain_recall(self) -> float:
        return self.abstained_rightly / self.should_abstain if self.should_abstain else 1.0


def load_eval_set(path: Path) -> EvalSet:
    """Read a question set (see ``tests/eval/README.md``); FaqbotError when malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise FaqbotError(f"{path}: cannot read the question set: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise FaqbotError(f"{path}: expected a mapping with a 'questions' list")
    cases = []
    for n, item in enumerate(data["questions"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or "expect" not in item:
            raise FaqbotError(f"{path}: questions[{n}] needs 'q' (text) and 'expect'")
        cases.append(Case(item["q"], _expect(item["expect"])))
    return EvalSet(path, tuple(str(d) for d in data.get("drugs") or ()), tuple(cases))


def _expect(value: object) -> tuple[str, ...] | Literal["ask"] | None:
    if value is None:
        return None
    if value == "ask":
        return "ask"
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def evaluate(bot: Bot, cases: tuple[Case, ...]) -> Report:
    """Ask each question on its own (no conversation) and score the answers."""
    report = Report()
    for case in cases:
        answer = bot.ask(case.question)
        verdict = _judge(case, answer)
        report.total += 1
        used = answer.entry is not None
        if case.expect is None:
            report.should_abstain += 1
        if case.expect != ASK and not used:
            report.abstained += 1
            report.abstained_rightly += case.expect is None
        if verdict == "right":
            report.right += 1
        else:
            report.wrong += verdict == "wrong"
            report.failures.append((case, answer, verdict))
    return report


def _judge(case: Case, answer: Answer) -> Verdict:
    if answer.entry is not None:
        ok = isinstance(case.expect, tuple) and answer.entry.id in case.expect
        return "right" if ok else "wrong"
    if case.expect == ASK:
        return "right" if answer.status == "clarify" else "missed"
    return "right" if case.expect is None else "missed"
