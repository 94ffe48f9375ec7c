"""Bounded cost for any question: the typo work is counted through the matcher's budget seam,
in comparisons rather than seconds, so these tests are deterministic."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

import pytest

from faqbot.bot import MAX_QUESTION, Bot
from faqbot.drugfinder import find_drugs
from faqbot.index import CompiledDrug, Index, build_index
from faqbot.language import data_path
from faqbot.lexicon import LEXICON_FILE, Lexicon, load_lexicon
from faqbot.matcher import MAX_DRUGS, MAX_WORDS, Matcher
from faqbot.models import Medication, Section, SideEffect
from faqbot.normalize import _stem, stem
from faqbot.repl import MAX_NAME, Repl, _Completer
from faqbot.session import Session
from faqbot.spelling import MAX_COMPARISONS, MAX_WORD, Budget

Shape = Callable[[random.Random, Index], str]


class Recorder:
    """Makes each question's budget, as the matcher does, and keeps them to be read."""

    def __init__(self, comparisons: int = MAX_COMPARISONS) -> None:
        self.comparisons = comparisons
        self.made: list[Budget] = []

    def __call__(self) -> Budget:
        self.made.append(Budget(self.comparisons))
        return self.made[-1]

    @property
    def spent(self) -> int:
        return sum(b.spent for b in self.made)


def _fill(rng: random.Random, word: Callable[[random.Random], str]) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < MAX_QUESTION:
        words.append(word(rng))
    return " ".join(words)[:MAX_QUESTION]


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def _english(index: Index) -> list[str]:
    return sorted(w for w in index.lexicon.english if len(w) >= 5 and w.isalpha())


