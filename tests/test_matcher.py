"""The matcher: questions as users type them → one entry, an honest abstention, or a question
back when the drug is unclear. Built on small invented medications, so no file is needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from faqbot.errors import KnowledgeError
from faqbot.index import Index, build_index
from faqbot.language import data_path
from faqbot.lexicon import LEXICON_FILE, Lexicon, load_lexicon
from faqbot.matcher import Matcher
from faqbot.models import Faq, Medication, Section, SideEffect

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"


def _hydroxyzine() -> Medication:
    return Medication(
        title="Hydroxyzine",
        usage=Section(
            "Usage", "Hydroxyzine is an antihistamine used to treat anxiety and itching."
        ),
        how_it_works=Section(
            "How it works", "It blocks histamine receptors and calms activity in the brain."
        ),
        side_effects_intro="Common side effects include:",
        side_effects=(
            SideEffect("Drowsiness", "Feeling sleepy during the day."),
            SideEffect("Dry mouth", "Less saliva than usual."),
            SideEffect("Headache", "Usually mild."),
            SideEffect("Allergic reactions", "Rash, swelling or trouble breathing; rare."),
        ),
        faqs=(
            Faq("Is hydroxyzine habit forming?", "It is not considered habit forming."),
            Faq("Can I drink alcohol while taking hydroxyzine?", "Avoid alcohol."),
            Faq("What should I do if I miss a dose?", "Take it when you remember."),
            Faq(
                "Can I take hydroxyzine with other medications?",
                "Tell your doctor about all medications, supplements and herbal remedies.",
            ),
        ),
        note="This information is AI-generated and may not be accurate.",
    )


def _hydralazine() -> Medication:
    return Medication(
        title="Hydralazine",
        usage=Section("Usage", "Hydralazine is used to treat high blood pressure."),
        how_it_works=Section("How it works", "A vasodilator: it relaxes and widens blood vessels."),
        side_effects=(
            SideEffect("Headache", "A frequent side effect."),
            SideEffect("Rapid heartbeat (tachycardia)", "The heart may beat faster."),
            SideEffect("Fluid retention (edema)", "Swelling in the ankles, feet or legs."),
        ),
        faqs=(
            Faq("Can I stop taking hydralazine suddenly?", "No; ask your doctor first."),
            Faq(
                "Is hydralazine safe during pregnancy?", "Only if the benefits outweigh the risks."
            ),
        ),
    )


def _named(title: str) -> Medication:
    return Medication(
        title=title,
        usage=Section("Usage", f"{title} is used to treat high blood pressure."),
        side_effects=(SideEffect("Drowsiness", "Sleepiness."),),
    )


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    """The shipped lexicon."""
    return load_lexicon(data_path(LEXICON_FILE))


@pytest.fixture(scope="module")
def many(lexicon: Lexicon) -> Matcher:
    """A matcher over two look-alike pairs: hydroxyzine/hydralazine, clonidine/clonazepam."""
    meds = [_hydroxyzine(), _hydralazine(), _named("Clonidine"), _named("Clonazepam")]
    return Matcher(build_index(meds, lexicon))


@pytest.fixture(scope="module")
def one(lexicon: Lexicon) -> Matcher:
    """A matcher over hydroxyzine alone, as a single-drug bot is."""
    return Matcher(build_index([_hydroxyzine()], lexicon))


NAMED = [
    ("hydroxyzine side efects", "hydroxyzine:side-effects"),
    ("what are the side effects of hydroxyzine", "hydroxyzine:side-effects"),
    ("does hydroxizine make you sleepy", "hydroxyzine:side-effects/drowsiness"),
    ("hydroxyzine cotton mouth", "hydroxyzine:side-effects/dry-mouth"),
    ("can hydroxyzine give you headaches", "hydroxyzine:side-effects/headache"),
    ("is hydroxyzine addictive", "hydroxyzine:faqs/is-hydroxyzine-habit-forming"),
    ("hydroxyzine and beer", "hydroxyzine:faqs/can-i-drink-alcohol-while-taking-hydroxyzine"),
    ("forgot my hydroxyzine dose", "hydroxyzine:faqs/what-should-i-do-if-i-miss-a-dose"),
    (
        "can i take hydroxyzine with tramadol",
        "hydroxyzine:faqs/can-i-take-hydroxyzine-with-other-medications",
    ),
    ("what is hydroxyzine used for", "hydroxyzine:usage"),
    ("hydroxyzine", "hydroxyzine:usage"),
    ("how does hydroxyzine work", "hydroxyzine:how-it-works"),
    ("hydralazine swollen ankles", "hydralazine:side-effects/fluid-retention-edema"),
    ("hydralizine heart racing", "hydralazine:side-effects/rapid-heartbeat-tachycardia"),
    (
        "can i quit hydralazine cold turkey",
        "hydralazine:faqs/can-i-stop-taking-hydralazine-suddenly",
    ),
    ("is hydralazine ok while pregnant", "hydralazine:faqs/is-hydralazine-safe-during-pregnancy"),
    ("what is hydralazine for", "hydralazine:usage"),
    ("clonodine side effects", "clonidine:side-effects"),
    # Not answered: the named drug's entries don't say, or the drug isn't loaded.
    ("hydroxyzine dosage", None),
    ("how much does hydroxyzine cost", None),
    ("does hydralazine cause dry mouth", None),
    ("hydralazine hair loss", None),
    ("can i take hydroxyzine while pregnant", None),
    ("is xanax addictive", None),
    ("hydrocodone side effects", None),
    ("sertraline side effects", None),
]


@pytest.mark.parametrize(("question", "expected"), NAMED)
def test_named_drug_questions(many: Matcher, question: str, expected: str | None) -> None:
    """A question naming its drug, typos and all, finds the entry meant, or abstains."""
    match = many.match(question)
    got = f"{match.drug}:{match.entry.id}" if match.entry else None
    assert got == expected, match
    assert (match.status == "answered") == (expected is not None)


def test_remarks_in_other_names_name_no_drug(lexicon: Lexicon) -> None:
    """A generic name's remarks ("(various brands exist, often combined)", "N/A (no such
    drug)") are not names: their words ("often", "a") do not pull questions to that drug."""
    remarked = [
        Medication(
            title=f"{title}",
            generic_name=generic,
            usage=Section("Usage", f"{title} is used to treat high blood pressure."),
        )
        for title, generic in [
            ("Clonidine", "Clonidine (various forms exist, often with other components)"),
            ("Clonazepam", "N/A (no such combined generic drug exists)"),
            ("Hydralazine", "Hydralazine (Apresoline)"),
        ]
    ]
    index = build_index([_hydroxyzine(), *remarked], lexicon)
    assert ("often",) not in index.names
    assert ("a",) not in index.names
    assert ("hydralazine", "apresoline") in index.names  # a name in brackets stays
    matcher = Matcher(index)
    for question, expected in [
        (
            "what should i do if i miss a dose of hydroxyzine",
            "faqs/what-should-i-do-if-i-miss-a-dose",
        ),
        ("can hydroxyzine often give you headaches", "side-effects/headache"),
    ]:
        match = matcher.match(question)
        assert (match.drug, match.entry and match.entry.id) == ("hydroxyzine", expected), match


