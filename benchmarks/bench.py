"""faqbot's speed and memory, with a naive rapidfuzz matcher and BM25 measured in the same run.

    python benchmarks/bench.py [--corpus ../shared/corpus/rxhive-v1] [--rounds 3] [--runs 20]

Needs the ``bench`` extra (matplotlib, bm25s). Prints one table; writes it as JSON to
benchmarks/results/bench.json and docs/bench.json, plots per-question latency against the
number of drugs to docs/latency.png, and puts the table into docs/performance.md, which says
what each row measures. Every measurement runs in fresh processes, so none warms another up.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUESTION_SETS = [ROOT / "tests/eval/milnacipran.yaml", ROOT / "tests/eval/corpus.yaml"]
ASK = "does it cause nausea"
SIZES = (1, 100, 1000)  # and all the corpus's drugs
SEED = 5
LOAD_RUNS = 3
ENGINES = {  # per-question rows: key → label
    "faqbot": "faqbot",
    "extractone": "rapidfuzz extractOne",
    "bm25": "BM25 (bm25s retrieve)",
    "bm25-scores": "BM25 scores only",
}
Row = dict[str, Any]
Result = dict[str, Any]


# ------------------------------------------------------------------------------ workers
# Each runs in a process of its own and prints one JSON object.


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _summary(samples: list[float]) -> Result:
    """p50, p99 (nearest rank) and max, in milliseconds."""
    ordered = sorted(samples)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)] * 1000,
        "max_ms": ordered[-1] * 1000,
        "samples": len(ordered),
    }


def _timed(fn: Callable[[str], object], questions: list[str], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            fn(q)
            samples.append(time.perf_counter() - start)
    return samples


class _GcWatch:
    """Counts the garbage collector's passes and times the longest: a cause of slow samples."""

    def __init__(self) -> None:
        self.passes = [0, 0, 0]
        self.longest_ms = 0.0
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.passes[info["generation"]] += 1
            self.longest_ms = max(self.longest_ms, (time.perf_counter() - self._start) * 1000)

    def report(self) -> Result:
        gc.callbacks.remove(self._callback)
        return {"passes_by_generation": self.passes, "longest_ms": self.longest_ms}


def _key_file(cache: Path) -> Path:
    """The key that signs a cache folder's files, kept beside it (outside it)."""
    return cache.with_name(cache.name + ".key")


def worker_load(args: argparse.Namespace) -> Result:
    """Load a knowledge folder with ``load_knowledge``."""
    from faqbot.bot import load_knowledge

    start = time.perf_counter()
    index = load_knowledge(args.knowledge, args.cache, _key_file(args.cache))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "drugs": len(index.medications), "peak_mb": _peak_mb()}


def worker_cache_check(args: argparse.Namespace) -> Result:
    """What checking a warm cache costs: the stat of every file, and the signature."""
    from faqbot import cache, signing
    from faqbot.bot import _lexicon_path
    from faqbot.files import knowledge_files

    key_file = _key_file(args.cache)
    files = [*knowledge_files(args.knowledge), _lexicon_path(args.knowledge), *cache.code_files()]
    (cache_file,) = args.cache.glob("index-*.cache")
    data = cache_file.read_bytes()
    key = signing.load_key(key_file)
    stats, signs = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        cache.snapshot(files)
        stats.append(time.perf_counter() - start)
        start = time.perf_counter()
        signing.sign(key, data)
        signs.append(time.perf_counter() - start)
    return {
        "files": len(files),
        "megabytes": len(data) / 1e6,
        "stat_ms": statistics.median(stats) * 1000,
        "sign_ms": statistics.median(signs) * 1000,
    }


