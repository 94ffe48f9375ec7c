"""The index: every entry of every drug, as weighted terms, plus a table of drug names.

Names are indexed for all drugs at load. A drug's entries are compiled into terms the first
time a question is about that drug and kept, so loading thousands of drugs stays fast and a
question only ever looks at the entries of the drug it is about.
"""

from __future__ import annotations

import math
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import NamedTuple

from faqbot.lexicon import Lexicon, topic_token
from faqbot.models import Entry, Medication
from faqbot.nametable import NameTable
from faqbot.normalize import normalize, stem, tokens
from faqbot.spelling import Speller

__all__ = ["CompiledDrug", "CompiledEntry", "Index", "build_index", "name_variants"]

# How much a word counts by where it stands in an entry.
TITLE_WEIGHT = 1.0
TOPIC_WEIGHT = 1.0
SIDE_EFFECT_TOPIC_WEIGHT = 0.6
TEXT_WEIGHT = 0.6
SIDE_EFFECT_TEXT_WEIGHT = 0.9  # a side effect's text names the symptoms it stands for
# A word a lexicon phrase stood in for ("dose" in "miss a dose") counts this share of it:
# asking about "dose" is not asking about missing one.
ORIGINAL_SHARE = 0.25
PRECOMPILED_DRUGS = 20  # an index of at most this many drugs is cached with its drugs compiled

_NAME_SPLIT = re.compile(r"\s*(?:\+|/|,|&|\band\b|\bwith\b)\s*")


class CompiledEntry(NamedTuple):
    """An entry's terms (token → how strongly the entry is about it), its title's terms and
    the topics it is about (tuples, not sets: the garbage collector need not look at them)."""

    entry: Entry
    terms: dict[str, float]
    title_terms: tuple[str, ...]
    topics: tuple[str, ...] = ()  # what its kind or title is about


class CompiledDrug(NamedTuple):
    """A drug's entries as terms, with each term's weight (rarer within the drug = heavier)."""

    medication: Medication
    entries: list[CompiledEntry]
    weights: dict[str, float]
    unknown_weight: float
    vocabulary: frozenset[str]
    speller: Speller  # corrects misspellings to the drug's own words
    titled: frozenset[str] = frozenset()  # terms some entry's title or topic is about
    own_name: frozenset[str] = frozenset()  # stems of the words that name the drug itself


