"""The matcher: a question → the one entry that answers it, or an honest "I don't know".

Each word of the question counts by how rare it is among the drug's entries; a word that no
entry covers (dose, pregnant, price) counts fully *against* every entry. Entries are ranked by
the share of the question they explain, nudged by how much of their title was asked; the
confidence is that share, lowered when another entry that would answer differently comes close.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from faqbot.drugfinder import DrugMention, find_drugs
from faqbot.index import CompiledDrug, CompiledEntry, Index
from faqbot.lexicon import Lexicon, Slots, topic_token
from faqbot.models import Entry
from faqbot.normalize import normalize, stem
from faqbot.outcome import Reason, Status
from faqbot.spelling import MAX_WORD, Budget, correct_with
from faqbot.topics import Topics

__all__ = ["THRESHOLD", "Match", "Matcher"]


THRESHOLD = 0.51  # below this the matcher abstains: calibrated (faqbot eval), and a tie (0.5) fails
TITLE_SHARE = 0.3  # how much of an entry's rank rides on its title being asked
MARGIN_SHARE = 0.5  # how much of the confidence a close runner-up takes away
# Words of a question read; the rest is ignored. The longest of 325 real consumer questions
# has 18, and each word read costs work in every step.
MAX_WORDS = 60
MAX_DRUGS = 3  # drugs a question is matched against, of those it names (real ones name <= 2)
NAME_SPAN = 8  # words of a page's name around a shorthand ("2") that keep it as typed
MIN_NAME = 4  # shorter unknown words are not taken for drug names
MINOR_WEIGHT = 0.3  # "today", "really": asked in passing, not the point of the question
OTHER_MEDICATION = "other_medication"  # the lexicon's concept for "other drugs"
OVERVIEW_CONFIDENCE = 0.7  # the drug named and nothing else asked: its usage
STRANGER_WEIGHT = 0.6  # a word neither the drug nor the lexicon knows, of the uncovered weight
TOPIC_CONFIDENCE = 0.6  # an entry on the (gated) topic asked, whatever the other words
GENERAL_CONFIDENCE = 0.55  # at most, for what a page says of other medicines in general
OFF_TOPIC_SHARE = 0.6  # of the confidence left to an entry on a gated topic nobody asked about
NOTE_TOPIC = "@note"  # the lexicon's token for questions about the page itself


class Scored(NamedTuple):
    """An entry's rank (coverage nudged by how much of its title was asked) and coverage
    (the share of the question's weight it explains)."""

    rank: float
    coverage: float
    entry: CompiledEntry


class Match(NamedTuple):
    """What the matcher found: an entry, or why it has none."""

    status: Status
    drug: str | None = None
    entry: Entry | None = None
    confidence: float = 0.0
    suggestions: tuple[str, ...] = ()
    reason: Reason = Reason.NONE
    others: tuple[str, ...] = ()  # drugs named that have no page ("Toradol (Ketorolac)")
    topic: str = ""  # the topic asked that the page does not cover, as a reply names it


class Matcher:
    """Maps questions to entries of an :class:`~faqbot.index.Index`."""

    def __init__(
        self,
        index: Index,
        threshold: float = THRESHOLD,
        budget: Callable[[], Budget] = Budget,
    ) -> None:
        self.index = index
        self.threshold = threshold
        self.budget = budget  # makes each question's typo budget (tests count through it)

    def match(self, question: str, context: str | None = None) -> Match:
        """The best entry for ``question``; ``context`` is the drug talked about so far. Its
        typo work is bounded by one :class:`~faqbot.spelling.Budget`."""
        budget = self.budget()
        words = self._words(question)
        mention = find_drugs(words, self.index, budget)
        if mention.ambiguous:
            titles = tuple(self.index.medications[s].title for s in mention.ambiguous[:6])
            return Match(Status.CLARIFY, suggestions=titles, reason=Reason.AMBIGUOUS_DRUG)
        lexicon = self.index.lexicon
        beside = _companion_drugs_named(words, mention, lexicon)
        pointing = bool(lexicon.slots.pointer.intersection(words))  # "it", "this medication"
        if (
            context in self.index.medications
            and context not in mention.drugs
            and mention.drugs
            and (pointing or set(mention.drugs) <= beside)
        ):
            # "can i drink alcohol while taking this medication": alcohol is a companion of
            # the drug talked about
            return self._match_in(context, words, mention, budget)
        drug = self._focus(mention, context)
        if drug is None:
            unknown = self._unknown(words, mention)
            if mention.others or self._any_drug(words, unknown, budget):
                return _no_page(mention)
            return Match(Status.CLARIFY, reason=Reason.NO_DRUG)
        if len(mention.drugs) > 1:  # "clonidine and metformin": whichever page answers
            named = mention.drugs[:MAX_DRUGS]
            found = [self._match_in(slug, words, mention, budget) for slug in named]
            return max(found, key=lambda m: (m.status == Status.ANSWERED, m.confidence))
        return self._match_in(drug, words, mention, budget)

    def without_names(self, question: str) -> str:
        """``question`` with the drug names in it taken out (for asking it of another drug)."""
        words = self._words(question)
        named = find_drugs(words, self.index, self.budget()).positions
        return " ".join(w for i, w in enumerate(words) if i not in named)

    def _words(self, question: str) -> list[str]:
        """The question's first MAX_WORDS words, normalised, shorthand written out."""
        words = normalize(question).split()[:MAX_WORDS]
        names = self.index.names
        return self.index.lexicon.expand(words, lambda i: _in_name(words, i, names))

    def _focus(self, mention: DrugMention, context: str | None) -> str | None:
        if mention.drugs:
            return mention.drugs[0]
        if context in self.index.medications:
            return context
        if len(self.index.medications) == 1:
            return next(iter(self.index.medications))
        return None

    def _unknown(self, words: list[str], mention: DrugMention) -> list[int]:
        """Positions of words no drug name, lexicon or ordinary English knows."""
        lex, index = self.index.lexicon, self.index
        return [
            i
            for i, w in enumerate(words)
            if i not in mention.positions
            and i not in mention.others
            and len(w) >= MIN_NAME
            and w.isalpha()
            and not index.is_known(w)
            and not lex.is_word(w)
        ]

    def _looks_like_drug(self, words: list[str], i: int, budget: Budget) -> bool:
        """Whether the unknown ``words[i]`` reads as a drug's name rather than a typo."""
        return self._placed_as_drug(words, i) or self._no_typo(words[i], budget)

    def _any_drug(self, words: list[str], unknown: list[int], budget: Budget) -> bool:
        """Whether any of the ``unknown`` words reads as a drug's name (typo checks last)."""
        return any(self._placed_as_drug(words, i) for i in unknown) or any(
            self._no_typo(words[i], budget) for i in unknown
        )

    def _placed_as_drug(self, words: list[str], i: int) -> bool:
        """Whether ``words[i]`` has a drug's ending or stands where questions put one."""
        w = words[i]
        return (len(w) >= 6 and w.endswith(self.index.lexicon.drug_suffixes)) or _in_drug_slot(
            words, i, self.index.lexicon.slots
        )

    def _no_typo(self, word: str, budget: Budget) -> bool:
        """Whether ``word`` is no misspelling of a word the lexicon knows."""
        return self.index.speller.correct(stem(word), budget, len(word)) is None

    def _match_in(self, slug: str, words: list[str], mention: DrugMention, budget: Budget) -> Match:
        drug = self.index.drug(slug)
        # Words of the drug's own name said alone ("is the vaccine safe", of a vaccine's
        # page) are no strangers; those that are no ordinary words stand for the drug.
        lexicon = self.index.lexicon
        own_words = {
            i
            for i, w in enumerate(words)
            if i not in mention.positions and stem(w) in drug.own_name
        }
        unknown = [
            i
            for i in self._unknown(words, mention)
            if stem(words[i]) not in drug.vocabulary and i not in own_words
        ]
        # A real drug's name that the page itself uses ("norepinephrine") is one of its words.
        named = [
            i
            for i in sorted(mention.others)
            if stem(words[i]) not in drug.vocabulary and i not in own_words
        ]
        # Beside "with", a word we can't place is far likelier a drug ("with advil") than a
        # typo ("advice").
        slots = self.index.lexicon.slots
        companions = {i for i in unknown + named if _beside_with(words, i, slots)}
        references = self.index.lexicon.references
        pointed = bool(mention.drugs or references.intersection(words))  # a name, or "it"
        if not pointed and (named or companions or self._stranger(words, unknown, drug, budget)):
            return _no_page(mention)
        # Other drugs named beside this one are companions: "with alcohol", "and advil".
        own = set(mention.spans.get(slug, ())) | {
            i for i in own_words if not lexicon.is_word(words[i])
        }
        with_drugs = (mention.positions - own) | set(named)
        companions |= with_drugs
        aside = _not_the_point(words, own, self.index.lexicon)
        said = {i: ("it" if i in own else w) for i, w in enumerate(words) if i not in aside}
        kept = [w for i, w in said.items() if i not in companions]
        topics = self.index.lexicon.topics
        # With companions ("with alcohol" asks about alcohol) and typos fixed ("msis a dose").
        asked = topics.find([self._typo_fixed(w, drug, budget) for w in said.values()])
        if mention.combined:  # "taking A and B together", of the page about A + B
            asked = tuple(t for t in asked if t not in topics.of_two(asked))
        gated = phrased = topics.gated(asked)
        if not gated and any(_beside_with(words, i, slots) for i in with_drugs):
            gated = topics.of_two(topics.topics)  # "is it ok with ibuprofen": interactions
        terms = self.terms(kept, drug, budget)
        if len(mention.drugs) > 1 or companions:
            terms.append(OTHER_MEDICATION)
        for kind in topics.kinds_asked(asked):  # "what does it do to your body": how it works
            if topic_token(kind) not in terms:
                terms.append(topic_token(kind))
        if not terms and not gated:
            rest = [w for i, w in said.items() if i not in own]
            if mention.drugs and slots.overview.issuperset(rest):  # "tell me about X"
                return self._overview(slug, drug)
            return self._abstain(slug, drug, [])
        about_page = NOTE_TOPIC in terms
        among = _answerable(drug, gated, about_page)
        if not among:
            return self._not_covered(slug, drug, topics.label(gated[0]))
        ceiling = 1.0
        if with_drugs and OTHER_MEDICATION in terms:
            # An interaction question naming a drug: an entry that names it first; failing
            # that, what the page says of other medicines in general, less surely.
            names = self._companion_words(words, sorted(with_drugs), mention)
            pool = among if phrased else drug.entries  # on the topic asked, if it was said
            naming = [ce for ce in pool if ce.entry.kind != "note" and names.intersection(ce.terms)]
            among, ceiling = (naming, 1.0) if naming else (among, GENERAL_CONFIDENCE)
        ranked = self._scored(terms, drug, among)
        if not ranked:
            if len(among) == 1:  # the page's one entry on what was asked
                found = among[0].entry
                return Match(Status.ANSWERED, slug, found, TOPIC_CONFIDENCE, reason=Reason.TOPIC)
            return self._abstain(slug, drug, [Scored(0.0, 0.0, ce) for ce in among])
        best = ranked[0]
        doubt = _runner_up(ranked, topics) / best.rank if best.rank else 1.0
        confidence = best.coverage * (1 - MARGIN_SHARE * doubt)
        if gated:  # on the topic asked: the words around it matter less
            confidence = max(confidence, TOPIC_CONFIDENCE * (1 - MARGIN_SHARE * doubt))
        elif topics.gated(best.entry.topics):  # on a topic that was not asked
            confidence *= OFF_TOPIC_SHARE
        confidence = min(confidence, ceiling)
        if confidence < self.threshold:
            return self._abstain(slug, drug, ranked, confidence)
        return Match(Status.ANSWERED, slug, best.entry.entry, round(min(confidence, 1.0), 3))

    def _typo_fixed(self, word: str, drug: CompiledDrug, budget: Budget) -> str:
        """``word``, or the known word it misspells (stemmed, as topics read words)."""
        if word == "it" or self.index.lexicon.is_word(word) or not word.isalpha():
            return word
        return self._spell(stem(word), drug, budget, len(word))

    def _not_covered(self, slug: str, drug: CompiledDrug, topic: str) -> Match:
        """The honest reply when the page has no entry on the ``topic`` asked (as a reply
        names it)."""
        covered = [ce.entry.title for ce in drug.entries if ce.entry.kind not in _NEVER_SUGGESTED]
        return Match(
            Status.ABSTAINED,
            slug,
            suggestions=tuple(covered[:3]),
            reason=Reason.TOPIC_NOT_COVERED,
            topic=topic,
        )

    def _companion_words(
        self, words: list[str], positions: list[int], mention: DrugMention
    ) -> set[str]:
        """The stemmed words a page would use for the companion drugs named: as typed, the
        drug's own name for a brand ("advil" is ibuprofen), and a page drug's title."""
        said = [words[i] for i in positions]
        for i in positions:
            said += normalize(mention.others.get(i, "")).split()
        for other in mention.drugs:
            if set(mention.spans.get(other, ())) & set(positions):
                said += normalize(self.index.medications[other].title).split()
        return {stem(w) for w in said if len(w) >= MIN_NAME}

    def _stranger(
        self, words: list[str], unknown: list[int], drug: CompiledDrug, budget: Budget
    ) -> bool:
        """Whether one of the ``unknown`` words reads as the name of another drug. (Asked only
        when it decides the answer: its typo checks are the costliest a question makes.)"""
        return any(
            self._strange_to(stem(words[i]), drug, budget, len(words[i]))
            and self._looks_like_drug(words, i, budget)
            for i in unknown
        )

    def _strange_to(self, word: str, drug: CompiledDrug, budget: Budget, typed: int) -> bool:
        """Whether ``word`` (stemmed from ``typed`` letters) is neither the drug's word nor a
        typo of one."""
        return (
            word not in drug.vocabulary
            and self._spell(word, drug, budget, typed) == word
            and len(self._split(word, drug)) == 1
        )

    def terms(
        self, words: list[str], drug: CompiledDrug, budget: Budget | None = None
    ) -> list[str]:
        """The question's words as the drug's terms: typos fixed (while ``budget``, by default
        a question's, lasts), lay words rewritten."""
        lexicon = self.index.lexicon
        budget = self.budget() if budget is None else budget
        stems: list[str] = []
        for w in _canonical(words, lexicon.slots):
            s = self._spell(stem(w), drug, budget, len(w)) if not lexicon.is_word(w) else stem(w)
            stems.extend(self._split(s, drug))
        stop = lexicon.stopwords
        first = _companion_drugs(lexicon.rewrite(stems), lexicon.concepts, lexicon.medicine_stems)
        return [t for t in lexicon.rewrite([t for t in first if t not in stop]) if t not in stop]

    def _known(self, word: str, drug: CompiledDrug) -> bool:
        return word in drug.vocabulary or word in self.index.lexicon.vocabulary

    def _split(self, word: str, drug: CompiledDrug) -> list[str]:
        """A word run together from two known ones ("drymouth"), as the two; else itself."""
        if not 6 <= len(word) <= MAX_WORD:  # and a longer one costs its length squared
            return [word]
        if self._known(word, drug) or word in self.index.lexicon.english:
            return [word]
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], stem(word[cut:])
            if self._known(head, drug) and self._known(tail, drug):
                return [head, tail]
        return [word]

    def _spell(self, word: str, drug: CompiledDrug, budget: Budget, typed: int = 0) -> str:
        """The stem ``word`` (of a word of ``typed`` letters), or the known one it misspells."""
        if word in drug.vocabulary or word in self.index.lexicon.vocabulary:
            return word
        if len(word) == 3 and typed <= 3 and not set(word) & set("aeiouy"):
            return self._vowel(word, drug) or word  # texting: "wrk", "slp" is too far
        spellers = (drug.speller, self.index.lexicon_speller)
        return correct_with(spellers, word, budget, typed) or word

    def _vowel(self, word: str, drug: CompiledDrug) -> str | None:
        """A vowel-less word ("wrk") with the one vowel put back that makes it known."""
        for i in range(1, len(word)):
            for v in "aeiou":
                guess = word[:i] + v + word[i:]
                if self._known(guess, drug):
                    return guess
        return None

    def _scored(
        self, terms: list[str], drug: CompiledDrug, among: list[CompiledEntry] | None = None
    ) -> list[Scored]:
        weights = [self._weight(t, drug) for t in terms]
        total = sum(weights) or 1.0
        asked = set(terms)
        scored = []
        for ce in drug.entries if among is None else among:
            covered = sum(w * ce.terms.get(t, 0.0) for t, w in zip(terms, weights, strict=True))
            if not covered:
                continue
            title_total = sum(drug.weights.get(t, 0.0) for t in ce.title_terms) or 1.0
            title_hit = sum(drug.weights.get(t, 0.0) for t in ce.title_terms if t in asked)
            coverage = covered / total
            rank = coverage * (1 - TITLE_SHARE + TITLE_SHARE * title_hit / title_total)
            scored.append(Scored(rank, coverage, ce))
        scored.sort(key=lambda s: -s.rank)
        return scored

    def _weight(self, term: str, drug: CompiledDrug) -> float:
        lexicon = self.index.lexicon
        if term in lexicon.minor or _is_clock(term, lexicon.slots):
            return MINOR_WEIGHT
        if term in lexicon.concepts and term not in drug.titled:
            return drug.unknown_weight  # a topic no entry is about, if some mention it
        if term in drug.weights:
            return drug.weights[term]
        return drug.unknown_weight * STRANGER_WEIGHT

    def _overview(self, slug: str, drug: CompiledDrug) -> Match:
        usage = topic_token("usage")
        for ce in drug.entries:
            if usage in ce.title_terms:
                return Match(
                    Status.ANSWERED, slug, ce.entry, OVERVIEW_CONFIDENCE, reason=Reason.OVERVIEW
                )
        return self._abstain(slug, drug, [])

    def _abstain(
        self,
        slug: str,
        drug: CompiledDrug,
        ranked: list[Scored],
        confidence: float = 0.0,
    ) -> Match:
        close = [s.entry.entry.title for s in ranked[:3]]
        if not close:
            close = [ce.entry.title for ce in drug.entries if ce.entry.kind != "side_effect"][:3]
        confidence = round(max(0.0, min(confidence, 1.0)), 3)
        return Match(Status.ABSTAINED, slug, None, confidence, tuple(close), Reason.LOW_CONFIDENCE)


