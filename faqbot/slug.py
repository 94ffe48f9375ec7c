"""Slugs: the stable, file-name-safe form of titles and questions."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["drug_slug", "slugify"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    """``"Is milnacipran addictive?"`` → ``"is-milnacipran-addictive"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "untitled"


def drug_slug(title: str, max_length: int = 60) -> str:
    """A drug's file name and key: its slug, with a short hash when cut to ``max_length``.

    Long combination titles that share their first words still get different slugs.
    """
    full = slugify(title, max_length=10_000)
    if len(full) <= max_length:
        return full
    import hashlib  # here: only long titles need it, and the one-shot path starts faster

    digest = hashlib.sha1(full.encode()).hexdigest()[:8]
    return f"{slugify(title, max_length - 9)}-{digest}"
