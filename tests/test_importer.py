"""The importer: page text → Medication, on hand-written pages, milnacipran and the corpus."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from faqbot.errors import ImportPageError
from faqbot.importer import import_page
from faqbot.models import Medication

PAGES = Path(__file__).parent / "data" / "pages"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "rxhive-v1"
MILNACIPRAN = SHARED / "pages" / "milnacipran.md"
FOOTER = (
    "This information is AI-generated or crowd-sourced and may not be accurate. "
    "Please consult a medical professional for verified advice."
)
REASONS = {
    "refused: the page says there is no such medication (no sections)",
    "refused: the page declines to give the details (no sections)",
    "free prose: the page has no recognised sections",
}

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


Result = Medication | ImportPageError
Results = dict[str, tuple[str, Result]]


def attempt(text: str, name: str) -> Result:
    """The import of ``text``, or the ImportPageError it raised."""
    try:
        return import_page(text, name)
    except ImportPageError as e:
        return e


def page(name: str) -> Medication:
    """Import one of the hand-written pages in tests/data/pages."""
    return import_page((PAGES / name).read_text(encoding="utf-8"), name)


def corpus_page(name: str) -> Medication:
    return import_page((CORPUS / name).read_text(encoding="utf-8"), name)


# --- "nothing lost": every sentence of a page is somewhere in its Medication ---------------------

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_COL0_LABEL = re.compile(r"^\*\*(?:[^*]|\*(?!\*))+?(?::\s*\*\*|\*\*\s*:|\*\*\s*$)")
_PLAIN_LABEL = re.compile(r"^(?:Generic Name|Usage|Side Effects|How it Works|FAQs|Disclaimer)\s*:")
_MARKER = re.compile(r"^(?:[*+-]|\d{1,3}[.)])\s+|^\*(?=[AQ]\s*:)")
_SECTION_BULLET = re.compile(
    r"^\*\*(?:Generic Name|Usage|Side Effects|How it Works|FAQs)\b[^*]*\*\*:?", re.I
)
_GENERIC_NAME_TAG = re.compile(r"^(\*\*[^*]+?)\s*\(Generic Name\)(:?\*\*:?)\s*$")
_QA = re.compile(r"(?:^|(?<=[?*]))\s*(?:\*\*)?\s*[QA]\s*:\s*(?:\*\*)?")
_SPLIT = re.compile(r"(?<=[.!?:;])[\"')\]*]*\s+|\s[–—-]\s")


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def page_sentences(text: str) -> list[str]:
    """The page body's sentences as word sequences, without front matter, labels and markup.

    Labels are section labels at column 0 (``**Usage:**``, ``## Usage``), section bullets
    (``* **Usage:**``), "(Generic Name)" after an ingredient, and Q:/A: markers.
    """
    sentences = []
    for line in _FRONT.sub("", text).splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if not line[:1].isspace():
            s = _PLAIN_LABEL.sub("", _COL0_LABEL.sub("", s))
        s = _SECTION_BULLET.sub("", _MARKER.sub("", s))
        s = _QA.sub(" ", _GENERIC_NAME_TAG.sub(r"\1\2", s))
        s = re.sub(r"</?\w+\s*/?>", "", s).replace("**", "")
        sentences += [n for part in _SPLIT.split(s) if (n := _norm(part))]
    return sentences


def held_text(med: Medication) -> str:
    """Every string the Medication holds, dropped text included, as one word sequence."""
    bits = [med.title, med.generic_name, *med.aliases, med.intro, med.side_effects_intro]
    bits += [med.disclaimer, med.note, *(d.text for d in med.dropped)]
    for sec in (med.usage, med.how_it_works, *med.sections):
        if sec is not None:
            bits += [sec.title, sec.text]
    for s in med.side_effects:
        bits += [s.group, f"{s.name} {s.text}"]  # "Name – text" on the page: one sentence
    for f in med.faqs:
        bits += [f.group, f.question, f.answer]
    return f" {' | '.join(_norm(_QA.sub(' ', b)) for b in bits if b)} "


def lost_sentences(text: str, med: Medication) -> list[str]:
    """The page's sentences that appear nowhere in ``med`` (should be none)."""
    held = held_text(med)
    return [s for s in page_sentences(text) if f" {s} " not in held]


def test_lost_sentences_notices_a_missing_sentence() -> None:
    """The checker itself: a sentence removed from the result is reported."""
    text = (PAGES / "heading-sections.md").read_text(encoding="utf-8")
    med = page("heading-sections.md")
    assert lost_sentences(text, med) == []
    assert lost_sentences(text + "\nA sentence nobody imported.\n", med) == [
        "a sentence nobody imported"
    ]


# --- hand-written pages --------------------------------------------------------------------------


def test_heading_style_sections() -> None:
    """``## Usage`` and ``### Side Effects`` headings work like bold labels."""
    med = page("heading-sections.md")
    assert med.title == "Placebrin"
    assert med.generic_name == "Placebrin sodium"
    assert med.aliases == ("Placebrin sodium",)
    assert med.usage is not None
    assert med.usage.text == (
        "Placebrin is an invented medicine used only in these tests. It treats imaginary headaches."
    )
    assert med.how_it_works is not None
    assert med.how_it_works.text == "It blocks the imaginary receptor P2."
    assert med.side_effects_intro == "Most people feel nothing at all."
    assert [(s.name, s.group) for s in med.side_effects] == [
        ("Drowsiness", "The most common include"),
        ("Dry mouth", "The most common include"),
    ]
    assert [(f.question, f.answer) for f in med.faqs] == [
        ("Can I take Placebrin with food?", "Yes, with or without food."),
        ("Is it addictive?", "No."),
    ]
    assert med.disclaimer == "This page is for testing only."
    assert med.note == "Written by hand for the importer's tests."
    assert med.sections == ()
    assert med.dropped == ()


def test_many_shapes_on_one_page() -> None:
    """Slash aliases, unbolded Generic Name, lists, a table, notes, groups and duplicates."""
    med = page("many-shapes.md")
    assert med.title == "Paracetamol/Acetaminophen + Fictazepam"
    assert med.aliases == ("Paracetamol + Fictazepam", "Acetaminophen + Fictazepam")
    assert med.generic_name == "Paracetamol + Fictazepam"
    assert med.intro == "This invented combination exists only in tests – it is not a real product."
    assert med.usage is not None
    assert med.usage.text == (
        "Used for “test pain” at 37 °C and above:\n\n"
        "1. Mild test pain.\n2. Moderate test pain.\n  - Especially on Mondays.\n\n"
        "| Dose | Time |\n| 1 tablet | morning |"
    )
    assert med.how_it_works is not None
    assert med.how_it_works.text == (
        "Paracetamol blocks COX enzymes; fictazepam binds the β-receptor®."
    )
    assert med.side_effects_intro == "Like all medicines, it can cause side effects."
    assert [(s.name, s.text, s.group, s.urgent) for s in med.side_effects] == [
        ("Nausea", "A queasy stomach.", "Common side effects include", False),
        ("Headaches", "", "Common side effects include", False),
        ("Rash", "small red spots.", "Common side effects include", False),
        ("Liver damage", "Rare.", "Serious side effects", True),
        ("Breathing problems", "Call 911 at once.", "Serious side effects", True),
        ("Sleepiness", "", "Fictazepam", False),
        ("Nausea (Fictazepam)", "", "Fictazepam", False),
    ]
    assert [(f.question, f.answer, f.group) for f in med.faqs] == [
        ("Can I drive?", "Not until you know how it affects you.", None),
        ("Can I drink alcohol?", "No.", None),
        ("Is it safe in pregnancy?", "Ask your doctor. It depends on the trimester.", None),
        ("Is it safe in pregnancy? (Fictazepam)", "Fictazepam is not.", "Fictazepam"),
    ]
    assert [(s.title, s.text) for s in med.sections] == [
        ("Important Note", "Never take more than the label says."),
        ("Dosage", "One tablet, twice a day."),
        ("Note", "Keep out of reach of children."),
        ("Side effects (more)", "This list is not complete."),
    ]
    assert med.disclaimer == "For tests only."
    assert med.note == "Written by hand for the importer's tests."
    assert [(d.reason, d.text) for d in med.dropped] == [
        ("duplicate of an earlier side effect", "Nausea: A queasy stomach."),
        ("duplicate of an earlier FAQ", "Can I drink alcohol? No."),
    ]


def test_per_ingredient_blocks() -> None:
    """Each ingredient's block: sections titled with it, its side effects and FAQs grouped."""
    med = page("per-ingredient.md")
    assert med.usage is None
    assert med.generic_name is None
    assert [s.title for s in med.sections] == [
        "Usage (Alphazole)",
        "How it works (Alphazole)",
        "Usage (Betamycin)",
        "How it works (Betamycin)",
    ]
    assert med.side_effects_intro == "Alphazole: Mild itching."
    assert [(s.name, s.group) for s in med.side_effects] == [
        ("Diarrhoea", "Betamycin"),
        ("Rash", "Betamycin"),
    ]
    assert [(f.question, f.group) for f in med.faqs] == [
        ("How long do I use it?", "Alphazole"),
        ("How long do I use it? (Betamycin)", "Betamycin"),
    ]
    assert med.disclaimer == "For tests only."


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("refusal.md", "refused: the page says there is no such medication (no sections)"),
        ("free-prose.md", "free prose: the page has no recognised sections"),
    ],
)
def test_pages_without_sections_are_refused(name: str, reason: str) -> None:
    """A refusal or free prose raises ImportPageError, saying which."""
    with pytest.raises(ImportPageError) as raised:
        page(name)
    assert raised.value.reason == reason
    assert raised.value.path == Path(name)


