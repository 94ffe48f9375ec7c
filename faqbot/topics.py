"""Topics: what a question asks about a medicine (dose, pregnancy, stopping it...), the same
for every drug, and which entries are about it.

A question gets its topics from its phrasing; an entry from its kind and its own words (an
FAQ's question, a section's title), when the index is built. A *gated* topic is answered
only by an entry on that topic: a page without one says so, rather than offering the nearest
entry. The vocabulary is language data (``faqbot/language/<lang>/topics.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from faqbot.errors import Problem
from faqbot.normalize import normalize, stem

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["GAP", "Topic", "Topics", "build_topics", "validate_topics"]

GAP = "*"  # in a phrase: up to MAX_GAP words
MAX_GAP = 5
_TOPIC_FIELDS = ("label", "kinds", "phrases", "broader", "gated", "together")

Phrase = tuple[str, ...]


class Topic(NamedTuple):
    """One thing people ask about a medicine."""

    name: str
    label: str  # how a reply names it: "dosing"
    kinds: tuple[str, ...] = ()  # entry kinds about it
    gated: bool = False  # answered only by an entry on it
    broader: str | None = None  # the topic it is a case of
    together: bool = False  # asks nothing of two drugs that are one combination


class Topics:
    """The topic vocabulary: phrases (stemmed words, ``*`` gaps) → topics, in order."""

    def __init__(self, topics: Sequence[Topic], phrases: Iterable[tuple[Phrase, str]]) -> None:
        self.topics = {t.name: t for t in topics}
        self._order = {t.name: i for i, t in enumerate(topics)}
        # First word → (phrase, its words, topic), longest phrase first.
        by_first: dict[str, list[tuple[Phrase, frozenset[str], str]]] = {}
        for phrase, topic in phrases:
            words = frozenset(phrase) - {GAP}
            by_first.setdefault(phrase[0], []).append((phrase, words, topic))
        for found in by_first.values():
            found.sort(key=lambda p: -len(p[0]))
        self._by_first = by_first
        self._by_kind = {
            kind: frozenset(t.name for t in topics if kind in t.kinds)
            for t in topics
            for kind in t.kinds
        }

    def __repr__(self) -> str:
        return f"<Topics {', '.join(self.topics)}>"

    def find(self, words: Sequence[str]) -> tuple[str, ...]:
        """The topics ``words`` (normalised; the drug written "it") ask about, earliest
        topic first. A phrase's words count once, for the first topic that has them; a topic
        whose narrower topic was asked is left out."""
        stems = [stem(w) for w in words]
        present = set(stems)
        hits: list[tuple[int, int, int, str]] = []  # (topic order, start, end, topic)
        for i, w in enumerate(stems):
            for phrase, needed, topic in self._by_first.get(w, ()):
                if GAP in phrase:
                    end = _match(phrase, stems, i) if needed <= present else 0
                else:  # most phrases: the words themselves, in a row
                    end = i + len(phrase) if tuple(stems[i : i + len(phrase)]) == phrase else 0
                if end:
                    hits.append((self._order[topic], i, end, topic))
        hits.sort()
        taken: set[int] = set()
        found: dict[str, None] = {}
        for _, start, end, topic in hits:
            span = set(range(start, end))
            if not span & taken:
                taken |= span
                found[topic] = None
        narrower = {self.topics[t].broader for t in found}
        return tuple(sorted((t for t in found if t not in narrower), key=self._order.__getitem__))

    def of_entry(self, kind: str, title_words: Sequence[str]) -> frozenset[str]:
        """The topics of an entry: those of its kind, and those its title asks about."""
        return self._by_kind.get(kind, frozenset()) | frozenset(self.find(title_words))

    def gated(self, names: Iterable[str]) -> tuple[str, ...]:
        """Of ``names``, the topics that only an entry on them may answer."""
        return tuple(n for n in names if self.topics[n].gated)

    def kinds_asked(self, names: Iterable[str]) -> tuple[str, ...]:
        """The entry kinds that the (ungated) topics ``names`` ask for, each once."""
        kinds = (k for n in names if not self.topics[n].gated for k in self.topics[n].kinds[:1])
        return tuple(dict.fromkeys(kinds))

    def of_two(self, names: Iterable[str]) -> tuple[str, ...]:
        """Of ``names``, those that ask about two drugs together."""
        return tuple(n for n in names if self.topics[n].together)

    def label(self, name: str) -> str:
        return self.topics[name].label


def _match(phrase: Phrase, words: Sequence[str], start: int) -> int:
    """The end of ``phrase`` matched at ``words[start]``, or 0."""

    def at(p: int, w: int) -> int:
        if p == len(phrase):
            return w
        if phrase[p] == GAP:
            for skip in range(MAX_GAP + 1):
                end = at(p + 1, w + skip) if w + skip <= len(words) else 0
                if end:
                    return end
            return 0
        if w < len(words) and words[w] == phrase[p]:
            return at(p + 1, w + 1)
        return 0

    return at(0, start)


def build_topics(data: dict[str, object]) -> Topics:
    """Topics from the parsed ``topics.yaml`` (already validated)."""
    raw = data.get("topics") or {}
    assert isinstance(raw, dict)
    topics: list[Topic] = []
    phrases: list[tuple[Phrase, str]] = []
    for name, spec in raw.items():
        topics.append(
            Topic(
                name=str(name),
                label=str(spec.get("label") or name),
                kinds=tuple(str(k) for k in spec.get("kinds") or ()),
                gated=spec.get("gated") is True,
                broader=str(spec["broader"]) if spec.get("broader") else None,
                together=spec.get("together") is True,
            )
        )
        for said in spec.get("phrases") or ():
            words = tuple(GAP if w == GAP else stem(w) for w in _words(str(said)))
            if words and words[0] != GAP:
                phrases.append((words, str(name)))
    return Topics(topics, phrases)


def _words(text: str) -> list[str]:
    """A phrase's words, keeping its ``*`` gaps."""
    return [w for part in text.split() for w in ([GAP] if part == GAP else normalize(part).split())]


def validate_topics(data: object, path: StrPath) -> list[Problem]:
    """Problems with a topics file's shape, each naming the topic and field."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), dict):
        return [Problem(path, 1, "a topics file is a mapping with a 'topics' mapping")]
    problems = []
    names = set(data["topics"])
    for name, spec in data["topics"].items():
        if not isinstance(spec, dict):
            problems.append(Problem(path, 1, f"topic {name!r} must be a mapping"))
            continue
        for key in spec:
            if key not in _TOPIC_FIELDS:
                problems.append(Problem(path, 1, f"topic {name!r}: unknown field {key!r}"))
        said = spec.get("phrases") or []
        if not isinstance(said, list) or not all(isinstance(s, str) for s in said):
            problems.append(Problem(path, 1, f"topic {name!r}: 'phrases' must be a list of text"))
        if spec.get("broader") is not None and spec.get("broader") not in names:
            problems.append(Problem(path, 1, f"topic {name!r}: no topic {spec['broader']!r}"))
    return problems