def worker_faqbot(args: argparse.Namespace) -> Result:
    """Load (warm cache), then answer every question with ``Bot.ask``, ``rounds`` times."""
    from faqbot.bot import Bot, load_knowledge

    questions = json.loads(args.questions.read_text())
    imports_mb = _peak_mb()
    start = time.perf_counter()
    bot = Bot(load_knowledge(args.knowledge, args.cache, _key_file(args.cache)))
    load_s = time.perf_counter() - start
    bot.warm()  # as `faqbot serve` and the chat do at start
    compiled = bot.index._compiled  # looked at to tell the questions that compiled a drug
    samples, first = [], []
    watch = _GcWatch()
    for _ in range(args.rounds):
        for q in questions:
            before = len(compiled)
            start = time.perf_counter()
            bot.ask(q)
            took = time.perf_counter() - start
            samples.append(took)
            if len(compiled) > before:
                first.append(took)
    return {
        **_summary(samples),
        "first_question": _summary(first) if first else None,
        "gc": watch.report(),
        "load_s": load_s,
        "imports_mb": imports_mb,
        "peak_mb": _peak_mb(),
    }


def worker_compile_all(args: argparse.Namespace) -> Result:
    """Compile every drug once, as a long-running server ends up doing."""
    from faqbot.bot import load_knowledge

    index = load_knowledge(args.knowledge, args.cache, _key_file(args.cache))
    samples = []
    watch = _GcWatch()
    for slug in index.medications:
        start = time.perf_counter()
        index.drug(slug)
        samples.append(time.perf_counter() - start)
    report = watch.report()
    return {**_summary(samples), "seconds": sum(samples), "gc": report, "peak_mb": _peak_mb()}


def worker_extractone(args: argparse.Namespace) -> Result:
    """``process.extractOne`` over every choice (WRatio, default processing done once)."""
    from rapidfuzz import process, utils

    questions = json.loads(args.questions.read_text())
    imports_mb = _peak_mb()
    start = time.perf_counter()
    choices = [utils.default_process(c) for c in json.loads(args.choices.read_text())]
    build_s = time.perf_counter() - start

    def ask(q: str) -> object:
        return process.extractOne(utils.default_process(q), choices, processor=None)

    samples = _timed(ask, questions, args.rounds)
    return {**_summary(samples), "load_s": build_s, "imports_mb": imports_mb, "peak_mb": _peak_mb()}


def worker_bm25(args: argparse.Namespace) -> Result:
    """BM25 over every choice (English stopwords, no stemmer): ``retrieve`` and bare scores."""
    import bm25s
    import numpy as np

    questions = json.loads(args.questions.read_text())
    imports_mb = _peak_mb()
    start = time.perf_counter()
    texts = json.loads(args.choices.read_text())
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    build_s = time.perf_counter() - start
    vocabulary = retriever.vocab_dict

    def tokens(q: str) -> list[str]:
        words = bm25s.tokenize([q], stopwords="en", return_ids=False, show_progress=False)[0]
        return [w for w in words if w in vocabulary]  # retrieve refuses unknown-only queries

    def retrieve(q: str) -> object:
        found = tokens(q)
        return retriever.retrieve([found], k=1, show_progress=False) if found else None

    def scores(q: str) -> object:
        found = tokens(q)
        return int(np.argmax(retriever.get_scores(found))) if found else None

    retrieved = _timed(retrieve, questions, args.rounds)
    scored = _timed(scores, questions, args.rounds)
    common = {"load_s": build_s, "imports_mb": imports_mb, "peak_mb": _peak_mb()}
    return {"bm25": _summary(retrieved) | common, "bm25-scores": _summary(scored) | common}


WORKERS = {
    "load": worker_load,
    "cache-check": worker_cache_check,
    "faqbot": worker_faqbot,
    "compile-all": worker_compile_all,
    "extractone": worker_extractone,
    "bm25": worker_bm25,
}


# ------------------------------------------------------------------------------ the run


def _env(**extra: str) -> dict[str, str]:
    """The environment of measured processes: bytecode may be written, as when installed."""
    unset = ("PYTHONDONTWRITEBYTECODE", "FAQBOT_KNOWLEDGE")
    return {k: v for k, v in os.environ.items() if k not in unset} | extra


def _worker(kind: str, rounds: int = 1, **paths: Path) -> Result:
    command = [sys.executable, __file__, "--worker", kind, "--rounds", str(rounds)]
    for name, path in paths.items():
        command += [f"--{name}", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, env=_env(), check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {kind} failed:\n{done.stderr}")
    result: Result = json.loads(done.stdout)
    return result


def _wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def _faqbot_command() -> list[str]:
    script = Path(sys.executable).with_name("faqbot")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "faqbot"]


