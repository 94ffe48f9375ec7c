"""One error hierarchy; front ends format these without parsing strings."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from faqbot.locations import StrPath

__all__ = ["FaqbotError", "ImportPageError", "KnowledgeError", "Problem"]


class FaqbotError(Exception):
    """Base class of every error faqbot raises on purpose."""


class Problem(NamedTuple):
    """One problem found in a knowledge file, located as ``file:line`` (0: the whole file)."""

    path: StrPath
    line: int
    message: str
    hidden: int = 0  # > 0: this one only counts that many more problems, not shown

    @property
    def stands_for(self) -> int:
        """How many problems this one stands for."""
        return self.hidden or 1

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else os.fspath(self.path)
        return f"{where}: {self.message}"


class KnowledgeError(FaqbotError):
    """A knowledge file (or folder) could not be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ImportPageError(FaqbotError):
    """A page could not be turned into knowledge."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        from pathlib import Path  # not on the one-shot path: errors.py is imported by all

        self.path = Path(path)
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