def test_truncated_usage_keeps_complete_sentences() -> None:
    """The unfinished last sentence is dropped with a reason; the rest is kept."""
    med = page("truncated-usage.md")
    assert med.usage is not None
    assert med.usage.text == "Cutoffin treats pretend coughs."
    assert [(d.reason, d.text) for d in med.dropped] == [
        ("truncated: the page ends mid-sentence", "It is taken")
    ]


def test_truncated_faq_is_dropped() -> None:
    """A question the page ends before answering is dropped, not kept without an answer."""
    med = page("truncated-faq.md")
    assert [f.question for f in med.faqs] == ["Can children take it?"]
    assert [(d.reason, d.text) for d in med.dropped] == [
        ("truncated: the page ends before this FAQ's answer", "Can I take it at night?")
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.md")))
def test_hand_written_pages_lose_no_sentence(name: str) -> None:
    """Every sentence of every hand-written page ends up in the Medication."""
    text = (PAGES / name).read_text(encoding="utf-8")
    med = attempt(text, name)
    if isinstance(med, Medication):
        assert lost_sentences(text, med) == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no title"),
        ("just words\n", "no title"),
        ("---\ntitle: X\n---\n", "empty"),
        ("# Title only\n\nNo sections here.\n", "free prose"),
    ],
)
def test_degenerate_pages_raise_import_page_error(text: str, reason: str) -> None:
    """Pages with no title or no body raise ImportPageError with a reason."""
    with pytest.raises(ImportPageError, match=reason):
        import_page(text, "x.md")