def row(what: str, drugs: int | None, **figures: Any) -> Row:
    """A table row: p50, p99, max (ms), peak (MB) and note, then anything for the JSON only."""
    shown = {key: figures.pop(key, None) for key in ("p50_ms", "p99_ms", "max_ms", "peak_mb")}
    return {"what": what, "drugs": drugs, **shown, "note": figures.pop("note", ""), **figures}


def measure_process(tmp: Path, runs: int) -> list[Row]:
    _note(f"whole process: faqbot ask and python -c pass, {runs} runs each")
    env = _env(XDG_CACHE_HOME=str(tmp / "xdg"))
    ask = [*_faqbot_command(), "ask", ASK]
    bare = [sys.executable, "-c", "pass"]
    for _ in range(3):  # fills the cache and writes the bytecode
        _wall(ask, env)
        _wall(bare, env)
    asks, bares = [], []
    for _ in range(runs):  # alternating, so that a busy moment weighs on both
        bares.append(_wall(bare, env))
        asks.append(_wall(ask, env))
    ask_ms, bare_ms = statistics.median(asks) * 1000, statistics.median(bares) * 1000
    ratio = ask_ms / bare_ms
    return [
        row("python -c pass (whole process)", None, p50_ms=bare_ms, max_ms=max(bares) * 1000,
            note=f"median of {runs} runs"),
        row(f'faqbot ask "{ASK}" (whole process)', 1, p50_ms=ask_ms, max_ms=max(asks) * 1000,
            note=f"{ratio:.1f}× python -c pass (target ≤5×: {_met(ratio <= 5)})", ratio=ratio),
    ]  # fmt: skip


def measure_import(corpus: Path, out: Path) -> Row:
    _note(f"import: faqbot import {corpus}")
    command = [*_faqbot_command(), "import", str(corpus), "--out", str(out), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=_env(), check=False)  # 1: refusals
    seconds = time.perf_counter() - start
    files = sorted(out.glob("*.yaml"))
    if not files:
        raise SystemExit(f"faqbot import wrote nothing into {out}")
    # A file changed in the last seconds is not cached (its mtime or ctime could hide another
    # edit); a knowledge folder in use is older than that, so wait until these are too.
    time.sleep(2.5)
    pages = sum(1 for p in corpus.rglob("*.md") if p.name.lower() != "readme.md")
    return row("faqbot import (whole corpus)", len(files), p50_ms=seconds * 1000,
               note=f"{len(files):,} of {pages:,} pages imported; 1 run")  # fmt: skip


def measure_load(knowledge: Path, tmp: Path) -> list[Row]:
    _note("load: all knowledge, cold and warm")
    caches = [tmp / f"load-{i}" for i in range(LOAD_RUNS)]
    cold = [_worker("load", knowledge=knowledge, cache=cache) for cache in caches]
    warm = [_worker("load", knowledge=knowledge, cache=caches[0]) for _ in caches]
    cold_s = statistics.median(r["seconds"] for r in cold)
    warm_s = statistics.median(r["seconds"] for r in warm)
    runs = f"median of {LOAD_RUNS} processes"
    check = _worker("cache-check", 5, knowledge=knowledge, cache=caches[0])
    return [
        row("load all knowledge, cold", warm[0]["drugs"], p50_ms=cold_s * 1000,
            peak_mb=max(r["peak_mb"] for r in cold),
            note=f"parse, index, write the cache; {runs}"),
        row("load all knowledge, warm cache", warm[0]["drugs"], p50_ms=warm_s * 1000,
            peak_mb=max(r["peak_mb"] for r in warm),
            note=f"{runs} (target ≤1 s: {_met(warm_s <= 1)})", seconds=warm_s),
        row("  of which: stat of every file", None, p50_ms=check["stat_ms"],
            note=f"size, mtime, inode and ctime of {check['files']:,} files: knowledge, "
                 "lexicon, code"),
        row("  of which: checking the signature", None, p50_ms=check["sign_ms"],
            note=f"keyed BLAKE2b over the {check['megabytes']:.0f} MB cache file"),
    ]  # fmt: skip


