"""Running question sets: the knowledge each needs, loaded once for the sets that share it."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from faqbot.bot import Bot, index_medications
from faqbot.errors import FaqbotError
from faqbot.evaluation.generate import generate_cases, pick_medications
from faqbot.evaluation.scoring import Outcome, evaluate
from faqbot.evaluation.sets import ALL, EvalSet

__all__ = ["Drugs", "Run", "SetRun", "corpus_bot", "run_sets"]

Drugs = tuple[str, ...] | str  # pages relative to the corpus, or ALL
BotFor = Callable[[Drugs], Bot]


@dataclass(frozen=True)
class SetRun:
    """A set's outcomes; ``seconds`` asking its questions, ``load_seconds`` loading its
    knowledge (shared with the sets run on the same knowledge)."""

    name: str
    outcomes: list[Outcome]
    drugs: int
    seconds: float
    load_seconds: float


@dataclass(frozen=True)
class Run:
    """Every set's outcomes, and the union of the sets run on the same knowledge."""

    sets: list[SetRun]
    unions: list[SetRun]


def corpus_bot(corpus: Path, drugs: Drugs) -> Bot:
    """A bot over ``drugs`` (pages relative to ``corpus``), or over all its pages (those it
    refuses left out), imported in memory."""
    from faqbot.batch import find_pages, read_pages

    if drugs == ALL:
        return Bot(index_medications(read_pages(find_pages([corpus]), skip_refused=True)))
    missing = [d for d in drugs if not (corpus / d).is_file()]
    if missing:
        raise FaqbotError(f"no page {missing[0]} in {corpus}: is --pages the corpus folder?")
    return Bot(index_medications(read_pages((corpus / d, d) for d in drugs)))


def run_sets(sets: Sequence[EvalSet], bot_for: BotFor, corpus: Path | None) -> Run:
    """Ask every set's questions, loading each knowledge once (``bot_for`` loads the
    knowledge a set names; a generated set's drugs are picked from ``corpus``)."""
    groups: dict[object, list[EvalSet]] = {}
    for s in sets:
        key = id(s) if s.generate else (s.drugs if s.drugs == ALL else frozenset(s.drugs))
        groups.setdefault(key, []).append(s)
    runs: dict[int, SetRun] = {}
    unions = []
    for members in groups.values():
        start = time.perf_counter()
        bot = _load(members[0], bot_for, corpus)
        loaded = time.perf_counter() - start
        for s in members:
            start = time.perf_counter()
            cases = s.cases
            if s.generate:
                cases = generate_cases(bot.index.medications.values(), s.generate)
            outcomes = evaluate(bot, cases)
            took = time.perf_counter() - start
            runs[id(s)] = SetRun(str(s.path), outcomes, len(bot.index.medications), took, loaded)
        if len(members) > 1:
            parts = [runs[id(s)] for s in members]
            unions.append(
                SetRun(
                    " + ".join(p.name for p in parts),
                    [o for p in parts for o in p.outcomes],
                    parts[0].drugs,
                    sum(p.seconds for p in parts),
                    loaded,
                )
            )
    return Run([runs[id(s)] for s in sets], unions)


def _load(s: EvalSet, bot_for: BotFor, corpus: Path | None) -> Bot:
    if s.generate is None:
        return bot_for(s.drugs)
    if corpus is None:
        raise FaqbotError(f"{s.path}: a generated set picks corpus pages: pass --pages DIR")
    return Bot(index_medications(pick_medications(corpus, s.generate)))
