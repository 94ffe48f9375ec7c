"""The lexicon: lay words and phrases mapped to the terms the knowledge uses (data, not code)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from faqbot import language
from faqbot.errors import KnowledgeError, Problem
from faqbot.normalize import normalize, stem, tokens
from faqbot.topics import Topics, build_topics, validate_topics

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["LEXICON_FILE", "MAX_LEXICON_BYTES", "TOPIC_KINDS", "Lexicon", "load_lexicon"]

LEXICON_FILE = "lexicon.yaml"
TOPIC_KINDS = ("usage", "how_it_works", "side_effects", "note")
_LIST_FIELDS = ("stopwords", "minor", "skipped", "drug_suffixes", "english")
_FIELDS = ("format", "concepts", "shorthand", "topics", "slots", *_LIST_FIELDS)
# The size cap of a lexicon: the shipped one is 96 kB.
MAX_LEXICON_BYTES = 2_000_000
_TOO_LARGE = "the shipped lexicon is 96 kB: check that this is the lexicon you meant, or shorten it"

Phrase = tuple[str, ...]


class Slots(NamedTuple):
    """The words around a drug's name that tell how a question names it (see the lexicon's
    ``slots``)."""

    companion: frozenset[str] = frozenset()
    take: frozenset[str] = frozenset()
    allergic: frozenset[str] = frozenset()
    before_name: frozenset[str] = frozenset()
    after_name: frozenset[str] = frozenset()
    auxiliary: frozenset[str] = frozenset()
    frame: frozenset[str] = frozenset()
    question: frozenset[str] = frozenset()
    overview: frozenset[str] = frozenset()
    pointer: frozenset[str] = frozenset()
    medicine: frozenset[str] = frozenset()
    after_pointer: frozenset[str] = frozenset()
    elsewhere: frozenset[str] = frozenset()
    also_pointing: frozenset[str] = frozenset()
    clock: frozenset[str] = frozenset()

    def references(self) -> frozenset[str]:
        """Words that point back at the drug in focus ("it", "this med", "they")."""
        pointing = self.pointer | self.medicine | self.after_pointer | self.also_pointing
        return pointing - self.elsewhere

    def medicine_stems(self) -> frozenset[str]:
        """The stems of the words for a medicine."""
        return frozenset(stem(w) for w in self.medicine)


def topic_token(kind: str) -> str:
    """The token a topic phrase becomes, e.g. ``@usage``; no word can collide with it."""
    return f"@{kind}"


class Lexicon:
    """Phrases (as stemmed token tuples) → the concept tokens they stand for."""

    def __init__(
        self,
        phrases: dict[Phrase, Phrase],
        stopwords: frozenset[str] = frozenset(),
        minor: frozenset[str] = frozenset(),
        drug_suffixes: tuple[str, ...] = (),
        english: frozenset[str] = frozenset(),
        shorthand: dict[str, tuple[str, ...]] | None = None,
        topics: Topics | None = None,
        skipped: frozenset[str] = frozenset(),
        forms: frozenset[str] = frozenset(),
        units: frozenset[str] = frozenset(),
        slots: Slots | None = None,
    ) -> None:
        self.phrases = phrases
        self.stopwords = stopwords
        self.minor = minor
        self.drug_suffixes = drug_suffixes
        self.english = english  # ordinary words, and their stems
        self.shorthand = shorthand or {}  # "hw" → ("how",)
        self.topics = topics if topics is not None else Topics([], [])  # what questions ask
        self.skipped = skipped  # words a phrase may carry or leave out ("my", "really")
        self.forms = forms  # salts, forms, release words: never the point of a question
        self.units = units  # of strength: "10 mg" is which product, not what is asked
        self.slots = slots or Slots()
        self.references = self.slots.references()  # made once: asked of every question
        self.medicine_stems = self.slots.medicine_stems()

    def __repr__(self) -> str:
        return f"<Lexicon of {len(self.phrases)} phrases>"

    @cached_property
    def concepts(self) -> frozenset[str]:
        """The tokens phrases stand for: ``nausea``, ``dry_mouth``, ``@usage``."""
        return frozenset(c for concept in self.phrases.values() for c in concept)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word the lexicon knows, for typo correction."""
        words = {w for p in self.phrases for w in p}
        return frozenset(words | self.stopwords | self.minor)

    def expand(self, words: list[str], keep: Callable[[int], bool] | None = None) -> list[str]:
        """Normalised words with shorthand ("hw", "u", "4") written out, but for those at the
        positions ``keep`` says to keep (the "2" of "n-butyl-2-cyanoacrylate")."""
        if not self.shorthand.keys() & set(words):
            return words
        out: list[str] = []
        for i, w in enumerate(words):
            out.extend((w,) if keep is not None and keep(i) else self.shorthand.get(w, (w,)))
        return out

    def is_word(self, word: str) -> bool:
        """Whether ``word`` (normalised) is an ordinary word, or one the lexicon knows."""
        s = stem(word)
        return word in self.english or s in self.english or s in self.vocabulary

    def is_plain(self, word: str) -> bool:
        """Whether ``word`` (normalised) is an ordinary word or a form ("ointment"): a word
        that alone names no drug."""
        return word in self.forms or self.is_word(word)

    def precompute(self) -> None:
        """Make now the tables otherwise made on first use (before the lexicon is cached)."""
        _ = self.concepts, self.vocabulary, self._lengths_from

    @cached_property
    def _lengths_from(self) -> dict[str, tuple[int, ...]]:
        """For each word that starts a phrase, the lengths of such phrases, longest first."""
        lengths: dict[str, set[int]] = {}
        for phrase in self.phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        return {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}

    def rewrite(self, words: list[str], keep_originals: bool = False) -> list[str]:
        """Replace the longest known phrases by their concept tokens, left to right."""
        words = [w for w in words if w not in self.skipped]
        lengths_from, phrases = self._lengths_from, self.phrases
        starts = [i for i, w in enumerate(words) if w in lengths_from]
        if not starts:
            return words
        out: list[str] = []
        done = 0  # words before this one are in ``out`` or replaced
        for i in starts:
            if i < done:
                continue
            for n in lengths_from[words[i]]:
                concept = phrases.get(tuple(words[i : i + n])) if i + n <= len(words) else None
                if concept is not None:
                    out += words[done : i + n] if keep_originals else words[done:i]
                    out += concept
                    done = i + n
                    break
        out += words[done:]
        return out


