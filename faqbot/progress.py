"""A progress bar on a terminal's stderr; silent when stderr is not a terminal, or fails."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from faqbot.render import for_terminal

__all__ = ["Progress"]


class Progress:
    """``with Progress(total, "Importing") as bar: bar.advance(label)``; prints above it."""

    def __init__(self, total: int, title: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.title = title
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and total > 1
        self.done = 0
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()

    def advance(self, label: str = "") -> None:
        self.done += 1
        now = time.monotonic()
        if self.enabled and (now - self._drawn > 0.05 or self.done == self.total):
            self._drawn = now
            self._draw(label)

    def clear(self) -> None:
        if self.enabled:
            self._write("\r\x1b[K")

    def _draw(self, label: str) -> None:
        columns = shutil.get_terminal_size((80, 20)).columns
        counts = f"{self.done}/{self.total}"
        bar_width = max(10, min(40, columns - len(self.title) - len(counts) - 30))
        filled = bar_width * self.done // self.total
        bar = "█" * filled + "░" * (bar_width - filled)
        line = f"{self.title} {bar} {counts} {for_terminal(label)}"
        self._write("\r\x1b[K" + line[: columns - 1])

    def _write(self, text: str) -> None:
        """Write to the terminal; a bar that cannot be drawn is given up, not the work."""
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False
