"""Answers that hold on real questions: drug names from the dictionary, topics across drugs,
honest "the page doesn't cover", companions in interaction questions, words that are not the
point. Built on small invented pages named after real drugs, so no corpus is needed."""

from __future__ import annotations

import pickle

import pytest

from faqbot.bot import Bot
from faqbot.index import build_index
from faqbot.language import data_path
from faqbot.lexicon import LEXICON_FILE, Lexicon, load_lexicon
from faqbot.matcher import GENERAL_CONFIDENCE
from faqbot.nametable import NameTable, Packed
from faqbot.outcome import Reason, Status
from faqbot.session import Session
from faqbot.topics import Topics

from faqbot.models import Faq, Medication, Section, SideEffect  # isort: skip


def _page(title: str, *faqs: tuple[str, str], aliases: tuple[str, ...] = ()) -> Medication:
    return Medication(
        title=title,
        aliases=aliases,
        usage=Section("Usage", f"{title} is used to treat a condition."),
        how_it_works=Section("How it works", f"{title} works on the body in its own way."),
        side_effects=(
            SideEffect("Nausea", "Feeling sick."),
            SideEffect("Headache", ""),  # listed, not described
        ),
        faqs=tuple(Faq(q, a) for q, a in faqs),
        note="This information is AI-generated and may not be accurate.",
    )


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(data_path(LEXICON_FILE))


@pytest.fixture(scope="module")
def bot(lexicon: Lexicon) -> Bot:
    pages = [
        _page(
            "Metformin",
            ("Can I drink alcohol while taking metformin?", "Heavy drinking raises a risk."),
            ("What should I do if I miss a dose?", "Take it when you remember."),
            ("Can I take metformin with other medications?", "Tell your doctor about them all."),
            ("Can I take metformin with insulin?", "Yes, often, under a doctor's care."),
            ("What are the symptoms of an overdose?", "Low blood sugar; get help at once."),
            aliases=("glucophage",),
        ),
        _page("Prednisolone"),
        _page("Tramadol"),
        _page("Alcohol"),
        _page("Penicillin"),
        _page("Insulin"),
    ]
    return Bot(build_index(pages, lexicon))


# --- drug names ----------------------------------------------------------------------------


def test_a_brand_in_the_knowledge_file_finds_its_page(bot: Bot) -> None:
    assert bot.ask("what is glucophage used for").entry.id == "metformin:usage"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("prednisone side effects", "Prednisone"),  # a real drug, one letter from a page
        ("does toradol cause nausea", "Toradol (Ketorolac)"),  # a brand of another drug
        ("is xanax addictive", "Xanax (Alprazolam)"),
    ],
)
def test_a_real_drug_without_a_page_is_never_a_look_alike(
    bot: Bot, question: str, named: str
) -> None:
    """The index knows the dictionary's drugs: no answer, nothing offered from a look-alike."""
    answer = bot.ask(question)
    assert answer.entry is None
    assert answer.reason == Reason.UNKNOWN_DRUG
    assert answer.text.startswith(f"I don't have a page about {named}.")
    assert "Prednisolone" not in answer.suggestions


def test_the_name_table_survives_the_cache() -> None:
    """The packed names pickle to the same lookups (the index cache holds them)."""
    table = NameTable({"prednisone": None, "toradol": "Ketorolac", "st johns wort": None})
    again = pickle.loads(pickle.dumps(table))
    assert again.get("toradol") == "Toradol (Ketorolac)"
    assert again.drug_of("toradol") == "ketorolac"
    assert again.longest_at(["is", "st", "johns", "wort", "safe"], 1) == 3
    assert again.get("prednisolone") is None
    assert list(Packed(["a", "bc", ""])) == ["a", "bc", ""]


# --- topics --------------------------------------------------------------------------------


def test_topics_are_found_in_any_phrasing(lexicon: Lexicon) -> None:
    topics: Topics = lexicon.topics

    def find(q: str) -> tuple[str, ...]:
        return topics.find(q.split())

    assert find("how much it should i take") == ("dose",)
    assert find("what if i miss a dose") == ("missed_dose",)  # not also "dose": narrower
    assert find("how long does it take for it to work") == ("onset",)
    assert find("can i drink alcohol with it") == ("alcohol",)  # not also "interactions"
    assert find("does it lower sex drive") == ()  # "drive" here is not driving