def test_title_from_heading_when_front_matter_is_missing() -> None:
    """Without front matter the ``# title`` line is the title."""
    med = import_page("# Testamol -\n\n**Usage:** For tests.\n", "t.md")
    assert med.title == "Testamol"
    assert med.usage is not None
    assert med.usage.text == "For tests."


def test_source_names_the_page_and_hashes_the_text() -> None:
    """``source`` records the page name and the sha256 of the text given."""
    med = import_page("---\ntitle: Hashol\n---\n**Usage:** For tests.\n", "h/hashol.md")
    assert med.source is not None
    assert med.source.page == "h/hashol.md"
    assert re.fullmatch(r"[0-9a-f]{64}", med.source.sha256)


# --- property tests ------------------------------------------------------------------------------

_FRAGMENTS = [
    "\n", "\n\n", "    ", "* ", "- ", "1. ", "*A: ", "**", ":", "?", ".", "(", ")", "|", "#", "## ",
    "**Usage:**", "**Side Effects:**", "**How it Works:**", "**FAQs:**", "**Disclaimer:**",
    "**Generic Name:**", "Generic Name:", "**Note:** ", "**Important Note:**", "**Q: ", "?** A: ",
    "* **A:** ", "* **Nausea:** ", "**Serious side effects:**", "* **Common:**", "**Alpha:**",
    "**Alpha FAQs:**", "<sub>2</sub>", "| a | b |", "|---|---|", "Common side effects include:",
    "There is no medication called X.", "I cannot provide", "é", "–", "“", "β", "®", "°", "\t",
    "\r\n",
]  # fmt: skip
markdownish = st.lists(
    st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=80
).map("".join)
pages = markdownish.map(lambda body: f"---\ntitle: Fuzzol\n---\n# Fuzzol\n{body}")


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), markdownish, pages))
def test_any_text_gives_a_medication_or_import_page_error(text: str) -> None:
    """Arbitrary text never raises anything but ImportPageError; results are well-formed."""
    med = attempt(text, "fuzz.md")
    if isinstance(med, ImportPageError):
        assert med.reason
        return
    assert med.title
    ids = [entry.id for entry in med.entries()]
    assert len(ids) == len(set(ids))
    assert all(s.name for s in med.side_effects)
    assert all(f.question and f.answer for f in med.faqs)
    assert import_page(text, "fuzz.md") == med  # deterministic


