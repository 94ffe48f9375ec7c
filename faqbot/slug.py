"""Slugs: the stable, file-name-safe form of titles and questions.

Latin letters lose their accents ("Crème" → "creme"); letters of other scripts are kept as they
are ("Милнаципран" → "милнаципран"), so a title in any script has a slug of its own. Other
characters separate words (ASCII ones) or are dropped (curly quotes, dashes), as they always
were: ids made from earlier text stay the same.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["drug_slug", "slugify"]

_NON_WORD = re.compile(r"[\W_]+")
_NON_ASCII_WORD = re.compile(r"[^a-z0-9]+")  # the same on ASCII text, and quicker
UNTITLED = "untitled"


def slugify(text: str, max_length: int = 60) -> str:
    """``"Is milnacipran addictive?"`` → ``"is-milnacipran-addictive"``; ``"untitled"`` when
    ``text`` has no letter or digit."""
    return _slug(text, max_length) or UNTITLED


def _slug(text: str, max_length: int) -> str:
    if text.isascii():  # most text: nothing to decompose or drop
        slug = _NON_ASCII_WORD.sub("-", text.lower()).strip("-")
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        kept = "".join(c for c in decomposed if c.isascii() or c.isalnum()).casefold()
        slug = _NON_WORD.sub("-", kept).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def drug_slug(title: str, max_length: int = 60) -> str:
    """A drug's file name and key: its slug, with a short hash when cut to ``max_length``.

    Long combination titles that share their first words still get different slugs, and so do
    titles with no letter or digit at all ("." and "…").
    """
    full = _slug(title, max_length=10_000)
    if full and len(full) <= max_length:
        return full
    import hashlib  # here: only long titles need it, and the one-shot path starts faster

    digest = hashlib.sha1((full or title).encode()).hexdigest()[:8]
    return f"{slugify(title, max_length - 9)}-{digest}"
