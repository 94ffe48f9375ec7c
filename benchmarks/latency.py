"""Per-question latency of faqbot against a naive rapidfuzz extractOne, in the same run.

    python benchmarks/latency.py [--corpus ../shared/corpus/rxhive-v1]

Prints p50 and p99 per question on the shipped knowledge and, when the corpus is there, with
every corpus page loaded. The naive peer is ``rapidfuzz.process.extractOne`` over every FAQ
question and side-effect name of the loaded drugs (WRatio, default processing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import process, utils

from faqbot.batch import find_pages, read_pages
from faqbot.bot import Bot, index_medications, load_knowledge
from faqbot.evaluate import load_eval_set
from faqbot.index import Index
from faqbot.locations import shipped_knowledge_dir

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timed(fn: Callable[[str], object], questions: list[str]) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        for q in questions:
            start = time.perf_counter()
            fn(q)
            samples.append(time.perf_counter() - start)
    return samples


def naive_choices(index: Index) -> list[str]:
    return [
        text
        for med in index.medications.values()
        for text in [f.question for f in med.faqs] + [s.name for s in med.side_effects]
    ]


def row(label: str, drugs: int, bot: Bot, questions: list[str]) -> list[str]:
    ours = percentiles(timed(bot.ask, questions))
    choices = naive_choices(bot.index)
    processed = [utils.default_process(c) for c in choices]

    def naive(q: str) -> object:
        return process.extractOne(utils.default_process(q), processed, processor=None)

    peer = percentiles(timed(naive, questions[:50] if len(choices) > 5000 else questions))
    return [label, f"{drugs:,}", f"{len(choices):,}", f"{ours[0]:.3f}", f"{ours[1]:.3f}",
            f"{peer[0]:.3f}", f"{peer[1]:.3f}"]


def corpus_bot(corpus: Path) -> Bot:
    return Bot(index_medications(read_pages(find_pages([corpus]), skip_refused=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/rxhive-v1")
    args = parser.parse_args()
    milnacipran = [c.question for c in load_eval_set(ROOT / "tests/eval/milnacipran.yaml").cases]
    corpus_qs = [c.question for c in load_eval_set(ROOT / "tests/eval/corpus.yaml").cases]
    shipped = Bot(load_knowledge(shipped_knowledge_dir()))
    rows = [row("shipped knowledge", len(shipped.index.medications), shipped, milnacipran)]
    if args.corpus.is_dir():
        big = corpus_bot(args.corpus)
        rows.append(row("whole corpus", len(big.index.medications), big, corpus_qs))
    else:
        print(f"(corpus not found at {args.corpus}: skipped)", file=sys.stderr)
    header = ["knowledge", "drugs", "naive choices", "faqbot p50 ms", "faqbot p99 ms",
              "extractOne p50 ms", "extractOne p99 ms"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