SHAPES: dict[str, Shape] = {
    "random words": lambda rng, index: _fill(
        rng, lambda r: "".join(r.choices(string.ascii_lowercase, k=r.randint(3, 10)))
    ),
    "misspelt English": lambda rng, index: _fill(
        rng, lambda r: _typo(r, r.choice(_english(index)))
    ),
    "a drug, then misspelt English": lambda rng, index: (
        "milnacipran " + _fill(rng, lambda r: _typo(r, r.choice(_english(index))))
    ),
    "misspelt drug names": lambda rng, index: _fill(
        rng, lambda r: _typo(r, r.choice([w for w in index.name_word_list if len(w) >= 6]))
    ),
    "one long word": lambda rng, index: "".join(rng.choices("abcdef", k=MAX_QUESTION)),
    "one-letter words": lambda rng, index: _fill(rng, lambda r: r.choice("abcdefgh")),
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    """The shipped lexicon."""
    return load_lexicon(data_path(LEXICON_FILE))


@pytest.fixture(scope="module")
def shipped(shipped_bot: Bot) -> Index:
    """The shipped knowledge's index (milnacipran alone)."""
    return shipped_bot.index


@pytest.fixture(scope="module")
def crowded(lexicon: Lexicon, shipped: Index) -> Index:
    """Milnacipran among 2,000 invented drugs, so every unknown word has 2,000 names to
    be compared with."""
    rng = random.Random(3)
    names = {
        "".join(rng.choices("aeioubcdfgklmnprstvz", k=rng.randint(6, 12))) for _ in range(2000)
    }
    meds = [
        Medication(
            title=name.title(),
            usage=Section("Usage", f"{name.title()} is used to treat pain."),
            side_effects=(SideEffect("Nausea", "Feeling sick."),),
        )
        for name in sorted(names)
    ]
    return build_index([shipped.medications["milnacipran"], *meds], lexicon)


@pytest.mark.parametrize("knowledge", ["shipped", "crowded"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_budget_holds(request: pytest.FixtureRequest, knowledge: str, shape: str) -> None:
    """No budget pays for more typo comparisons than it holds, whatever the question."""
    index: Index = request.getfixturevalue(knowledge)
    recorder = Recorder()
    session = Session(Bot(index, Matcher(index, budget=recorder)))
    rng = random.Random(7)
    for _ in range(3):
        session.ask(SHAPES[shape](rng, index))
    assert recorder.made
    assert all(0 <= b.spent <= MAX_COMPARISONS for b in recorder.made)


def test_budget_binds_on_a_costly_question(shipped: Index) -> None:
    """A question of misspelt words would need many times the budget, and gets only it."""
    question = SHAPES["misspelt English"](random.Random(1), shipped)
    unbounded = Recorder(10**9)
    Matcher(shipped, budget=unbounded).match(question)
    bounded = Recorder()
    Matcher(shipped, budget=bounded).match(question)
    assert unbounded.spent > 2 * MAX_COMPARISONS
    assert MAX_COMPARISONS - 10_000 < bounded.spent <= MAX_COMPARISONS


def test_a_budget_never_overdraws() -> None:
    """A check that would overdraw the budget is refused and takes nothing from it."""
    budget = Budget(100)
    assert budget.spend(60)
    assert not budget.spend(41)
    assert budget.spend(40)
    assert (budget.left, budget.spent) == (0, 100)
    assert not budget.spend(1)


def test_each_word_is_checked_once(shipped: Index) -> None:
    """A misspelt word repeated costs what it costs once."""
    once, repeated = Recorder(), Recorder()
    Matcher(shipped, budget=once).match("does it cause naseau")
    Matcher(shipped, budget=repeated).match("does it cause naseau " + "naseau " * 50)
    assert once.spent == repeated.spent > 0


def test_the_same_question_gets_the_same_answer(crowded: Index) -> None:
    """Words past the budget are left as typed, the same way each time: answers reproduce."""
    bot = Bot(crowded)
    rng = random.Random(5)
    for shape in SHAPES.values():
        question = shape(rng, crowded)
        assert bot.ask(question) == bot.ask(question)


def test_long_words_get_no_typo_work(shipped: Index) -> None:
    """A word longer than MAX_WORD is compared with nothing, and stays out of the stem cache."""
    recorder = Recorder()
    word = "x" * (MAX_WORD + 1)
    Matcher(shipped, budget=recorder).match(f"milnacipran {word} {'y' * MAX_QUESTION}")
    assert recorder.spent == 0
    before = _stem.cache_info().currsize
    stem("z" * MAX_QUESTION)
    assert _stem.cache_info().currsize == before


def test_a_long_question_answers_its_first_words(shipped_bot: Bot) -> None:
    """A question read up to MAX_WORDS words is answered as it would be on its own."""
    question = "does milnacipran cause dry mouth"
    padding = " ".join(["and"] * (MAX_WORDS - len(question.split())))
    noise = SHAPES["misspelt English"](random.Random(2), shipped_bot.index)
    alone = shipped_bot.ask(f"{question} {padding}")
    long = shipped_bot.ask(f"{question} {padding} {noise}"[:MAX_QUESTION])
    assert alone.entry is not None
    assert alone.entry.title == "Dry mouth"
    assert (long.entry, long.confidence) == (alone.entry, alone.confidence)


def test_only_the_first_named_drugs_are_matched(
    crowded: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question naming hundreds of drugs is matched against at most MAX_DRUGS of them."""
    names = [m.title for m in list(crowded.medications.values())[1:200]]
    looked_at: set[str] = set()
    original = crowded.drug

    def drug(slug: str) -> CompiledDrug:
        looked_at.add(slug)
        return original(slug)

    monkeypatch.setattr(crowded, "drug", drug)
    Matcher(crowded).match("nausea " + " ".join(names))
    assert 1 <= len(looked_at) <= MAX_DRUGS


def test_exact_names_match_a_plain_search(crowded: Index) -> None:
    """Names found by their first word are those a search of every length finds."""
    rng = random.Random(11)
    words = [w for key in crowded.names for w in key]
    for _ in range(200):
        question = [rng.choice([*words, "the", "and", "pain"]) for _ in range(rng.randint(1, 12))]
        found = find_drugs(question, crowded, Budget(0)).positions
        assert found == _plain_positions(question, crowded)


def _plain_positions(words: list[str], index: Index) -> set[int]:
    """The positions of exact names, longest first, trying every length (the old search)."""
    longest = max(len(k) for k in index.names)
    positions: set[int] = set()
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            if tuple(words[i : i + n]) in index.names:
                positions.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    return positions


def test_session_keeps_no_more_than_it_reads(shipped_bot: Bot) -> None:
    """A session's state holds at most MAX_QUESTION characters of a question."""
    session = Session(shipped_bot)
    session.ask("how much should I take " + "x" * 100_000)
    state = session.to_dict()
    assert len(str(state)) < 2 * MAX_QUESTION


def test_drug_with_a_huge_name_is_refused_at_once(
    shipped_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/drug with a 100,000-character name says it is too long, with no fuzzy lookup."""

    def no_lookup(*args: object, **kwargs: object) -> object:
        raise AssertionError("a name over MAX_NAME was looked up")

    monkeypatch.setattr("faqbot.repl.process.extract", no_lookup)
    repl = Repl(Session(shipped_bot), color=False)
    reply = repl.handle("/drug " + "a" * 100_000) or ""
    assert reply.startswith("That name is 100,000 characters long")
    assert f"up to {MAX_NAME}" in reply
    assert len(reply) < 200
    assert (repl.handle("/drugs " + "a" * 100_000) or "").startswith("That name is 100,000")
    assert repl.session.drug is None  # no drug was chosen


def test_a_real_name_still_works_with_drug(shipped_bot: Bot) -> None:
    """/drug with an ordinary, misspelt name still finds the drug."""
    repl = Repl(Session(shipped_bot), color=False)
    assert "Now talking about Milnacipran" in (repl.handle("/drug milnaciprn") or "")


def test_completion_ignores_a_huge_prefix(shipped_bot: Bot) -> None:
    """Completing after /drug offers nothing for a prefix longer than MAX_NAME."""
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    completer = _Completer(lambda: [], ["Milnacipran"])
    event = CompleteEvent(completion_requested=True)
    short = list(completer.get_completions(Document("/drug Miln"), event))
    huge = list(completer.get_completions(Document("/drug " + "M" * 100_000), event))
    assert [c.text for c in short] == ["Milnacipran"]
    assert huge == []
