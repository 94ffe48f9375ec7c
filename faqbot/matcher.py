"""The matcher: a question → the one entry that answers it, or an honest "I don't know".

Each word of the question counts by how rare it is among the drug's entries; a word that no
entry covers (dose, pregnant, price) counts fully *against* every entry. The confidence is the
share of the question an entry explains, nudged by how much of the entry's title was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from faqbot.drugfinder import DrugMention, find_drugs
from faqbot.index import CompiledDrug, CompiledEntry, Index
from faqbot.lexicon import topic_token
from faqbot.models import Entry
from faqbot.normalize import normalize, stem

__all__ = ["THRESHOLD", "Match", "Matcher"]

Status = Literal["answered", "abstained", "clarify"]

THRESHOLD = 0.5  # below this confidence the matcher abstains
MINOR_WEIGHT = 0.3  # "today", "really": asked in passing, not the point of the question
OTHER_MEDICATION = "other_medication"  # the lexicon's concept for "other drugs"
OVERVIEW_CONFIDENCE = 0.7  # the drug named and nothing else asked: its usage
STRANGER_WEIGHT = 0.6  # a word neither the drug nor the lexicon knows, of the uncovered weight
# Words that point back at the drug in focus; without one, and without its name, an unknown
# word of some length is most likely the name of a drug we don't have ("is xanax addictive").
REFERENCES = frozenset(
    "it its this that these them they med meds medicine medication drug pill pills tablet "
    "tablets capsule capsules one".split()
)


@dataclass(frozen=True)
class Match:
    """What the matcher found: an entry, or why it has none."""

    status: Status
    drug: str | None = None
    entry: Entry | None = None
    confidence: float = 0.0
    suggestions: tuple[str, ...] = ()
    reason: str = ""


class Matcher:
    """Maps questions to entries of an :class:`~faqbot.index.Index`."""

    def __init__(self, index: Index, threshold: float = THRESHOLD) -> None:
        self.index = index
        self.threshold = threshold

    def match(self, question: str, context: str | None = None) -> Match:
        """The best entry for ``question``; ``context`` is the drug talked about so far."""
        words = normalize(question).split()
        mention = find_drugs(words, self.index)
        if mention.ambiguous:
            titles = tuple(self.index.medications[s].title for s in mention.ambiguous[:6])
            return Match("clarify", suggestions=titles, reason="ambiguous_drug")
        if mention.unknown_names and not mention.drugs:
            return Match("abstained", reason="unknown_drug", suggestions=())
        drug = self._focus(mention, context)
        if drug is None:
            return Match("clarify", reason="no_drug")
        return self._match_in(drug, words, mention)

    def _focus(self, mention: DrugMention, context: str | None) -> str | None:
        if mention.drugs:
            return mention.drugs[0]
        if context in self.index.medications:
            return context
        if len(self.index.medications) == 1:
            return next(iter(self.index.medications))
        return None

    def _match_in(self, slug: str, words: list[str], mention: DrugMention) -> Match:
        drug = self.index.drug(slug)
        rest = [w for i, w in enumerate(words) if i not in mention.positions]
        strangers = self._strangers(rest, drug)
        if strangers and not mention.drugs and not REFERENCES.intersection(words):
            return Match("abstained", reason="unknown_drug")
        companions = {w for i, w in enumerate(rest) if w in strangers and _beside_with(rest, i)}
        terms = self.terms([w for w in rest if w not in companions], drug)
        if len(mention.drugs) > 1 or companions:
            terms.append(OTHER_MEDICATION)
        if not terms:
            named = bool(mention.drugs) and not [w for w in rest if w not in self._stop]
            return self._overview(slug, drug) if named else self._abstain(slug, drug, [])
        ranked = self.rank(terms, drug)
        best_score, best = ranked[0] if ranked else (0.0, None)
        if best is None or best_score < self.threshold:
            return self._abstain(slug, drug, ranked)
        return Match("answered", slug, best.entry, round(min(best_score, 1.0), 3))

    @property
    def _stop(self) -> frozenset[str]:
        return self.index.lexicon.stopwords

    def terms(self, words: list[str], drug: CompiledDrug) -> list[str]:
        """The question's words as the drug's terms: typos fixed, lay words rewritten."""
        lexicon = self.index.lexicon
        stems = [self._spell(stem(w), drug) for w in words]
        return [t for t in lexicon.rewrite(stems) if t not in lexicon.stopwords]

    def _strangers(self, words: list[str], drug: CompiledDrug) -> set[str]:
        """Words that look like names of other drugs: long, unknown, no typo of a known word."""
        lexicon = self.index.lexicon
        found = set()
        for w in words:
            s = stem(w)
            if len(w) < 5 or w.isdigit() or s in lexicon.minor or s in lexicon.stopwords:
                continue
            if self._spell(s, drug) == s and s not in drug.vocabulary:
                if s not in lexicon.vocabulary:
                    found.add(w)
        return found

    def _spell(self, word: str, drug: CompiledDrug) -> str:
        lexicon = self.index.lexicon
        if len(word) < 4 or word in drug.vocabulary or word in lexicon.vocabulary:
            return word
        return drug.speller.correct(word) or word

    def rank(self, terms: list[str], drug: CompiledDrug) -> list[tuple[float, CompiledEntry]]:
        """Every entry with a score in 0..1, best first."""
        weights = [self._weight(t, drug) for t in terms]
        total = sum(weights) or 1.0
        asked = set(terms)
        scored = []
        for ce in drug.entries:
            covered = sum(w * ce.terms.get(t, 0.0) for t, w in zip(terms, weights))
            if not covered:
                continue
            title_total = sum(drug.weights.get(t, 0.0) for t in ce.title_terms) or 1.0
            title_hit = sum(drug.weights.get(t, 0.0) for t in ce.title_terms if t in asked)
            score = covered / total * (0.7 + 0.3 * title_hit / title_total)
            scored.append((score, ce))
        scored.sort(key=lambda pair: -pair[0])
        return scored

    def _weight(self, term: str, drug: CompiledDrug) -> float:
        lexicon = self.index.lexicon
        if term in lexicon.minor:
            return MINOR_WEIGHT
        if term in drug.weights:
            return drug.weights[term]
        if term in lexicon.concepts:  # a topic the lexicon knows and this drug doesn't cover
            return drug.unknown_weight
        return drug.unknown_weight * STRANGER_WEIGHT

    def _overview(self, slug: str, drug: CompiledDrug) -> Match:
        usage = topic_token("usage")
        for ce in drug.entries:
            if usage in ce.title_terms:
                return Match("answered", slug, ce.entry, OVERVIEW_CONFIDENCE)
        return self._abstain(slug, drug, [])

    def _abstain(
        self, slug: str, drug: CompiledDrug, ranked: list[tuple[float, CompiledEntry]]
    ) -> Match:
        close = [ce.entry.title for _, ce in ranked[:3]]
        if not close:
            close = [ce.entry.title for ce in drug.entries if ce.entry.kind != "side_effect"][:3]
        return Match("abstained", slug, None, round(ranked[0][0], 3) if ranked else 0.0,
                     tuple(close), "low_confidence")


_WITH = frozenset("with and plus alongside together while mix mixing combine".split())


def _beside_with(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is named as a companion: "with tramadol", "tramadol and it"."""
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    return before in _WITH or after in _WITH or before in ("take", "taking")
