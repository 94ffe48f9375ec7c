"""The bot: one question in, one :class:`~faqbot.answer.Answer` out.

Triage comes first (an urgent notice leads any reply), then small talk, then the matcher.
Every reply's disclaimer is chosen here, in one place: the drug's own when an entry is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from faqbot import cache, triage
from faqbot.answer import GENERIC_DISCLAIMER, Answer, EntryRef
from faqbot.files import knowledge_files
from faqbot.index import Index, build_index
from faqbot.language import data_path
from faqbot.lexicon import LEXICON_FILE, load_lexicon
from faqbot.matcher import Match, Matcher
from faqbot.models import Entry, Medication
from faqbot.outcome import Reason, Status
from faqbot.smalltalk import small_talk
from faqbot.triage import URGENT_NOTICE, is_overdose, is_urgent, overdose_entry

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["MAX_QUESTION", "Bot", "index_medications", "load_knowledge"]

MAX_QUESTION = 2000  # characters of a question that are read; the rest is ignored


def load_knowledge(
    directory: StrPath, cache_dir: StrPath | None = None, key_file: StrPath | None = None
) -> Index:
    """Load every knowledge file in ``directory`` and index it.

    The folder's own ``lexicon.yaml`` is used when it has one, else the language's. With
    ``cache_dir``, the index is kept there, signed with the key in ``key_file`` (made when
    missing; it must lie outside ``cache_dir``), and used until a knowledge file, the lexicon
    or faqbot itself changes. Raises :class:`~faqbot.errors.KnowledgeError` naming each bad
    file and line.
    """
    lexicon_path = _lexicon_path(directory)
    if cache_dir is None:
        return _load_index(directory, lexicon_path)
    if key_file is None:
        raise ValueError("a cache needs a key_file, kept outside cache_dir")
    key = f"{os.path.realpath(directory)}\n{os.path.realpath(lexicon_path)}"
    # Taken before the files are read, so that an edit made meanwhile is noticed next time.
    snap = cache.snapshot([*knowledge_files(directory), lexicon_path, *cache.code_files()])
    index = cache.read_index(cache_dir, key_file, key, snap)
    if index is None:
        index = _load_index(directory, lexicon_path)
        cache.write_index(cache_dir, key_file, key, snap, index)
    return index


def index_medications(medications: Iterable[Medication], folder: StrPath | None = None) -> Index:
    """Index ``medications`` with ``folder``'s ``lexicon.yaml``, else the shipped lexicon."""
    return build_index(medications, load_lexicon(_lexicon_path(folder)))


def _lexicon_path(folder: StrPath | None) -> str:
    if folder is not None and os.path.lexists(own := os.path.join(folder, LEXICON_FILE)):
        return own
    return data_path(LEXICON_FILE)  # the language's own


def _load_index(directory: StrPath, lexicon_path: str) -> Index:
    from faqbot.knowledge import load_dir  # imports YAML: only when there is no cached index

    return build_index(load_dir(directory), load_lexicon(lexicon_path))


