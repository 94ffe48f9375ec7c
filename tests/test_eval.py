"""Answer quality: the held-out split, sets sourced from real questions, the figures, the
reliability table, the generated set, and every set's held-out level."""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, KNOWLEDGE, ROOT, SHARED
from hypothesis import given
from hypothesis import strategies as st

from faqbot.answer import GENERIC_DISCLAIMER, Answer, EntryRef, Status
from faqbot.bot import Bot, load_knowledge
from faqbot.errors import FaqbotError
from faqbot.evaluation import (
    ALL,
    Case,
    EvalSet,
    Outcome,
    corpus_bot,
    evaluate,
    figures,
    generate_cases,
    held_out_by_hash,
    load_eval_set,
    pick_medications,
    reliability,
    run_sets,
    suggest_threshold,
    to_json,
    to_text,
)
from faqbot.evaluation.cases import Expect
from faqbot.evaluation.generate import Generate
from faqbot.evaluation.runs import Drugs
from faqbot.evaluation.scoring import judge
from faqbot.models import Faq, Medication, Section, SideEffect

EVAL = ROOT / "tests" / "eval"
QUESTIONS = SHARED / "eval"  # medicationqa-dev.jsonl, beside the corpus
LEVELS = yaml.safe_load((EVAL / "levels.yaml").read_text(encoding="utf-8"))
# Files in tests/eval that are not answer-quality sets: the levels, and tests/test_triage.py's
# urgent / not urgent phrasings.
NOT_SETS = {"levels.yaml", "triage.yaml"}
SETS = sorted(p for p in EVAL.glob("*.yaml") if p.name not in NOT_SETS)


# --- helpers --------------------------------------------------------------------------------


def _answer(used: str | None, confidence: float = 0.8, status: Status = Status.ABSTAINED) -> Answer:
    """An answer that used entry ``used`` (``slug:id``), or none (with ``status``)."""
    if used is None:
        return Answer("q", "I don't know.", GENERIC_DISCLAIMER, status, confidence=confidence)
    ref = EntryRef(used, used.split(":")[0].title(), "faq", "Title")
    return Answer(
        "q", "text", GENERIC_DISCLAIMER, Status.ANSWERED, ref, confidence, drug=used.split(":")[0]
    )


def _outcome(
    expect: Expect,
    used: str | None,
    confidence: float = 0.8,
    *,
    drugs: frozenset[str] | None = None,
    held_out: bool = False,
    status: Status = Status.ABSTAINED,
) -> Outcome:
    case = Case("q", expect, held_out, drugs)
    verdict = judge(case, used, status == "clarify")
    return Outcome(case, _answer(used, confidence, status), verdict)


