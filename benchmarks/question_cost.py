"""What one question can cost: adversarial shapes at the longest length the server accepts.

    python benchmarks/question_cost.py [--knowledge DIR ...] [--runs 15]

For each knowledge folder (default: the shipped knowledge, and /tmp/kb-v1 when it exists) and
each shape, prints the p50 and worst milliseconds of ``Session.ask`` (what ``POST /api/ask``
runs on the event loop) and the most typo comparisons one question made, then the time of the
chat's ``/drug NAME`` with a 100,000-character name. Every run of a shape uses a freshly drawn
question (seeded), so no cache of an earlier run makes it cheaper.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from faqbot.bot import MAX_QUESTION, Bot, load_knowledge
from faqbot.index import Index
from faqbot.locations import cache_dir, cache_key_file, shipped_knowledge_dir
from faqbot.matcher import Matcher
from faqbot.session import Session

if TYPE_CHECKING:
    from faqbot.spelling import Budget

CORPUS_KNOWLEDGE = Path("/tmp/kb-v1")  # faqbot import ../shared/corpus/rxhive-v1 --out /tmp/kb-v1
LONG_NAME = 100_000  # characters of the /drug name
SEED = 10
Shape = Callable[[random.Random, Index], str]


def _fill(rng: random.Random, word: Callable[[random.Random], str]) -> str:
    """Words drawn by ``word`` until the question is MAX_QUESTION characters long."""
    out: list[str] = []
    length = 0
    while length < MAX_QUESTION:
        out.append(word(rng))
        length += len(out[-1]) + 1
    return " ".join(out)[:MAX_QUESTION]


def _gibberish(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10)))


def _focus(index: Index) -> str:
    """The title of the drug with the most entries (the largest vocabulary to correct to)."""
    med = max(index.medications.values(), key=lambda m: (len(list(m.entries())), m.slug))
    return med.title


def _misspelt(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def random_words(rng: random.Random, index: Index) -> str:
    return _fill(rng, _gibberish)


def drug_then_random_words(rng: random.Random, index: Index) -> str:
    return f"{_focus(index)} {random_words(rng, index)}"[:MAX_QUESTION]


def one_long_word(rng: random.Random, index: Index) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=MAX_QUESTION))


def one_letter_words(rng: random.Random, index: Index) -> str:
    return _fill(rng, lambda r: r.choice(string.ascii_lowercase))


def near_drug_names(rng: random.Random, index: Index) -> str:
    names = [w for w in index.name_word_list if len(w) >= 6]
    return _fill(rng, lambda r: _misspelt(r, r.choice(names)))


def near_english_words(rng: random.Random, index: Index) -> str:
    """Every word a typo of an ordinary one: each must be checked against all of English."""
    english = sorted(w for w in index.lexicon.english if len(w) >= 5 and w.isalpha())
    return _fill(rng, lambda r: _misspelt(r, r.choice(english)))


def drug_then_near_english(rng: random.Random, index: Index) -> str:
    return f"{_focus(index)} {near_english_words(rng, index)}"[:MAX_QUESTION]


def repeated_drug_name(rng: random.Random, index: Index) -> str:
    return _fill(rng, lambda r: _focus(index))


def non_latin(rng: random.Random, index: Index) -> str:
    letters = "абвгдежзиклмнопрстуфхцчшщыэюя" + "αβγδεζηθικλμνξοπρστυφχψω" + "药物副作用头痛恶心"
    return _fill(rng, lambda r: "".join(r.choices(letters, k=r.randint(2, 8))))


def accented(rng: random.Random, index: Index) -> str:
    """Latin letters with accents: they fold to ASCII words, so typo work sees them all."""
    letters = "áéíóúàèìòùâêîôûäëïöüñç" + string.ascii_lowercase
    return _fill(rng, lambda r: "".join(r.choices(letters, k=r.randint(3, 10))))


SHAPES: dict[str, Shape] = {
    "2,000 characters of random words": random_words,
    "a drug's name, then random words": drug_then_random_words,
    "one 2,000-character word": one_long_word,
    "1,000 one-letter words": one_letter_words,
    "words one letter off drug names": near_drug_names,
    "misspelt English words": near_english_words,
    "a drug, then misspelt English": drug_then_near_english,
    "one drug's name, repeated": repeated_drug_name,
    "Cyrillic, Greek and CJK": non_latin,
    "accented random words": accented,
}


class _Recorder:
    """Makes each question's typo budget, as the matcher does, and keeps them to be read."""

    def __init__(self) -> None:
        self.made: list[Budget] = []

    def __call__(self) -> Budget:
        from faqbot.spelling import Budget  # here: faqbot before the budget runs the rest

        self.made.append(Budget())
        return self.made[-1]


def measure(bot: Bot, shape: Shape, runs: int) -> tuple[float, float, int | None]:
    """p50 and worst milliseconds of Session.ask over ``runs`` questions, and the most typo
    comparisons any one budget paid for (counted in a second, untimed pass)."""
    times = []
    rng = random.Random(SEED)
    for _ in range(runs):
        question = shape(rng, bot.index)
        start = time.perf_counter()
        Session(bot).ask(question)
        times.append((time.perf_counter() - start) * 1000)
    recorder = _Recorder()
    try:
        counting = Bot(bot.index, Matcher(bot.index, budget=recorder))
    except TypeError:  # faqbot before the typo budget: nothing to count
        return statistics.median(times), max(times), None
    rng = random.Random(SEED)
    for _ in range(runs):
        Session(counting).ask(shape(rng, bot.index))
    return statistics.median(times), max(times), max(b.spent for b in recorder.made)


def drug_command(bot: Bot) -> float:
    """Seconds the chat's ``/drug NAME`` takes with a LONG_NAME-character name."""
    from faqbot.repl import Repl

    repl = Repl(Session(bot), color=False)
    name = "".join(random.Random(SEED).choices(string.ascii_lowercase + " ", k=LONG_NAME))
    start = time.perf_counter()
    reply = repl.handle(f"/drug {name}") or ""
    took = time.perf_counter() - start
    print(f"  /drug with a {LONG_NAME:,}-character name: {took * 1000:,.1f} ms: {reply[:70]!r}")
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--knowledge", action="append", type=Path, help="a knowledge folder")
    parser.add_argument("--runs", type=int, default=15, help="questions per shape")
    parser.add_argument("--no-drug-command", action="store_true", help="skip /drug NAME")
    args = parser.parse_args(argv)
    folders = args.knowledge or [Path(shipped_knowledge_dir())]
    if not args.knowledge and CORPUS_KNOWLEDGE.is_dir():
        folders.append(CORPUS_KNOWLEDGE)
    for folder in folders:
        bot = Bot(load_knowledge(folder, cache_dir(), cache_key_file()))
        Session(bot).ask(f"{_focus(bot.index)} nausea")  # compile the focus drug first
        print(f"{folder} ({len(bot.index.medications):,} drugs), {args.runs} questions a shape:")
        print(f"  {'shape':<36} {'p50 ms':>8} {'max ms':>8} {'comparisons':>12}")
        for label, shape in SHAPES.items():
            p50, worst, count = measure(bot, shape, args.runs)
            counted = "-" if count is None else f"{count:,}"
            print(f"  {label:<36} {p50:>8.2f} {worst:>8.2f} {counted:>12}")
        if not args.no_drug_command:
            drug_command(bot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