class Index:
    """Drug names for all drugs; entry terms compiled per drug on first use."""

    def __init__(
        self,
        lexicon: Lexicon,
        medications: dict[str, Medication],
        names: dict[tuple[str, ...], dict[str, int]],
        name_words: frozenset[str],
        words: frozenset[str],
        other_names: NameTable | None = None,
        page_drugs: frozenset[str] = frozenset(),
    ) -> None:
        self.lexicon = lexicon
        self.medications = medications
        # normalised name words → slugs of the drugs whose title, alias or ingredient it
        # is, with how strongly it names that drug (TITLE, OTHER_NAME or PART).
        self.names = names
        self.name_words = name_words  # the words of all names (3 letters or more)
        self.words = words  # the words of entry titles that are not name words
        # The names of real drugs, from the drug dictionary: a question naming one that is
        # no page's name is about a drug we have no page for.
        self.other_names = other_names if other_names is not None else NameTable({})
        self.page_drugs = page_drugs  # the dictionary's drugs that have pages ("hydroxyzine")
        self._compiled: dict[str, CompiledDrug] = {}
        # Drugs compiled when the index was cached, as pickles: a few hundredths of a
        # millisecond to thaw on a drug's first question, where compiling takes one or more.
        self._frozen: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"<Index of {len(self.medications)} drugs>"

    def drug(self, slug: str) -> CompiledDrug:
        compiled = self._compiled.get(slug)
        if compiled is None:
            med = self.medications[slug]
            frozen = self._frozen.pop(slug, None)
            compiled = thaw(frozen, med) if frozen else compile_drug(med, self.lexicon)
            self._compiled[slug] = compiled
        return compiled

    def precompute(self) -> None:
        """Make now the tables that take longer to make than to load (before the index is
        cached). Every drug is compiled too: a few drugs are kept compiled, as a one-shot
        answer needs one at once; more are kept frozen (:func:`freeze`), as thousands of
        compiled drugs would load as slowly as they compile."""
        self.lexicon.precompute()
        _ = self.name_word_list, self.name_owners, self.name_lengths
        _ = self.lexicon_speller, self.speller
        if len(self.medications) <= PRECOMPILED_DRUGS:
            for slug in self.medications:
                self.drug(slug)
            return
        for slug, med in self.medications.items():
            if slug not in self._compiled and slug not in self._frozen:
                self._frozen[slug] = freeze(compile_drug(med, self.lexicon))

    def __getstate__(self) -> dict[str, object]:
        """What is cached: a large index keeps its compiled drugs frozen, not as objects."""
        state = dict(self.__dict__)
        if len(self.medications) > PRECOMPILED_DRUGS:
            state["_frozen"] = self._frozen | {s: freeze(c) for s, c in self._compiled.items()}
            state["_compiled"] = {}
        return state

    @cached_property
    def name_word_list(self) -> list[str]:
        """The name words a misspelt word is corrected to, sorted. An alias that only spells
        a drug's own name another way ("hydroxizine") is left out: a typo is measured against
        the names, not against other typos of them."""
        from rapidfuzz import fuzz, process

        own: dict[str, set[str]] = {}  # each drug's title and ingredient words
        aliases: dict[str, set[str]] = {}
        for key, slugs in self.names.items():
            for slug, rank in slugs.items():
                found = aliases if rank == OTHER_NAME else own
                found.setdefault(slug, set()).update(w for w in key if len(w) >= 3)
        spellings = set()
        for slug, words in aliases.items():
            titles = list(own.get(slug, ()))
            for w in words - own.get(slug, set()):
                if titles and process.extractOne(w, titles, scorer=fuzz.ratio, score_cutoff=80):
                    spellings.add(w)
        return sorted(self.name_words - spellings)

    @cached_property
    def name_owners(self) -> dict[str, tuple[str, ...]]:
        """Each word of a drug name → the drugs whose names hold it, fewest words first."""
        owners: dict[str, dict[str, int]] = {}
        for key, slugs in self.names.items():
            for w in key:
                for slug in slugs:
                    seen = owners.setdefault(w, {})
                    seen[slug] = min(seen.get(slug, len(key)), len(key))
        return {w: tuple(sorted(s, key=lambda x: (s[x], x))) for w, s in owners.items()}

    @cached_property
    def slug_of_title(self) -> dict[str, str]:
        """Each drug's title → its slug (of drugs that share a title, the last)."""
        return {m.title: slug for slug, m in self.medications.items()}

    @cached_property
    def name_lengths(self) -> dict[str, tuple[int, ...]]:
        """Each first word of a name → the lengths in words of the names it starts, longest
        first: a question is looked up only for the names that can start at each word."""
        lengths: dict[str, set[int]] = {}
        for key in self.names:
            lengths.setdefault(key[0], set()).add(len(key))
        return {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}

    def is_known(self, word: str) -> bool:
        """Whether ``word`` is not a drug name but a word of the knowledge or the lexicon.
        (Three lookups: a union of the sets would take longer to make than a question.)"""
        lex = self.lexicon
        return word in self.words or word in lex.vocabulary or word in lex.english

    @cached_property
    def lexicon_speller(self) -> Speller:
        """Corrects to the words of the lexicon's phrases and its stopwords ("tihs" is "this",
        not a word to count against every entry); shared by every drug."""
        lex = self.lexicon
        return Speller(w for w in lex.vocabulary | lex.stopwords if w.isalnum())

    @cached_property
    def speller(self) -> Speller:
        """Corrects to any word the lexicon knows, ordinary or not; for telling typos from names."""
        lex = self.lexicon
        return Speller(w for w in lex.vocabulary | lex.english | lex.stopwords if w.isalpha())


TITLE, OTHER_NAME, PART = 2, 1, 0  # how strongly a name names a drug: the title is the key