@settings(max_examples=150, deadline=None)
@given(pages)
@example("---\ntitle: Fuzzol\n---\n# Fuzzol\n0**Q: \n**Usage:**")  # "0" was glued to "Q:"
def test_fuzzed_pages_lose_no_sentence(text: str) -> None:
    """On generated pages too, every sentence lands in some field or in ``dropped``."""
    med = attempt(text, "fuzz.md")
    if isinstance(med, ImportPageError):
        return
    # The checker reads labels differently from the importer on garbled input; compare words.
    held = set(held_text(med).split())
    missing = {w for s in page_sentences(text) for w in s.split()} - held
    assert missing == set()


_HEAD = "---\ntitle: Slowol\n---\n"


@pytest.mark.parametrize(
    "text",
    [
        _HEAD + "**a" + " " * 30_000 + "b\n",  # an unclosed bold label with a long gap
        _HEAD + "# a" + " " * 30_000 + "b\n**Usage:** x.\n",
        _HEAD + "**Usage:** x.\n" + "| " * 20_000 + "x\n",
        _HEAD + "**FAQs:**\n* **Q:** x?" + " " * 30_000 + "y\n",
        _HEAD + "**Side Effects:**\n" + "".join(" " * i + "* x\n" for i in range(2_000)),
        _HEAD + "**FAQs:**\n" + "".join(f"* **{'q ' * 40}{i}?** a{i}\n" for i in range(200)),
    ],
    ids=["bold-gap", "heading-gap", "pipes", "answer-gap", "deep-nesting", "long-questions"],
)
def test_pathological_pages_import_quickly(text: str) -> None:
    """Long runs and deep nesting take well under a second (no regex backtracking blow-up)."""
    start = time.perf_counter()
    result = attempt(text, "slow.md")
    assert time.perf_counter() - start < 2
    if isinstance(result, Medication):
        ids = [entry.id for entry in result.entries()]
        assert len(ids) == len(set(ids))


# --- milnacipran, the reference page -------------------------------------------------------------

