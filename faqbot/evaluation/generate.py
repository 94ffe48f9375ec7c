"""A generated question set: random corpus drugs loaded together, each entry asked twice.

Once by its own title ("Side effects of Metformin", the FAQ's question as written) and once
in words the set file's templates give ("what is metformin used for"); an FAQ is rephrased by
rule: lower-cased, the drug named or called "it", punctuation dropped, one word swapped for a
synonym or given a one-letter typo. The templates and synonyms are data in the set file and
know nothing of how the matcher works. Every random choice is seeded: the same set file gives
the same questions.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from faqbot.errors import FaqbotError
from faqbot.evaluation.cases import Case, held_out_by_hash
from faqbot.models import Entry, Medication

__all__ = ["KINDS", "Generate", "generate_cases", "pick_medications", "read_generate"]

# The kinds of entry asked about; sections (leftovers of odd page shapes) and notes are not.
KINDS = ("usage", "how_it_works", "side_effects", "side_effect", "faq")
_WORD = re.compile(r"[^\W\d_]{4,}")  # words long enough for a typo to leave them readable
_DROPPED = re.compile(r"[^\w\s+/-]")
_SPACES = re.compile(r"[\s\-+/]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_INGREDIENTS = re.compile(r"[+/]")  # "Cefalexin + Bromhexine", "Paracetamol/Acetaminophen"


@dataclass(frozen=True)
class Generate:
    """``drugs`` random pages picked with ``seed``; ``titles`` and ``rephrasings`` are
    templates per entry kind (``{drug}``: the drug's title, ``{name}``: a side effect's name,
    lower-cased, ``{question}``: an FAQ's question); ``synonyms`` are the swaps of FAQ words."""

    drugs: int
    seed: int
    titles: Mapping[str, str]
    rephrasings: Mapping[str, tuple[str, ...]]
    synonyms: Mapping[str, tuple[str, ...]]


def read_generate(path: Path, value: object) -> Generate:
    """The ``generate:`` mapping of a set file; FaqbotError naming what is missing."""
    if not isinstance(value, dict):
        raise FaqbotError(f"{path}: generate must be a mapping (drugs, seed, templates)")
    drugs, seed = value.get("drugs"), value.get("seed")
    if not isinstance(drugs, int) or drugs < 1 or not isinstance(seed, int):
        raise FaqbotError(f"{path}: generate needs 'drugs' (a count above 0) and 'seed' (a number)")
    titles = value.get("titles")
    rephrasings = value.get("rephrasings")
    synonyms = value.get("synonyms") or {}
    if not isinstance(titles, dict) or set(titles) != set(KINDS):
        raise FaqbotError(f"{path}: generate.titles needs one template for each of {KINDS}")
    asked = set(KINDS) - {"faq"}  # an FAQ is rephrased by rule, not by template
    if not isinstance(rephrasings, dict) or set(rephrasings) != asked:
        raise FaqbotError(f"{path}: generate.rephrasings needs templates for each of {asked}")
    if not isinstance(synonyms, dict):
        raise FaqbotError(f"{path}: generate.synonyms must map a word to its synonyms")
    return Generate(
        drugs,
        seed,
        {k: str(t) for k, t in titles.items()},
        {k: _strings(path, k, t) for k, t in rephrasings.items()},
        {str(w).casefold(): _strings(path, w, s) for w, s in synonyms.items()},
    )


def _strings(path: Path, key: object, value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, str) and i for i in items):
        raise FaqbotError(f"{path}: generate: {key!r} needs one text or a list of texts")
    return tuple(items)


def pick_medications(corpus: Path, spec: Generate) -> list[Medication]:
    """``spec.drugs`` drugs from random pages of ``corpus`` (seeded): pages are taken in a
    shuffled order, and a page that is refused or repeats a drug already taken is passed over."""
    from faqbot.batch import find_pages, read_pages

    pages = list(find_pages([corpus]))
    random.Random(spec.seed).shuffle(pages)
    picked: dict[str, Medication] = {}
    for page in pages:
        for med in read_pages([page], skip_refused=True):
            picked.setdefault(med.slug, med)
        if len(picked) == spec.drugs:
            break
    return list(picked.values())


