"""The files of a knowledge folder: which entries count as knowledge files.

Paths here are strings: this module is on the one-shot ``faqbot ask`` path.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from faqbot.errors import KnowledgeError, Problem

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["RESERVED_NAMES", "knowledge_files"]

RESERVED_NAMES = frozenset({"lexicon.yaml"})  # other kinds of file in a knowledge folder


def knowledge_files(directory: StrPath) -> list[str]:
    """The knowledge files (``*.yaml``) of ``directory``, sorted; not hidden or reserved ones.

    Paths here are strings: pathlib takes a noticeable share of a one-shot answer to import.
    """
    try:
        with os.scandir(directory) as entries:
            names = sorted(
                e.name
                for e in entries
                if e.name.endswith(".yaml")
                and not e.name.startswith(".")
                and e.name not in RESERVED_NAMES
                and e.is_file()
            )
    except FileNotFoundError:
        raise KnowledgeError([Problem(directory, 0, "knowledge folder not found")]) from None
    except OSError as err:
        message = f"cannot read the knowledge folder: {err.strerror or err}"
        raise KnowledgeError([Problem(directory, 0, message)]) from None
    if not names:
        raise KnowledgeError([Problem(directory, 0, "no knowledge files (*.yaml) in this folder")])
    return [os.path.join(directory, name) for name in names]
