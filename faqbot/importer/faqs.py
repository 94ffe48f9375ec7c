"""FAQs: a FAQs block read into questions with their answers and groups, prose and a disclaimer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from faqbot.importer.blocks import Block
from faqbot.importer.labels import faq_group_of, titled
from faqbot.importer.lines import LEAD_BOLD, Line
from faqbot.importer.parts import Parts
from faqbot.importer.text import plain_text
from faqbot.models import Dropped, Faq, Section

__all__ = ["read_faqs"]

# Questions, answers.
_Q_PREFIX = re.compile(r"^(?:Q|Question)\s*\d*\s*[:.]\s*", re.I)
_A_PREFIX = re.compile(r"^(?:\*\*)?\s*(?:A|Answer)\s*:\s*(?:\*\*)?\s*", re.I)
_A_SPLIT = re.compile(r"(?:\*\*)?\b(?:A|Answer)\s*:(?:\s*\*\*)?")
_PLAIN_QUESTION = re.compile(r"^(?P<q>[^?]{3,250}\?)(?:\s+(?P<a>.*))?$")
_DISCLAIMER_LIKE = re.compile(
    r"\bmedical advice\b|\bfor (?:general|educational|informational) (?:knowledge|purposes)", re.I
)


@dataclass(slots=True)
class _Question:
    question: str
    group: str | None
    indent: int
    answer: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text:
            self.answer.append(text)


def read_faqs(block: Block, parts: Parts, *, at_page_end: bool) -> None:
    """Questions and answers; prose in the block is kept as the section "FAQs"."""
    reader = _FaqReader(block.ingredient, block.ingredient or block.group)
    for line in block.lines:
        reader.read(line)
    found = reader.found
    last_is_open = bool(found) and reader.current is found[-1]
    prose = reader.finish() + _keep_faqs(found, parts, at_page_end=at_page_end and last_is_open)
    prose.sort(key=lambda item: item[0])  # stable: unanswered questions stay in page order
    kept = []
    for count, text in prose:
        closing = at_page_end and found and count == len(found) and not parts.disclaimer
        if closing and _DISCLAIMER_LIKE.search(text):
            parts.disclaimer.append(text)  # an unlabelled disclaimer closing the page
        else:
            kept.append(text)
    if kept:
        parts.sections.append(Section(titled("FAQs", reader.base), "\n\n".join(kept)))


@dataclass(slots=True)
class _FaqReader:
    """Reads a FAQs block line by line into questions (with answers), groups and prose.

    Prose is kept with the number of questions before it, to merge it in page order later.
    """

    ingredient: str | None
    base: str | None  # the block's group: its ingredient, or "X" of "**X FAQs:**"
    group: str | None = None
    found: list[_Question] = field(default_factory=list)
    current: _Question | None = None
    prose: list[tuple[int, str]] = field(default_factory=list)
    unused_label: str | None = None  # a group label no question has used yet
    after_blank: bool = False

    def __post_init__(self) -> None:
        self.group = self.base

    def read(self, line: Line) -> None:
        if line.kind == "blank":
            self.after_blank = True
            return
        if line.kind == "bullet" and self.current is None and _is_bare_label(line):
            line = Line("label", 0, line.label, "", line.text)  # a group bullet
        if line.kind == "label":
            self._label(line)
        else:
            self._other(line)
        self.after_blank = False

    def finish(self) -> list[tuple[int, str]]:
        """The prose, including a group label that no question used."""
        if self.unused_label:
            self.prose.append((len(self.found), self.unused_label))
        return self.prose

    def _label(self, line: Line) -> None:
        question = _question_of_label(line.label)
        if question is not None:
            self._ask(question, -1, _strip_answer(line.text))
        elif line.text:
            self._prose(plain_text(line.raw))
        else:
            if self.unused_label:
                self._prose(self.unused_label)
            self.unused_label = plain_text(line.raw)
            sub = faq_group_of(line.label) or plain_text(line.label).strip(" :")
            self.group = f"{self.ingredient}: {sub}" if self.ingredient else sub
            self.current = None

    def _other(self, line: Line) -> None:
        current = self.current
        answer = _answer_of(line)
        if current is not None and answer is not None:
            current.add(answer)
        elif line.kind == "bullet" and current is not None and line.indent > current.indent:
            current.add("- " + plain_text(line.text))
        elif line.kind == "bullet" and (qa := _question_of_bullet(line.text)) is not None:
            self._ask(qa[0], line.indent, qa[1])
        elif current is not None and (not current.answer or not self.after_blank or line.indent):
            current.add(plain_text(line.raw if line.kind == "text" else "- " + line.text))
        else:
            self._prose(plain_text(line.text if line.kind == "bullet" else line.raw))

    def _ask(self, question: str, indent: int, answer: str) -> None:
        self.current = _Question(question, self.group, indent)
        self.current.add(answer)
        self.found.append(self.current)
        self.unused_label = None

    def _prose(self, text: str) -> None:
        self.prose.append((len(self.found), text))
        self.current = None


def _is_bare_label(line: Line) -> bool:
    """``* **Mefenamic Acid:**`` alone on its line: a label, not a question."""
    lead = LEAD_BOLD.match(line.text)
    bare = lead is not None and not lead["rest"].strip()
    return bare and _question_of_label(line.label) is None


def _keep_faqs(
    found: Sequence[_Question], parts: Parts, *, at_page_end: bool
) -> list[tuple[int, str]]:
    """Answered questions become FAQs; the last one cut off by the page's end is dropped; other
    unanswered ones ("questions to ask your doctor") are returned as prose, with their position."""
    unanswered: list[tuple[int, str]] = []
    for i, q in enumerate(found):
        answer = _join_answer(q.answer)
        if answer:
            parts.faqs.append(Faq(q.question, answer, q.group))
        elif at_page_end and i == len(found) - 1:
            reason = "truncated: the page ends before this FAQ's answer"
            parts.dropped.append(Dropped(reason, q.question))
        else:
            unanswered.append((i, f"- {q.question}"))
    return unanswered


def _join_answer(pieces: Sequence[str]) -> str:
    out = ""
    for piece in pieces:
        sep = "\n" if piece.lstrip().startswith("- ") or out.endswith(":") else " "
        out = f"{out}{sep}{piece}" if out else piece
    return out.strip()


def _answer_of(line: Line) -> str | None:
    """The answer on an ``A:`` line (a bullet or text), or None."""
    text = line.text if line.kind == "bullet" else line.raw if line.kind == "text" else ""
    m = _A_PREFIX.match(text)
    return plain_text(text[m.end() :]) if m else None


def _strip_answer(text: str) -> str:
    m = _A_PREFIX.match(text)
    return plain_text(text[m.end() :] if m else text).lstrip(": ")


def _question_of_label(label: str) -> str | None:
    text = plain_text(label)
    if _Q_PREFIX.match(text) or text.endswith("?"):
        return _Q_PREFIX.sub("", text).strip() or None
    return None


def _question_of_bullet(text: str) -> tuple[str, str] | None:
    """``"**Q: Is it safe?** A: Yes."`` → ("Is it safe?", "Yes."); None if not a question."""
    m = LEAD_BOLD.match(text)
    if m:
        bold = plain_text(m["bold"])
        if bold.rstrip(" :.").casefold() in ("q", "question"):  # "**Q:** question? **A:** ..."
            return _split_qa(m["rest"])
        question = _Q_PREFIX.sub("", bold).strip()
        if not question or not (_Q_PREFIX.match(bold) or "?" in question):
            return None
        return question, _strip_answer(m["rest"])
    plain = plain_text(text)
    q = _Q_PREFIX.match(plain)
    if q:
        return _split_qa(plain[q.end() :])
    m = _PLAIN_QUESTION.match(plain)
    return (m["q"].strip(), _strip_answer(m["a"] or "")) if m else None


def _split_qa(text: str) -> tuple[str, str] | None:
    """``"Is it safe? A: Yes."`` → ("Is it safe?", "Yes.")."""
    pieces = [*_A_SPLIT.split(text, maxsplit=1), ""]
    question, answer = plain_text(pieces[0]), plain_text(pieces[1])
    return (question, answer) if question else None
