"""Loading a folder of knowledge files, with titles checked across files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from faqbot.errors import KnowledgeError, Problem
from faqbot.files import knowledge_files
from faqbot.knowledge.reading import _load_file, _title_line
from faqbot.models import Medication

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["load_dir"]


def load_dir(directory: StrPath) -> list[Medication]:
    """Every knowledge file (``*.yaml``) in ``directory``, sorted by file name.

    Raises KnowledgeError with the problems of all files, among them two files whose titles
    give the same id (slug): one would hide the other's answers.
    """
    return _load_files([Path(p) for p in knowledge_files(directory)])


def _load_files(paths: list[Path]) -> list[Medication]:
    meds: list[Medication] = []
    problems: list[Problem] = []
    first: dict[str, tuple[Path, Medication]] = {}  # the file and medication of each slug
    for path in paths:
        med, found = _load_file(path)
        problems += found
        if med is None:
            continue
        meds.append(med)
        other, other_med = first.setdefault(med.slug, (path, med))
        if other != path:
            problems.append(Problem(path, _title_line(path), _clash(med, other, other_med)))
    if problems:
        raise KnowledgeError(problems)
    return meds


def _clash(med: Medication, other: Path, other_med: Medication) -> str:
    """Why ``med`` cannot sit beside ``other_med`` (from the file ``other``)."""
    if _same_title(med.title, other_med.title):
        return f"duplicate title {med.title!r} (first in {other.name})"
    return (
        f"title {med.title!r} has the same id {med.slug!r} as {other_med.title!r} in "
        f"{other.name}; answers would be mixed up: give one of them another title"
    )


def _same_title(a: str, b: str) -> bool:
    """Whether two titles are the same as a person would read them."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())
