"""Answer quality: the dev question sets must stay at or above their committed levels."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, KNOWLEDGE, ROOT

from faqbot.batch import read_pages
from faqbot.bot import Bot, index_medications, load_knowledge
from faqbot.evaluate import evaluate, load_eval_set

EVAL = ROOT / "tests" / "eval"
LEVELS = yaml.safe_load((EVAL / "levels.yaml").read_text(encoding="utf-8"))


def _bot(drugs: tuple[str, ...]) -> Bot:
    if not drugs:
        return Bot(load_knowledge(KNOWLEDGE))
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return Bot(index_medications(read_pages((CORPUS / d, d) for d in drugs)))


@pytest.mark.parametrize("name", sorted(LEVELS))
def test_dev_set_meets_its_level(name: str) -> None:
    """Accuracy, wrong answers and abstention stay at the committed level."""
    qs = load_eval_set(EVAL / f"{name}.yaml")
    bot = _bot(qs.drugs)
    known = {f"{m.slug}:{e.id}" for m in bot.index.medications.values() for e in m.entries()}
    expected = {i for c in qs.cases if isinstance(c.expect, tuple) for i in c.expect}
    assert expected - known == set(), "expected entries that do not exist"
    report = evaluate(bot, qs.cases)
    level = LEVELS[name]
    failures = "\n".join(
        f"{v}: {c.question!r} expected {c.expect}, got {a.entry.id if a.entry else a.status}"
        for c, a, v in report.failures
    )
    assert report.total >= level["questions"]
    assert report.accuracy >= level["min_right"], failures
    assert report.wrong_rate <= level["max_wrong"], failures
    assert report.abstain_precision >= level["min_abstain_precision"], failures
    assert report.abstain_recall >= level["min_abstain_recall"], failures


def test_eval_command_prints_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """`faqbot eval FILE` prints accuracy, wrong answers, abstention and each failure."""
    from faqbot.cli import main

    assert main(["eval", str(EVAL / "milnacipran.yaml"), "--knowledge", str(KNOWLEDGE)]) == 0
    out = capsys.readouterr().out
    assert "right:" in out
    assert "wrong:" in out
    assert "abstention precision" in out


def test_question_sets_are_well_formed() -> None:
    """Each set has enough questions, enough abstentions, and entry ids that exist."""
    for path in sorted(Path(EVAL).glob("*.yaml")):
        if path.name == "levels.yaml":
            continue
        qs = load_eval_set(path)
        assert len(qs.cases) >= 90, path
        assert sum(c.expect is None for c in qs.cases) >= 20, path
