"""``faqbot check``: every problem of knowledge folders and files, as ``file:line: message``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from faqbot.errors import KnowledgeError, Problem
from faqbot.files import knowledge_files
from faqbot.knowledge import check_file, load_dir
from faqbot.lexicon import LEXICON_FILE, load_lexicon

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["check_paths"]


def check_paths(paths: Iterable[StrPath]) -> tuple[list[Problem], int]:
    """The problems of each folder or file in ``paths``, and how many files were checked.

    A file counts once however often it is named, and so does every path with a problem (a
    missing file, a folder without knowledge files), so that "B of F files" always holds. Each
    problem's path is a string, so that a file's problems share one path.
    """
    problems: list[Problem] = []
    checked: set[str] = set()
    for path in paths:
        name = os.fspath(path)
        if os.path.isdir(name):
            found, files = _folder_problems(name)
        elif os.path.lexists(name):  # a file, or something that is not one but is reported
            found, files = _file_problems(name), [name]
        else:
            found, files = [Problem(name, 0, "no such file or folder")], []
        problems += (p._replace(path=os.fspath(p.path)) for p in found)
        checked.update(files)
    checked.update(str(p.path) for p in problems)
    return problems, len(checked)


def _folder_problems(folder: str) -> tuple[list[Problem], list[str]]:
    """The problems of a knowledge folder (its lexicon too), and the files it holds."""
    try:
        files = knowledge_files(folder)
    except KnowledgeError as e:
        found, files = e.problems, []
    else:
        found = _problems(load_dir, folder)
    lexicon = os.path.join(folder, LEXICON_FILE)
    if os.path.lexists(lexicon):
        files.append(lexicon)
        found += _problems(load_lexicon, lexicon)
    return found, files


def _file_problems(path: str) -> list[Problem]:
    if os.path.basename(path) == LEXICON_FILE:
        return _problems(load_lexicon, path)
    return check_file(path)


def _problems(load: Callable[[str], object], path: str) -> list[Problem]:
    """The problems that loading ``path`` with ``load`` raises; [] when it loads."""
    try:
        load(path)
    except KnowledgeError as e:
        return e.problems
    return []
