"""Small talk: greetings, thanks, goodbyes, help. Replies never hold medical content.

The replies and the messages they answer are language data (``language/<lang>/smalltalk.txt``).
"""

from __future__ import annotations

import re

from faqbot.language import data_path
from faqbot.normalize import normalize

__all__ = ["small_talk"]

SMALLTALK_FILE = "smalltalk.txt"


def _read(path: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each section's whole-message pattern and reply, in order."""
    replies: list[tuple[list[str], list[str]]] = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("[") and line.rstrip().endswith("]"):
                replies.append(([], []))
            elif line.startswith("> "):
                replies[-1][1].append(line[2:].strip())
            else:
                replies[-1][0].append(line.strip())
    return tuple((re.compile("".join(pattern)), " ".join(reply)) for pattern, reply in replies)


_REPLIES = _read(data_path(SMALLTALK_FILE))


def small_talk(question: str) -> str | None:
    """The reply when the whole message is small talk, else None."""
    text = normalize(question)
    for pattern, reply in _REPLIES:
        if pattern.fullmatch(text):
            return reply
    return None
