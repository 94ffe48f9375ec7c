"""With every corpus page loaded, answers come from the drug asked about, or the bot asks."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from faqbot.batch import find_pages, read_pages
from faqbot.bot import Bot, index_medications

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus_bot() -> Bot:
    """A bot over every importable corpus page (imported in memory)."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return Bot(index_medications(read_pages(find_pages([CORPUS]), skip_refused=True)))


@pytest.mark.parametrize(
    ("question", "drug"),
    [
        ("does metformin cause nausea", "metformin"),
        ("can i drink alcohol with metfromin", "metformin"),
        ("what is hydroxizine used for", "hydroxyzine"),
        ("hydralazine side effects", "hydralazine"),
        ("is clonazepam addictive", "clonazepam"),
        ("how does gabapentin work", "gabapentin"),
        ("milnaciprin and alcohol", "milnacipran"),
    ],
)
def test_answers_come_from_the_drug_asked_about(corpus_bot: Bot, question: str, drug: str) -> None:
    """A question naming a drug (maybe misspelt) is answered from that drug only: by one of
    its entries, or, below the threshold, by an offer of its closest entries."""
    answer = corpus_bot.ask(question)
    assert answer.drug == drug, answer.text
    if answer.entry is not None:
        assert answer.entry.id.startswith(f"{drug}:")
    else:
        assert answer.suggestions, answer.text


@pytest.mark.parametrize("question", ["hydr side effects", "clon side effects"])
def test_the_bot_asks_when_names_are_equally_close(corpus_bot: Bot, question: str) -> None:
    """When two drug names are about equally close, the bot asks which one is meant."""
    answer = corpus_bot.ask(question)
    assert answer.status == "clarify"
    assert answer.entry is None
    assert len(answer.suggestions) >= 2


def test_a_drug_not_in_the_corpus_is_not_answered(corpus_bot: Bot) -> None:
    """A name no page has gets no answer from some other drug."""
    assert corpus_bot.ask("does xanaxoprilol cause nausea").entry is None