MILNACIPRAN_SIDE_EFFECTS = [
    "Nausea",
    "Headache",
    "Dizziness",
    "Insomnia",
    "Constipation",
    "Sweating",
    "Dry mouth",
    "Increased blood pressure",
    "Increased heart rate (tachycardia)",
    "Sexual dysfunction",
    "Serious allergic reactions",
]
MILNACIPRAN_QUESTIONS = [
    "Is milnacipran addictive?",
    "How long does it take to work?",
    "Can I take milnacipran with other medications?",
    "What should I do if I miss a dose?",
    "What are the symptoms of an overdose?",
    "Can I drink alcohol while taking milnacipran?",
]


@pytest.fixture
def milnacipran() -> tuple[str, Medication]:
    """The reference page's text and its import; skips when ../shared is absent."""
    if not MILNACIPRAN.is_file():
        pytest.skip(f"page not found at {MILNACIPRAN}")
    text = MILNACIPRAN.read_text(encoding="utf-8")
    return text, import_page(text, "m/milnacipran.md")


def test_milnacipran_fields(milnacipran: tuple[str, Medication]) -> None:
    """Title, names, intro, usage, how it works, disclaimer and note, as the page words them."""
    _, med = milnacipran
    assert (med.title, med.generic_name) == ("Milnacipran", "Milnacipran")
    assert "savella" in med.aliases  # its brand, from the drug dictionary
    assert med.intro is None
    assert med.usage is not None
    assert med.usage.text == (
        "Milnacipran is used to treat fibromyalgia and chronic pain associated with diabetic "
        "peripheral neuropathy. It's a serotonin-norepinephrine reuptake inhibitor (SNRI), meaning "
        "it affects levels of serotonin and norepinephrine in the brain and nervous system. It's "
        "prescribed by doctors to manage pain and improve function in affected individuals."
    )
    assert med.how_it_works is not None
    assert med.how_it_works.text.startswith(
        "Milnacipran works by inhibiting the reuptake of serotonin and norepinephrine"
    )
    assert med.how_it_works.text.endswith("with fibromyalgia and diabetic peripheral neuropathy.")
    assert med.disclaimer is not None
    assert med.disclaimer.startswith("This information is for educational purposes only")
    assert "including milnacipran. They can assess" in med.disclaimer  # spaces collapsed
    assert med.note == FOOTER
    assert med.sections == ()
    assert med.dropped == ()


def test_milnacipran_side_effects(milnacipran: tuple[str, Medication]) -> None:
    """Eleven side effects under "The most common include"; only the allergic one is urgent."""
    _, med = milnacipran
    assert med.side_effects_intro == "Like many medications, milnacipran can cause side effects."
    assert [s.name for s in med.side_effects] == MILNACIPRAN_SIDE_EFFECTS
    assert {s.group for s in med.side_effects} == {"The most common include"}
    assert [s.name for s in med.side_effects if s.urgent] == ["Serious allergic reactions"]
    assert med.side_effects[0].text == (
        "This is frequently reported, especially at the start of treatment."
    )


def test_milnacipran_faqs(milnacipran: tuple[str, Medication]) -> None:
    """Six FAQs, questions without "Q:" and answers without "A:"."""
    _, med = milnacipran
    assert [f.question for f in med.faqs] == MILNACIPRAN_QUESTIONS
    assert med.faqs[1].answer == (
        "It may take several weeks to notice a significant improvement in symptoms. "
        "Consistency with treatment is key."
    )
    assert {f.group for f in med.faqs} == {None}


def test_milnacipran_loses_no_sentence(milnacipran: tuple[str, Medication]) -> None:
    """Every sentence of the reference page is in its Medication."""
    text, med = milnacipran
    assert len(page_sentences(text)) > 40
    assert lost_sentences(text, med) == []


# --- the corpus: a hand-checked page of each shape -----------------------------------------------

