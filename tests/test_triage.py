"""Urgent triage: reports of an emergency (first or third person, past or planned) are urgent,
general questions about one are not, and a page's own overdose entry is found."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from faqbot.models import Entry
from faqbot.triage import (
    _SECTIONS,
    TRIAGE_FILE,
    URGENT_NOTICE,
    _alternatives,
    _words,
    is_overdose,
    is_urgent,
    overdose_entry,
    read_sections,
)

EVAL_SET = ROOT / "tests" / "eval" / "triage.yaml"
MIN_RECALL = 0.95
MIN_PRECISION = 0.95
# The sections a clause is matched against only when it holds their cue.
CUED = ("crisis", "event", "overdose_event", "topic", "overdose_topic")


@pytest.mark.parametrize(
    "question",
    [
        # too many, first and third person
        "I took 20 pills",
        "took like 15 benadryl",
        "ive swallowed about 40 paracetamol",
        "she took all 30 of her pills",
        "i think my dad took too much of his morphine, he's very sleepy",
        "I took way more than I should have",
        "I have been taking 8 pills a day instead of 2",
        "gave my baby too much tylenol",
        # a whole bottle, a double dose, an extra dose by mistake
        "he swallowed a whole bottle of sleeping pills",
        "I accidentally took a double dose",
        "I gave my son a double dose of his antibiotic",
        "i took 3 times the recommended amount",
        "I just realised I took my evening dose twice",
        "i accidently took 2 of my blood thinners",
        "Hi. I took it this morning and then forgot and took it again. What should I do?",
        "I accidentally took my husband's pills",
    ],
)
def test_taking_too_much_is_urgent(question: str) -> None:
    """Too many pills, a whole bottle, a double or extra dose by mistake: urgent."""
    assert is_urgent(question)
    assert is_overdose(question)


@pytest.mark.parametrize(
    "question",
    ["I OD'd on my pills", "he od'd", "She ODed last night", "i think i overdosed", "i od on it"],
)
def test_od_in_every_spelling_is_urgent(question: str) -> None:
    """OD'd (normalised to "odd"), ODed and overdosed are reports of an overdose."""
    assert is_urgent(question)
    assert is_overdose(question)


@pytest.mark.parametrize(
    "question",
    [
        "my child swallowed some of my tablets",
        "omg my 2yo just ate 3 of my tylenol",
        "my grandson got hold of my heart pills",
        "my toddler drank some of the cough syrup",
        "the baby may have swallowed a button battery",
        "my kid got into the medicine cabinet and ate some pills",
        "my husband swallowed my pills by mistake",
    ],
)
def test_someone_getting_into_tablets_is_urgent(question: str) -> None:
    """A child (or anyone near) swallowing or getting into medicine: urgent."""
    assert is_urgent(question)


@pytest.mark.parametrize(
    "question",
    [
        "how much gravol to kill you",
        "i am going to end it tonight",
        "I want to kill myself",
        "i want to end my life",
        "how many sleeping pills does it take to die",
        "is 50 tablets enough to kill me",
        "I'm planning to take the whole bottle tonight",
        "nobody would care if I took all my pills",
        "i just want it all to end",
        "I've been cutting myself",
        "i feel suicidal",
        "i have suicidal thoughts since starting it",
        "my brother said he is going to kill himself",
    ],
)
def test_self_harm_and_suicidal_intent_are_urgent(question: str) -> None:
    """Intent, present or planned, mine or someone else's: urgent, even asked as a question."""
    assert is_urgent(question)


@pytest.mark.parametrize(
    "question",
    [
        # breathing
        "I can't breathe after taking it",
        "i can't catch my breath",
        "my wife is struggling to breathe after the injection",
        "I'm having trouble breathing",
        "he's not breathing properly and his lips are blue",
        # swelling of the face, lips, tongue or throat
        "my throat is closing up",
        "my lips and tongue are swollen",
        "my face swelled up",
        "swelling in my throat after first pill",
        # chest pain
        "I have chest pain after taking it",
        "i have tightness in my chest after my dose",
        "dad is having chest pains",
        "chest pain and sweating after taking it",
        # fainting, unresponsive, seizure
        "my mum collapsed after her tablets",
        "I keep passing out",
        "he passed out and won't wake up",
        "i cant wake my husband up",
        "my son is unconscious",
        "he's having a seizure right now",
        "She is having convulsions",
    ],
)
def test_reported_emergencies_are_urgent(question: str) -> None:
    """Breathing trouble, swelling, chest pain, fainting, no response, a seizure: urgent."""
    assert is_urgent(question)
    assert not is_overdose(question)