def named_drugs(corpus: Path) -> list[str]:
    """Slugs of the drugs the question sets name, milnacipran (the shipped one) first."""
    import yaml

    from faqbot.batch import read_pages

    pages = ["m/milnacipran.md"]
    for path in QUESTION_SETS:
        pages += [p for p in yaml.safe_load(path.read_text())["drugs"] if p not in pages]
    return [m.slug for m in read_pages((corpus / p, p) for p in pages)]


def subsets(knowledge: Path, named: list[str]) -> dict[int, list[Path]]:
    """The knowledge files of each size: the named drugs, then a seeded shuffle of the rest."""
    first = [knowledge / f"{slug}.yaml" for slug in named]
    rest = [f for f in sorted(knowledge.glob("*.yaml")) if f not in first]
    random.Random(SEED).shuffle(rest)
    order = first + rest
    return {n: order[:n] for n in (*SIZES, len(order)) if n <= len(order)}


def questions(sets: list[Path] = QUESTION_SETS) -> list[str]:
    import yaml

    loaded = [yaml.safe_load(path.read_text()) for path in sets]
    return [q["q"] for s in loaded for q in s["questions"]]


def measure_shipped(tmp: Path, rounds: int) -> Row:
    """faqbot on the shipped knowledge, asked the questions written about it."""
    from faqbot.locations import shipped_knowledge_dir

    qs = questions(QUESTION_SETS[:1])
    qfile = tmp / "shipped-questions.json"
    qfile.write_text(json.dumps(qs))
    _note(f"per question: the shipped knowledge, its {len(qs)} questions × {rounds}")
    knowledge, cache = Path(shipped_knowledge_dir()), tmp / "cache-shipped"
    _worker("load", knowledge=knowledge, cache=cache)  # fills the cache
    r = _worker("faqbot", rounds, knowledge=knowledge, cache=cache, questions=qfile)
    shown = {k: r[k] for k in ("p50_ms", "p99_ms", "max_ms", "peak_mb")}
    note = f"{QUESTION_SETS[0].name}: {len(qs)} questions × {rounds}"
    return row("per question: faqbot, shipped knowledge", 1, **shown, note=note,
               engine="faqbot-shipped", details=r)  # fmt: skip


def choices(folder: Path) -> list[str]:
    """Every FAQ question and side-effect name of the knowledge in ``folder``."""
    from faqbot.knowledge import load_dir

    return [
        text
        for med in load_dir(folder)
        for text in [f.question for f in med.faqs] + [s.name for s in med.side_effects]
    ]