# (page, side effects, FAQs) counted by reading each page; the comment names the shape.
HAND_COUNTED = [
    ("m/metformin.md", 8, 6),  # bullets inside Usage and How it Works; plain-sentence groups
    ("m/mefenamic-acid-ibuprofen.md", 0, 6),  # block repeated per ingredient; per-drug FAQs
    ("a/acebrophylline-desloratadine-montelukast.md", 0, 4),  # bullet sections under ingredients
    ("c/ciprofloxacin-tinidazole-loperamide.md", 0, 3),  # ingredients as bullets, sections nested
    ("e/efavirenz.md", 0, 0),  # cut off mid-sentence in Usage
    ("t/tirofiban.md", 7, 3),  # cut off at "* **Q"
    ("d/diazoxide.md", 16, 5),  # groups as labelled bullets with nested items
    ("c/clindamycin.md", 9, 5),  # a bold line before a list is its group
    ("g/gliclazide.md", 10, 6),  # plain-sentence groups; numbered list in How it Works
    ("a/amikacin-cefepime.md", 11, 5),  # side effects grouped per ingredient (bold lines)
    ("m/moxifloxacin-prednisolone.md", 6, 5),  # per-ingredient bold lines + labelled bullets
    ("c/charcoal.md", 0, 5),  # unbolded labels; side effects as prose only
    ("b/brimonidine.md", 0, 7),  # side effects as labelled prose; "* **question?** answer" FAQs
    ("e/etizolam.md", 3, 5),  # <sub> tag; "* **question?** answer" FAQs
    ("c/cabazitaxel.md", 2, 5),  # answers on a nested "* **A:**" line
    ("t/tipiracil-trifluridine.md", 2, 6),  # answers on a nested "*A:" line
    ("a/alginic-acid-potassium-hydrogen-carbonate.md", 5, 6),  # an extra "## title" line
    (  # a table
        "c/coenzyme-q-docosahexanoic-acid-eicosapentaenoic-acid-folic-acid-l-arginine-"
        "levo-carnitine-lycopene-methylcobalamin-selenium-zinc-gluconate.md",
        0,
        3,
    ),
    ("a/alendronic-acid-vitamin-d.md", 5, 6),  # <sub> tags; a note inside Generic Name
]


