"""The knowledge file format: its number, and the fields each mapping may hold."""

from __future__ import annotations

__all__ = ["FORMAT"]  # the field tuples below are for the reader in this package

FORMAT = 1

# The fields each mapping may hold, in the order they are written.
_TOP = (
    "format", "title", "generic_name", "aliases", "intro", "usage", "how_it_works",
    "side_effects", "faqs", "sections", "disclaimer", "note", "source", "dropped",
)  # fmt: skip
_PROSE = ("text", "phrasings")
_SIDE_EFFECTS = ("intro", "phrasings", "items")
_SIDE_EFFECT = ("name", "text", "group", "urgent", "phrasings")
_FAQ = ("question", "answer", "group", "phrasings")
_SECTION = ("title", "text", "phrasings")
_SOURCE = ("page", "sha256")
_DROPPED = ("reason", "text")