def measure_sizes(knowledge: Path, corpus: Path, tmp: Path, rounds: int) -> list[Row]:
    qs = questions()
    qfile = tmp / "questions.json"
    qfile.write_text(json.dumps(qs))
    rows: list[Row] = []
    folder = cache = tmp
    sizes = subsets(knowledge, named_drugs(corpus))
    for n, files in sizes.items():
        (tmp / f"drugs-{n}").mkdir()
        for f in files:
            _link(f, tmp / f"drugs-{n}" / f.name)
    time.sleep(2.5)  # a link is a change of the file (its ctime): let the cache trust them
    for n in sizes:
        _note(f"per question: {n:,} drugs, {len(qs)} questions × {rounds}")
        folder, cache = tmp / f"drugs-{n}", tmp / f"cache-{n}"
        texts = choices(folder)
        cfile = tmp / f"choices-{n}.json"
        cfile.write_text(json.dumps(texts))
        _worker("load", knowledge=folder, cache=cache)  # fills the cache
        results = {
            "faqbot": _worker("faqbot", rounds, knowledge=folder, cache=cache, questions=qfile),
            "extractone": _worker("extractone", rounds, choices=cfile, questions=qfile),
            **_worker("bm25", rounds, choices=cfile, questions=qfile),
        }
        first = results["faqbot"]["first_question"]
        note = f"{len(qs)} questions × {rounds}; peers search {len(texts):,} texts"
        if first:
            note += f"; first question about a drug: max {first['max_ms']:.2f} ms"
        for engine, label in ENGINES.items():
            r = results[engine]
            shown = {k: r[k] for k in ("p50_ms", "p99_ms", "max_ms", "peak_mb")}
            rows.append(row(f"per question: {label}", n, **shown, engine=engine, details=r,
                            note=note if engine == "faqbot" else ""))  # fmt: skip
    _note(f"compiling every drug of the last {folder.name}")
    r = _worker("compile-all", knowledge=folder, cache=cache)
    shown = {k: r[k] for k in ("p50_ms", "p99_ms", "max_ms", "peak_mb")}
    note = f"each drug once ({r['seconds']:.1f} s in all); peak with every drug compiled"
    rows.append(row("faqbot: compile one drug (first question)", len(files), **shown, note=note,
                    engine="faqbot-compile", details=r))  # fmt: skip
    return rows


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # the same file, with the same mtime
    except OSError:
        shutil.copy2(source, target)


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _note(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def check_targets(rows: list[Row]) -> dict[str, Result]:
    """The issue's targets, each with the figures that decide it."""
    everything = max(r["drugs"] or 0 for r in rows)
    at_all = {r["engine"]: r for r in rows if r.get("engine") and r["drugs"] == everything}
    ours, bm25 = at_all["faqbot"], at_all["bm25"]
    ratio = next(r["ratio"] for r in rows if "ratio" in r)
    warm = next(r["seconds"] for r in rows if "seconds" in r)
    peak = max(r["peak_mb"] for r in rows if str(r.get("engine")).startswith("faqbot"))
    shipped = next(r["p99_ms"] for r in rows if r.get("engine") == "faqbot-shipped")
    return {
        "faqbot ask ≤5× python -c pass": {"value": ratio, "met": ratio <= 5},
        "p99 ≤1 ms on the shipped knowledge": {"value": shipped, "met": shipped <= 1},
        "p99 ≤2 ms with all drugs": {"value": ours["p99_ms"], "met": ours["p99_ms"] <= 2},
        "p99 below BM25 (retrieve) p50 with all drugs": {
            "value": [ours["p99_ms"], bm25["p50_ms"]],
            "met": ours["p99_ms"] < bm25["p50_ms"],
        },
        "warm load of everything ≤1 s": {"value": warm, "met": warm <= 1},
        "peak memory ≤400 MB": {"value": peak, "met": peak <= 400},
    }


# ------------------------------------------------------------------------------ output

COLUMNS = {"what": "what", "drugs": "drugs", "p50_ms": "p50 ms", "p99_ms": "p99 ms",
           "max_ms": "max ms", "peak_mb": "peak MB", "note": "note"}  # fmt: skip


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if key == "drugs":
        return f"{value:,}"
    if key.endswith("_ms"):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    if key == "peak_mb":
        return f"{value:,.0f}"
    return str(value)


def table(rows: list[Row]) -> str:
    cells = [list(COLUMNS.values())] + [[_cell(k, r[k]) for k in COLUMNS] for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    text = []
    for line in cells:
        padded = [c.ljust(w) if i in (0, len(COLUMNS) - 1) else c.rjust(w)
                  for i, (c, w) in enumerate(zip(line, widths, strict=True))]  # fmt: skip
        text.append("  ".join(padded).rstrip())
    return "\n".join(text)


def plot(rows: list[Row], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"faqbot": "tab:blue", "extractone": "tab:red", "bm25": "tab:green",
              "bm25-scores": "tab:olive"}  # fmt: skip
    fig, ax = plt.subplots(figsize=(8, 5))
    for engine, label in ENGINES.items():
        mine = sorted((r for r in rows if r.get("engine") == engine), key=lambda r: r["drugs"])
        x = [r["drugs"] for r in mine]
        ax.plot(x, [r["p50_ms"] for r in mine], "o-", color=colors[engine], label=f"{label} p50")
        ax.plot(x, [r["p99_ms"] for r in mine], "s--", color=colors[engine], alpha=0.6,
                label=f"{label} p99")  # fmt: skip
    ax.set(xscale="log", yscale="log", xlabel="drugs loaded", ylabel="ms per question",
           title="Per-question latency against the number of drugs loaded")  # fmt: skip
    sizes = sorted({r["drugs"] for r in rows if r.get("engine") in ENGINES})
    ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
    ax.minorticks_off()
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def summary(results: Result) -> str:
    """The run in a paragraph, for the README."""
    rows, targets = results["rows"], results["targets"]
    everything = max(r["drugs"] or 0 for r in rows)
    at = {(r.get("engine"), r["drugs"]): r for r in rows}
    shipped, ours = at["faqbot-shipped", 1], at["faqbot", everything]
    bm25, naive = at["bm25", everything], at["extractone", everything]
    bare, ask = (r for r in rows if "whole process" in r["what"])
    warm = next(r for r in rows if "seconds" in r)
    peak = max(r["peak_mb"] for r in rows if str(r.get("engine")).startswith("faqbot"))
    missed = [name for name, t in targets.items() if not t["met"]]
    verdict = "Every target is met." if not missed else "Missed: " + "; ".join(missed) + "."
    import textwrap

    return textwrap.fill(
        f"From the last run ({results['date'][:10]}, {results['machine']}; the full table is "
        f"in docs/performance.md): on the shipped knowledge, asked its own questions, faqbot "
        f"answers in {shipped['p50_ms']:.3f} ms p50 and {shipped['p99_ms']:.3f} ms p99; with "
        f"all {everything:,} importable corpus drugs loaded, in {ours['p50_ms']:.3f} ms p50 and "
        f"{ours['p99_ms']:.3f} ms p99, against BM25's {bm25['p50_ms']:.3f} ms p50 and a naive "
        f"extractOne's {naive['p50_ms']:.1f} ms p50. Loading everything from the warm cache "
        f"takes {warm['seconds']:.2f} s, and peak memory is {peak:.0f} MB with every drug "
        f"compiled. The one-shot `faqbot ask` takes {ask['p50_ms']:.0f} ms, "
        f"{ask['ratio']:.1f}× the {bare['p50_ms']:.0f} ms of `python -c pass`. {verdict}",
        100,
    )


def update_page(page: Path, text: str, name: str = "table") -> None:
    """Put ``text`` between the page's ``bench:name`` markers."""
    from faqbot.atomic import write_atomic  # not at the top: workers measure their imports

    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    doc = page.read_text(encoding="utf-8")
    if start not in doc or end not in doc:
        raise SystemExit(f"{page}: no {start} ... {end} markers")
    head, rest = doc.split(start, 1)
    write_atomic(page, f"{head}{start}\n{text}\n{end}{rest.split(end, 1)[1]}")


def _commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" with local changes" if git("status", "--porcelain", "--", "faqbot") else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/rxhive-v1")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    parser.add_argument("--runs", type=int, default=20, help="whole-process runs of each")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/bench.json")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    for name in ("knowledge", "cache", "questions", "choices"):
        parser.add_argument(f"--{name}", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args)))
        return 0
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus not found at {args.corpus}; pass --corpus DIR")
    started, load_before = time.time(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="faqbot-bench-") as name:
        tmp = Path(name)
        rows = measure_process(tmp, args.runs)
        rows.append(measure_import(args.corpus, tmp / "knowledge"))
        rows += measure_load(tmp / "knowledge", tmp)
        rows.append(measure_shipped(tmp, args.rounds))
        rows += measure_sizes(tmp / "knowledge", args.corpus, tmp, args.rounds)
    text = table(rows)
    print(text)
    results = {
        "command": "python benchmarks/bench.py",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started),
        "commit": _commit(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "rounds": args.rounds,
        "runs": args.runs,
        "targets": check_targets(rows),
        "table": text.splitlines(),
        "rows": rows,
    }
    data = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    for path in (args.out, args.docs / "bench.json"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")
    plot(rows, args.docs / "latency.png")
    when = f"{results['date']} at {results['commit']}; {results['machine']}, Python"
    update_page(args.docs / "performance.md", f"```console\n$ python benchmarks/bench.py\n"
                f"{text}\n```\n\nMeasured {when} {results['python']}.")  # fmt: skip
    update_page(ROOT / "README.md", summary(results), "summary")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