ALONE = [
    ("my mouth is always dry now", "side-effects/dry-mouth"),
    ("drymouth?", "side-effects/dry-mouth"),
    ("sideeffects?", "side-effects"),
    ("can it cause a rash", "side-effects/allergic-reactions"),
    ("can I take it with tramadol", "faqs/can-i-take-hydroxyzine-with-other-medications"),
    (
        "is it safe with my blood pressure pills",
        "faqs/can-i-take-hydroxyzine-with-other-medications",
    ),
    ("i take st johns wort, is that ok", "faqs/can-i-take-hydroxyzine-with-other-medications"),
    ("hw does it wrk", "how-it-works"),
    ("is this info reliable?", "note"),
    ("MISSED A DOSE WHAT DO I DO", "faqs/what-should-i-do-if-i-miss-a-dose"),
    ("dosage", None),
    ("how much should i take", None),
    ("what does the pill look like", None),
    ("is there a generic", None),
    ("does it cause weight gain", None),
    ("does ibuprofen cause nausea", None),
    ("how long does lyrica take to work", None),
    ("can i drink alcohol on cymbalta", None),
    ("", None),
]


@pytest.mark.parametrize(("question", "expected"), ALONE)
def test_single_drug_questions(one: Matcher, question: str, expected: str | None) -> None:
    """With one drug loaded, "it" is that drug, and other drugs' names are not."""
    match = one.match(question)
    assert (match.entry.id if match.entry else None) == expected, match


@pytest.mark.parametrize(
    "question",
    ["hydrizine side effects", "hydr dizziness", "clon side effects"],
)
def test_lookalike_names_ask(many: Matcher, question: str) -> None:
    """A name about equally close to two drugs asks which one, never guesses."""
    match = many.match(question)
    assert match.status == "clarify"
    assert match.entry is None
    assert len(match.suggestions) >= 2


def test_a_typo_as_close_to_a_real_drug_without_a_page_is_no_page_name(many: Matcher) -> None:
    """ "hydraxine" is as close to hydramine, a real drug with no page, as to hydroxyzine's
    names: typo correction never turns another drug into one we have."""
    match = many.match("hydraxine headache")
    assert match.status == "abstained"
    assert match.reason == "unknown_drug"


