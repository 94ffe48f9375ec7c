"""Side effects: a Side Effects block read into items with their groups and urgency, and prose."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from faqbot.importer.blocks import Block
from faqbot.importer.lines import LEAD_BOLD, Line, render
from faqbot.importer.parts import Parts
from faqbot.importer.text import SENTENCE_END, plain_text
from faqbot.models import SideEffect

__all__ = ["read_side_effects"]

_MAX_DEPTH = 6  # deeper bullets become siblings (the pages nest two levels at most)

_PLAIN_NAME = re.compile(r"^(?P<name>[^:.?!]{1,60}?)(?::|\s[–—-])\s+(?P<rest>\S.*)$")
_PRONOUN_LEAD = re.compile(r"^(?:these|they|this|those|such|some of these)\b", re.I)
_KIND_OF_SIDE_EFFECTS = re.compile(
    r"side effects?\b.*\b(?:serious|severe|common|rare|mild)|"
    r"\b(?:serious|severe|common|rare|mild)\b.*side effects?",
    re.I,
)

# Small, documented heuristics. Urgent: "serious"/"severe" among a group's or name's first
# five words ("Rare but serious side effects"), or the text asks for emergency help.
_URGENT_LABEL = re.compile(r"^(?:[\w,]+\s+){0,4}?(?:serious|severe)\b", re.I)
_URGENT_TEXT = re.compile(
    r"\b(?:(?:seek|get|requires?|need)\s+(?:immediate|emergency|urgent)"
    r"|immediate medical|emergency (?:medical|room|services|care|help)"
    r"|call 911|life[- ]threatening|stop taking \w+(?: \w+)? and (?:seek|call|contact|see))",
    re.I,
)


@dataclass(slots=True)
class _Node:
    """A bullet, the text lines continuing it, and the bullets nested under it."""

    line: Line
    extra: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


@dataclass(slots=True)
class _Unit:
    """A paragraph, a column-0 label line, or a list: the side-effect parser's steps."""

    kind: Literal["para", "label", "list"]
    lines: list[Line] = field(default_factory=list)
    nodes: list[_Node] = field(default_factory=list)


def _units(lines: Sequence[Line]) -> list[_Unit]:
    """Group lines into paragraphs, column-0 label lines and lists (bullet trees)."""
    units: list[_Unit] = []
    stack: list[tuple[int, _Node]] = []
    after_blank = False
    for line in lines:
        if line.kind == "blank":
            after_blank = True
            continue
        last = units[-1] if units else None
        if line.kind == "bullet":
            if last is None or last.kind != "list":
                last = _Unit("list")
                units.append(last)
                stack = []
            node = _Node(line)
            while stack and (stack[-1][0] >= line.indent or len(stack) >= _MAX_DEPTH):
                stack.pop()
            (stack[-1][1].children if stack else last.nodes).append(node)
            stack.append((line.indent, node))
        elif line.kind == "text" and last is not None and last.kind == "list" and stack:
            if line.indent > 0 or not after_blank:
                stack[-1][1].extra.append(plain_text(line.raw))
            else:
                units.append(_Unit("para", [line]))
        elif line.kind == "text" and last is not None and last.kind == "para" and not after_blank:
            last.lines.append(line)
        else:
            units.append(_Unit("label" if line.kind == "label" else "para", [line]))
        after_blank = False
    return units


