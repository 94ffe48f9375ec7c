"""The bot: triage first, small talk, fallbacks without medical content, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faqbot.answer import GENERIC_DISCLAIMER
from faqbot.bot import Bot
from faqbot.render import to_dict, to_text
from faqbot.triage import URGENT_NOTICE


@pytest.mark.parametrize(
    "question",
    [
        "I think I took too many pills",
        "i overdosed on milnacipran",
        "my throat is swelling up",
        "I can't breathe properly after my dose",
        "my lips are swollen",
        "I have chest pain",
        "my husband fainted after taking it",
        "I want to kill myself",
    ],
)
def test_emergency_reports_get_the_urgent_notice_first(shipped_bot: Bot, question: str) -> None:
    """First-person emergencies are urgent and the notice leads the reply."""
    answer = shipped_bot.ask(question)
    assert answer.urgent
    assert answer.text.startswith(URGENT_NOTICE)
    assert to_text(answer).startswith(URGENT_NOTICE[:40])


@pytest.mark.parametrize(
    "question",
    [
        "what are the symptoms of an overdose?",
        "can it cause swelling of the face",
        "does it cause chest pain",
        "is fainting a side effect",
    ],
)
def test_general_questions_about_emergencies_are_not_urgent(
    shipped_bot: Bot, question: str
) -> None:
    """A question about an emergency in general is answered without the urgent notice."""
    assert not shipped_bot.ask(question).urgent


@pytest.mark.parametrize("question", ["hi", "Hello!", "thanks", "bye", "help", "who are you"])
def test_small_talk_uses_no_entry(shipped_bot: Bot, question: str) -> None:
    """Small talk gets a short reply, no knowledge entry and the generic disclaimer."""
    answer = shipped_bot.ask(question)
    assert answer.status == "smalltalk"
    assert answer.entry is None
    assert answer.disclaimer == GENERIC_DISCLAIMER


def test_answers_carry_the_drugs_own_disclaimer(shipped_bot: Bot) -> None:
    """An answer from an entry ends with the drug's disclaimer, in text and JSON."""
    answer = shipped_bot.ask("does it cause constipation")
    assert answer.entry is not None
    assert answer.entry.id == "milnacipran:side-effects/constipation"
    assert answer.disclaimer.startswith("This information is for educational purposes")
    assert to_text(answer).rstrip().endswith("potential adverse effects.")
    assert to_dict(answer)["disclaimer"] == answer.disclaimer


def test_other_drugs_are_never_answered_from_this_one(shipped_bot: Bot) -> None:
    """A question about a drug we don't have abstains instead of answering about milnacipran."""
    for question in ("does ibuprofen cause nausea?", "is sertraline addictive"):
        assert shipped_bot.ask(question).entry is None


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300),
        st.sampled_from(["", " ", "\n\t", "\x00\x01\x7f", "😀💊", "副作用は何ですか", "?" * 50]),
    )
)
def test_no_input_raises(shipped_bot: Bot, question: str) -> None:
    """Any text gets a reply; an entry always brings its disclaimer; confidence is in 0..1."""
    answer = shipped_bot.ask(question)
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.disclaimer
    assert answer.text
    if answer.entry is not None:
        assert " ".join(answer.disclaimer.split()) in " ".join(to_text(answer).split())


def test_a_100_kb_question_is_answered(shipped_bot: Bot) -> None:
    """A 100 kB question is read up to a limit and answered, not choked on."""
    answer = shipped_bot.ask("does it cause nausea " * 5000)
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.disclaimer