@pytest.mark.parametrize(
    "question",
    [
        # general questions about an emergency topic
        "what are the symptoms of an overdose",
        "what happens if I miss a dose",
        "can it cause chest pain?",
        "does it cause chest pain",
        "is fainting a side effect",
        "can it make your lips swell",
        "does milnacipran cause shortness of breath",
        "what should you do if someone overdoses",
        "what should I do if I overdose?",
        "what happens if a child swallows a pill",
        "is it possible to overdose on vitamin c",
        "is paracetamol overdose dangerous",
        "how is overdose treated",
        "can it cause suicidal thoughts",
        "is it normal to have chest pain on it",
        "can i get chest pain from it",
        # doses that are no overdose
        "can I take 2 pills at once",
        "I took 2 advil an hour ago can I take another",
        "I took 50mg this morning",
        "I took 10 mg for 5 years",
        "I took it twice a day for a month",
        "I missed a dose, should I double up?",
        "can i take an extra dose if i miss one",
        "I accidentally skipped two doses",
        "I accidentally took it on an empty stomach",
        "my daughter ate breakfast and then took her pill",
        "I had 2 beers, can I take it",
        # words that only look like an emergency
        "i feel odd after taking it",
        "this headache is killing me, can I take it",
        "does it kill bacteria",
        "I'm dying to try it",
        "can I end treatment early",
        "my son has a seizure disorder, is it safe",
        "i had a heart attack last year, can i take it",
        "my eyes are puffy in the morning",
        "my lips are chapped",
        "i have a sore throat",
    ],
)
def test_general_questions_are_not_urgent(question: str) -> None:
    """A question about a topic in general, or a dose that is no overdose, is not urgent."""
    assert not is_urgent(question)


@pytest.mark.parametrize(
    ("question", "urgent"),
    [
        ("What should I do? I took 20 pills.", True),
        ("I took 20 pills; what should I do", True),
        ("I missed a dose. Should I double up?", False),
        ("My son has asthma. Can he take it?", False),
        ("I'm fine. My daughter swallowed my pills though!", True),
    ],
)
def test_each_clause_is_read_on_its_own(question: str, urgent: bool) -> None:
    """A report in any clause is urgent; a question in one clause does not hide it."""
    assert is_urgent(question) is urgent


@pytest.mark.parametrize(
    ("question", "overdose"),
    [
        ("what are the symptoms of an overdose", True),
        ("what if I take too much", True),
        ("my toddler got into my pill bottle", True),
        ("what happens if I miss a dose", False),
        ("I have chest pain", False),
        ("how much gravol to kill you", False),
    ],
)
def test_is_overdose_covers_reports_and_questions_about_too_much(
    question: str, overdose: bool
) -> None:
    """is_overdose is about taking too much, asked or told, and nothing else."""
    assert is_overdose(question) is overdose


def test_the_notice_sends_to_emergency_services_poison_control_and_a_crisis_line() -> None:
    """The notice names the emergency number, poison control (with its US number), and a
    crisis line for self-harm."""
    assert "local emergency number" in URGENT_NOTICE
    assert "poison control (1-800-222-1222 in the US) now" in URGENT_NOTICE
    assert "crisis line" in URGENT_NOTICE
    assert "988" in URGENT_NOTICE
    assert "  " not in URGENT_NOTICE


def _entry(kind: str, title: str) -> Entry:
    return Entry(f"{kind}/{title.lower()}", kind, title, f"text of {title}")  # type: ignore[arg-type]


def test_overdose_entry_prefers_what_to_do() -> None:
    """Of a page's overdose FAQs, the one saying what to do comes first, wherever it is."""
    entries = [
        _entry("usage", "Usage"),
        _entry("faq", "What happens if I miss a dose?"),
        _entry("faq", "What are the signs of an overdose?"),
        _entry("faq", "What should I do if I overdose on Zelvorine?"),
    ]
    assert overdose_entry(entries) == entries[3]


@pytest.mark.parametrize(
    "title",
    [
        "What should I do if I take too much?",
        "Can I overdose on this supplement?",
        "What are the symptoms of an overdose?",
        "Overdosage",
        "What should I do if I accidentally swallow some?",
    ],
)
def test_overdose_entry_finds_any_overdose_title(title: str) -> None:
    """An FAQ or section about taking too much is the page's overdose entry."""
    for kind in ("faq", "section"):
        entries = [_entry("faq", "How should I store it?"), _entry(kind, title)]
        assert overdose_entry(entries) == entries[1]


def test_overdose_entry_is_none_without_one() -> None:
    """No FAQ or section about an overdose: None, not the nearest thing."""
    entries = [
        _entry("faq", "What if I miss a dose?"),
        _entry("side_effect", "Overdose"),  # a side effect, not an answer to one
        _entry("section", "Adult Dosage (Opioid Overdose)"),  # a dose that treats one
        _entry("note", "Note"),
    ]
    assert overdose_entry(entries) is None
    assert overdose_entry([]) is None


