"""Slugs: stable for the text of earlier versions, real for titles in any script."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from faqbot.slug import _slug, drug_slug, slugify


def _slug_before(text: str, max_length: int = 60) -> str:
    """The slug of earlier faqbots, which dropped every character beyond ASCII."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "untitled"


def _has_letters_beyond_latin(text: str) -> bool:
    decomposed = unicodedata.normalize("NFKD", text)
    return any(not c.isascii() and c.isalnum() for c in decomposed)


@given(st.text(max_size=80))
@example("What’s up – ok?")
@example("Crème brûlée")
def test_ids_of_earlier_text_stay_the_same(text: str) -> None:
    """Text whose letters are all Latin gets the slug that earlier versions gave it."""
    if not _has_letters_beyond_latin(text):
        assert slugify(text) == _slug_before(text)


@given(st.text(st.characters(max_codepoint=127), max_size=80))
def test_the_ascii_shortcut_matches_the_general_rule(text: str) -> None:
    """For ASCII text, the quick path gives what the Unicode path gives."""
    general = re.sub(r"[\W_]+", "-", text.casefold()).strip("-")
    assert _slug(text, 10_000) == general


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Milnacipran", "milnacipran"),
        ("Co-Trimoxazole", "co-trimoxazole"),
        ("Co Trimoxazole", "co-trimoxazole"),
        ("Crème", "creme"),
        ("Милнаципран", "милнаципран"),
        ("米那普仑", "米那普仑"),
    ],
)
def test_titles_in_any_script_get_a_real_slug(title: str, slug: str) -> None:
    """Latin titles lose their accents; letters of other scripts are kept."""
    assert drug_slug(title) == slug


def test_titles_without_letters_get_distinct_slugs() -> None:
    """Titles with no letter or digit get slugs of their own, not one shared 'untitled'."""
    slugs = {drug_slug(t) for t in (".", "…", "?!", "untitled")}
    assert len(slugs) == 4