# Pairs of kinds that answer alike: usage and how-it-works both describe the drug as a
# whole; the side-effect list holds each side effect. A tie within a pair is no doubt.
_NO_DOUBT = ({"usage", "how_it_works"}, {"side_effects", "side_effect"})


# Kinds never offered as what a page covers: the closing note, and the single side effects
# (the side-effect list stands for them).
_NEVER_SUGGESTED = frozenset(["note", "side_effect"])


def _answerable(
    drug: CompiledDrug, gated: tuple[str, ...], about_page: bool
) -> list[CompiledEntry]:
    """The entries that may answer: those on a gated topic asked, if one was, and never the
    page's closing note, unless the question is ``about_page`` itself: the note is about the
    page, never about the drug."""
    entries = drug.entries
    if gated:
        wanted = set(gated)
        entries = [ce for ce in entries if wanted.intersection(ce.topics)]
    if not about_page:
        entries = [ce for ce in entries if ce.entry.kind != "note"]
    return entries


def _no_page(mention: DrugMention) -> Match:
    """The reply to a question about a drug we have no page for."""
    return Match(Status.ABSTAINED, reason=Reason.UNKNOWN_DRUG, others=tuple(mention.unknown_names))


def _is_clock(term: str, slots: Slots) -> bool:
    """ "3am", "2nd", "5": when, not what."""
    digits = term.rstrip("abcdefghijklmnopqrstuvwxyz")
    return (
        bool(digits) and digits.isdigit() and (term == digits or term[len(digits) :] in slots.clock)
    )