def build_lexicon(data: dict[str, object], topics: Topics | None = None) -> Lexicon:
    """A Lexicon from the parsed YAML mapping (already validated), with the language's
    topic vocabulary (by default the shipped one)."""
    phrases: dict[Phrase, Phrase] = {}

    def words(name: str) -> frozenset[str]:
        return frozenset(stem(normalize(str(w))) for w in data.get(name) or [])  # type: ignore[attr-defined]

    skipped = words("skipped")

    def add(concept: Phrase, said: Iterable[str]) -> None:
        for text in said:
            key = tuple(t for t in tokens(text) if t not in skipped)
            if key:
                phrases.setdefault(key, concept)

    concepts = data.get("concepts") or {}
    assert isinstance(concepts, dict)
    for term, said in concepts.items():
        concept = ("_".join(tokens(str(term))),)
        add(concept, [str(term), *said])
    kinds = data.get("topics") or {}
    assert isinstance(kinds, dict)
    for kind, said in kinds.items():
        add((topic_token(str(kind)),), said)

    suffixes = tuple(normalize(str(s)) for s in data.get("drug_suffixes") or [])  # type: ignore[attr-defined]
    plain = [normalize(str(w)) for w in data.get("english") or []]  # type: ignore[attr-defined]
    short = data.get("shorthand") or {}
    assert isinstance(short, dict)
    shorthand = {normalize(str(k)): tuple(normalize(str(v)).split()) for k, v in short.items()}
    raw_slots = data.get("slots") or {}
    assert isinstance(raw_slots, dict)
    slots = Slots(
        **{
            name: frozenset(normalize(str(w)) for w in raw_slots.get(name) or ())
            for name in Slots._fields
        }
    )
    return Lexicon(
        slots=slots,
        shorthand={k: v for k, v in shorthand.items() if k and v},
        english=frozenset(plain) | frozenset(stem(w) for w in plain),
        phrases=phrases,
        stopwords=words("stopwords"),
        minor=words("minor"),
        skipped=skipped,
        drug_suffixes=suffixes,
        topics=topics if topics is not None else shipped_topics(),
        forms=language.forms(),
        units=language.units(),
    )


