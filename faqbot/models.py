"""The data faqbot works on: medications and their entries, all immutable.

Named tuples rather than dataclasses: they are made, pickled and loaded several times faster,
which the one-shot ``faqbot ask`` and the index cache feel. Compare them within one type only:
as tuples, two of different types with the same values are equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple

from faqbot.slug import drug_slug, slugify

__all__ = [
    "Dropped",
    "Entry",
    "EntryKind",
    "Faq",
    "Medication",
    "Section",
    "SideEffect",
    "Source",
]

EntryKind = Literal[
    "usage", "how_it_works", "side_effects", "side_effect", "faq", "section", "note"
]


class Section(NamedTuple):
    """A block of prose: Usage, How it Works, or any other section a page has."""

    title: str
    text: str
    phrasings: tuple[str, ...] = ()


class SideEffect(NamedTuple):
    """One side effect; ``group`` is the heading it sits under ("Common", an ingredient...)."""

    name: str
    text: str
    group: str | None = None
    urgent: bool = False
    phrasings: tuple[str, ...] = ()


class Faq(NamedTuple):
    """A question and its answer, as the page gives them."""

    question: str
    answer: str
    group: str | None = None
    phrasings: tuple[str, ...] = ()


class Source(NamedTuple):
    """Where a knowledge file came from; ``imported`` fingerprints the page's fields as the
    import wrote them (see faqbot.merge)."""

    page: str
    sha256: str
    imported: str | None = None


class Dropped(NamedTuple):
    """Text of a page that the importer did not turn into an entry, and why."""

    reason: str
    text: str


class Entry(NamedTuple):
    """One answerable unit of a medication, as the index and matcher see it."""

    id: str
    kind: EntryKind
    title: str
    text: str
    phrasings: tuple[str, ...] = ()


class Medication(NamedTuple):
    """Everything known about one medication; ``title`` is its key."""

    title: str
    generic_name: str | None = None
    aliases: tuple[str, ...] = ()
    intro: str | None = None
    usage: Section | None = None
    how_it_works: Section | None = None
    side_effects_intro: str | None = None
    side_effects: tuple[SideEffect, ...] = ()
    side_effects_phrasings: tuple[str, ...] = ()
    faqs: tuple[Faq, ...] = ()
    sections: tuple[Section, ...] = ()
    disclaimer: str | None = None
    note: str | None = None
    source: Source | None = None
    dropped: tuple[Dropped, ...] = ()

    @property
    def slug(self) -> str:
        return drug_slug(self.title)

    def entries(self) -> Iterator[Entry]:
        """Every answerable entry, with ids that are stable for the same text."""
        if self.usage:
            yield Entry("usage", "usage", "Usage", self.usage.text, self.usage.phrasings)
        if self.how_it_works:
            h = self.how_it_works
            yield Entry("how-it-works", "how_it_works", "How it works", h.text, h.phrasings)
        if self.side_effects or self.side_effects_intro:
            yield Entry(
                "side-effects",
                "side_effects",
                "Side effects",
                side_effects_text(self),
                self.side_effects_phrasings,
            )
        for s in self.side_effects:
            yield Entry(
                f"side-effects/{slugify(s.name)}", "side_effect", s.name, s.text, s.phrasings
            )
        for f in self.faqs:
            yield Entry(f"faqs/{slugify(f.question)}", "faq", f.question, f.answer, f.phrasings)
        for sec in self.sections:
            yield Entry(
                f"sections/{slugify(sec.title)}", "section", sec.title, sec.text, sec.phrasings
            )
        if self.note:
            yield Entry("note", "note", "Note", self.note)


def side_effects_text(med: Medication) -> str:
    """The side-effect list as one answer, in the page's own words and order."""
    lines = [med.side_effects_intro] if med.side_effects_intro else []
    group: str | None = None
    for s in med.side_effects:
        if s.group != group and s.group:
            lines.append(f"{s.group}:")
        group = s.group
        lines.append(f"- {s.name}: {s.text}" if s.text else f"- {s.name}")
    return "\n".join(lines)