def name_variants(
    med: Medication, is_word: Callable[[str], bool] | None = None
) -> Iterable[tuple[tuple[str, ...], int]]:
    """Each way a drug may be named, as normalised words, and how strongly it names it.
    With ``is_word``, its other names lose the asides in brackets that are no names."""
    others = (med.generic_name or "", *med.aliases)
    if is_word is not None:  # "Follitropin (rFSH)": "follitropin", and "rfsh" alone
        asides = [a for n in (med.title, *others) for a in _ASIDE.findall(n) if _names(a, is_word)]
        others = tuple(_without_asides(n, is_word) for n in others) + tuple(asides)
    for rank, name in [(TITLE, med.title)] + [(OTHER_NAME, n) for n in others]:
        whole = tuple(normalize(name).split())
        if _name_like(whole):
            yield whole, rank
        parts = [tuple(normalize(p).split()) for p in _NAME_SPLIT.split(name)]
        if len(parts) > 1:
            for part in parts:
                ordinary = rank != TITLE and is_word is not None and all(map(is_word, part))
                if _name_like(part) and not ordinary:  # "ointment" of "Clotrimazole/ointment"
                    yield part, PART


MIN_NAME_LETTERS = 3  # "N/A" names no drug, and its "a" would name one in every question


def _name_like(words: tuple[str, ...]) -> bool:
    return sum(map(len, words)) >= MIN_NAME_LETTERS


MAX_ASIDE_WORDS = 3  # "(ABC/DTG/3TC)" is a name; "(various brand names exist)" is not
_ASIDE = re.compile(r"\(([^()]*)\)")


def _without_asides(name: str, is_word: Callable[[str], bool]) -> str:
    """``name`` without the remarks in brackets that a generic name or alias may carry
    ("often with additional components"): those of more than MAX_ASIDE_WORDS words, or of
    ordinary words only. Their words would otherwise name the drug in any question."""

    def kept(aside: re.Match[str]) -> str:
        return aside[0] if _names(aside[1], is_word) else " "

    return " ".join(_ASIDE.sub(kept, name).split())


def _names(aside: str, is_word: Callable[[str], bool]) -> bool:
    """Whether the text of a bracketed ``aside`` reads as a name, not a remark."""
    words = normalize(aside).split()
    return 0 < len(words) <= MAX_ASIDE_WORDS and not all(map(is_word, words))


def build_index(medications: Iterable[Medication], lexicon: Lexicon) -> Index:
    """Index the names of all ``medications``; their entries compile on first use."""
    meds = {m.slug: m for m in medications}
    names: dict[tuple[str, ...], dict[str, int]] = {}
    titles: set[str] = set()  # many drugs share titles ("Nausea"): each is read once
    for slug, med in meds.items():
        for key, rank in name_variants(med, lexicon.is_plain):
            owners = names.setdefault(key, {})
            owners[slug] = max(owners.get(slug, PART), rank)
        titles.update(entry.title for entry in med.entries())
    words = {w for title in titles for w in normalize(title).split()}
    name_words = {w for key in names for w in key if len(w) >= 3}
    from faqbot.dictionary import name_table, page_drugs  # reads the dictionary: build only

    return Index(
        lexicon=lexicon,
        medications=meds,
        names=names,
        name_words=frozenset(name_words),
        words=frozenset(words - name_words),
        other_names=name_table(),
        page_drugs=page_drugs(m.title for m in meds.values()),
    )


def rewrite_terms(stems: list[str], lexicon: Lexicon) -> list[str]:
    """Phrases to concepts, then again across the stopwords ("mouth is always dry")."""
    stop = lexicon.stopwords
    first = [w for w in lexicon.rewrite(stems) if w not in stop]
    return [w for w in lexicon.rewrite(first) if w not in stop]


def compile_drug(med: Medication, lexicon: Lexicon) -> CompiledDrug:
    own_name = _own_name(med, lexicon)
    entries = [_compile_entry(e, _matched_text(e, med), lexicon, own_name) for e in med.entries()]
    df = Counter(t for ce in entries for t in ce.terms)
    n = len(entries) or 1
    weights = {t: math.log(1 + n / c) for t, c in df.items()}
    return CompiledDrug(
        medication=med,
        entries=entries,
        weights=weights,
        unknown_weight=math.log(1 + n),
        vocabulary=frozenset(weights),
        speller=Speller(t for t in weights if t.isalnum()),
        titled=frozenset(t for ce in entries for t in ce.title_terms),
        own_name=frozenset(own_name),
    )