TOPICS_FILE = "topics.yaml"


def shipped_topics() -> Topics:
    """The language's topic vocabulary, read and validated."""
    return build_topics(_read_checked(language.data_path(TOPICS_FILE), validate_topics))


def validate_lexicon(data: object, path: StrPath) -> list[Problem]:
    """Problems with the lexicon's shape, each naming the field."""
    if not isinstance(data, dict):
        return [Problem(path, 1, "the lexicon must be a mapping of fields")]
    problems = [
        Problem(path, 1, f"unknown field {key!r}; expected one of: {', '.join(_FIELDS)}")
        for key in data
        if key not in _FIELDS
    ]
    for name in ("concepts", "topics"):
        value = data.get(name) or {}
        if not isinstance(value, dict):
            problems.append(Problem(path, 1, f"{name!r} must be a mapping of lists"))
            continue
        for key, said in value.items():
            if not isinstance(said, list) or not all(isinstance(s, str) for s in said):
                problems.append(Problem(path, 1, f"{name}.{key} must be a list of phrases"))
            if name == "topics" and key not in TOPIC_KINDS:
                problems.append(
                    Problem(path, 1, f"unknown topic {key!r}; expected: {', '.join(TOPIC_KINDS)}")
                )
    slots = data.get("slots") or {}
    if not isinstance(slots, dict) or not all(isinstance(v, list) for v in slots.values()):
        problems.append(Problem(path, 1, "'slots' must map each slot to a list of words"))
    else:
        problems += [
            Problem(path, 1, f"unknown slot {k!r}; expected one of: {', '.join(Slots._fields)}")
            for k in slots
            if k not in Slots._fields
        ]
    short = data.get("shorthand") or {}
    if not isinstance(short, dict) or not all(
        isinstance(k, str | int) and isinstance(v, str) for k, v in short.items()
    ):
        problems.append(Problem(path, 1, "'shorthand' must map each short form to its words"))
    for name in _LIST_FIELDS:
        value = data.get(name) or []
        if not isinstance(value, list):
            problems.append(Problem(path, 1, f"{name!r} must be a list of words"))
            continue
        for item in value:
            if isinstance(item, bool):  # YAML reads a bare on/off/yes/no as true/false
                problems.append(
                    Problem(path, 1, f'{name}: {item!r} is not a word; quote it, e.g. "on"')
                )
            elif not isinstance(item, str | int):
                problems.append(Problem(path, 1, f"{name}: {item!r} is not a word"))
    return problems


def load_lexicon(path: StrPath) -> Lexicon:
    """Read and validate a lexicon file; KnowledgeError on any problem."""
    return build_lexicon(_read_checked(path, validate_lexicon))


def _read_checked(
    path: StrPath, validate: Callable[[object, StrPath], list[Problem]]
) -> dict[str, object]:
    """The YAML mapping in ``path`` (of a repeated field, the last one counts), checked by
    ``validate``; KnowledgeError naming each problem."""
    # Only when the lexicon is not in the cache: importing YAML takes a while.
    from faqbot.knowledge.reading import capped, load_yaml, read_text

    data, _ = load_yaml(read_text(path, MAX_LEXICON_BYTES, _TOO_LARGE), path)
    problems = validate(data, path)
    if problems:
        raise KnowledgeError(capped(problems, path))
    assert isinstance(data, dict)
    return data
