"""Plain text: markup stripped from page text, spaces collapsed, words and sentence ends found."""

from __future__ import annotations

import re

__all__ = ["SENTENCE_END", "SPACES", "plain_text", "words"]

# Text clean-up.
_TAGS = re.compile(r"</?(?:sub|sup|b|i|em|strong|u|small|span)\b[^>]*>|<br\s*/?>", re.I)
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])")
SPACES = re.compile(r"[ \t\u00a0]+")
# Bold that opens a Q:/A: marker right after a word ("0**Q: "): it becomes a space, as
# removing it would glue the word to the marker ("0Q:").
_GLUED_MARKER = re.compile(r"(?<=\w)\*\*(?=[QA]\s*:)")

# Sentences.
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]*]*(?=\s)")


def plain_text(text: str) -> str:
    """Strip markup (bold, italics, tags) and collapse spaces; keep every word."""
    if "<" in text:
        text = _TAGS.sub("", text)
    if "*" in text:
        if "**Q" in text or "**A" in text:
            text = _GLUED_MARKER.sub(" ", text)
        text = text.replace("**", "")
        if "*" in text:
            text = _ITALIC.sub(r"\1", text)
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = SPACES.sub(" ", text)
    return text.strip()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())
