"""The reply to one question, as every front end receives it."""

from __future__ import annotations

from dataclasses import dataclass

from faqbot.models import EntryKind
from faqbot.outcome import Reason, Status

__all__ = ["GENERIC_DISCLAIMER", "Answer", "EntryRef", "Reason", "Status"]

# Used when no entry was used, or the drug's page has no disclaimer of its own.
GENERIC_DISCLAIMER = (
    "faqbot answers from medication pages and is not medical advice. Always ask a doctor or "
    "pharmacist about your own care."
)


@dataclass(frozen=True)
class EntryRef:
    """Which knowledge entry an answer came from."""

    id: str  # "<drug slug>:<entry id>", e.g. "milnacipran:side-effects/nausea"
    drug: str  # the drug's title
    kind: EntryKind
    title: str


@dataclass(frozen=True)
class Answer:
    """What faqbot says: ``text`` is always what is shown, then ``disclaimer``."""

    question: str
    text: str
    disclaimer: str
    status: Status
    entry: EntryRef | None = None
    confidence: float = 0.0
    suggestions: tuple[str, ...] = ()
    urgent: bool = False
    drug: str | None = None  # slug of the drug the answer is about, if any
    reason: Reason = Reason.NONE  # why there is no entry, or how one was found
