"""Rendering an Answer: the only place the disclaimer is added to what people see."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from faqbot.answer import Answer

__all__ = ["Style", "for_terminal", "to_dict", "to_json", "to_text"]

# What page text must not send to a terminal: escape sequences (CSI; OSC and the other strings,
# up to their end or the line's; two-character escapes), C0 and C1 controls but newline and
# tab, DEL, and the bidi overrides and isolates that show text in another order than stored.
_UNSAFE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[ -/]*[0-~])?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def for_terminal(text: str) -> str:
    """``text`` with terminal escape sequences and control characters removed (not ``\\n``
    or ``\\t``): what untrusted text from pages and files may show on a terminal."""
    return _UNSAFE.sub("", text)


class Style:
    """ANSI styles for the terminal; all empty when colour is off."""

    def __init__(self, color: bool) -> None:
        on = color
        self.reset = "\x1b[0m" if on else ""
        self.dim = "\x1b[2m" if on else ""
        self.bold = "\x1b[1m" if on else ""
        self.urgent = "\x1b[1;97;41m" if on else ""
        self.heading = "\x1b[1;36m" if on else ""


def to_dict(answer: Answer) -> dict[str, Any]:
    """The JSON contract: question, answer, entry, confidence, suggestions, urgent, disclaimer,
    status and reason."""
    entry = answer.entry
    return {
        "question": answer.question,
        "answer": answer.text,
        "entry": None
        if entry is None
        else {"id": entry.id, "drug": entry.drug, "kind": entry.kind, "title": entry.title},
        "confidence": answer.confidence,
        "suggestions": list(answer.suggestions),
        "urgent": answer.urgent,
        "disclaimer": answer.disclaimer,
        "status": str(answer.status),
        "reason": str(answer.reason) or None,
    }


def to_json(answer: Answer, **extra: Any) -> str:
    """One line of JSON (UTF-8 text, no ASCII escapes), with any ``extra`` keys added."""
    import json  # here: text answers, the common one-shot case, don't need it

    return json.dumps({**to_dict(answer), **extra}, ensure_ascii=False, allow_nan=False)


def to_text(answer: Answer, width: int = 80, color: bool = False) -> str:
    """The answer for a terminal: heading, text, numbered suggestions, then the disclaimer."""
    s = Style(color)
    width = max(width, 20)
    out: list[str] = []
    body = for_terminal(answer.text)
    if answer.urgent:
        notice, _, body = body.partition("\n\n")
        out.extend(f"{s.urgent}{line}{s.reset}" for line in _wrap(notice, width))
        out.append("")
    if answer.entry is not None:
        heading = for_terminal(f"{answer.entry.drug} › {answer.entry.title}")
        out.append(f"{s.heading}{heading}{s.reset}")
    out.extend(_wrap(body, width))
    for n, suggestion in enumerate(answer.suggestions, 1):
        out.extend(_wrap(f"  {n}. {for_terminal(suggestion)}", width, indent="     "))
    out.append("")
    disclaimer = for_terminal(answer.disclaimer)
    out.extend(f"{s.dim}{line}{s.reset}" for line in _wrap(disclaimer, width))
    return "\n".join(out)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap each line of ``text`` to ``width``, keeping list items' hanging indent."""
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        if not line.strip():
            lines.append("")
            continue
        lead = line[: len(line) - len(line.lstrip())]
        hang = lead + ("  " if line.lstrip().startswith(("- ", "* ")) else "") + indent
        lines.extend(
            textwrap.wrap(line, width, subsequent_indent=hang, break_on_hyphens=False) or [""]
        )
    return lines