def generate_cases(medications: Iterable[Medication], spec: Generate) -> tuple[Case, ...]:
    """Two cases per entry of each drug: by its title and rephrased. A third of the drugs (by
    the hash of the slug) are held out, all their cases with them."""
    cases: list[Case] = []
    for med in medications:
        held_out = held_out_by_hash(med.slug)
        entries = _askable(med)
        related = _related(entries)
        for entry in entries:
            rng = random.Random(f"{spec.seed}:{med.slug}:{entry.id}")
            expect = (f"{med.slug}:{entry.id}", *(f"{med.slug}:{i}" for i in related[entry.id]))
            for text in (_title_question(med, entry, spec), _rephrased(med, entry, spec, rng)):
                cases.append(_case(med, text, expect, held_out))
    return tuple(cases)


def _case(med: Medication, text: str, expect: tuple[str, ...], held_out: bool) -> Case:
    named = f" {_plain(med.title)} " in f" {_plain(text)} "
    # A question that does not name its drug is asked in a conversation about that drug.
    return Case(text, expect, held_out, frozenset({med.slug}), None if named else med.slug)


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _askable(med: Medication) -> list[Entry]:
    """The entries asked about: not notes or sections, nor side effects (or FAQs) whose name
    (or question) the page has twice, since no question could tell those apart, nor "side
    effects" named after the drug or one of its ingredients, or after a heading of the list
    ("Common", "From metformin": headings the page's list made items; "can cefalexin +
    bromhexine cause cefalexin" asks nothing)."""
    entries = [e for e in med.entries() if e.kind in KINDS]
    seen = Counter((e.kind, e.title.casefold()) for e in entries)
    ids = Counter(e.id for e in entries)
    names = {_plain(med.title), *(_plain(p) for p in _INGREDIENTS.split(med.title))}
    return [
        e
        for e in entries
        if seen[e.kind, e.title.casefold()] == 1
        and ids[e.id] == 1
        and not (e.kind == "side_effect" and (_plain(e.title) in names or _heading(e.title)))
    ]


# Words of a heading of the side-effect list that the page's list made an item ("Common",
# "Less common side effects", "From metformin"): asked about, they ask for the list.
_HEADING_WORDS = frozenset(
    {"common", "uncommon", "less", "more", "rare", "very", "other", "others", "serious"}
    | {"severe", "mild", "possible", "frequent", "infrequent", "side", "effects", "effect"}
    | {"reactions", "and", "or"}
)


def _heading(name: str) -> bool:
    words = _plain(name).split()
    return bool(words) and (words[0] == "from" or all(w in _HEADING_WORDS for w in words))


def _related(entries: list[Entry]) -> dict[str, list[str]]:
    """For each entry, the other entries that answer it too: a side effect and the FAQs whose
    question names it, both ways."""
    related: dict[str, list[str]] = {e.id: [] for e in entries}
    faqs = [e for e in entries if e.kind == "faq"]
    for effect in (e for e in entries if e.kind == "side_effect"):
        name = re.compile(rf"\b{re.escape(effect.title.casefold())}\b")
        for faq in faqs:
            if name.search(faq.title.casefold()):
                related[effect.id].append(faq.id)
                related[faq.id].append(effect.id)
    return related


def _title_question(med: Medication, entry: Entry, spec: Generate) -> str:
    return spec.titles[entry.kind].format(
        drug=med.title, name=entry.title.lower(), question=entry.title
    )


def _rephrased(med: Medication, entry: Entry, spec: Generate, rng: random.Random) -> str:
    if entry.kind != "faq":
        template = rng.choice(spec.rephrasings[entry.kind])
        return template.format(drug=med.title, name=entry.title).lower()
    text = entry.title.lower()
    if rng.random() < 0.5:
        text = text.replace(med.title.lower(), "it")
    text = _SPACES.sub(" ", _DROPPED.sub("", text)).strip()
    words = text.split()
    swappable = [i for i, w in enumerate(words) if w in spec.synonyms]
    if swappable and rng.random() < 0.5:
        i = rng.choice(swappable)
        words[i] = rng.choice(spec.synonyms[words[i]])
    else:
        long = [i for i, w in enumerate(words) if _WORD.fullmatch(w)]
        if long:
            i = rng.choice(long)
            words[i] = _typo(words[i], rng)
    return " ".join(words)


def _typo(word: str, rng: random.Random) -> str:
    """``word`` with one letter dropped, swapped with the next or replaced (never the first)."""
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(("drop", "swap", "replace"))
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    other = rng.choice([c for c in _LETTERS if c != word[i]])
    return word[:i] + other + word[i + 1 :]