def _runner_up(ranked: list[Scored], topics: Topics) -> float:
    """The rank of the next entry that would answer differently: not one of a pair of kinds
    that answer alike, nor an FAQ on the very topic that the best entry's kind is ("What are
    the side effects of X?" beside the side-effect list)."""
    best = ranked[0].entry
    for s in ranked[1:]:
        if {best.entry.kind, s.entry.entry.kind} in _NO_DOUBT:
            continue
        if _on_kind_of(s.entry, best, topics) or _on_kind_of(best, s.entry, topics):
            continue
        return s.rank
    return 0.0


def _on_kind_of(entry: CompiledEntry, other: CompiledEntry, topics: Topics) -> bool:
    """Whether ``entry`` (an FAQ, a section) is on the topic of ``other``'s kind."""
    if entry.entry.kind not in ("faq", "section"):
        return False
    return any(other.entry.kind in topics.topics[t].kinds for t in entry.topics)


def _in_name(words: list[str], i: int, names: Mapping[tuple[str, ...], object]) -> bool:
    """Whether ``words[i]`` is part of a drug's name as the question says it."""
    return any(
        tuple(words[start:end]) in names
        for start in range(max(0, i - NAME_SPAN + 1), i + 1)
        for end in range(i + 1, min(len(words), start + NAME_SPAN) + 1)
    )


