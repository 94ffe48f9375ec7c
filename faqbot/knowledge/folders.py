"""Loading a folder of knowledge files, through the cache, with titles checked across files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from faqbot import cache
from faqbot.errors import KnowledgeError, Problem
from faqbot.files import knowledge_files
from faqbot.knowledge.reading import _load_file, _title_line
from faqbot.models import Medication

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["load_dir"]


def load_dir(directory: StrPath, cache_dir: StrPath | None = None) -> list[Medication]:
    """Every knowledge file (``*.yaml``) in ``directory``, sorted by file name.

    Raises KnowledgeError with the problems of all files. With ``cache_dir``, the result is
    cached there until a file in ``directory`` is added, removed or changed.
    """
    paths = [Path(p) for p in knowledge_files(directory)]
    folder = Path(directory).resolve()
    snap = cache.snapshot(paths)
    if cache_dir is not None:
        cached = cache.read(cache_dir, folder, snap)
        if cached is not None:
            return cached
    meds = _load_files(paths)
    if cache_dir is not None:
        cache.write(cache_dir, folder, snap, meds)
    return meds


def _load_files(paths: list[Path]) -> list[Medication]:
    meds: list[Medication] = []
    problems: list[Problem] = []
    first: dict[str, Path] = {}  # the file of each title, compared as a person would
    for path in paths:
        med, found = _load_file(path)
        problems += found
        if med is None:
            continue
        meds.append(med)
        other = first.setdefault(" ".join(med.title.casefold().split()), path)
        if other != path:
            message = f"duplicate title {med.title!r} (first in {other.name})"
            problems.append(Problem(path, _title_line(path), message))
    if problems:
        raise KnowledgeError(problems)
    return meds
