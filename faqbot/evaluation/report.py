"""The figures of a run, as text for a person or as JSON: held-out failures never shown unless
asked for (nobody should tune on them)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from faqbot.evaluation.reliability import EDGES, Bin, Suggestion, reliability, suggest_threshold
from faqbot.evaluation.runs import Run, SetRun
from faqbot.evaluation.scoring import Figures, Outcome, figures

__all__ = ["to_json", "to_text"]

SPLITS = ("dev", "held_out")
W = 19  # the width of a figure's column


def _split(outcomes: Sequence[Outcome]) -> dict[str, list[Outcome]]:
    return {
        "dev": [o for o in outcomes if not o.case.held_out],
        "held_out": [o for o in outcomes if o.case.held_out],
    }


# --- text -----------------------------------------------------------------------------------


def to_text(run: Run, show_held_out: bool = False) -> str:
    """Each set's figures, dev and held-out side by side, its reliability table, a threshold
    suggestion and its dev failures; then the figures of each union."""
    blocks = [_set_text(s, failures=True, show_held_out=show_held_out) for s in run.sets]
    blocks += [_set_text(u, failures=False, show_held_out=False) for u in run.unions]
    return "\n\n".join(blocks)


def _set_text(s: SetRun, failures: bool, show_held_out: bool) -> str:
    parts = _split(s.outcomes)
    dev, held = figures(parts["dev"]), figures(parts["held_out"])
    lines = [
        f"{s.name}: {len(s.outcomes)} questions ({dev.questions} dev, {held.questions} "
        f"held-out) over {s.drugs} drugs; {s.seconds:.1f} s asking, {s.load_seconds:.1f} s "
        "loading",
        f"  {'':22s}{'dev':>{W}s}{'held-out':>{W}s}",
    ]
    for label, show, note in ROWS:
        lines.append(f"  {label:22s}{show(dev):>{W}s}{show(held):>{W}s}  {note}")
    lines.append("  reliability of the answers that used an entry (right / answers):")
    lines.append(f"    {'confidence':20s}{'dev':>{W}s}{'held-out':>{W}s}")
    for d, h in zip(reliability(parts["dev"]), reliability(parts["held_out"]), strict=True):
        if d.low < EDGES[0] and not d.answers + h.answers:
            continue
        lines.append(f"    {d.low:.1f}-{d.high:.1f}{'':13s}{_bin(d):>{W}s}{_bin(h):>{W}s}")
    lines.append("  " + _suggestion(suggest_threshold(parts["dev"]) if parts["dev"] else None))
    if failures:
        lines += _failures(parts["dev"], "dev")
        if show_held_out:
            lines += _failures(parts["held_out"], "held-out")
        elif held.questions:
            lines.append("  (held-out failures are not shown; --show-held-out for a final audit)")
    return "\n".join(lines)


Show = Callable[[Figures], str]  # one figure of one split, as a table cell


def _ratio(part: Callable[[Figures], int], whole: Callable[[Figures], int]) -> Show:
    """``part/whole share``; "-" for a split with no questions."""

    def show(f: Figures) -> str:
        if not f.questions:
            return "-"
        n, d = part(f), whole(f)
        return f"{n}/{d} {n / d:6.1%}" if d else f"{n}/{d}      -"

    return show


ROWS: tuple[tuple[str, Show, str], ...] = (
    ("right:", _ratio(lambda f: f.right, lambda f: f.questions), "of the questions"),
    (
        "wrong:",
        _ratio(lambda f: f.wrong, lambda f: f.questions),
        "of the questions: an entry used, not a right one",
    ),
    (
        "abstention precision:",
        _ratio(lambda f: f.abstained_rightly, lambda f: f.abstained),
        "of the abstentions, those that should abstain",
    ),
    (
        "abstention recall:",
        _ratio(lambda f: f.abstained_rightly, lambda f: f.should_abstain),
        "of the cases that should abstain, those that did",
    ),
    (
        "answer precision:",
        _ratio(lambda f: f.answered - f.wrong, lambda f: f.answered),
        "of the answers that used an entry, those right",
    ),
    (
        "answerable recall:",
        _ratio(lambda f: f.answerable_right, lambda f: f.answerable),
        "of the cases that expect an entry, those answered right",
    ),
    (
        "wrong drug:",
        _ratio(lambda f: f.wrong_drug, lambda f: f.drug_known),
        "of the answers, those from another drug than the case's",
    ),
)


def _bin(b: Bin) -> str:
    return f"{b.right}/{b.answers} {b.share_right:6.1%}" if b.share_right is not None else "-"


def _suggestion(s: Suggestion | None) -> str:
    if s is None:
        return "threshold: no dev cases to suggest one from"
    f = s.figures
    if s.threshold is None:
        return f"threshold: none keeps dev wrong answers <= {s.max_wrong:.0%} of questions"
    at = (
        f"right {f.right} ({f.accuracy:.1%}), wrong {f.wrong} ({f.wrong_rate:.1%}), "
        f"abstention precision {f.abstain_precision:.1%} and recall {f.abstain_recall:.1%}, "
        f"answer precision {f.answer_precision:.1%}, answerable recall "
        f"{f.answerable_recall:.1%}"
    )
    if s.threshold == 0.0:
        return f"threshold: dev wrong answers are already <= {s.max_wrong:.0%} ({at})"
    return (
        f"threshold: {s.threshold:.3f} is the lowest at which dev wrong answers are <= "
        f"{s.max_wrong:.0%} of questions; on dev it gives {at}"
    )


def _failures(outcomes: Sequence[Outcome], split: str) -> list[str]:
    failed = [o for o in outcomes if o.verdict != "right"]
    lines = [f"  {split} failures: {len(failed)}"] if failed else []
    for o in failed:
        got = o.used or o.answer.status
        lines.append(
            f"    {o.verdict:6s} {o.case.label}: expected {_expected(o)}, got {got} "
            f"({o.answer.confidence:.2f})"
        )
    return lines


def _expected(o: Outcome) -> str:
    expect = o.case.expect
    if expect is None:
        return "abstain"
    return expect if isinstance(expect, str) else " or ".join(expect)


# --- JSON -----------------------------------------------------------------------------------


def to_json(run: Run, show_held_out: bool = False) -> str:
    """The same as :func:`to_text`, as one JSON object: ``sets`` and ``unions``."""
    data = {
        "sets": [_set_dict(s, show_held_out) for s in run.sets],
        "unions": [_set_dict(u, False, failures=False) for u in run.unions],
    }
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=2)


def _set_dict(s: SetRun, show_held_out: bool, failures: bool = True) -> dict[str, Any]:
    parts = _split(s.outcomes)
    suggestion = suggest_threshold(parts["dev"]) if parts["dev"] else None
    out: dict[str, Any] = {
        "name": s.name,
        "questions": len(s.outcomes),
        "drugs": s.drugs,
        "seconds": round(s.seconds, 3),
        "load_seconds": round(s.load_seconds, 3),
        **{split: figures(parts[split]).as_dict() for split in SPLITS},
        "reliability": {
            split: [
                {"low": b.low, "high": b.high, "answers": b.answers, "right": b.right}
                for b in reliability(parts[split])
            ]
            for split in SPLITS
        },
        "threshold": None
        if suggestion is None
        else {
            "max_wrong": suggestion.max_wrong,
            "threshold": suggestion.threshold,
            "dev": suggestion.figures.as_dict(),
        },
    }
    if failures:
        shown = ("dev", "held_out") if show_held_out else ("dev",)
        out["failures"] = {split: _failure_dicts(parts[split]) for split in shown}
    return out


def _failure_dicts(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    return [
        {
            "question": o.case.question,
            "line": o.case.line,
            "expect": list(o.case.expect) if isinstance(o.case.expect, tuple) else o.case.expect,
            "got": o.used or str(o.answer.status),
            "drug": o.answer.drug,
            "confidence": o.answer.confidence,
            "verdict": o.verdict,
        }
        for o in outcomes
        if o.verdict != "right"
    ]
