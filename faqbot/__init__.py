"""faqbot: a medication FAQ assistant that answers from knowledge files, or says it can't.

    >>> from pathlib import Path
    >>> from faqbot import Bot, load_knowledge, shipped_knowledge_dir, to_json
    >>> bot = Bot(load_knowledge(shipped_knowledge_dir()))
    >>> bot.ask("does it cause nausea").entry.id
    'milnacipran:side-effects/nausea'
"""

from faqbot.answer import Answer, EntryRef
from faqbot.bot import Bot, load_knowledge
from faqbot.errors import FaqbotError, ImportPageError, KnowledgeError
from faqbot.index import build_index
from faqbot.locations import shipped_knowledge_dir
from faqbot.matcher import Matcher
from faqbot.render import to_dict, to_json, to_text

__all__ = [
    "Answer",
    "Bot",
    "EntryRef",
    "FaqbotError",
    "ImportPageError",
    "KnowledgeError",
    "Matcher",
    "build_index",
    "load_knowledge",
    "shipped_knowledge_dir",
    "to_dict",
    "to_json",
    "to_text",
]
