"""Where things live on disk: resolved once, at the edge, and passed in as paths.

Paths are strings here (``os.path``): importing pathlib would cost the one-shot
``faqbot ask`` a noticeable share of its time. Every function that takes a path also takes
a :class:`pathlib.Path`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = [
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


def shipped_knowledge_dir() -> str:
    """The knowledge that ships with faqbot: in the wheel, or the repo's ``knowledge/``."""
    here = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(here, "_knowledge")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(here), "knowledge")


def knowledge_dir(option: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """``--knowledge`` wins, then ``$FAQBOT_KNOWLEDGE``, then the shipped knowledge."""
    chosen = option or environ.get(KNOWLEDGE_ENV)
    return os.path.expanduser(chosen) if chosen else shipped_knowledge_dir()


def _xdg(name: str, fallback: str, environ: Mapping[str, str]) -> str:
    base = environ.get(name)
    root = base if base and os.path.isabs(base) else os.path.join(_home(environ), fallback)
    return os.path.join(root, "faqbot")


def _home(environ: Mapping[str, str]) -> str:
    return environ.get("HOME") or os.path.expanduser("~")


def cache_dir(environ: Mapping[str, str] = os.environ) -> str:
    """``$XDG_CACHE_HOME/faqbot`` (default ``~/.cache/faqbot``)."""
    return _xdg("XDG_CACHE_HOME", ".cache", environ)


def state_dir(environ: Mapping[str, str] = os.environ) -> str:
    """``$XDG_STATE_HOME/faqbot`` (default ``~/.local/state/faqbot``)."""
    return _xdg("XDG_STATE_HOME", ".local/state", environ)


def history_file(environ: Mapping[str, str] = os.environ) -> str:
    """``$XDG_STATE_HOME/faqbot/history`` (default ``~/.local/state/faqbot/history``)."""
    return os.path.join(state_dir(environ), "history")


def cache_key_file(environ: Mapping[str, str] = os.environ) -> str:
    """``$XDG_STATE_HOME/faqbot/cache.key``: the key that signs the cache, kept outside it."""
    return os.path.join(state_dir(environ), "cache.key")