def read_side_effects(block: Block, parts: Parts) -> None:
    """Items from lists; prose before the first item → intro, after it → "Side effects (more)"."""
    who = block.ingredient
    units = _units(block.lines)
    group: str | None = None
    seen_item = False

    def prose(text: str) -> None:
        if text:
            text = f"{who}: {text}" if who else text
            (parts.se_more if seen_item else parts.se_intro).append(text)

    for i, unit in enumerate(units):
        # A sentence or bold line ending in ":" names the list after it, unless that list
        # only holds labelled groups of its own (then the sentence stays prose).
        nxt = units[i + 1] if i + 1 < len(units) else None
        before_list = nxt is not None and nxt.kind == "list" and not all(map(_is_group, nxt.nodes))
        if unit.kind == "para":
            text = render(unit.lines)
            if before_list and text.endswith(":"):
                head, group = _group_sentence(text)
                prose(head)
            else:
                prose(text)
                group = None
        elif unit.kind == "label":
            line = unit.lines[0]
            label = plain_text(line.label).strip(" :")
            if before_list and (not line.text or line.text.endswith(":")):
                group = f"{label}: {plain_text(line.text).rstrip(': ')}" if line.text else label
            else:
                prose(render(unit.lines))
                group = None
        else:
            for node in unit.nodes:
                for item in _items(node, group, [], who):
                    parts.side_effects.append(item)
                    seen_item = True


def _items(
    node: _Node, para_group: str | None, labels: list[str], ingredient: str | None
) -> list[SideEffect]:
    """One bullet → side effects; a bullet that only labels its nested items is their group.

    The group is the ingredient, then the labelling bullets, or else the paragraph's group.
    """
    name, text = _split_item(node.line.text)
    extra = " ".join(node.extra)
    if _is_group(node):
        label = f"{name}: {text.rstrip(': ')}" if text else name.rstrip(": ")
        sub = [*labels, label]
        return [it for child in node.children for it in _items(child, para_group, sub, ingredient)]
    lines = [" ".join(t for t in (text, extra) if t)]
    lines += [_render_node(child, 0) for child in node.children]
    full = "\n".join(t for t in lines if t)
    path = labels or ([para_group] if para_group else [])
    group = ": ".join([ingredient, *path] if ingredient else path) or None
    if not name:
        name, full = full, ""
    label = path[-1] if path else ""
    urgent = any(_URGENT_LABEL.match(t) for t in (label, name)) or any(
        _URGENT_TEXT.search(t) for t in (label, name, full)
    )
    return [SideEffect(name, full, group, urgent)] if name else []


def _is_group(node: _Node) -> bool:
    """A bullet with nested items and no text of its own (or text ending in ":")."""
    _, text = _split_item(node.line.text)
    return bool(node.children) and (not text or text.endswith(":")) and not node.extra


def _render_node(node: _Node, level: int) -> str:
    text = " ".join([plain_text(node.line.text), *node.extra])
    lines = ["  " * level + "- " + text]
    lines += [_render_node(child, level + 1) for child in node.children]
    return "\n".join(lines)


def _split_item(text: str) -> tuple[str, str]:
    """``"**Nausea:** text"`` → ("Nausea", "text"); ``"Headaches"`` → ("Headaches", "")."""
    m = LEAD_BOLD.match(text)
    if m:
        name = plain_text(m["bold"]).rstrip(" :")
        rest = plain_text(m["rest"]).lstrip(":–—- ").strip()
        return _strip_period(name), rest
    plain = plain_text(text)
    m = _PLAIN_NAME.match(plain)
    if m:
        return m["name"].strip(), m["rest"].strip()
    return _strip_period(plain), ""


def _strip_period(name: str) -> str:
    """``"Liver damage."`` → ``"Liver damage"``, unless the name holds more than one sentence."""
    if name.endswith(".") and not SENTENCE_END.search(name[:-1]):
        return name[:-1].rstrip()
    return name


def _split_last_sentence(text: str) -> tuple[str, str]:
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    if not ends:
        return "", text
    return text[: ends[-1]].strip(), text[ends[-1] :].strip()


def _group_sentence(text: str) -> tuple[str, str | None]:
    """``"Like X, it has side effects. The most common include:"`` → (first, "The most common
    include"). "These can include:" keeps the sentence before it when that one names the kind
    of side effects ("Serious side effects are rare. These can include")."""
    head, group = _split_last_sentence(text)
    if _PRONOUN_LEAD.match(group) and head:
        before, previous = _split_last_sentence(head)
        if _KIND_OF_SIDE_EFFECTS.search(previous):
            head, group = before, f"{previous} {group}"
    return head, group.rstrip(": ") or None
