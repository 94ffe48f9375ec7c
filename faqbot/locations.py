"""Where things live on disk: resolved once, at the edge, and passed in as paths.

Every function that takes a path takes a ``str`` or a :class:`pathlib.Path` (``StrPath``).
The one-shot ``faqbot ask`` resolves the same places as strings, in ``faqbot.oneshot``;
tests/test_cli_errors.py holds the two to the same answers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "KNOWLEDGE_ENV",
    "StrPath",
    "cache_dir",
    "cache_key_file",
    "history_file",
    "knowledge_dir",
    "shipped_knowledge_dir",
    "state_dir",
]

StrPath = str | os.PathLike[str]  # a path as faqbot's functions take it
KNOWLEDGE_ENV = "FAQBOT_KNOWLEDGE"


def shipped_knowledge_dir() -> Path:
    """The knowledge that ships with faqbot: in the wheel, or the repo's ``knowledge/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "_knowledge"
    return packaged if packaged.is_dir() else here.parent / "knowledge"


def knowledge_dir(option: StrPath | None, environ: Mapping[str, str] = os.environ) -> Path:
    """``--knowledge`` wins, then ``$FAQBOT_KNOWLEDGE``, then the shipped knowledge."""
    chosen = option or environ.get(KNOWLEDGE_ENV)
    return Path(chosen).expanduser() if chosen else shipped_knowledge_dir()


def _xdg(name: str, fallback: str, environ: Mapping[str, str]) -> Path:
    base = environ.get(name)
    if base and os.path.isabs(base):
        return Path(base, "faqbot")
    home = environ.get("HOME") or os.path.expanduser("~")
    return Path(home, fallback, "faqbot")


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/faqbot`` (default ``~/.cache/faqbot``)."""
    return _xdg("XDG_CACHE_HOME", ".cache", environ)


def state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_STATE_HOME/faqbot`` (default ``~/.local/state/faqbot``)."""
    return _xdg("XDG_STATE_HOME", ".local/state", environ)


def history_file(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_STATE_HOME/faqbot/history`` (default ``~/.local/state/faqbot/history``)."""
    return state_dir(environ) / "history"


def cache_key_file(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_STATE_HOME/faqbot/cache.key``: the key that signs the cache, kept outside it."""
    return state_dir(environ) / "cache.key"
