"""Labels: the kind of section a label opens, and the names and titles read from labels."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Literal

from faqbot.importer.text import SPACES, plain_text

__all__ = [
    "CONTENT_KINDS",
    "BlockKind",
    "clean_label",
    "faq_group_of",
    "ingredient_name",
    "ingredient_names",
    "label_kind",
    "names_ingredient",
    "norm_label",
    "titled",
]

BlockKind = Literal[
    "intro", "ingredient", "generic", "usage", "side_effects", "how", "faqs", "disclaimer", "other"
]

CONTENT_KINDS = ("generic", "usage", "side_effects", "how", "faqs")

_LABEL_KINDS: dict[str, BlockKind] = {
    "generic name": "generic",
    "generic names": "generic",
    "usage": "usage",
    "uses": "usage",
    "indications": "usage",
    "side effects": "side_effects",
    "possible side effects": "side_effects",
    "potential side effects": "side_effects",
    "adverse effects": "side_effects",
    "how it works": "how",
    "how they work": "how",
    "mechanism of action": "how",
    "faqs": "faqs",
    "faq": "faqs",
    "frequently asked questions": "faqs",
    "disclaimer": "disclaimer",
    "important disclaimer": "disclaimer",
}
_OTHER_LABELS = frozenset(
    {
        "note",
        "important note",
        "dosage",
        "dosage and administration",
        "precautions",
        "warnings",
        "warnings and precautions",
        "interactions",
        "drug interactions",
        "contraindications",
        "storage",
        "overdose",
    }
)

_PAREN = re.compile(r"\([^()]*\)")
_NUMBERING = re.compile(r"^\d{1,2}[.)]\s+")
_FAQ_GROUP_SUFFIX = re.compile(r"\s*(?:FAQs?|Frequently Asked Questions|Questions)\s*$", re.I)


@functools.lru_cache(maxsize=4096)
def norm_label(label: str) -> str:
    """``"**FAQs (Separate for each drug):**"`` → ``"faqs"``."""
    text = _PAREN.sub(" ", plain_text(label))
    text = _NUMBERING.sub("", text.strip())
    return SPACES.sub(" ", text).strip(" :").casefold()


@functools.lru_cache(maxsize=4096)
def label_kind(label: str) -> BlockKind | None:
    norm = norm_label(label)
    kind = _LABEL_KINDS.get(norm)
    if kind is not None:
        return kind
    if norm in _OTHER_LABELS:
        return "other"
    if norm.startswith(("faqs ", "faq ", "frequently asked questions ")) or norm.endswith(
        (" faqs", " faq")
    ):
        return "faqs"
    if norm.startswith(("generic name ", "generic names ")):
        return "generic"
    return None


def clean_label(label: str) -> str:
    return plain_text(label).strip(" :") or "Section"


def faq_group_of(label: str) -> str | None:
    """``"Mefenamic Acid FAQs"`` → ``"Mefenamic Acid"``; plain ``"FAQs (...)"`` → None."""
    text = _PAREN.sub(" ", plain_text(label)).strip(" :")
    group = _FAQ_GROUP_SUFFIX.sub("", text).strip(" :")
    return group or None


def ingredient_name(label: str) -> str:
    """``"1. Poliovirus Type 1 (PV1)"`` → ``"Poliovirus Type 1 (PV1)"``; drops "(Generic Name)"."""
    text = _NUMBERING.sub("", plain_text(label).strip(" :"))
    text = re.sub(r"\s*\(generic(?: name)?\)\s*$", "", text, flags=re.I)
    return text.strip(" :") or plain_text(label)


def ingredient_names(title: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s\+\s|/", title) if part.strip()]


def names_ingredient(label: str, ingredients: Sequence[str]) -> bool:
    norm = norm_label(label)
    return any(name.casefold() in norm or norm in name.casefold() for name in ingredients if norm)


def titled(title: str, ingredient: str | None) -> str:
    return f"{title} ({ingredient})" if ingredient else title