def freeze(drug: CompiledDrug) -> bytes:
    """``drug`` as a pickle, without its medication (which the index holds already)."""
    entries = [(ce.terms, ce.title_terms, ce.topics) for ce in drug.entries]
    parts = (
        entries,
        drug.weights,
        drug.unknown_weight,
        drug.speller,
        tuple(drug.titled),
        tuple(drug.own_name),
    )
    return pickle.dumps(parts, pickle.HIGHEST_PROTOCOL)


def thaw(frozen: bytes, med: Medication) -> CompiledDrug:
    """The compiled drug :func:`freeze` made of ``med``. Only an index's own pickles, which
    were checked with the rest of the signed cache file, are thawed."""
    entries, weights, unknown_weight, speller, titled, own_name = pickle.loads(frozen)
    return CompiledDrug(
        medication=med,
        entries=[
            CompiledEntry(entry, terms, title_terms, topics)
            for entry, (terms, title_terms, topics) in zip(med.entries(), entries, strict=True)
        ],
        weights=weights,
        unknown_weight=unknown_weight,
        vocabulary=frozenset(weights),
        speller=speller,
        titled=frozenset(titled),
        own_name=frozenset(own_name),
    )


def _own_name(med: Medication, lexicon: Lexicon) -> set[str]:
    """The stems of the words that name the drug in its own entries: its title's words, and
    the words of its other names that are not ordinary words ("Tenso Stop" is a brand, but
    "stop" is not a name) nor salts or forms ("sodium")."""
    title = {w for w in normalize(med.title).split() if w not in lexicon.forms}
    others = {
        w
        for key, _ in name_variants(med, lexicon.is_plain)
        for w in key
        if w not in lexicon.forms and not lexicon.is_word(w)
    }
    return {stem(w) for w in title | others}


def _matched_text(entry: Entry, med: Medication) -> str:
    """The text an entry is matched on. The side-effect list's is its intro and groups, not
    the effects that have entries of their own: "can it cause a rash" finds the rash."""
    if entry.kind != "side_effects":
        return entry.text
    groups = dict.fromkeys(s.group for s in med.side_effects if s.group)
    return " ".join([med.side_effects_intro or "", *groups])


def _compile_entry(entry: Entry, text: str, lexicon: Lexicon, own_name: set[str]) -> CompiledEntry:
    terms: dict[str, float] = {}

    def put(found: Iterable[str], weight: float) -> None:
        for t in found:
            if t not in own_name and terms.get(t, 0.0) < weight:
                terms[t] = weight

    def add(text: str, weight: float) -> set[str]:
        # The concepts the text is about, and at a share, the words phrases stood in for.
        stems = tokens(text)
        found = rewrite_terms(stems, lexicon)
        concepts = set(found) - own_name
        put(concepts, weight)
        put(set(stems) - lexicon.stopwords - set(found), weight * ORIGINAL_SHARE)
        return concepts

    title = add(entry.title, TITLE_WEIGHT)
    for phrasing in entry.phrasings:
        add(phrasing, TITLE_WEIGHT)
    if entry.kind in ("usage", "how_it_works", "side_effects", "note"):
        terms[topic_token(entry.kind)] = TOPIC_WEIGHT
        title.add(topic_token(entry.kind))
    elif entry.kind == "side_effect":
        terms.setdefault(topic_token("side_effects"), SIDE_EFFECT_TOPIC_WEIGHT)
    add(text, SIDE_EFFECT_TEXT_WEIGHT if entry.kind == "side_effect" else TEXT_WEIGHT)

    def said(text: str) -> list[str]:
        return [("it" if stem(w) in own_name else w) for w in normalize(text).split()]

    topics = lexicon.topics.of_entry(entry.kind, said(entry.title))
    return CompiledEntry(entry, terms, tuple(title), tuple(sorted(topics)))
