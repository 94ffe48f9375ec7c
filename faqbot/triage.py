"""Urgent triage: a report of an emergency gets a notice before anything else.

The words are language data, read once at import from ``language/en/triage.txt`` next to this
module (its header says how each section is used); this module is the mechanism. Each clause
of a question (it ends at ``. ! ? ;``) is normalised and read on its own:

- a crisis (self-harm or suicidal intent) is urgent wherever it appears;
- an event, an emergency told as it happens ("took 20 pills"), is urgent unless the clause
  made it hypothetical before it ("what if I took...");
- a topic, an emergency only named ("chest pain"), is urgent when a report verb comes just
  before it ("I have chest pain") and no generic word makes that verb general ("can you have
  chest pain"), or when the clause is no question and nothing in it marks it general.

Only the sections' cues are compiled at import; a section itself is compiled the first time a
clause holds its cue (see :class:`_Section`), which keeps the one-shot answer fast.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import NamedTuple

from faqbot.models import Entry
from faqbot.normalize import normalize

__all__ = ["URGENT_NOTICE", "is_overdose", "is_urgent", "overdose_entry", "warm"]

TRIAGE_FILE = os.path.join(os.path.dirname(__file__), "language", "en", "triage.txt")

_GAP = 3  # words that may stand between a report verb and the topic it reports
_LEAD = 2  # words before a report verb that may make it general
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+|[\r\n]+")
_ASKED = re.compile(r"\?[\s.!?]*$")
_REFERENCE = re.compile(r"\{(\w+)\}")
_HEADER = re.compile(r"\[(\w+)\]")  # not "[5-9]": that is a pattern
_OVERDOSE_KINDS = frozenset({"faq", "section"})  # entries that can be a page's overdose answer


def read_sections(path: str) -> dict[str, list[str]]:
    """The sections of a triage file: ``[name]`` (a word) heads a section, each other line is
    one item, ``#`` starts a comment; ValueError naming the file and line for an item outside
    any section."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            header = _HEADER.fullmatch(line)
            if header:
                current = sections.setdefault(header[1], [])
            elif current is None:
                raise ValueError(f"{path}:{number}: {line!r} comes before any [section]")
            else:
                current.append(line)
    return sections


def _alternatives(sections: dict[str, list[str]], name: str, seen: tuple[str, ...] = ()) -> str:
    """Section ``name`` as one regex group, each ``{other}`` replaced by section ``other``."""
    if name in seen:
        raise ValueError(f"{TRIAGE_FILE}: [{name}] refers to itself through {seen}")
    if not sections.get(name):
        raise ValueError(f"{TRIAGE_FILE}: section [{name}] is missing or empty")

    def expand(m: re.Match[str]) -> str:
        return _alternatives(sections, m[1], (*seen, name))

    return "(?:" + "|".join(_REFERENCE.sub(expand, line) for line in sections[name]) + ")"


def _words(sections: dict[str, list[str]], *names: str) -> re.Pattern[str]:
    """The alternatives of ``names``, matched as whole words."""
    return re.compile(r"\b(?:" + "|".join(_alternatives(sections, n) for n in names) + r")\b")


class _Section:
    """A section's pattern, compiled the first time a clause holds one of the words of its
    cue (section ``[<name>_cue]``): most questions hold none, and compiling every section at
    import would cost each one-shot answer tens of milliseconds."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cue = _words(_SECTIONS, f"{name}_cue")
        self._pattern: re.Pattern[str] | None = None

    def finditer(self, clause: str) -> Iterator[re.Match[str]]:
        """The matches of the section in ``clause``."""
        if not self.cue.search(clause):
            return iter(())
        return self.compile().finditer(clause)

    def search(self, clause: str) -> bool:
        """Whether the section matches in ``clause``."""
        return next(self.finditer(clause), None) is not None

    def compile(self) -> re.Pattern[str]:
        """The section's pattern, compiled the first time it is asked for."""
        if self._pattern is None:
            self._pattern = _words(_SECTIONS, self.name)
        return self._pattern


class _Context(NamedTuple):
    """The words read around a match, compiled the first time one is needed."""

    report: re.Pattern[str]
    generic: re.Pattern[str]
    hypothetical: re.Pattern[str]
    question: re.Pattern[str]
    general: re.Pattern[str]


