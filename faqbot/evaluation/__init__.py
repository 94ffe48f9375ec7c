"""Answer quality on question sets: how often the bot is right, wrong, or rightly silent, on
dev cases and on held-out cases nobody may tune on.

``sets`` reads set files (hand-written, sourced from real questions by line, or generated),
``scoring`` judges answers and makes the figures, ``reliability`` bins them by confidence and
suggests a threshold, ``runs`` loads each knowledge once for the sets that share it, and
``report`` renders a run as text or JSON. tests/eval/README.md describes the set format.
"""

from __future__ import annotations

from faqbot.evaluation.cases import ASK, Case, held_out_by_hash
from faqbot.evaluation.generate import Generate, generate_cases, pick_medications
from faqbot.evaluation.reliability import Bin, Suggestion, reliability, suggest_threshold
from faqbot.evaluation.report import to_json, to_text
from faqbot.evaluation.runs import Run, SetRun, corpus_bot, run_sets
from faqbot.evaluation.scoring import Figures, Outcome, evaluate, figures
from faqbot.evaluation.sets import ALL, EvalSet, load_eval_set

__all__ = [
    "ALL",
    "ASK",
    "Bin",
    "Case",
    "EvalSet",
    "Figures",
    "Generate",
    "Outcome",
    "Run",
    "SetRun",
    "Suggestion",
    "corpus_bot",
    "evaluate",
    "figures",
    "generate_cases",
    "held_out_by_hash",
    "load_eval_set",
    "pick_medications",
    "reliability",
    "run_sets",
    "suggest_threshold",
    "to_json",
    "to_text",
]