def _write_set(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@functools.cache
def _bot(drugs: Drugs) -> Bot:
    """The bot a set's drugs need (built once per run of the tests); skips without corpus."""
    if not drugs:
        return Bot(load_knowledge(KNOWLEDGE))
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return corpus_bot(CORPUS, drugs)


def _needs(path: Path) -> EvalSet:
    """Load a committed set, skipping when the corpus or its source questions are absent."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if (data.get("drugs") or data.get("generate")) and not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    if data.get("source") and not (QUESTIONS / data["source"]).is_file():
        pytest.skip(f"source questions not found at {QUESTIONS / data['source']}")
    return load_eval_set(path, QUESTIONS)


# --- the held-out split ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "held_out"),
    [
        (text, int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 3 == 0)
        for text in ("what is milnacipran used for", "does it cause nausea", "", "Ω dose?")
    ],
)
def test_split_is_the_sha256_rule(text: str, held_out: bool) -> None:
    """A text is held out when the first 8 hex digits of its sha256, as a number, are 0 mod 3."""
    assert held_out_by_hash(text) is held_out


def test_split_holds_out_about_a_third() -> None:
    """Over many texts, about a third are held out."""
    share = sum(held_out_by_hash(f"question {n}") for n in range(3000)) / 3000
    assert 0.30 < share < 0.37


def test_set_split_held_out_holds_out_every_case(tmp_path: Path) -> None:
    """`split: held_out` makes every case held out; without it, the text decides."""
    questions = [{"q": f"question {n}", "expect": None} for n in range(30)]
    mixed = load_eval_set(_write_set(tmp_path, "a.yaml", {"questions": questions}))
    assert [c.held_out for c in mixed.cases] == [held_out_by_hash(c.question) for c in mixed.cases]
    assert 0 < sum(c.held_out for c in mixed.cases) < 30
    data = {"split": "held_out", "questions": questions}
    assert all(c.held_out for c in load_eval_set(_write_set(tmp_path, "b.yaml", data)).cases)


def test_unknown_split_is_refused(tmp_path: Path) -> None:
    """A split other than held_out is an error that names it."""
    path = _write_set(tmp_path, "a.yaml", {"split": "dev", "questions": []})
    with pytest.raises(FaqbotError, match="split is 'dev'"):
        load_eval_set(path)


def test_held_out_failures_are_not_shown(tmp_path: Path) -> None:
    """The failure list names dev failures only, unless held-out ones are asked for."""
    dev = next(f"nonsense {n}" for n in range(100) if not held_out_by_hash(f"nonsense {n}"))
    held = next(f"nonsense {n}" for n in range(100) if held_out_by_hash(f"nonsense {n}"))
    questions = [{"q": dev, "expect": "milnacipran:usage"}, {"q": held, "expect": "x:y"}]
    qs = load_eval_set(_write_set(tmp_path, "a.yaml", {"questions": questions}))
    run = run_sets([qs], _bot, None)
    shown = to_text(run)
    assert dev in shown
    assert held not in shown
    assert held in to_text(run, show_held_out=True)
    assert held not in to_json(run)
    assert held in to_json(run, show_held_out=True)


# --- sets sourced from real questions -------------------------------------------------------


def _sourced(tmp_path: Path) -> Path:
    """A source file of three questions, and a set that reads lines 3 and 1 of it."""
    lines = ["what is milnacipran used for", "what colour is the pill", "does it cause nausea"]
    source = tmp_path / "shared" / "eval" / "real.jsonl"
    source.parent.mkdir(parents=True)
    source.write_text("".join(json.dumps({"question": q}) + "\n" for q in lines), "utf-8")
    (tmp_path / "shared" / "corpus" / "rxhive-v1").mkdir(parents=True)
    data = {
        "source": "real.jsonl",
        "drugs": [],
        "questions": [
            {"line": 3, "drug": "milnacipran", "expect": ["milnacipran:side-effects/nausea"]},
            {"line": 1, "drug": None, "expect": None},
        ],
    }
    return _write_set(tmp_path, "real.yaml", data)


def test_line_cases_read_their_question_from_the_source(tmp_path: Path) -> None:
    """A `line: N` case asks line N's question; its split is decided by that text."""
    qs = load_eval_set(_sourced(tmp_path), tmp_path / "shared" / "eval")
    assert [(c.question, c.line) for c in qs.cases] == [
        ("does it cause nausea", 3),
        ("what is milnacipran used for", 1),
    ]
    assert [c.held_out for c in qs.cases] == [held_out_by_hash(c.question) for c in qs.cases]
    assert qs.cases[0].drugs == frozenset({"milnacipran"})
    assert qs.cases[1].drugs == frozenset()  # drug: null, any answer is from a wrong drug


def test_line_cases_need_the_source_folder(tmp_path: Path) -> None:
    """Without the folder of the source file, the error names the options that give it."""
    with pytest.raises(FaqbotError, match="pass --questions DIR"):
        load_eval_set(_sourced(tmp_path))


def test_line_out_of_range_is_refused(tmp_path: Path) -> None:
    """A line the source does not have is an error naming the set and the case."""
    path = _sourced(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0]["line"] = 4
    _write_set(tmp_path, "real.yaml", data)
    with pytest.raises(FaqbotError, match=r"questions\[1\]: line 4 is not a line of the source"):
        load_eval_set(path, tmp_path / "shared" / "eval")


def test_eval_command_finds_the_source_beside_the_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--pages CORPUS` finds source files in ../../eval from it, as ../shared is laid out."""
    from faqbot.cli import main

    path = _sourced(tmp_path)
    pages = tmp_path / "shared" / "corpus" / "rxhive-v1"
    assert main(["eval", str(path), "--pages", str(pages), "--knowledge", str(KNOWLEDGE)]) == 0
    assert "2 questions" in capsys.readouterr().out


def test_committed_sourced_sets_copy_no_question_text() -> None:
    """A set sourced from real questions holds line numbers, never the questions' text."""
    for path in SETS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("source"):
            assert all("q" not in item for item in data["questions"]), path


# --- the figures ----------------------------------------------------------------------------


def test_figures_count_answers_abstentions_and_drugs() -> None:
    """Right, wrong, abstention, answer precision, answerable recall and wrong drug."""
    outcomes = [
        _outcome(("a:x",), "a:x", drugs=frozenset({"a"})),  # right
        _outcome(("a:x",), "a:y", drugs=frozenset({"a"})),  # wrong, right drug
        _outcome(("a:x",), "b:x", drugs=frozenset({"a"})),  # wrong, wrong drug
        _outcome(("a:x",), None),  # missed
        _outcome(None, None, drugs=frozenset()),  # rightly abstained
        _outcome(None, "b:x", drugs=frozenset()),  # no page: any answer is a wrong drug
        _outcome("ask", None, status=Status.CLARIFY),  # rightly asked
        _outcome("ask", None),  # missed: did not ask
        _outcome(None, "c:x"),  # wrong; the drug is not known
    ]
    f = figures(outcomes)
    assert (f.questions, f.right, f.wrong) == (9, 3, 4)
    assert (f.abstained, f.abstained_rightly, f.should_abstain) == (2, 1, 3)
    assert (f.answered, f.answer_precision) == (5, 1 / 5)
    assert (f.answerable, f.answerable_right, f.answerable_recall) == (4, 1, 1 / 4)
    assert (f.drug_known, f.wrong_drug) == (4, 2)


def test_figures_with_a_threshold_turn_unsure_answers_into_abstentions() -> None:
    """At a threshold, answers less confident than it count as abstentions."""
    outcomes = [_outcome(None, "a:x", 0.5), _outcome(("a:x",), "a:x", 0.9)]
    assert (figures(outcomes).wrong, figures(outcomes).abstained) == (1, 0)
    at = figures(outcomes, 0.6)
    assert (at.wrong, at.abstained_rightly, at.right) == (0, 1, 2)


def test_a_case_drug_and_its_expected_ids_are_both_right_drugs(tmp_path: Path) -> None:
    """A case's right drugs are its `drug` and the drugs of its expected ids."""
    questions = [
        {"q": "a", "drug": "glucophage", "expect": ["metformin:usage"]},
        {"q": "b", "expect": ["metformin:usage", "metformin-xr:usage"]},
        {"q": "c", "expect": None},
    ]
    cases = load_eval_set(_write_set(tmp_path, "a.yaml", {"questions": questions})).cases
    assert [c.drugs for c in cases] == [
        {"glucophage", "metformin"},
        {"metformin", "metformin-xr"},
        None,
    ]


def test_eval_command_prints_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """`faqbot eval FILE` prints dev and held-out figures, the table and dev failures."""
    from faqbot.cli import main

    assert main(["eval", str(EVAL / "milnacipran.yaml"), "--knowledge", str(KNOWLEDGE)]) == 0
    out = capsys.readouterr().out
    for label in ("right:", "wrong:", "abstention precision", "answer precision:"):
        assert label in out
    for label in ("answerable recall:", "wrong drug:", "held-out", "0.9-1.0", "threshold:"):
        assert label in out


def test_eval_command_prints_json_with_a_union(capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints every set's figures by split, and the union of sets on the same drugs."""
    from faqbot.cli import main

    files = [str(EVAL / "milnacipran.yaml"), str(EVAL / "milnacipran-new.yaml")]
    assert main(["eval", *files, "--knowledge", str(KNOWLEDGE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first, second = data["sets"]
    assert second["dev"]["questions"] == 0  # split: held_out
    (union,) = data["unions"]
    for split in ("dev", "held_out"):
        total = first[split]["questions"] + second[split]["questions"]
        assert union[split]["questions"] == total
        assert {"answer_precision", "answerable_recall", "wrong_drug"} <= set(first[split])
    assert [b["low"] for b in first["reliability"]["dev"]][-1] == 0.9
    assert set(first["failures"]) == {"dev"}


# --- the reliability table and the threshold ------------------------------------------------


def test_reliability_bins_answers_by_confidence() -> None:
    """Answers that used an entry fall in tenth-wide bins from 0.4; 1.0 is in the last."""
    outcomes = [
        _outcome(("a:x",), "a:x", 0.45),
        _outcome(("a:x",), "a:y", 0.49),
        _outcome(("a:x",), "a:x", 0.9),
        _outcome(("a:x",), "a:x", 1.0),
        _outcome(None, None, 0.2),  # no entry used: in no bin
    ]
    bins = {(b.low, b.high): (b.right, b.answers) for b in reliability(outcomes)}
    assert bins[0.4, 0.5] == (1, 2)
    assert bins[0.9, 1.0] == (2, 2)
    assert bins[0.0, 0.4] == (0, 0)
    assert sum(a for _, a in bins.values()) == 4


def test_threshold_suggestion_is_the_lowest_that_keeps_wrong_rare() -> None:
    """The suggestion is the lowest confidence at which wrong answers are <= 1% of questions."""
    outcomes = [_outcome(("a:x",), "a:x", 0.9) for _ in range(150)]
    outcomes += [_outcome(("a:x",), "a:y", 0.5), _outcome(("a:x",), "a:y", 0.6)]
    outcomes += [_outcome(("a:x",), "a:x", 0.55)]
    s = suggest_threshold(outcomes)  # 153 questions: one wrong answer is allowed
    assert s.threshold == 0.55
    assert (s.figures.wrong, s.figures.right) == (1, 151)
    assert suggest_threshold(outcomes[:150]).threshold == 0.0  # already none wrong


_CONFIDENCE = st.sampled_from([0.4, 0.45, 0.5, 0.7, 0.71, 0.9, 1.0])
_VERDICTS = st.lists(st.tuples(_CONFIDENCE, st.sampled_from(["right", "wrong", "none"])))


@given(_VERDICTS, st.sampled_from([0.0, 0.01, 0.1]))
def test_threshold_suggestion_matches_trying_every_threshold(
    rows: list[tuple[float, str]], max_wrong: float
) -> None:
    """The one-pass suggestion equals trying each threshold in turn with figures()."""
    outcomes = [
        _outcome(None, None) if v == "none" else _outcome(("a:x",), f"a:{v}", c) for c, v in rows
    ]
    tried = [*sorted({0.0, *(c for c, v in rows if v != "none")}), math.inf]
    slow = next(t for t in tried if figures(outcomes, t).wrong <= max_wrong * len(outcomes))
    fast = suggest_threshold(outcomes, max_wrong)
    assert fast.threshold == (None if math.isinf(slow) else slow)
    assert fast.figures == figures(outcomes, slow)


# --- the generated set ----------------------------------------------------------------------


def _templates() -> Generate:
    spec = load_eval_set(EVAL / "generated.yaml").generate
    assert spec is not None
    return spec


GENERATED = _templates()  # the committed set's templates and synonyms

TESTADRINE = Medication(
    title="Testadrine",
    usage=Section("Usage", "Testadrine treats tests."),
    how_it_works=Section("How it works", "It blocks tests."),
    side_effects=(
        SideEffect("Nausea", "Feeling sick."),
        SideEffect("Headache", "A pain."),
        SideEffect("Headache", "The same name again."),
        SideEffect("Testadrine", "A heading made an item."),
    ),
    faqs=(
        Faq("Can Testadrine cause nausea?", "Sometimes."),
        Faq("Is it safe during an exam?", "Mostly."),
        Faq("How long does it last?", "A day."),
        Faq("How long does it last?", "The same question again."),
    ),
    sections=(Section("Storage", "Somewhere cool."),),
    note="Testadrine is not real.",
)


def test_generator_asks_each_entry_twice() -> None:
    """Two questions per entry; duplicates, notes, sections and ingredient names are left out."""
    cases = generate_cases([TESTADRINE], GENERATED)
    expected = {
        "testadrine:usage",
        "testadrine:how-it-works",
        "testadrine:side-effects",
        "testadrine:side-effects/nausea",
        "testadrine:faqs/can-testadrine-cause-nausea",
        "testadrine:faqs/is-it-safe-during-an-exam",
    }
    assert len(cases) == 2 * len(expected)
    assert {c.expect[0] for c in cases if isinstance(c.expect, tuple)} == expected
    titles = [c.question for c in cases[::2]]
    assert titles[:4] == [
        "Usage of Testadrine",
        "How Testadrine works",
        "Side effects of Testadrine",
        "Testadrine nausea",
    ]
    assert titles[4:] == ["Can Testadrine cause nausea?", "Is it safe during an exam?"]


def test_generator_accepts_a_side_effect_or_the_faq_about_it() -> None:
    """A side effect an FAQ asks about, and that FAQ, each accept the other as right."""
    cases = generate_cases([TESTADRINE], GENERATED)
    by_id = {c.expect[0]: set(c.expect) for c in cases if isinstance(c.expect, tuple)}
    both = ("testadrine:side-effects/nausea", "testadrine:faqs/can-testadrine-cause-nausea")
    assert by_id[both[0]] == by_id[both[1]] == set(both)


def test_generator_rephrases_faqs_by_rule() -> None:
    """A rephrased FAQ is lower-case, without punctuation, and one word from the original."""
    cases = generate_cases([TESTADRINE], GENERATED)
    pairs = [(a.question, b.question) for a, b in zip(cases[::2], cases[1::2], strict=True)]
    for title, rephrased in pairs[4:]:
        assert rephrased == rephrased.lower()
        assert not set(rephrased) & set("?.,!")
        plain = title.lower().rstrip("?").replace("testadrine", "it").split()
        kept = title.lower().rstrip("?").split()
        words = rephrased.split()
        assert len(words) == len(plain)
        assert min(sum(a != b for a, b in zip(words, p, strict=True)) for p in (plain, kept)) <= 1


def test_generator_asks_unnamed_questions_in_a_conversation() -> None:
    """A question that does not name its drug is asked with that drug as the context."""
    for case in generate_cases([TESTADRINE], GENERATED):
        named = "testadrine" in case.question.lower()
        assert case.context == (None if named else "testadrine")


def test_generator_is_seeded_and_holds_out_whole_drugs() -> None:
    """The same seed gives the same cases; a drug's cases are all dev or all held out."""
    meds = [TESTADRINE._replace(title=f"Testadrine {n}") for n in range(30)]
    cases = generate_cases(meds, GENERATED)
    assert cases == generate_cases(meds, GENERATED)
    assert cases != generate_cases(meds, replace(GENERATED, seed=2))
    by_drug = {next(iter(c.drugs or ())): c.held_out for c in cases}
    assert by_drug == {m.slug: held_out_by_hash(m.slug) for m in meds}
    assert 0 < sum(by_drug.values()) < 30


def test_generated_cases_run_against_their_own_entries() -> None:
    """Over the shipped knowledge, every generated question is judged, most of them right."""
    bot = _bot(())
    outcomes = evaluate(bot, generate_cases(bot.index.medications.values(), GENERATED))
    assert len(outcomes) >= 40
    assert figures(outcomes).accuracy > 0.5


def test_corpus_pick_is_seeded_and_distinct(corpus: Path) -> None:
    """Random corpus pages, the same for the same seed, each a different drug."""
    spec = replace(GENERATED, drugs=15)
    picked = [m.slug for m in pick_medications(corpus, spec)]
    assert len(set(picked)) == 15
    assert picked == [m.slug for m in pick_medications(corpus, spec)]
    assert picked != [m.slug for m in pick_medications(corpus, replace(spec, seed=2))]


# --- the committed sets and their held-out levels -------------------------------------------


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_question_sets_are_well_formed(path: Path) -> None:
    """Each set has a level; a hand-labelled set enough questions and abstentions."""
    assert path.stem in LEVELS, f"{path.name} has no level in levels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "generate" in data:
        return
    qs = _needs(path)
    assert len(qs.cases) >= 90
    assert sum(c.expect is None for c in qs.cases) >= 20
    assert qs.drugs == ALL or isinstance(qs.drugs, tuple)


@pytest.mark.parametrize("name", sorted(LEVELS))
def test_held_out_meets_its_level(name: str) -> None:
    """Each set's held-out figures stay at or above the committed level, and its labels name
    entries and drugs that exist."""
    qs = _needs(EVAL / f"{name}.yaml")
    run = run_sets([qs], _bot, CORPUS)
    outcomes = run.sets[0].outcomes
    if not qs.generate:
        index = _bot(qs.drugs).index
        known = {f"{m.slug}:{e.id}" for m in index.medications.values() for e in m.entries()}
        expected = {i for c in qs.cases if isinstance(c.expect, tuple) for i in c.expect}
        assert expected - known == set(), "expected entries that do not exist"
        drugs = {d for c in qs.cases for d in c.drugs or ()}
        assert drugs - set(index.medications) == set(), "drugs that have no page"
    held = [o for o in outcomes if o.case.held_out]
    f, level = figures(held), LEVELS[name]
    failures = "\n".join(
        f"{o.verdict}: expected {o.case.expect}, got {o.used or o.answer.status}"
        for o in held
        if o.verdict != "right"
    )  # the verdicts and ids, not the questions: nobody tunes on the held-out text
    assert f.questions >= level["questions"]
    assert f.accuracy >= level["min_right"], failures
    assert f.wrong_rate <= level["max_wrong"], failures
    assert f.abstain_precision >= level["min_abstain_precision"], failures
    assert f.abstain_recall >= level["min_abstain_recall"], failures
    assert f.answer_precision >= level["min_answer_precision"], failures
    assert f.answerable_recall >= level["min_answerable_recall"], failures
    assert f.wrong_drug_rate <= level["max_wrong_drug"], failures
