"""Whole numbers as people type them: one reading for options and query parameters."""

from __future__ import annotations

import pytest

from faqbot.numbers import whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1), ("100", 100), ("0100", 100), ("0", None), ("101", None), ("-1", None),
        ("+5", None), (" 5", None), ("٣", None), ("²", None), ("1e3", None), ("", None),
        ("9" * 5000, None),
    ],
)  # fmt: skip
def test_whole_numbers_in_a_range(text: str, expected: int | None) -> None:
    """Only ASCII digits within low..high are read; anything else is None, never an error."""
    assert whole_number(text, 1, 100) == expected


def test_no_upper_bound_still_refuses_absurd_lengths() -> None:
    """Without an upper bound, any length a bound could need is read, and no more."""
    assert whole_number("9" * 20, 1) == int("9" * 20)
    assert whole_number("9" * 5000, 1) is None
