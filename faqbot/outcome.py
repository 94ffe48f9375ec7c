"""What became of a question: its status, and why it has no entry (or how it got one).

Both are string enums: they compare equal to, and serialise as, their values, which the JSON
contract (``/openapi.json``) lists.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Reason", "Status"]


class Status(StrEnum):
    ANSWERED = "answered"  # an entry answers it
    ABSTAINED = "abstained"  # the knowledge does not answer it: said so, with what it covers
    CLARIFY = "clarify"  # which drug is meant?
    SMALLTALK = "smalltalk"  # a greeting, thanks, help


class Reason(StrEnum):
    NONE = ""  # answered on the question's own words
    # no entry
    UNKNOWN_DRUG = "unknown_drug"  # a drug we have no page for
    NO_DRUG = "no_drug"  # no drug named, and none talked about
    AMBIGUOUS_DRUG = "ambiguous_drug"  # a name close to several drugs
    LOW_CONFIDENCE = "low_confidence"  # no entry answers it surely enough
    TOPIC_NOT_COVERED = "topic_not_covered"  # the page has nothing on the topic asked
    # an entry, found another way
    OVERVIEW = "overview"  # only a drug was named: its usage
    TOPIC = "topic"  # the page's one entry on the topic asked
    CHOSEN = "chosen"  # a suggestion picked
    OVERDOSE = "overdose"  # the page's overdose entry, after an urgent notice