def _not_the_point(words: list[str], own: set[int], lexicon: Lexicon) -> set[int]:
    """Positions of words that say which product, not what is asked: strengths ("10 mg",
    "40mg") anywhere, and salts and forms beside the drug's name ("diclofenac sodium gel")."""
    units, forms = lexicon.units, lexicon.forms
    aside: set[int] = set()
    for i, w in enumerate(words):
        if w in units and i and words[i - 1][:1].isdigit():
            aside |= {i - 1, i}
        elif w[:1].isdigit() and w.lstrip("0123456789") in units:
            aside.add(i)
    for i in sorted(own):  # after the name, then before it
        j = i + 1
        while j < len(words) and (words[j] in forms or j in aside) and j not in own:
            aside.add(j)
            j += 1
        j = i - 1
        while j >= 0 and words[j] in forms and j not in own:
            aside.add(j)
            j -= 1
    return aside


def _companion_drugs_named(words: list[str], mention: DrugMention, lexicon: Lexicon) -> set[str]:
    """The drugs named beside another ("with alcohol", "alcohol with it", "and advil"):
    companions."""
    slots = lexicon.slots
    return {
        slug
        for slug, span in mention.spans.items()
        if span
        and (_after_with(words, span[0], slots) or _before_with_it(words, span[-1], lexicon))
    }


