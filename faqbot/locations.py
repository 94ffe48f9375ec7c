"""Where things live on disk: resolved once, at the edge, and passed in as paths."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["cache_dir", "history_file", "knowledge_dir", "shipped_knowledge_dir"]

KNOWLEDGE_ENV = "FAQBOT_KNOWLEDGE"


def shipped_knowledge_dir() -> Path:
    """The knowledge that ships with faqbot: in the wheel, or the repo's ``knowledge/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "_knowledge"
    return packaged if packaged.is_dir() else here.parent / "knowledge"


def knowledge_dir(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """``--knowledge`` wins, then ``$FAQBOT_KNOWLEDGE``, then the shipped knowledge."""
    chosen = option or environ.get(KNOWLEDGE_ENV)
    return Path(chosen).expanduser() if chosen else shipped_knowledge_dir()


def _xdg(name: str, fallback: str, environ: Mapping[str, str]) -> Path:
    base = environ.get(name)
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / fallback
    return root / "faqbot"


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/faqbot`` (default ``~/.cache/faqbot``)."""
    return _xdg("XDG_CACHE_HOME", ".cache", environ)


def history_file(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_STATE_HOME/faqbot/history`` (default ``~/.local/state/faqbot/history``)."""
    return _xdg("XDG_STATE_HOME", ".local/state", environ) / "history"
