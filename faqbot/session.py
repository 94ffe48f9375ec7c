"""A conversation: remembers the drug and the last topic, so follow-ups need no repeating.

"what about dizziness?" asks about the drug in focus; "what about sertraline?" after a
question asks the same question of sertraline; "2" (or the words of a suggestion) picks one of
the numbered suggestions just offered. A session holds a bounded, JSON-serialisable state: the
drug in focus, the last topic and the last offer, never the whole conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from faqbot.answer import Answer
from faqbot.bot import MAX_QUESTION, Bot
from faqbot.errors import FaqbotError
from faqbot.normalize import normalize
from faqbot.outcome import Reason

__all__ = ["Offer", "Session"]

MAX_TOPIC = 300  # characters of the last topic kept
CHOICE_CUTOFF = 85.0  # how closely typed words must match a suggestion to pick it
_FOLLOW_UP = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|also|then|plus)\s+)*"
    r"(?:what|how)\s+about\s+|^(?:ok(?:ay)?\s+)?(?:and|also|plus)\s+(?:for\s+)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\s*(?:#|no\.?\s*|number\s+|option\s+)?(\d{1,2})\s*[.)]?\s*$", re.I)


@dataclass(frozen=True)
class Offer:
    """Numbered suggestions the user may pick from on the next turn."""

    kind: Literal["drug", "topic"]
    options: tuple[str, ...]  # drug slugs, or entry ids of ``drug``
    labels: tuple[str, ...]  # what was shown
    question: str  # the question that led to the offer
    drug: str | None = None


class Session:
    """One person's conversation with a :class:`~faqbot.bot.Bot`."""

    def __init__(self, bot: Bot, drug: str | None = None) -> None:
        self.bot = bot
        self.drug = drug if drug in bot.index.medications else None
        self.topic: str | None = None
        self.offer: Offer | None = None
        self.awaiting_drug = False  # the last question named no drug, and we asked which

    @property
    def drug_title(self) -> str | None:
        """The title of the drug in focus, if any."""
        return self.bot.index.medications[self.drug].title if self.drug else None

    def reset(self) -> None:
        """Forget the drug, the topic and any pending suggestions."""
        self.drug = self.topic = None
        self.offer = None
        self.awaiting_drug = False

    def focus(self, slug: str) -> None:
        """Talk about drug ``slug`` from now on."""
        if slug not in self.bot.index.medications:
            raise FaqbotError(f"unknown drug {slug!r}")
        self.drug = slug
        self.offer = None

    def ask(self, text: str) -> Answer:
        """Answer ``text`` in the context of the conversation so far."""
        read = text[:MAX_QUESTION]  # all the bot reads; picks and the state keep no more
        chosen = self._choice(read)
        answer = chosen if chosen is not None else self._ask(read)
        self._remember(answer)
        return replace(answer, question=text)  # the question as the person asked it

    def _ask(self, text: str) -> Answer:
        lead = _FOLLOW_UP.match(text.strip())
        question = text.strip()[lead.end() :] if lead and lead.end() < len(text.strip()) else text
        answer = self.bot.ask(question, self.drug)
        switched = answer.drug is not None and answer.drug != self.drug
        if (
            answer.reason == Reason.OVERVIEW
            and switched
            and self.topic
            and (lead or self.awaiting_drug)
        ):
            # "what about sertraline?" after a question: the same question, of sertraline
            return self.bot.ask(self.topic, answer.drug)
        return answer

    def _choice(self, text: str) -> Answer | None:
        """The answer to a pick among the last suggestions, if ``text`` is one."""
        offer = self.offer
        if offer is None:
            return None
        index = _picked(text, offer.labels)
        if index is None:
            return None
        option = offer.options[index]
        if offer.kind == "drug":
            self.drug = option
            topic = self.bot.matcher.without_names(offer.question)
            return self.bot.ask(topic or offer.labels[index], option)
        assert offer.drug is not None
        return self.bot.answer_entry(text, offer.drug, option)

    def _remember(self, answer: Answer) -> None:
        if answer.drug is not None:
            self.drug = answer.drug
        self.awaiting_drug = answer.reason == Reason.NO_DRUG
        if self.awaiting_drug or (answer.entry is not None and answer.reason != Reason.OVERVIEW):
            asked = (
                answer.entry.title
                if answer.entry and answer.reason == Reason.CHOSEN
                else answer.question
            )
            self.topic = self.bot.matcher.without_names(asked)[:MAX_TOPIC] or None
        self.offer = self._offer_in(answer)

    def _offer_in(self, answer: Answer) -> Offer | None:
        if not answer.suggestions or answer.entry is not None:
            return None
        meds = self.bot.index.medications
        by_title = self.bot.index.slug_of_title
        if (
            all(s in by_title for s in answer.suggestions)
            and answer.reason != Reason.LOW_CONFIDENCE
        ):
            slugs = tuple(by_title[s] for s in answer.suggestions)
            return Offer("drug", slugs, answer.suggestions, answer.question)
        if answer.drug is None:
            return None
        ids = {e.title: e.id for e in meds[answer.drug].entries()}
        if not all(s in ids for s in answer.suggestions):
            return None
        options = tuple(ids[s] for s in answer.suggestions)
        return Offer("topic", options, answer.suggestions, answer.question, answer.drug)

    # --- serialisation ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The session's state as JSON-ready data (small and bounded)."""
        offer = self.offer
        return {
            "drug": self.drug,
            "topic": self.topic,
            "awaiting_drug": self.awaiting_drug,
            "offer": None
            if offer is None
            else {
                "kind": offer.kind,
                "options": list(offer.options),
                "labels": list(offer.labels),
                "question": offer.question,
                "drug": offer.drug,
            },
        }

    @classmethod
    def from_dict(cls, bot: Bot, data: object) -> Session:
        """A session restored from :meth:`to_dict`; FaqbotError names a bad field."""
        if not isinstance(data, dict):
            raise FaqbotError("session state must be an object")
        session = cls(bot)
        drug, topic, offer = data.get("drug"), data.get("topic"), data.get("offer")
        if drug is not None and drug not in bot.index.medications:
            raise FaqbotError(f"session field 'drug': unknown drug {drug!r}")
        if topic is not None and not isinstance(topic, str):
            raise FaqbotError("session field 'topic' must be text or null")
        session.drug, session.topic = drug, topic[:MAX_TOPIC] if topic else None
        session.awaiting_drug = data.get("awaiting_drug") is True
        session.offer = None if offer is None else _offer_from(offer, bot)
        return session


