"""Whole numbers as people type them: in command-line options and query parameters."""

from __future__ import annotations

__all__ = ["whole_number"]

_LONGEST = 20  # digits: enough for any bound faqbot sets, and int() of it is instant


def whole_number(text: str, low: int, high: int | None = None) -> int | None:
    """``text`` as a whole number from ``low`` to ``high`` (no upper bound when None), written
    in ASCII digits; None for anything else: other scripts' digits ("٣"), superscripts ("²"),
    signs, spaces, or more digits than any bound needs."""
    longest = len(str(high)) + 2 if high is not None else _LONGEST
    if not (text.isascii() and text.isdigit()) or len(text) > longest:
        return None
    value = int(text)
    return value if value >= low and (high is None or value <= high) else None
