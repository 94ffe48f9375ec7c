"""Blocks: the body split into labelled sections, each with its ingredient on combination pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from faqbot.importer.labels import (
    BlockKind,
    clean_label,
    faq_group_of,
    ingredient_name,
    label_kind,
    names_ingredient,
    norm_label,
)
from faqbot.importer.lines import LEAD_BOLD, Line, read_line

__all__ = ["Block", "split_blocks"]

_OPENS_INGREDIENT = ("generic", "usage")
_NOT_INGREDIENT = re.compile(
    r"\b(?:information|details|ingredients|components|individual|summary|overview)\b", re.I
)


@dataclass(slots=True)
class Block:
    """Consecutive lines under one label; ``indent`` is set for a bullet label's block."""

    kind: BlockKind
    title: str
    ingredient: str | None = None
    group: str | None = None  # "Mefenamic Acid" of "**Mefenamic Acid FAQs:**"
    indent: int | None = None
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class _Ingredient:
    """The open ingredient: its name, the kinds seen under it, and the first one's shape."""

    enabled: bool = True
    name: str | None = None
    seen: set[str] = field(default_factory=set)
    shape: set[str] | None = None
    count: int = 0

    def open(self, name: str) -> None:
        if self.count == 1 and self.shape is None:
            self.shape = set(self.seen)
        self.name, self.seen, self.count = name, set(), self.count + 1

    def enter(self, kind: BlockKind) -> str | None:
        """The ingredient a new section of ``kind`` belongs to (closing it when it ends)."""
        if self.name is None:
            return None
        ends_shape = self.shape is not None and kind not in self.shape
        if kind == "disclaimer" or kind in self.seen or ends_shape:
            self.name = None
            return None
        self.seen.add(kind)
        return self.name


def split_blocks(
    body: Sequence[Line], ingredients: Sequence[str], *, per_ingredient: bool
) -> tuple[list[Block], int]:
    """Split the body into labelled blocks (each line lands in exactly one); also return how
    many ingredient headers opened a block."""
    intro = Block("intro", "")
    blocks = [intro]
    outer = current = intro
    ingredient = _Ingredient(enabled=per_ingredient)
    previous: Line | None = None
    for i, line in enumerate(body):
        if current.indent is not None and not _continues(line, current.indent, previous):
            current = outer
        previous = line
        if line.kind == "label":
            block = _label_block(line, body, i, current, ingredient, ingredients)
            if block is None:
                current.lines.append(line)
                continue
            blocks.append(block)
            outer = current = block
        elif (
            line.kind == "bullet"
            and per_ingredient
            and _bullet_opens_ingredient(line, body, i, current)
        ):
            name = ingredient_name(line.label)
            ingredient.open(name)
            current = Block("ingredient", name, name, indent=line.indent)
            blocks.append(current)
        elif line.kind == "bullet" and _starts_bullet_block(line, current):
            kind = label_kind(line.label) or "other"
            block = Block(kind, clean_label(line.label), ingredient.enter(kind))
            block.indent = line.indent
            block.group = faq_group_of(line.label) if kind == "faqs" else None
            lead = LEAD_BOLD.match(line.text)
            rest = lead["rest"].lstrip(": ") if lead else ""
            if rest:
                block.lines.append(read_line(" " * (line.indent + 4) + rest))
            blocks.append(block)
            current = block
        else:
            current.lines.append(line)
    return blocks, ingredient.count


def _continues(line: Line, indent: int, previous: Line | None) -> bool:
    """Blank lines, deeper lines and lazy continuation lines stay in a bullet label's block."""
    if line.kind == "blank" or line.indent > indent:
        return True
    return line.kind == "text" and previous is not None and previous.kind != "blank"


def _starts_bullet_block(line: Line, current: Block) -> bool:
    """``* **Usage:** ...`` opens a section, except inside FAQs or a column-0 side-effects block."""
    kind = label_kind(line.label) if line.label else None
    if kind is None or kind == "other":
        return False
    if current.indent is not None:
        return current.kind != "faqs" or line.indent <= current.indent
    return current.kind not in ("faqs", "side_effects")


def _bullet_opens_ingredient(line: Line, body: Sequence[Line], i: int, current: Block) -> bool:
    """``* **Aluminium Hydroxide:**`` with ``* **Generic Name:**`` (or Usage...) nested under it."""
    if not line.label or label_kind(line.label) is not None or not _is_ingredient_label(line.label):
        return False
    if current.indent is None and current.kind in ("side_effects", "faqs"):
        return False
    lead = LEAD_BOLD.match(line.text)
    return not (lead and lead["rest"].strip(" :")) and _opens_ingredient(body, i, paragraphs=0)


def _label_block(
    line: Line,
    body: Sequence[Line],
    i: int,
    current: Block,
    ingredient: _Ingredient,
    ingredients: Sequence[str],
) -> Block | None:
    """The block a column-0 label opens, or None when the label belongs to ``current``."""
    kind = label_kind(line.label)
    if kind is not None:
        block = Block(kind, clean_label(line.label), ingredient.enter(kind))
        block.group = faq_group_of(line.label) if kind == "faqs" else None
    elif (
        not line.text
        and ingredient.enabled
        and _is_ingredient_label(line.label)
        and _opens_ingredient(body, i, paragraphs=1)
    ):
        name = ingredient_name(line.label)
        ingredient.open(name)
        block = Block("ingredient", name, name)
    elif _is_sub_label(line, current, ingredients):
        return None
    else:
        block = Block("other", clean_label(line.label), ingredient.enter("other"))
    if line.text:
        block.lines.append(read_line(line.text))
    return block


def _is_sub_label(line: Line, current: Block, ingredients: Sequence[str]) -> bool:
    """Bold lines inside Side Effects and FAQs (groups), or naming an ingredient in Usage."""
    if current.kind in ("side_effects", "faqs"):
        return True
    return current.kind in ("usage", "how") and names_ingredient(line.label, ingredients)


def _is_ingredient_label(label: str) -> bool:
    """``"Paracetamol (Acetaminophen):"``, not ``"Individual Ingredient Information:"``."""
    norm = norm_label(label)
    return (
        0 < len(norm.split()) <= 8
        and not label.lstrip("* ").startswith("(")
        and not (_NOT_INGREDIENT.search(norm))
    )


def _opens_ingredient(body: Sequence[Line], i: int, *, paragraphs: int) -> bool:
    """A bold line followed (past at most ``paragraphs`` paragraphs) by Generic Name or Usage."""
    seen = 0
    in_paragraph = False
    for line in body[i + 1 :]:
        if line.kind == "blank":
            in_paragraph = False
            continue
        if line.label and (line.kind == "label" or line.kind == "bullet"):
            return label_kind(line.label) in _OPENS_INGREDIENT
        if line.kind != "text":
            return False
        if not in_paragraph:
            seen += 1
            in_paragraph = True
            if seen > paragraphs:
                return False
    return False
