"""Parts: what the steps collect from one page, before it becomes the frozen `Medication`."""

from __future__ import annotations

from dataclasses import dataclass, field

from faqbot.models import Dropped, Faq, Section, SideEffect

__all__ = ["Parts"]


@dataclass(slots=True)
class Parts:
    """Everything collected so far; `assemble._medication` turns it into the frozen `Medication`."""

    title: str
    generic_name: str | None = None
    intro: list[str] = field(default_factory=list)
    usage: str | None = None
    how: str | None = None
    se_intro: list[str] = field(default_factory=list)
    se_more: list[str] = field(default_factory=list)
    side_effects: list[SideEffect] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    disclaimer: list[str] = field(default_factory=list)
    note: str | None = None
    dropped: list[Dropped] = field(default_factory=list)