def _before_with_it(words: list[str], i: int, lexicon: Lexicon) -> bool:
    """Whether ``words[i]`` comes before "with it", "and this"... ("drink alcohol with it")."""
    return (
        i + 2 < len(words)
        and words[i + 1] in lexicon.slots.companion
        and words[i + 2] in lexicon.references
    )


def _after_with(words: list[str], i: int, slots: Slots) -> bool:
    """Whether ``words[i]`` follows "with", "and", "plus"... (or "allergic to")."""
    before = words[i - 1] if i > 0 else ""
    return before in slots.companion or (
        before == "to" and i > 1 and words[i - 2] in slots.allergic
    )


def _beside_with(words: list[str], i: int, slots: Slots) -> bool:
    """Whether ``words[i]`` is named as a companion: "with tramadol", "tramadol and it"."""
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    return before in slots.companion or after in slots.companion or before in slots.take


def _in_drug_slot(words: list[str], i: int, slots: Slots) -> bool:
    """Whether ``words[i]`` stands where questions put a drug's name."""
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if len(words) == 1 or before in slots.before_name or after in slots.after_name:
        return True
    return before in slots.auxiliary and (i == 1 or words[i - 2] in slots.frame)


def _canonical(words: list[str], slots: Slots) -> list[str]:
    """Every way of pointing at the drug ("this med", "that", its name) read as "it"."""
    out: list[str] = []
    for w in words:
        if w in slots.pointer and w != "its":
            w = "it"
        if (
            out
            and out[-1] == "it"
            and (w == "it" or w in slots.medicine or w in slots.after_pointer)
        ):
            continue
        out.append(w)
    return out


def _companion_drugs(
    terms: list[str], concepts: frozenset[str], medicine: frozenset[str]
) -> list[str]:
    """ "blood pressure pills", "anxiety meds": another medication, named by what it is for."""
    out: list[str] = []
    for t in terms:
        if t in medicine:
            if out and out[-1] in concepts and not out[-1].startswith("@"):
                out[-1] = OTHER_MEDICATION
            continue
        out.append(t)
    return out