@pytest.mark.corpus
@needs_corpus
@pytest.mark.parametrize(("name", "side_effects", "faqs"), HAND_COUNTED)
def test_hand_counted_pages(name: str, side_effects: int, faqs: int) -> None:
    """Side effects and FAQs as counted by hand; nothing lost."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    med = import_page(text, name)
    assert (len(med.side_effects), len(med.faqs)) == (side_effects, faqs)
    assert med.note == FOOTER
    assert lost_sentences(text, med) == []


@pytest.mark.corpus
@needs_corpus
def test_corpus_refusal_actarit() -> None:
    """a/actarit.md ("There is no medication called ...") is refused with that reason."""
    with pytest.raises(ImportPageError) as raised:
        corpus_page("a/actarit.md")
    assert raised.value.reason == (
        "refused: the page says there is no such medication (no sections)"
    )


@pytest.mark.corpus
@needs_corpus
def test_corpus_truncated_pages() -> None:
    """Efavirenz loses its unfinished sentence; tirofiban its unfinished FAQ."""
    efavirenz = corpus_page("e/efavirenz.md")
    assert efavirenz.usage is not None
    assert efavirenz.usage.text == (
        "Efavirenz is an antiretroviral medication used to treat HIV-1 infection."
    )
    assert [(d.reason, d.text) for d in efavirenz.dropped] == [
        ("truncated: the page ends mid-sentence", "It's")
    ]
    tirofiban = corpus_page("t/tirofiban.md")
    assert [d.reason for d in tirofiban.dropped] == [
        "truncated: the page ends before this FAQ's answer"
    ]
    assert tirofiban.faqs[-1].question == (
        "What should I do if I experience bleeding while taking Tirofiban?"
    )


@pytest.mark.corpus
@needs_corpus
def test_corpus_combination_with_repeated_blocks() -> None:
    """Mefenamic acid + ibuprofen: per-drug sections, prose side effects, grouped FAQs."""
    med = corpus_page("m/mefenamic-acid-ibuprofen.md")
    assert med.usage is None
    assert [s.title for s in med.sections] == [
        "Usage (Mefenamic Acid)",
        "How it works (Mefenamic Acid)",
        "Usage (Ibuprofen)",
        "How it works (Ibuprofen)",
        "Important Note",
    ]
    assert med.side_effects_intro is not None
    assert med.side_effects_intro.startswith("Mefenamic Acid: Gastrointestinal upset")
    assert "\n\nIbuprofen: Similar to mefenamic acid" in med.side_effects_intro
    assert [f.group for f in med.faqs] == ["Mefenamic Acid"] * 3 + ["Ibuprofen"] * 3
    assert med.intro is not None
    assert med.intro.startswith("It's crucial to understand that a combined generic medication")


@pytest.mark.corpus
@needs_corpus
def test_corpus_groups() -> None:
    """Labelled-bullet, bold-line, plain-sentence and per-ingredient groups; urgency."""
    groups = {
        "d/diazoxide.md": ["Common side effects"] * 9 + ["Serious side effects"] * 7,
        "m/metformin.md": ["Common side effects are usually mild and may include"] * 4
        + ["Less common side effects may include"] * 4,
        "a/amikacin-cefepime.md": ["Amikacin"] * 4 + ["Cefepime"] * 7,
    }
    for name, expected in groups.items():
        assert [s.group for s in corpus_page(name).side_effects] == expected, name
    clindamycin = corpus_page("c/clindamycin.md")
    assert [s.urgent for s in clindamycin.side_effects] == [False] * 4 + [True] * 5
    diazoxide = corpus_page("d/diazoxide.md")
    assert [s.urgent for s in diazoxide.side_effects] == [False] * 9 + [True] * 7


@pytest.mark.corpus
@needs_corpus
def test_corpus_text_shapes() -> None:
    """Bullets in Usage, numbered lists, tables and <sub> come out as plain text lines."""
    metformin = corpus_page("m/metformin.md")
    assert metformin.usage is not None
    assert "\n\n- Decreasing the amount of glucose your liver produces: Metformin" in (
        metformin.usage.text
    )
    gliclazide = corpus_page("g/gliclazide.md")
    assert gliclazide.how_it_works is not None
    assert "\n\n1. Stimulation of Insulin Secretion: Gliclazide" in gliclazide.how_it_works.text
    assert "\n2. Increased Insulin Sensitivity:" in gliclazide.how_it_works.text
    table = corpus_page(HAND_COUNTED[17][0])
    tables = [s.text for s in table.sections if "| Coenzyme Q10 (CoQ10) |" in s.text]
    assert len(tables) == 1
    assert "|---" not in tables[0]
    etizolam = corpus_page("e/etizolam.md")
    assert etizolam.how_it_works is not None
    assert "(GABAA receptors)" in etizolam.how_it_works.text


@pytest.mark.corpus
@needs_corpus
def test_corpus_label_variants() -> None:
    """Unbolded labels, an extra ``## title`` line, and nested-answer FAQs."""
    charcoal = corpus_page("c/charcoal.md")
    assert charcoal.generic_name == "Charcoal (activated charcoal)"
    assert charcoal.side_effects_intro is not None
    assert charcoal.side_effects_intro.startswith("Side effects can include constipation")
    alginic = corpus_page("a/alginic-acid-potassium-hydrogen-carbonate.md")
    assert alginic.dropped == ()  # the "## title" line repeats the title: skipped
    assert alginic.intro is None
    tipiracil = corpus_page("t/tipiracil-trifluridine.md")
    assert tipiracil.faqs[0].answer.startswith("It's given orally (as capsules).")


# --- the whole corpus ----------------------------------------------------------------------------