def test_a_topic_the_page_does_not_cover_is_said_so(bot: Bot) -> None:
    """Dose, pregnancy, storage: the page says nothing, so the reply says that, then offers
    what it covers; never the nearest entry."""
    for question, label in [
        ("what is the usual dose of metformin", "dosing"),
        ("can i take metformin while pregnant", "pregnancy"),
        ("how should i store metformin", "storage"),
    ]:
        answer = bot.ask(question)
        assert answer.entry is None, question
        assert answer.reason == Reason.TOPIC_NOT_COVERED
        assert answer.text.startswith(f"The Metformin page doesn't cover {label}.")
        assert answer.suggestions


def test_a_topic_the_page_covers_is_answered_by_its_entry(bot: Bot) -> None:
    ids = {
        "metformin and booze?": "metformin:faqs/can-i-drink-alcohol-while-taking-metformin",
        "forgot my metformin pill this morning": "metformin:faqs/what-should-i-do-if-i-miss-a-dose",
        "what should i do if i msis a dose of metformin": (
            "metformin:faqs/what-should-i-do-if-i-miss-a-dose"
        ),
    }
    for question, expected in ids.items():
        answer = bot.ask(question)
        assert answer.entry is not None, question
        assert answer.entry.id == expected, question


def test_the_closing_note_answers_only_questions_about_the_page(bot: Bot) -> None:
    assert bot.ask("where does metformin come from").entry is None
    answer = bot.ask("is this information about metformin ai generated")
    assert answer.entry is not None
    assert answer.entry.id == "metformin:note"


def test_a_side_effect_listed_without_text_gets_framing_words_only(bot: Bot) -> None:
    answer = bot.ask("does metformin cause headaches")
    assert answer.entry is not None
    assert answer.entry.id == "metformin:side-effects/headache"
    assert answer.text == "Headache is listed among the side effects of Metformin."


# --- companions ----------------------------------------------------------------------------


def test_a_drug_named_with_the_one_talked_about_is_a_companion(bot: Bot) -> None:
    """ "can i drink alcohol with it" in a metformin conversation stays on metformin, though
    Alcohol has a page; so does "allergic to penicillin"."""
    session = Session(bot)
    session.ask("what is metformin used for")
    answer = session.ask("can i drink alcohol with it")
    assert answer.drug == "metformin"
    assert answer.entry is not None
    assert "alcohol" in answer.entry.id
    session.ask("allergic to penicillin")
    assert session.drug == "metformin"


def test_an_interaction_question_prefers_the_entry_naming_the_companion(bot: Bot) -> None:
    answer = bot.ask("can i take metformin with insulin")
    assert answer.entry is not None
    assert answer.entry.id == "metformin:faqs/can-i-take-metformin-with-insulin"
    general = bot.ask("can i take metformin with tramadol")  # no entry names tramadol
    assert general.entry is not None
    assert general.entry.id == "metformin:faqs/can-i-take-metformin-with-other-medications"
    assert general.confidence <= GENERAL_CONFIDENCE  # what the page says in general: less sure


# --- words that are not the point ------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["metformin 500 mg side effects", "metformin 500mg tablets nausea", "metformin er nausea"],
)
def test_strengths_and_forms_do_not_count_against_entries(bot: Bot, question: str) -> None:
    answer = bot.ask(question)
    assert answer.status == Status.ANSWERED, question
    assert answer.entry is not None
    assert answer.entry.id.startswith("metformin:side-effects")


def test_a_question_of_stopwords_is_no_overview(bot: Bot) -> None:
    """The drug's usage answers "tell me about X", not "is X the same as Y"."""
    assert bot.ask("tell me about metformin").entry.id == "metformin:usage"  # type: ignore[union-attr]
    assert bot.ask("is glucophage the same as metformin").entry is None


def test_an_overdose_report_gets_the_notice_then_the_page_s_overdose_entry(bot: Bot) -> None:
    answer = bot.ask("I took 20 of my metformin pills")
    assert answer.urgent
    assert answer.entry is not None
    assert answer.entry.id == "metformin:faqs/what-are-the-symptoms-of-an-overdose"
    assert "poison control" in answer.text


def test_every_name_of_the_table_is_found() -> None:
    """The bitmap of names' starts rules a word out only when no name starts as it does."""
    from faqbot.dictionary import name_table

    table = name_table()
    assert all(table.get(name) is not None for name in list(table._names)[::97])
    assert table.longest_at(["is", "st", "johns", "wort", "ok"], 1) == 3