def _picked(text: str, labels: tuple[str, ...]) -> int | None:
    """Which label ``text`` picks: its number, or words close to one label."""
    number = _NUMBER.match(text)
    if number:
        n = int(number.group(1))
        return n - 1 if 1 <= n <= len(labels) else None
    said = normalize(text)
    if not said:
        return None
    from rapidfuzz import fuzz  # here: only a pick among suggestions needs it

    scores = [fuzz.ratio(said, normalize(label)) for label in labels]
    best = max(range(len(labels)), key=scores.__getitem__)
    return best if scores[best] >= CHOICE_CUTOFF else None


def _offer_from(data: object, bot: Bot) -> Offer:
    """An Offer from serialised data, checked against the loaded knowledge."""
    malformed = FaqbotError("session field 'offer' is malformed")
    if not isinstance(data, dict):
        raise malformed
    kind, options, labels = data.get("kind"), data.get("options"), data.get("labels")
    question, drug = data.get("question"), data.get("drug")
    if not (isinstance(options, list) and isinstance(labels, list) and isinstance(question, str)):
        raise malformed
    texts = [*options, *labels]
    if (
        len(options) != len(labels)
        or len(options) > 10
        or not all(isinstance(x, str) for x in texts)
    ):
        raise malformed
    meds = bot.index.medications
    question = question[:MAX_QUESTION]
    if kind == "drug" and drug is None and all(o in meds for o in options):
        return Offer("drug", tuple(options), tuple(labels), question)
    if kind == "topic" and drug in meds:
        ids = {e.id for e in meds[drug].entries()}
        if all(o in ids for o in options):
            return Offer("topic", tuple(options), tuple(labels), question, drug)
    raise malformed