def _corpus_pages() -> Iterator[tuple[str, str]]:
    for path in sorted(CORPUS.rglob("*.md")):
        yield path.relative_to(CORPUS).as_posix(), path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_results() -> Results:
    """Every corpus page's text and import result, imported once for this module."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return {name: (text, attempt(text, name)) for name, text in _corpus_pages()}


@pytest.mark.corpus
def test_corpus_imports(corpus_results: Results) -> None:
    """At least 3,600 of the 3,840 pages import; the rest are refused for a known reason."""
    imported = [r for _, r in corpus_results.values() if isinstance(r, Medication)]
    refused = Counter(r.reason for _, r in corpus_results.values() if isinstance(r, Exception))
    assert len(corpus_results) == 3840
    assert len(imported) >= 3600
    assert set(refused) <= REASONS


@pytest.mark.corpus
def test_corpus_refused_pages_have_no_sections(
    corpus_results: Results,
) -> None:
    """No refused page has a Usage, Side Effects, How it Works, FAQs or Generic Name label."""
    label = re.compile(
        r"^\s*(?:[*-]\s+)?(?:\*\*|#+\s*)?(?:Generic Name|Usage|Side Effects|How it Works|FAQs)\b",
        re.M | re.I,
    )
    with_labels = [
        name
        for name, (text, r) in corpus_results.items()
        if isinstance(r, ImportPageError) and label.search(_FRONT.sub("", text))
    ]
    assert with_labels == []


@pytest.mark.corpus
def test_corpus_loses_no_sentence(
    corpus_results: Results,
) -> None:
    """Every sentence of every imported page is in some field or in ``dropped``."""
    lost = {
        name: missing
        for name, (text, r) in corpus_results.items()
        if isinstance(r, Medication) and (missing := lost_sentences(text, r))
    }
    assert lost == {}


@pytest.mark.corpus
def test_corpus_entries_are_unique_and_complete(
    corpus_results: Results,
) -> None:
    """Entry ids are unique per page, names and answers non-empty, the footer is the note."""
    for name, (_, r) in corpus_results.items():
        if not isinstance(r, Medication):
            continue
        ids = [e.id for e in r.entries()]
        assert len(ids) == len(set(ids)), name
        assert all(s.name for s in r.side_effects), name
        assert all(f.question and f.answer for f in r.faqs), name
        assert all(s.title and s.text for s in r.sections), name
        assert all(d.reason and d.text for d in r.dropped), name
        assert r.note == FOOTER, name


@pytest.mark.parametrize(
    ("title", "alias"),
    [
        ("Escitalopram Oxalate", "escitalopram"),  # the name without its salt
        ("Escitalopram Oxalate", "lexapro"),  # a brand
        ("Furosemide", "frusemide"),  # another spelling
        ("Levothyroxine Sodium", "synthroid"),  # the salt's brand
        ("Paracetamol", "acetaminophen"),
    ],
)
def test_aliases_come_from_the_drug_dictionary(title: str, alias: str) -> None:
    """Each medication gets its brands, other spellings and its name without salt or form."""
    from faqbot.dictionary import dictionary

    assert alias in dictionary().aliases(title)


@pytest.mark.parametrize(
    ("title", "not_alias"),
    [
        ("Potassium Chloride", "potassium nitrate"),  # another salt of the same ion
        ("Silver Nitrate", "silver"),  # an ordinary word: another substance
        ("Clotrimazole", "spray and solution"),  # forms alone name nothing
        ("Ammonium Chloride", "ammonium lactate"),
    ],
)
def test_aliases_keep_to_the_drug_itself(title: str, not_alias: str) -> None:
    """Spellings and forms join a drug to its family, never salts of another substance."""
    from faqbot.dictionary import dictionary

    assert not_alias not in dictionary().aliases(title)


def test_a_combination_gets_no_ingredient_brands() -> None:
    """ "Lexapro" names escitalopram alone, not a combination that holds it."""
    from faqbot.dictionary import dictionary

    assert dictionary().aliases("Escitalopram Oxalate + Propranolol") == ()