def test_no_drug_named_asks(many: Matcher) -> None:
    """With several drugs loaded and none named, the matcher asks which drug."""
    match = many.match("what should i do if i miss a dose")
    assert (match.status, match.reason) == ("clarify", "no_drug")


def test_context_supplies_the_drug(many: Matcher) -> None:
    """A follow-up without a name is about the drug of the conversation."""
    match = many.match("does it cause headaches", context="hydralazine")
    assert match.entry is not None
    assert (match.drug, match.entry.id) == ("hydralazine", "side-effects/headache")


def test_named_drug_beats_context(many: Matcher) -> None:
    """A drug named in the question wins over the one talked about before."""
    match = many.match("hydroxyzine headache", context="hydralazine")
    assert match.drug == "hydroxyzine"


def test_abstention_suggests_topics(one: Matcher) -> None:
    """An abstention names the closest topics, so the user can rephrase."""
    match = one.match("whats the max dose")
    assert match.status == "abstained"
    assert match.suggestions


def test_lexicon_rejects_bare_yaml_booleans(tmp_path: Path) -> None:
    """A bare `on` in a word list (YAML reads it as true) is reported with the fix."""
    path = tmp_path / LEXICON_FILE
    path.write_text("format: 1\nstopwords: [the, on]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="quote it"):
        load_lexicon(path)


def test_index_knows_every_name(many: Matcher) -> None:
    """Every drug of the index is reachable by its slug."""
    index: Index = many.index
    assert set(index.medications) == {"hydroxyzine", "hydralazine", "clonidine", "clonazepam"}


ODD = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(st.sampled_from(["hydr", "it", "with", "dose", "side", "clon", "\x00", "🙂"])).map(
        " ".join
    ),
)


@settings(max_examples=200, deadline=None)
@given(question=ODD, context=st.sampled_from([None, "hydroxyzine", "nonsense"]))
@example(question="", context=None)
@example(question=" \t\n ", context=None)
@example(question="side effects " * 8000, context=None)  # about 100 kB
@example(question="\x00\x01\x1b[31m\x7f", context="hydroxyzine")
@example(question="副作用は何ですか", context=None)
@example(question="Какие побочные эффекты", context="hydroxyzine")
@example(question="💊💊 🤢🤮 ???", context=None)
def test_match_never_raises(many: Matcher, question: str, context: str | None) -> None:
    """Any text at all gets a well-formed Match with a confidence within 0..1."""
    match = many.match(question, context)
    assert match.status in ("answered", "abstained", "clarify")
    assert 0.0 <= match.confidence <= 1.0
    assert (match.entry is not None) == (match.status == "answered")


def test_short_typos_are_typos_not_drug_names(one: Matcher) -> None:
    """A four-letter typo whose stem has three ("sdie" → "sdi"), or a typo of a stopword
    ("tihs"), is corrected, not taken for the name of a drug we have no page for."""
    for question, expected in [
        ("hydroxyzine sdie effects", "side-effects"),
        ("is tihs habit forming", "faqs/is-hydroxyzine-habit-forming"),
    ]:
        match = one.match(question)
        assert (match.entry.id if match.entry else None) == expected, match


def test_names_said_in_other_ways(lexicon: Lexicon) -> None:
    """A drug is named by what its names hold in brackets ("(rFSH)"), by a name with a digit
    that reads as shorthand ("n-butyl-2-cyanoacrylate": the "2" is no "to"), and, in its own
    conversation, by a word of its name said alone ("the vaccine")."""
    vaccine = Medication(
        title="Zoster Vaccine Recombinant",
        usage=Section("Usage", "It is given to prevent shingles in adults."),
        faqs=(Faq("Is the vaccine safe?", "Most people have only a sore arm."),),
    )
    rfsh = Medication(
        title="Follitropin",
        generic_name="Recombinant Follicle Stimulating Hormone (rFSH)",
        usage=Section("Usage", "It is used to treat infertility."),
        faqs=(Faq("Who should not use it?", "People with ovarian cysts."),),
    )
    glue = Medication(
        title="n-Butyl-2-cyanoacrylate",
        usage=Section("Usage", "It is a tissue adhesive used to close small wounds."),
    )
    matcher = Matcher(build_index([_hydroxyzine(), vaccine, rfsh, glue], lexicon))
    for question, context, expected in [
        ("Is the vaccine safe?", "zoster-vaccine-recombinant", "faqs/is-the-vaccine-safe"),
        ("who should not take rfsh", None, "faqs/who-should-not-use-it"),
        ("what is n-butyl-2-cyanoacrylate used for", None, "usage"),
    ]:
        match = matcher.match(question, context)
        assert (match.entry.id if match.entry else None) == expected, match
