"""Small talk: greetings, thanks, goodbyes, help. Replies never hold medical content."""

from __future__ import annotations

import re

from faqbot.normalize import normalize

__all__ = ["small_talk"]

_REPLIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), reply)
    for pattern, reply in (
        (
            r"(hi|hello|hey|hiya|howdy|yo|greetings|good (morning|afternoon|evening))( there)?"
            r"( (faqbot|bot))?",
            "Hello! Ask me about a medication: what it is for, how it works, its side effects, "
            "or the questions people often ask.",
        ),
        (
            r"((many )?thanks?( you)?( (so|very) much)?|thx|ty|cheers|much appreciated|great"
            r"|(ok|okay|cool|great|perfect|got it)( thanks?( you)?)?)",
            "You're welcome. Ask me anything else about your medication.",
        ),
        (
            r"(bye|goodbye|good bye|see (you|ya)|cya|bye bye|take care|good night|quit|exit)",
            "Goodbye, take care.",
        ),
        (
            r"(help|help me|what can you do|how does this work|how do (i|you) use (this|you)"
            r"|what do you know|what can i ask( you)?|commands|menu|\?+)",
            'Ask a question in your own words, such as "what is it used for?", '
            '"does it cause headaches?" or "can I drink alcohol with it?". Name the '
            "medication if I don't know it yet. I answer only from my knowledge files, and I "
            "say so when they don't cover your question.",
        ),
        (
            r"(who|what) are (you|u)|are you (a )?(bot|robot|human|real|person|ai|doctor)"
            r"|whats your name|your name",
            "I'm faqbot, an assistant that answers questions about medications from a set of "
            "medication pages. I'm not a doctor: for advice about your own care, ask a doctor "
            "or pharmacist.",
        ),
    )
)


def small_talk(question: str) -> str | None:
    """The reply when the whole message is small talk, else None."""
    text = normalize(question)
    for pattern, reply in _REPLIES:
        if pattern.fullmatch(text):
            return reply
    return None
