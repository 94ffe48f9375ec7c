"""Conversations: follow-ups, switching drugs, picking suggestions, reset, saved state."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS

from faqbot.batch import read_pages
from faqbot.bot import Bot, index_medications
from faqbot.errors import FaqbotError
from faqbot.session import Session

TWO_DRUGS = ("m/metformin.md", "g/gabapentin.md")


@pytest.fixture(scope="module")
def corpus_bot() -> Bot:
    """A bot over a few corpus drugs, among them a look-alike pair."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    pages = [*TWO_DRUGS, "m/milnacipran.md", "h/hydroxyzine.md", "h/hydralazine.md"]
    return Bot(index_medications(read_pages((CORPUS / p, p) for p in pages)))


def _ids(session: Session, questions: list[str]) -> list[str | None]:
    answers = [session.ask(q) for q in questions]
    return [a.entry.id if a.entry else a.status for a in answers]


def test_follow_ups_keep_the_drug(shipped_bot: Bot) -> None:
    """After a question, "what about sweating?" and "and alcohol?" ask about the same drug."""
    ids = _ids(
        Session(shipped_bot),
        ["does milnacipran cause dry mouth", "what about sweating?", "and alcohol?"],
    )
    assert ids == [
        "milnacipran:side-effects/dry-mouth",
        "milnacipran:side-effects/sweating",
        "milnacipran:faqs/can-i-drink-alcohol-while-taking-milnacipran",
    ]


def test_the_reply_echoes_the_question_as_asked(shipped_bot: Bot) -> None:
    """A follow-up's reply carries the words the person typed, not the rewritten question."""
    session = Session(shipped_bot)
    session.ask("does milnacipran cause dry mouth")
    assert session.ask("what about sweating?").question == "what about sweating?"


def test_naming_another_drug_switches_and_keeps_the_question(corpus_bot: Bot) -> None:
    """Asking "what about gabapentin?" after an addiction question asks it of gabapentin."""
    session = Session(corpus_bot)
    first = session.ask("is milnacipran addictive")
    assert first.entry is not None
    assert first.entry.id == "milnacipran:faqs/is-milnacipran-addictive"
    second = session.ask("what about gabapentin?")
    assert second.entry is not None
    assert second.entry.id == "gabapentin:faqs/is-gabapentin-addictive"
    assert session.drug == "gabapentin"


def test_and_how_does_x_work_switches(corpus_bot: Bot) -> None:
    """Asking "and how does metformin work?" answers for metformin, whatever came before."""
    session = Session(corpus_bot)
    session.ask("what is gabapentin for")
    answer = session.ask("and how does metformin work?")
    assert answer.entry is not None
    assert answer.entry.id == "metformin:how-it-works"


def test_a_drug_named_after_we_asked_which_answers_the_question(corpus_bot: Bot) -> None:
    """With no drug in focus the bot asks which; naming one answers the original question."""
    session = Session(corpus_bot)
    assert session.ask("is it addictive").status == "clarify"
    answer = session.ask("gabapentin")
    assert answer.entry is not None
    assert answer.entry.id == "gabapentin:faqs/is-gabapentin-addictive"


def test_choose_a_drug_by_number(corpus_bot: Bot) -> None:
    """Between look-alike names the bot asks; "2" picks the second and answers."""
    session = Session(corpus_bot)
    asked = session.ask("hydr side effects")
    assert asked.status == "clarify"
    chosen = asked.suggestions[1]
    answer = session.ask("2")
    assert answer.entry is not None
    assert answer.entry.drug == chosen
    assert answer.entry.kind in ("side_effects", "side_effect")


def test_choose_a_topic_by_number_or_words(shipped_bot: Bot) -> None:
    """Below the threshold the bot offers topics; a number or the words pick one."""
    session = Session(shipped_bot)
    offered = session.ask("how much should i take")
    assert offered.entry is None
    assert offered.suggestions
    picked = session.ask("1")
    assert picked.entry is not None
    assert picked.entry.title == offered.suggestions[0]
    again = Session(shipped_bot)
    offered = again.ask("how much should i take")
    by_words = again.ask(offered.suggestions[-1].lower().rstrip("?"))
    assert by_words.entry is not None
    assert by_words.entry.title == offered.suggestions[-1]


def test_a_number_without_an_offer_is_just_a_question(shipped_bot: Bot) -> None:
    """A "2" with nothing offered is asked as a question, not taken as a choice."""
    assert Session(shipped_bot).ask("2").entry is None


def test_reset_forgets(corpus_bot: Bot) -> None:
    """After reset, a question without a drug name asks which drug again."""
    session = Session(corpus_bot)
    session.ask("does metformin cause nausea")
    session.reset()
    assert session.drug is None
    assert session.ask("is it addictive").status == "clarify"


def test_ten_turns_over_two_drugs_stay_on_the_right_drug(corpus_bot: Bot) -> None:
    """Every turn of a 10-turn conversation is answered from the drug being talked about."""
    turns = [
        ("what is metformin used for", "metformin"),
        ("does it cause nausea", "metformin"),
        ("can I drink alcohol with it", "metformin"),
        ("what if i miss a dose", "metformin"),
        ("how does it work", "metformin"),
        ("what about gabapentin?", "gabapentin"),
        ("is it addictive", "gabapentin"),
        ("does it make you dizzy", "gabapentin"),
        ("how does metformin work", "metformin"),
        ("and gabapentin?", "gabapentin"),
    ]
    session = Session(corpus_bot)
    for question, drug in turns:
        answer = session.ask(question)
        assert answer.entry is not None, question
        assert answer.entry.id.startswith(f"{drug}:"), (question, answer.entry.id)


def test_state_round_trips_through_json(corpus_bot: Bot) -> None:
    """A session saved as JSON and restored goes on where it was, offer included."""
    session = Session(corpus_bot)
    session.ask("hydr side effects")
    state = json.loads(json.dumps(session.to_dict()))
    restored = Session.from_dict(corpus_bot, state)
    assert restored.to_dict() == session.to_dict()
    answer = restored.ask("1")
    assert answer.entry is not None


def test_state_stays_small(shipped_bot: Bot) -> None:
    """However long the conversation, the saved state stays bounded."""
    session = Session(shipped_bot)
    for n in range(200):
        session.ask(f"question number {n} about nausea and headaches " * 20)
    assert len(json.dumps(session.to_dict())) < 2000


@pytest.mark.parametrize(
    "state",
    [
        [],
        {"drug": "no-such-drug"},
        {"topic": 3},
        {"offer": {"kind": "drug", "options": ["x"], "labels": ["X"], "question": "q"}},
        {"offer": {"kind": "topic", "options": [], "labels": [], "question": "q"}},
    ],
)
def test_bad_state_is_a_clear_error(shipped_bot: Bot, state: object) -> None:
    """Restoring malformed state raises FaqbotError naming the field, never a traceback."""
    with pytest.raises(FaqbotError, match="session"):
        Session.from_dict(shipped_bot, state)
