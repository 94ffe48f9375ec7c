"""The knowledge file format: its number, and the fields each mapping may hold."""

from __future__ import annotations

__all__ = ["FORMAT", "MAX_BYTES"]  # the field tuples below are for the reader in this package

FORMAT = 1
# The size cap of one knowledge file. The largest that the corpus imports to is 14 kB
# (rxhive-v2, donepezil.yaml); a file of 1 MB (some 17,000 FAQs) is checked in 0.4 s.
MAX_BYTES = 1_000_000
MAX_BYTES_ADVICE = (
    "a knowledge file holds one medication, and the largest imported one is 14 kB: check that "
    "this is the file you meant, or shorten it"
)

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
_SOURCE = ("page", "sha256", "imported")
_DROPPED = ("reason", "text")
