"""Real drug names, from the drug-named-entity-recognition dictionary (Fast Data Science, MIT):
about 107,000 names, brands and spellings of about 20,000 drugs, from DrugBank, MeSH,
MedlinePlus and Wikipedia.

Used when pages are imported (each medication's aliases) and when an index is built (the names
of real drugs that have no page); never on the answer path. The dictionary file is read
directly: importing the package itself would build a fuzzy-search table of every name, which
takes seconds and which faqbot does not use.
"""

from __future__ import annotations

import bz2
import importlib.util
import os
import pickle
import re
from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple

from faqbot.language import forms
from faqbot.nametable import MAX_NAME_WORDS, NameTable
from faqbot.normalize import normalize

__all__ = ["DrugDictionary", "dictionary", "name_table", "page_drugs", "without_forms"]

_PACKAGE = "drug_named_entity_recognition"
_FILE = "drug_ner_dictionary.pkl.bz2"
MIN_TYPED_LETTERS = 4  # shorter synonyms ("apap") collide with words and other names
_JOINING = frozenset({"and", "or", "with"})
_CHEMICAL = re.compile(r"\d|[(),\[\]]")  # "4-acetamidophenol", "hydrochloride, metformin"


class DrugDictionary(NamedTuple):
    """Normalised names → the canonical drug each names, and each drug's names."""

    canonical: dict[str, str]  # "lexapro" → "escitalopram"
    names: dict[str, tuple[str, ...]]  # "escitalopram" → ("escitalopram", "lexapro", ...)
    display: dict[str, str]  # "escitalopram" → "Escitalopram"

    def core_of(self, title: str) -> str | None:
        """The longest run of a title's words that names a drug: "Escitalopram Oxalate"
        gives "escitalopram", "Sodium Valproate" "valproate" (unless the whole is a name)."""
        words = normalize(title).split()
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                run = " ".join(words[start : start + size])
                if run in self.canonical:
                    return run
        return None

    def aliases(self, title: str, mentioned: str = "") -> tuple[str, ...]:
        """Other names of the drug ``title`` names: its name without salt or form, its
        brands and other spellings, as the dictionary spells them. Names in ``mentioned``
        (the page's own text) come first. A combination (``+``) gets only the brands of the
        combination itself: its ingredients' brands are other medicines."""
        if "+" in title:
            return _combination_aliases(self, title)
        own = normalize(title)
        plain = " ".join(without_forms(own.split()))
        # A shorter name that is an ordinary word is another substance: Silver Nitrate is
        # not silver, where Escitalopram Oxalate is escitalopram.
        shorter = [r for r in (plain, self.core_of(title)) if r and not _ordinary(r)]
        runs = dict.fromkeys([own, *shorter])
        drugs = dict.fromkeys(self.canonical[r] for r in runs if r in self.canonical)
        said = f" {normalize(mentioned)} "
        found = [r for r in runs if r != own and (r == plain or r in self.canonical)]
        typeable = {n for d in drugs for n in self.names.get(d, ()) if _typeable(n)}
        found += sorted(typeable - {own}, key=lambda n: (f" {n} " not in said, n))
        return tuple(dict.fromkeys(found))


def page_drugs(titles: Iterable[str]) -> frozenset[str]:
    """The drugs (normalised dictionary names) that pages of these ``titles`` are about."""
    d = dictionary()
    found = set()
    for title in titles:
        for run in (d.core_of(title), " ".join(without_forms(normalize(title).split()))):
            drug = d.canonical.get(run or "")
            if drug:
                found.add(normalize(d.display.get(drug, drug)))
    return frozenset(found)


def _combination_aliases(d: DrugDictionary, title: str) -> tuple[str, ...]:
    """The brands of a combination ("Jalyn" for Tamsulosin + Dutasteride): the names of the
    dictionary's drug made of the same ingredients."""
    parts = []
    for part in title.split("+"):
        core = d.core_of(" ".join(without_forms(normalize(part).split())))
        if core is None:
            return ()
        parts.append(d.canonical[core])
    drug = combinations().get(frozenset(parts))
    if drug is None:
        return ()
    return tuple(
        sorted(n for n in d.names.get(drug, ()) if _typeable(n) and " and " not in f" {n} ")
    )


_COMPONENTS = re.compile(r",\s*(?:and\s+)?|\s+and\s+|/")


@cache
def combinations() -> dict[frozenset[str], str]:
    """The dictionary's combination drugs by their ingredients ("dutasteride and tamsulosin")."""
    d = dictionary()
    found: dict[frozenset[str], str] = {}
    for drug in d.names:
        pieces = _COMPONENTS.split(drug)
        if len(pieces) < 2:
            continue
        parts = [d.canonical.get(normalize(p)) for p in pieces]
        if all(parts):
            found.setdefault(frozenset(p for p in parts if p), drug)
    return found


def without_forms(words: list[str]) -> list[str]:
    """A name's words without the salts and forms before or after it ("levothyroxine
    sodium" → "levothyroxine"); all of them when nothing else is left."""
    salts = forms()
    start, end = 0, len(words)
    while start < end and words[start] in salts:
        start += 1
    while end > start and words[end - 1] in salts:
        end -= 1
    return words[start:end] or words


def _ordinary(name: str) -> bool:
    """Whether every word of ``name`` is an ordinary word of the language ("silver")."""
    words = _ordinary_words()
    return all(w in words for w in name.split())


@cache
def _ordinary_words() -> frozenset[str]:
    from faqbot.language import data_path
    from faqbot.lexicon import LEXICON_FILE, load_lexicon

    return load_lexicon(data_path(LEXICON_FILE)).english


def _typeable(name: str) -> bool:
    words = name.split()
    return (
        len(words) <= MAX_NAME_WORDS  # longer names are chemical names nobody types
        and len(name.replace(" ", "")) >= MIN_TYPED_LETTERS
        and not _CHEMICAL.search(name)
        and not set(words) <= forms() | _JOINING  # "spray and solution" names no drug
    )


@cache
def dictionary() -> DrugDictionary:
    """The dictionary (read once per process); empty when the package is not installed."""
    raw = _read_raw()
    if raw is None:
        return DrugDictionary({}, {}, {})
    canonical: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    data = raw.get("drug_canonical_to_data", {})
    for variant, drugs in raw.get("drug_variant_to_canonical", {}).items():
        if not drugs:
            continue
        drug = drugs[0]
        if "," in variant:  # "hydrochloride, metformin": an index heading, not a name
            continue
        name = normalize(variant)
        if not name or name in canonical:
            continue
        canonical[name] = drug
        names.setdefault(drug, []).append(name)
        if drug not in display:
            display[drug] = str(data.get(drug, {}).get("name") or drug)
    return DrugDictionary(canonical, {d: tuple(n) for d, n in names.items()}, display)


def _read_raw() -> dict[str, Any] | None:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(next(iter(spec.submodule_search_locations)), _FILE)
    try:
        with bz2.open(path, "rb") as f:
            # The installed package's own data file, as the package itself reads it.
            data = pickle.load(f)
    except OSError:
        return None
    return data if isinstance(data, dict) else None


@cache
def name_table() -> NameTable:
    """Every name of the dictionary, packed for the index, with how a reply calls it:
    "Toradol (Ketorolac)" for a brand, "Prednisone" for a drug's own name."""
    d = dictionary()
    shown: dict[str, str | None] = {}
    for name, drug in d.canonical.items():
        if _typeable(name):  # not "4-acetamidophenol": nobody types it
            display = d.display.get(drug, drug)
            shown[name] = None if normalize(display) == name else display
    return NameTable(shown)
