"""``faqbot check``: every problem of knowledge folders and files, as ``file:line: message``."""

from __future__ import annotations

from pathlib import Path

from faqbot.errors import KnowledgeError, Problem
from faqbot.knowledge import check_file, load_dir
from faqbot.lexicon import LEXICON_FILE, load_lexicon

__all__ = ["check_paths"]


def check_paths(paths: list[Path]) -> tuple[list[Problem], int]:
    """The problems of each folder or file in ``paths``, and how many files were read."""
    problems: list[Problem] = []
    files = 0
    for path in paths:
        if path.is_dir():
            files += len(list(path.glob("*.yaml")))
            problems += _folder_problems(path)
        elif path.exists():
            files += 1
            problems += _lexicon_problems(path) if path.name == LEXICON_FILE else check_file(path)
        else:
            problems.append(Problem(path, 0, "no such file or folder"))
    return problems, files


def _folder_problems(folder: Path) -> list[Problem]:
    found: list[Problem] = []
    try:
        load_dir(folder)
    except KnowledgeError as e:
        found += e.problems
    lexicon = folder / LEXICON_FILE
    if lexicon.is_file():
        found += _lexicon_problems(lexicon)
    return found


def _lexicon_problems(path: Path) -> list[Problem]:
    try:
        load_lexicon(path)
    except KnowledgeError as e:
        return e.problems
    return []
