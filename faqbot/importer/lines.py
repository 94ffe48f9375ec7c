"""Lines: page lines tokenized into blank, label, bullet and text lines; lines back to text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from faqbot.importer.labels import CONTENT_KINDS, label_kind
from faqbot.importer.text import plain_text

__all__ = ["BOLD_LABEL", "LEAD_BOLD", "Line", "LineKind", "read_line", "render", "tokenize"]

LineKind = Literal["blank", "label", "bullet", "text"]

# Lines and labels. `(?:[^*]|\*(?!\*))` is "anything but a `**`", so labels may hold *italics*.
_NOT_BOLD_END = r"(?:[^*]|\*(?!\*))"
BOLD_LABEL = re.compile(rf"^\*\*(?P<label>{_NOT_BOLD_END}+?)(?::\s*\*\*|\*\*\s*:)(?P<rest>.*)$")
_BOLD_LINE = re.compile(rf"^\*\*(?P<label>{_NOT_BOLD_END}+?)\*\*\s*$")
LEAD_BOLD = re.compile(rf"^\*\*(?P<bold>{_NOT_BOLD_END}+?)\*\*\s*(?P<rest>.*)$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<label>.*)$")
_BULLET = re.compile(r"^(?P<marker>[*+-]|\d{1,3}[.)])\s+(?P<text>.*)$")
_BARE_STAR = re.compile(r"^\*(?P<text>[AQ]\s*:.*)$")  # "*A: answer", a bullet without its space
_PLAIN_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(?P<rest>.*)$")
_TABLE_RULE_CHARS = frozenset("|:- \t")


@dataclass(frozen=True, slots=True)
class Line:
    """One body line: ``label`` lines are bold (or heading) labels at column 0."""

    kind: LineKind
    indent: int = 0
    label: str = ""  # a label line's label; a bullet's leading bold text
    text: str = ""  # a label line's inline text; a bullet's text after its marker
    raw: str = ""  # the line without its indentation
    marker: str = ""  # a bullet's marker: "*", "-", "1."...
    heading: bool = False


# --- tokenizing ----------------------------------------------------------------------------------


def tokenize(lines: Sequence[str], start: int) -> list[Line]:
    return [read_line(line) for line in lines[start:]]


def read_line(source: str) -> Line:
    """Classify one line: blank, a column-0 label, a bullet, or text."""
    expanded = source.expandtabs(4).rstrip()
    raw = expanded.lstrip()
    indent = len(expanded) - len(raw)
    if not raw:
        return Line("blank")
    if indent == 0:
        label = _label_line(raw)
        if label is not None:
            return label
    m = _BULLET.match(raw) or _BARE_STAR.match(raw)
    if m:
        text = m["text"].strip()
        marker = m.groupdict().get("marker") or "*"
        lead = LEAD_BOLD.match(text)
        bold = lead["bold"].strip() if lead else ""
        return Line("bullet", indent, bold, text, raw, marker)
    return Line("text", indent, text=raw, raw=raw)


def _label_line(raw: str) -> Line | None:
    m = _HEADING.match(raw)
    if m:
        return Line("label", 0, m["label"].rstrip("# \t").strip(), "", raw, heading=True)
    m = BOLD_LABEL.match(raw)
    if m:
        return Line("label", 0, m["label"].strip(), m["rest"].strip(), raw)
    m = _BOLD_LINE.match(raw)
    if m and _is_short_label(m["label"]):
        return Line("label", 0, m["label"].strip(), "", raw)
    m = _PLAIN_LABEL.match(raw)
    if m and label_kind(m["label"]) in CONTENT_KINDS:
        return Line("label", 0, m["label"].strip(), m["rest"].strip(), raw)
    return None


def _is_short_label(label: str) -> bool:
    """A whole bold line is a label if short and not a sentence or an aside in brackets."""
    text = label.strip()
    return len(text.split()) <= 12 and not text.startswith("(") and not text.endswith((".", "!"))


# --- lines back to text --------------------------------------------------------------------------


def render(lines: Sequence[Line]) -> str:
    """Lines → text: "- " bullets (indented when nested), blank line between paragraphs."""
    out: list[str] = []
    stack: list[int] = []
    for line in lines:
        if line.kind == "blank":
            if out and out[-1]:
                out.append("")
            continue
        if line.kind == "bullet":
            level = _level(stack, line.indent)
            marker = "- " if line.marker in "*+-" else line.marker + " "
            out.append("  " * level + marker + plain_text(line.text))
            continue
        if "|" in line.raw and "-" in line.raw and set(line.raw) <= _TABLE_RULE_CHARS:
            continue  # a table's |---|---| rule
        text = plain_text(line.raw)
        stack.clear()
        if out and out[-1] and not text.startswith("|") and not out[-1].lstrip().startswith("|"):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return "\n".join(out).strip()


def _level(stack: list[int], indent: int) -> int:
    """The nesting level of a bullet at ``indent``, given the open bullets' indents."""
    while stack and stack[-1] >= indent:
        stack.pop()
    stack.append(indent)
    return len(stack) - 1
