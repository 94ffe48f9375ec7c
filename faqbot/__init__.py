"""faqbot: a medication FAQ assistant that answers from knowledge files, or says it can't.

>>> from faqbot import Bot, load_knowledge, shipped_knowledge_dir, to_json
>>> bot = Bot(load_knowledge(shipped_knowledge_dir()))
>>> bot.ask("does it cause nausea").entry.id
'milnacipran:side-effects/nausea'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faqbot.answer import Answer, EntryRef
    from faqbot.bot import Bot, load_knowledge
    from faqbot.errors import FaqbotError, ImportPageError, KnowledgeError
    from faqbot.index import build_index
    from faqbot.locations import shipped_knowledge_dir
    from faqbot.matcher import Matcher
    from faqbot.render import to_dict, to_json, to_text
    from faqbot.session import Session

__all__ = [
    "Answer",
    "Bot",
    "EntryRef",
    "FaqbotError",
    "ImportPageError",
    "KnowledgeError",
    "Matcher",
    "Session",
    "build_index",
    "load_knowledge",
    "shipped_knowledge_dir",
    "to_dict",
    "to_json",
    "to_text",
]

# Where each public name lives. Its module is imported on first use (PEP 562), so that
# `import faqbot.cli` or `faqbot.errors` does not import the whole package.
_MODULES = {
    "Answer": "faqbot.answer",
    "EntryRef": "faqbot.answer",
    "Bot": "faqbot.bot",
    "load_knowledge": "faqbot.bot",
    "FaqbotError": "faqbot.errors",
    "ImportPageError": "faqbot.errors",
    "KnowledgeError": "faqbot.errors",
    "build_index": "faqbot.index",
    "shipped_knowledge_dir": "faqbot.locations",
    "Matcher": "faqbot.matcher",
    "Session": "faqbot.session",
    "to_dict": "faqbot.render",
    "to_json": "faqbot.render",
    "to_text": "faqbot.render",
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'faqbot' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
