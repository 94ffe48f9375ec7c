"""Urgent triage: first-person reports of an emergency get a notice before anything else."""

from __future__ import annotations

import re

from faqbot.normalize import normalize

__all__ = ["URGENT_NOTICE", "is_urgent"]

URGENT_NOTICE = (
    "This may be an emergency. Get emergency help now: call your local emergency number "
    "(911 in the US, 112 in Europe, 999 in the UK) or go to the nearest emergency department. "
    "If you are thinking about harming yourself, call or text a crisis line now "
    "(988 in the US)."
)

# Emergencies, matched on normalised text (lower case, no punctuation, "can't" → "cant").
_EMERGENCY = re.compile(
    r"\b("
    r"overdos\w*|od d|took (?:way )?too (?:many|much)|taken (?:way )?too (?:many|much)"
    r"|took (?:a|the) whole (?:bottle|pack\w*)|swallowed (?:a|the) (?:whole|entire)"
    r"|(?:cant|cannot|can not|couldnt|struggling to|hard to|trouble|difficulty|problems?)"
    r" breath\w*"
    r"|not breathing|short(?:ness)? of breath|gasping|choking"
    r"|(?:face|lips?|tongue|throat|mouth|eyes?) (?:is |are |has |have |keeps? )?"
    r"(?:swell\w*|swollen|closing)"
    r"|(?:swell\w*|swollen) (?:face|lips?|tongue|throat|mouth)"
    r"|throat (?:is |feels )?(?:tight\w*|closing)"
    r"|chest (?:pain|hurts?|tight\w*|pressure)|heart attack|pain in (?:my|the) chest"
    r"|faint(?:ed|ing)?|pass(?:ed|ing) out|blacked out|black out|collaps\w*|unconscious|seizure\w*"
    r"|kill (?:my ?self|me)|end (?:my|it) (?:life|all)|suicid\w*|self ?harm\w*"
    r"|hurt(?:ing)? my ?self"
    r"|harm(?:ing)? my ?self|want to die|wanna die|better off dead|dont want to live"
    r")\b"
)
# First person, or someone in the user's care.
_REPORT = re.compile(
    r"\b(i|im|ive|id|me|my|myself|we|us|our|he|she|hes|shes|his|her|they|theyre|someone"
    r"|somebody|son|daughter|child|kid|husband|wife|partner|friend|mom|mum|dad|baby)\b"
)
# A question about the drug in general ("what are the symptoms of an overdose") is not a report.
_GENERAL_QUESTION = re.compile(
    r"^(what|which|does|do|can|could|is|are|will|would|how|why|when|should)\b"
    r"(?!.*\b(i|im|ive|me|my|myself)\b)"
)


def is_urgent(question: str) -> bool:
    """True for a report of an emergency, not for a general question about one."""
    text = normalize(question)
    if not _EMERGENCY.search(text):
        return False
    if _REPORT.search(text):
        return True
    return not _GENERAL_QUESTION.match(text)
