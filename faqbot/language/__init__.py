"""Language data: everything that depends on the language people write in lives in one folder
per language (``faqbot/language/en``), so the code that reads it stays language-neutral."""

from __future__ import annotations

import os
from functools import cache

__all__ = ["LANGUAGE", "data_path", "forms", "read_words", "units"]

LANGUAGE = "en"
_HERE = os.path.dirname(os.path.abspath(__file__))


def data_path(name: str, language: str = LANGUAGE) -> str:
    """The path of the language file ``name``."""
    return os.path.join(_HERE, language, name)


def read_words(name: str, language: str = LANGUAGE) -> frozenset[str]:
    """The words of a plain word-list file: one a line, ``#`` starts a comment."""
    with open(data_path(name, language), encoding="utf-8") as f:
        lines = (line.split("#", 1)[0].strip() for line in f)
        return frozenset(line for line in lines if line)


@cache
def forms() -> frozenset[str]:
    """Salts, forms and release words ("oxalate", "tablets", "xr")."""
    return read_words("forms.txt")


@cache
def units() -> frozenset[str]:
    """Units of strength ("mg", "mcg", "ml")."""
    return read_words("units.txt")