@cache
def _context() -> _Context:
    return _Context(
        _words(_SECTIONS, "report"),
        _words(_SECTIONS, "generic"),
        _words(_SECTIONS, "hypothetical"),
        re.compile(r"^" + _alternatives(_SECTIONS, "question") + r"\b"),
        _words(_SECTIONS, "general"),
    )


class _Titles(NamedTuple):
    """The words of entry titles, compiled the first time a page's overdose entry is sought."""

    overdose: re.Pattern[str]
    advice: re.Pattern[str]
    ruled_out: re.Pattern[str]


@cache
def _titles() -> _Titles:
    return _Titles(
        _words(_SECTIONS, "overdose_title"),
        _words(_SECTIONS, "overdose_advice"),
        _words(_SECTIONS, "not_overdose_title"),
    )


_SECTIONS = read_sections(TRIAGE_FILE)

URGENT_NOTICE = " ".join(_SECTIONS["notice"])

_CRISIS = _Section("crisis")
_EVENTS = (_Section("event"), _Section("overdose_event"))
_TOPICS = (_Section("topic"), _Section("overdose_topic"))
_OVERDOSE = (_EVENTS[1], _TOPICS[1])


def warm() -> None:
    """Compile every pattern now, as a long-running process does at start, so that no
    question pays for it (a one-shot answer compiles only what its question needs)."""
    for section in (_CRISIS, *_EVENTS, *_TOPICS):
        section.compile()
    _context()
    _titles()


def is_urgent(question: str) -> bool:
    """True for a report or a plan of an emergency, not for a general question about one."""
    return any(_urgent_clause(clause, asked) for clause, asked in _clauses(question))


def is_overdose(question: str) -> bool:
    """True for a report of, or a question about, taking too much of a medicine."""
    text = normalize(question)
    return any(section.search(text) for section in _OVERDOSE)


def overdose_entry(entries: Iterable[Entry]) -> Entry | None:
    """The entry among a drug's ``entries`` that answers an overdose (an FAQ or a section whose
    title is about one), preferring one that says what to do; None when the page has none."""
    titles = _titles()
    found: list[tuple[Entry, str]] = []
    for entry in entries:
        if entry.kind not in _OVERDOSE_KINDS:
            continue
        title = normalize(entry.title)
        if titles.overdose.search(title) and not titles.ruled_out.search(title):
            found.append((entry, title))
    advising = (entry for entry, title in found if titles.advice.search(title))
    return next(advising, found[0][0] if found else None)


def _clauses(question: str) -> Iterable[tuple[str, bool]]:
    """Each clause of ``question``, normalised, and whether it ends in a question mark."""
    for part in _CLAUSE_END.split(question):
        clause = normalize(part)
        if clause:
            yield clause, _ASKED.search(part) is not None


def _urgent_clause(clause: str, asked: bool) -> bool:
    if _CRISIS.search(clause):
        return True
    for section in _EVENTS:
        for m in section.finditer(clause):
            if not _context().hypothetical.search(clause[: m.start()]):
                return True
    for section in _TOPICS:
        for m in section.finditer(clause):
            before = clause[: m.start()]
            if _context().hypothetical.search(before):
                continue
            reported = _reported(before)
            if reported or (reported is None and not _is_question(clause, asked)):
                return True
    return False


def _reported(before: str) -> bool | None:
    """Whether the words ``before`` a topic report it: True after a report verb, False when a
    generic word makes that verb general, None when there is no report verb near."""
    context = _context()
    verbs = list(context.report.finditer(before))
    verb = verbs[-1] if verbs else None  # the one nearest the topic
    if verb is None or (verb.start() == 0 and context.question.match(before)):
        return None  # "is paracetamol overdose dangerous": that "is" opens a question
    gap = before[verb.end() :].split()
    if len(gap) > _GAP:
        return None
    lead = before[: verb.start()].split()[-_LEAD:]
    return context.generic.search(" ".join((*lead, *gap))) is None


def _is_question(clause: str, asked: bool) -> bool:
    """A question, or a clause about a topic in general ("symptoms of an overdose")."""
    context = _context()
    return asked or bool(context.question.match(clause) or context.general.search(clause))