class Bot:
    """Answers questions from an :class:`~faqbot.index.Index`."""

    def __init__(self, index: Index, matcher: Matcher | None = None) -> None:
        self.index = index
        self.matcher = matcher or Matcher(index)

    def warm(self) -> None:
        """Make now what the first questions would otherwise make (the triage patterns, the
        spellers, the typo tools): for a long-running process, at start."""
        from rapidfuzz import fuzz, process  # noqa: F401  (imported now, not by a question)

        triage.warm()
        _ = self.index.speller, self.index.lexicon_speller

    def ask(self, question: str, context: str | None = None) -> Answer:
        """Answer ``question``; ``context`` is the slug of the drug talked about so far."""
        text = question[:MAX_QUESTION]
        urgent = is_urgent(text)
        reply = self._reply(question, text, context)
        if urgent:
            reply = self._overdose_reply(reply, text) or reply
            return replace(reply, text=f"{URGENT_NOTICE}\n\n{reply.text}", urgent=True)
        return reply

    def _overdose_reply(self, reply: Answer, text: str) -> Answer | None:
        """After an urgent notice about an overdose, the page's own overdose entry."""
        med = self.index.medications.get(reply.drug or "")
        if med is None or not is_overdose(text):
            return None
        entry = overdose_entry(med.entries())
        if entry is None or (reply.entry is not None and reply.entry.id.endswith(f":{entry.id}")):
            return None
        return _entry_answer(reply.question, med, entry, 1.0, Reason.OVERDOSE)

    def _reply(self, question: str, text: str, context: str | None) -> Answer:
        if not text.strip():
            return Answer(
                question,
                "Ask me a question about a medication.",
                GENERIC_DISCLAIMER,
                Status.SMALLTALK,
            )
        chat = small_talk(text)
        if chat is not None:
            return Answer(question, chat, GENERIC_DISCLAIMER, Status.SMALLTALK, drug=context)
        return self._from_match(question, self.matcher.match(text, context))

    def _from_match(self, question: str, match: Match) -> Answer:
        med = self.index.medications.get(match.drug) if match.drug else None
        if match.entry is not None and med is not None:
            return _entry_answer(question, med, match.entry, match.confidence, match.reason)
        suggestions = match.suggestions or self._drug_suggestions(match)
        return Answer(
            question,
            _fallback_text(match, med, suggestions),
            GENERIC_DISCLAIMER,
            Status.CLARIFY if match.status == Status.CLARIFY else Status.ABSTAINED,
            confidence=match.confidence,
            suggestions=suggestions,
            drug=med.slug if med else None,
            reason=match.reason,
        )

    def answer_entry(self, question: str, slug: str, entry_id: str) -> Answer:
        """The answer that is entry ``entry_id`` of drug ``slug`` (a suggestion picked)."""
        med = self.index.medications[slug]
        entry = next(e for e in med.entries() if e.id == entry_id)
        return _entry_answer(question, med, entry, 1.0, Reason.CHOSEN)

    def _drug_suggestions(self, match: Match) -> tuple[str, ...]:
        if match.reason == Reason.UNKNOWN_DRUG and len(self.index.medications) <= 5:
            return tuple(m.title for m in self.index.medications.values())
        return ()


def _entry_answer(
    question: str, med: Medication, entry: Entry, confidence: float, reason: Reason
) -> Answer:
    """An answer from ``entry``: its own words, then the drug's own disclaimer."""
    ref = EntryRef(f"{med.slug}:{entry.id}", med.title, entry.kind, entry.title)
    return Answer(
        question,
        entry.text or _bare_entry_text(entry, med),
        med.disclaimer or GENERIC_DISCLAIMER,
        Status.ANSWERED,
        ref,
        confidence,
        drug=med.slug,
        reason=reason,
    )


def _bare_entry_text(entry: Entry, med: Medication) -> str:
    """What an entry with no text of its own says: only framing words around its title
    (a side effect the page lists without describing it), never medical content."""
    if entry.kind == "side_effect":
        return f"{entry.title} is listed among the side effects of {med.title}."
    return entry.title


def _fallback_text(match: Match, med: Medication | None, suggestions: tuple[str, ...]) -> str:
    """What to say when no entry answers; never medical content."""
    if match.reason == Reason.AMBIGUOUS_DRUG:
        return "Which medication do you mean?"
    if match.reason == Reason.NO_DRUG:
        return "Which medication are you asking about? Please name it in your question."
    if match.reason == Reason.UNKNOWN_DRUG:
        known = " I can answer questions about:" if suggestions else ""
        if match.others:
            return f"I don't have a page about {' or '.join(match.others[:2])}.{known}"
        return f"I don't have information about that medication.{known}"
    if match.reason == Reason.TOPIC_NOT_COVERED and med is not None:
        covers = " It covers:" if suggestions else ""
        return f"The {med.title} page doesn't cover {match.topic}.{covers}"
    about = f" about {med.title}" if med else ""
    if suggestions:
        return (
            f"I don't have an answer to that in my knowledge{about}. "
            "These are the closest topics I know:"
        )
    return f"I don't have an answer to that in my knowledge{about}."