def _eval_cases() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))[
        "questions"
    ]
    return cases


def test_eval_set_is_well_formed() -> None:
    """About 120 labelled questions, both labels well represented, every third held out."""
    cases = _eval_cases()
    assert len(cases) >= 120
    for n, case in enumerate(cases, 1):
        assert isinstance(case["q"], str), case
        assert isinstance(case["urgent"], bool), case
        assert case.get("held_out", False) is (n % 3 == 0), case
    urgent = sum(bool(c["urgent"]) for c in cases)
    assert 0.3 < urgent / len(cases) < 0.7


@pytest.mark.parametrize("part", ["dev", "held-out"])
def test_eval_set_recall_and_precision(part: str) -> None:
    """Recall and precision at least 0.95 on the dev questions and on the held-out third
    (whose failures are not listed: tune on dev questions only)."""
    cases = [c for c in _eval_cases() if bool(c.get("held_out")) == (part == "held-out")]
    found = [(c, is_urgent(str(c["q"]))) for c in cases]
    tp = sum(bool(c["urgent"]) and got for c, got in found)
    recall = tp / sum(bool(c["urgent"]) for c, _ in found)
    precision = tp / max(1, sum(got for _, got in found))
    failures = (
        "\n".join(f"{c['urgent']}: {c['q']!r}" for c, got in found if got != c["urgent"])
        if part == "dev"
        else "(held out: not listed)"
    )
    assert recall >= MIN_RECALL, f"recall {recall:.3f}\n{failures}"
    assert precision >= MIN_PRECISION, f"precision {precision:.3f}\n{failures}"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_triage_never_fails_and_ignores_case(text: str) -> None:
    """Any text gets an answer, the same in upper and lower case."""
    assert is_urgent(text) is is_urgent(text.upper()) is is_urgent(text.lower())
    assert isinstance(is_overdose(text), bool)


_LINES = [(name, line) for name in CUED for line in _SECTIONS[name]]
_NORMALISED = "abcdefghijklmnopqrstuvwxyz0123456789 "


@pytest.mark.parametrize(
    ("name", "line"), _LINES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(_LINES)]
)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_match_holds_its_sections_cue(name: str, line: str, data: st.DataObject) -> None:
    """Whatever a line of a cued section matches holds a word of the section's cue, so that
    skipping clauses without one loses nothing."""
    pattern = _alternatives({**_SECTIONS, "line": [line]}, "line")
    text = data.draw(st.from_regex(pattern, fullmatch=True, alphabet=_NORMALISED))
    assert _words(_SECTIONS, f"{name}_cue").search(text), (name, line, text)


def test_every_section_compiles() -> None:
    """Each section and each reference in it is well formed (the cued ones are compiled only
    when first needed, so a broken one would show late)."""
    for name in _SECTIONS:
        if name != "notice":
            assert _words(_SECTIONS, name).pattern


def test_an_ordinary_question_compiles_no_cued_section() -> None:
    """Importing triage and asking an ordinary question compiles no cued section (each costs
    the one-shot answer milliseconds); an urgent one compiles what it needs."""
    script = (
        "from faqbot import triage as t\n"
        "sections = [t._CRISIS, *t._EVENTS, *t._TOPICS]\n"
        "assert not t.is_urgent('what is it used for? does it cause nausea')\n"
        "assert all(s._pattern is None for s in sections)\n"
        "assert t.is_urgent('I took 20 pills')\n"
        "assert any(s._pattern is not None for s in sections)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def test_a_line_outside_any_section_is_an_error(tmp_path: Path) -> None:
    """The data file's error names the file and the line."""
    path = tmp_path / "triage.txt"
    path.write_text("# a comment\ntook\n[event]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"{path}:2: 'took'")):
        read_sections(str(path))


def test_the_data_file_sits_in_the_package() -> None:
    """The patterns are read from the package folder, where the wheel puts them too."""
    assert Path(TRIAGE_FILE).parent == ROOT / "faqbot" / "language" / "en"


@pytest.mark.corpus
def test_overdose_entry_on_every_corpus_page_that_has_one(corpus: Path) -> None:
    """Every corpus page with an FAQ or section about an overdose gets that entry back, and
    no page without one gets another."""
    from faqbot.batch import read_pages

    paths = [p for p in sorted(corpus.glob("*/*.md")) if "overdos" in p.read_text().lower()]
    reference = re.compile(r"overdos|too (much|many)", re.I)
    found = 0
    for med in read_pages(((p, p.name) for p in paths), skip_refused=True):
        entries = list(med.entries())
        has_one = any(e.kind in ("faq", "section") and reference.search(e.title) for e in entries)
        picked = overdose_entry(entries)
        assert (picked is not None) is has_one, (med.title, picked)
        found += picked is not None
    assert found >= 200
