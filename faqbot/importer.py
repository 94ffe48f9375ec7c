"""Turn one medication page (markdown text) into a `Medication`; pure, no file I/O.

The pages come from one language-model prompt (Generic Name, Usage, Side Effects, How it Works,
FAQs, Disclaimer) plus a script-appended front matter and last ``**Note:**`` line. Shapes handled:

- Title: front matter ``title:`` (a trailing `` .`` or ``-`` stripped), else the ``# title`` line.
  The ``# title`` line and an extra ``## title`` line are skipped (the latter kept in ``dropped`` if
  its words differ). Aliases: slash alternatives spelled out ("A/B + C" → "A + C", "B + C"), and a
  short generic name that differs from the title. ``source`` is the page name and the text's sha256.
- Labels: bold at column 0 (``**Usage:**``, ``**Usage**:``; text inline or on the next lines),
  parenthetical variants (``**FAQs (Separate for each drug):**``), headings (``## Usage``), bullets
  (``* **Usage:**``) and unbolded ``Generic Name:``. Other labels (``**Note:**``, ``**Dosage:**``,
  anything unknown) become ``sections``; only the page's last ``**Note:**`` line is ``note``.
- Generic Name: the value if it reads as a name ("X (Note: ...)" gives "X"); lists and prose
  ("There is no single generic name...") become the section "Generic name".
- Combinations: a bold line or bullet followed by Generic Name/Usage (``**Mefenamic Acid:**``)
  opens an ingredient when the page has two or more. Its Usage/How it Works become sections
  "Usage (Mefenamic Acid)", its side effects and FAQs get it as group, and its side-effect prose
  goes to ``side_effects_intro`` as "Mefenamic Acid: ...". The first ingredient's sections fix the
  shape: another kind, a repeated kind or the Disclaimer closes the ingredient (a shared FAQs block
  after the last ingredient stays shared).
- Side effects: ``* **Name:** text``, ``* **Name** text``, ``* Name: text``, ``* Name – text``,
  ``* Name``. Groups: a labelled bullet with nested items, a bold line before a list, or a sentence
  ending in ":" before a list ("These can include:" takes the sentence before it along when that
  one says which side effects, e.g. "Serious side effects are rare."). Prose before the first
  item is ``side_effects_intro``; prose after it is the section "Side effects (more)"; no bullets
  means prose only, no items. ``urgent``: "serious"/"severe" among the first five words of the
  group or name, or the text asks for emergency help (immediate/emergency medical, call 911,
  life-threatening, stop taking ... and seek).
- FAQs: ``* **Q: question?** A: answer``, ``* **question?** answer``, ``* **Q:** q? **A:** a``,
  ``* Q: q? A: a``, a bold question at column 0; the answer inline, on a nested ``*A:`` or
  ``* **A:**`` line, or in the next paragraph. ``**X FAQs:**`` and bold lines in the block set the
  group. Unanswered questions ("questions to ask your doctor") and prose stay in the section
  "FAQs"; an unlabelled closing paragraph saying "medical advice" is the ``disclaimer``.
- Truncated pages: the unfinished last sentence is dropped (reason "truncated: ..."), and so is a
  question whose answer the page never reached.
- Duplicates (same slug in one list): an identical repeat is dropped as a duplicate; a different
  one keeps its words plus its group, else a counter, in parentheses. Section titles likewise.
- Text keeps the page's words: ``**``/``*`` emphasis and ``<sub>``-like tags are removed, bullets
  become "- " lines ("  - " nested), numbered items keep their numbers, table rows stay as lines
  (their ``|---|`` rules go), paragraphs are separated by a blank line, spaces are collapsed.

Nothing is lost: every line lands in a field, or in ``dropped`` with a reason (a label with no
text under it, truncation, duplicates). A page with no Generic Name, Usage, Side Effects, How it
Works or FAQs (a refusal, or free prose) raises `ImportPageError`, as does a page without a title.
Nothing else is raised.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from faqbot.errors import ImportPageError
from faqbot.models import Dropped, Faq, Medication, Section, SideEffect, Source
from faqbot.slug import slugify

__all__ = ["import_page"]

LineKind = Literal["blank", "label", "bullet", "text"]
BlockKind = Literal[
    "intro", "ingredient", "generic", "usage", "side_effects", "how", "faqs", "disclaimer", "other"
]

_CONTENT_KINDS = ("generic", "usage", "side_effects", "how", "faqs")
_OPENS_INGREDIENT = ("generic", "usage")
_MAX_ALIASES = 8
_MAX_DEPTH = 6  # deeper bullets become siblings (the pages nest two levels at most)

_LABEL_KINDS: dict[str, BlockKind] = {
    "generic name": "generic",
    "generic names": "generic",
    "usage": "usage",
    "uses": "usage",
    "indications": "usage",
    "side effects": "side_effects",
    "possible side effects": "side_effects",
    "potential side effects": "side_effects",
    "adverse effects": "side_effects",
    "how it works": "how",
    "how they work": "how",
    "mechanism of action": "how",
    "faqs": "faqs",
    "faq": "faqs",
    "frequently asked questions": "faqs",
    "disclaimer": "disclaimer",
    "important disclaimer": "disclaimer",
}
_OTHER_LABELS = frozenset(
    {
        "note",
        "important note",
        "dosage",
        "dosage and administration",
        "precautions",
        "warnings",
        "warnings and precautions",
        "interactions",
        "drug interactions",
        "contraindications",
        "storage",
        "overdose",
    }
)

# Lines and labels. `(?:[^*]|\*(?!\*))` is "anything but a `**`", so labels may hold *italics*.
_NOT_BOLD_END = r"(?:[^*]|\*(?!\*))"
_BOLD_LABEL = re.compile(rf"^\*\*(?P<label>{_NOT_BOLD_END}+?)(?::\s*\*\*|\*\*\s*:)(?P<rest>.*)$")
_BOLD_LINE = re.compile(rf"^\*\*(?P<label>{_NOT_BOLD_END}+?)\*\*\s*$")
_LEAD_BOLD = re.compile(rf"^\*\*(?P<bold>{_NOT_BOLD_END}+?)\*\*\s*(?P<rest>.*)$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<label>.*)$")
_BULLET = re.compile(r"^(?P<marker>[*+-]|\d{1,3}[.)])\s+(?P<text>.*)$")
_BARE_STAR = re.compile(r"^\*(?P<text>[AQ]\s*:.*)$")  # "*A: answer", a bullet without its space
_PLAIN_LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(?P<rest>.*)$")
_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_TABLE_RULE_CHARS = frozenset("|:- \t")

# Text clean-up.
_TAGS = re.compile(r"</?(?:sub|sup|b|i|em|strong|u|small|span)\b[^>]*>|<br\s*/?>", re.I)
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0]+")
_PAREN = re.compile(r"\([^()]*\)")
_NUMBERING = re.compile(r"^\d{1,2}[.)]\s+")

# Sentences, questions, answers.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]*]*(?=\s)")
_COMPLETE = re.compile(r"[.!?:;)\]\"'”’|]$")
_Q_PREFIX = re.compile(r"^(?:Q|Question)\s*\d*\s*[:.]\s*", re.I)
_A_PREFIX = re.compile(r"^(?:\*\*)?\s*(?:A|Answer)\s*:\s*(?:\*\*)?\s*", re.I)
_A_SPLIT = re.compile(r"(?:\*\*)?\b(?:A|Answer)\s*:(?:\s*\*\*)?")
_PLAIN_QUESTION = re.compile(r"^(?P<q>[^?]{3,250}\?)(?:\s+(?P<a>.*))?$")
_PLAIN_NAME = re.compile(r"^(?P<name>[^:.?!]{1,60}?)(?::|\s[–—-])\s+(?P<rest>\S.*)$")
_NOT_INGREDIENT = re.compile(
    r"\b(?:information|details|ingredients|components|individual|summary|overview)\b", re.I
)
_PRONOUN_LEAD = re.compile(r"^(?:these|they|this|those|such|some of these)\b", re.I)
_KIND_OF_SIDE_EFFECTS = re.compile(
    r"side effects?\b.*\b(?:serious|severe|common|rare|mild)|"
    r"\b(?:serious|severe|common|rare|mild)\b.*side effects?",
    re.I,
)
_NOT_A_NAME = re.compile(r"[.;!?:]\s|[.;!?:]$|\n|^[-(]")
_TRAILING_PAREN = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*$")
_FAQ_GROUP_SUFFIX = re.compile(r"\s*(?:FAQs?|Frequently Asked Questions|Questions)\s*$", re.I)

# Small, documented heuristics. Urgent: "serious"/"severe" among a group's or name's first
# five words ("Rare but serious side effects"), or the text asks for emergency help.
_URGENT_LABEL = re.compile(r"^(?:[\w,]+\s+){0,4}?(?:serious|severe)\b", re.I)
_URGENT_TEXT = re.compile(
    r"\b(?:(?:seek|get|requires?|need)\s+(?:immediate|emergency|urgent)"
    r"|immediate medical|emergency (?:medical|room|services|care|help)"
    r"|call 911|life[- ]threatening|stop taking \w+(?: \w+)? and (?:seek|call|contact|see))",
    re.I,
)
_DISCLAIMER_LIKE = re.compile(
    r"\bmedical advice\b|\bfor (?:general|educational|informational) (?:knowledge|purposes)", re.I
)
_NO_SUCH = re.compile(
    r"\bthere(?: is|'s) no\b[^.]{0,80}?\b(?:medication|drug|medicine|product|combination"
    r"|formulation|compound|bacterium|such thing)"
    r"|\bnot (?:a |an )?(?:currently )?(?:recogni[sz]ed|known|real|standard|established|marketed"
    r"|approved)\b[^.]{0,40}?\b(?:medication|drug|medicine|pharmaceutical|combination|name)"
    r"|\b(?:does not|doesn't) (?:appear to )?exist|\b(?:cannot|can't|could not|couldn't) find",
    re.I,
)
_DECLINES = re.compile(
    r"\b(?:I|we) (?:cannot|can't|can ?not|am unable to|'m unable to|am not able to) "
    r"(?:provide|give|offer|create|generate|supply)|\bimpossible to provide",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Line:
    """One body line: ``label`` lines are bold (or heading) labels at column 0."""

    kind: LineKind
    indent: int = 0
    label: str = ""  # a label line's label; a bullet's leading bold text
    text: str = ""  # a label line's inline text; a bullet's text after its marker
    raw: str = ""  # the line without its indentation
    marker: str = ""  # a bullet's marker: "*", "-", "1."...
    heading: bool = False


@dataclass(slots=True)
class _Block:
    """Consecutive lines under one label; ``indent`` is set for a bullet label's block."""

    kind: BlockKind
    title: str
    ingredient: str | None = None
    group: str | None = None  # "Mefenamic Acid" of "**Mefenamic Acid FAQs:**"
    indent: int | None = None
    lines: list[_Line] = field(default_factory=list)


@dataclass(slots=True)
class _Node:
    """A bullet, the text lines continuing it, and the bullets nested under it."""

    line: _Line
    extra: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


@dataclass(slots=True)
class _Unit:
    """A paragraph, a column-0 label line, or a list: the side-effect parser's steps."""

    kind: Literal["para", "label", "list"]
    lines: list[_Line] = field(default_factory=list)
    nodes: list[_Node] = field(default_factory=list)


@dataclass(slots=True)
class _Parts:
    """Everything collected so far; `_medication` turns it into the frozen `Medication`."""

    title: str
    generic_name: str | None = None
    intro: list[str] = field(default_factory=list)
    usage: str | None = None
    how: str | None = None
    se_intro: list[str] = field(default_factory=list)
    se_more: list[str] = field(default_factory=list)
    side_effects: list[SideEffect] = field(default_factory=list)
    faqs: list[Faq] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    disclaimer: list[str] = field(default_factory=list)
    note: str | None = None
    dropped: list[Dropped] = field(default_factory=list)


def import_page(text: str, page: str) -> Medication:
    """Parse one page; raise `ImportPageError` if it has no title or no recognised sections."""
    lines = text.splitlines()
    title, body_start = _front_matter(lines, page)
    parts = _Parts(title=title)
    body = _tokenize(lines, body_start)
    body = _take_footer(body, parts)
    body = _skip_title_lines(body, title, parts)
    body = _cut_truncated_tail(body, parts)
    ingredients = _ingredient_names(title)
    blocks, opened = _blocks(body, ingredients, per_ingredient=True)
    if opened == 1:  # one "ingredient" is not a repeated block: read its sections as the page's
        blocks, _ = _blocks(body, ingredients, per_ingredient=False)
    if not any(b.kind in _CONTENT_KINDS for b in blocks):
        raise ImportPageError(page, _refusal_reason(blocks, parts.dropped))
    last = max((i for i, b in enumerate(blocks) if _has_content(b.lines)), default=-1)
    for i, block in enumerate(blocks):
        _assemble(block, parts, at_page_end=i == last)
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _medication(parts, Source(page, sha256))


# --- front matter, footer, title lines -----------------------------------------------------------


def _front_matter(lines: Sequence[str], page: str) -> tuple[str, int]:
    """The page title and the index of the first body line."""
    title = ""
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            start = end + 1
            for line in lines[1:end]:
                m = _FRONT_KEY.match(line.strip())
                if m and m["key"] == "title":
                    title = _clean_title(m["value"].strip().strip("\"'"))
    if not title:
        heading = next((ln.strip() for ln in lines[start:] if ln.strip()), "")
        if heading.startswith("# "):
            title = _clean_title(heading[2:])
    if not title:
        raise ImportPageError(page, "no title: the page has no front matter 'title:' nor '# title'")
    return title, start


def _clean_title(title: str) -> str:
    """``"Clonazepam ."`` → ``"Clonazepam"``; ``"Omega-"`` → ``"Omega"``."""
    return re.sub(r"(?:\s+\.|[\s-])+$", "", _plain(title)).strip()


def _take_footer(body: list[_Line], parts: _Parts) -> list[_Line]:
    """The appended footer is the last line, ``**Note:** ...``: it becomes ``note``."""
    last = _last_content(body)
    if last is not None:
        line = body[last]
        if line.kind == "label" and not line.heading and _norm(line.label) == "note":
            parts.note = _plain(line.text) or None
            return body[:last]
    return body


def _skip_title_lines(body: list[_Line], title: str, parts: _Parts) -> list[_Line]:
    """Skip ``# title`` and extra title headings before the first section; keep odd words."""
    out: list[_Line] = []
    seen_label = False
    title_words = set(_words(title)) | {"generic", "combination"}
    for line in body:
        is_title = line.kind == "label" and line.heading and not seen_label and not line.text
        if is_title and _label_kind(line.label) is None:
            if any(w not in title_words for w in _words(line.label)):
                reason = "title heading: its words differ from the page title"
                parts.dropped.append(Dropped(reason, line.label))
            continue
        if line.kind == "label":
            seen_label = True
        out.append(line)
    return out


# --- tokenizing ----------------------------------------------------------------------------------


def _tokenize(lines: Sequence[str], start: int) -> list[_Line]:
    return [_line(line) for line in lines[start:]]


def _line(source: str) -> _Line:
    """Classify one line: blank, a column-0 label, a bullet, or text."""
    expanded = source.expandtabs(4).rstrip()
    raw = expanded.lstrip()
    indent = len(expanded) - len(raw)
    if not raw:
        return _Line("blank")
    if indent == 0:
        label = _label_line(raw)
        if label is not None:
            return label
    m = _BULLET.match(raw) or _BARE_STAR.match(raw)
    if m:
        text = m["text"].strip()
        marker = m.groupdict().get("marker") or "*"
        lead = _LEAD_BOLD.match(text)
        bold = lead["bold"].strip() if lead else ""
        return _Line("bullet", indent, bold, text, raw, marker)
    return _Line("text", indent, text=raw, raw=raw)


def _label_line(raw: str) -> _Line | None:
    m = _HEADING.match(raw)
    if m:
        return _Line("label", 0, m["label"].rstrip("# \t").strip(), "", raw, heading=True)
    m = _BOLD_LABEL.match(raw)
    if m:
        return _Line("label", 0, m["label"].strip(), m["rest"].strip(), raw)
    m = _BOLD_LINE.match(raw)
    if m and _is_short_label(m["label"]):
        return _Line("label", 0, m["label"].strip(), "", raw)
    m = _PLAIN_LABEL.match(raw)
    if m and _label_kind(m["label"]) in _CONTENT_KINDS:
        return _Line("label", 0, m["label"].strip(), m["rest"].strip(), raw)
    return None


def _is_short_label(label: str) -> bool:
    """A whole bold line is a label if short and not a sentence or an aside in brackets."""
    text = label.strip()
    return len(text.split()) <= 12 and not text.startswith("(") and not text.endswith((".", "!"))


def _last_content(body: Sequence[_Line]) -> int | None:
    return next((i for i in range(len(body) - 1, -1, -1) if body[i].kind != "blank"), None)


# --- truncation ----------------------------------------------------------------------------------


def _cut_truncated_tail(body: list[_Line], parts: _Parts) -> list[_Line]:
    """If the body stops mid-sentence, move the unfinished sentence to ``dropped``."""
    last = _last_content(body)
    if last is None:
        return body
    line = body[last]
    if _COMPLETE.search(_plain(line.raw).rstrip("*")):
        return body
    content_start = _content_start(line)
    ends = [m.end() for m in _SENTENCE_END.finditer(line.raw) if m.end() > content_start]
    cut = ends[-1] if ends else content_start
    fragment = _plain(line.raw[cut:])
    kept = line.raw[:cut].rstrip()
    in_faqs = _enclosing_kind(body[:last]) == "faqs"
    if in_faqs and not ends and line.kind == "bullet":
        reason = "truncated: the page ends before this FAQ's answer"
    else:
        reason = "truncated: the page ends mid-sentence"
    if fragment:
        parts.dropped.append(Dropped(reason, fragment))
    replaced = [_line(" " * line.indent + kept)] if _plain(kept).strip("*-+ ") else []
    return body[:last] + replaced


def _content_start(line: _Line) -> int:
    """Where the words of a line begin, after its bullet marker and leading bold label."""
    offset = len(line.raw) - len(line.text) if line.kind == "bullet" else 0
    text = line.raw[offset:]
    m = _BOLD_LABEL.match(text) if line.kind != "bullet" else _LEAD_BOLD.match(text)
    if line.kind == "label" and line.heading:
        return len(line.raw)
    if m:
        return offset + m.start("rest")
    return offset


def _enclosing_kind(lines: Sequence[_Line]) -> BlockKind | None:
    for line in reversed(lines):
        if line.kind in ("label", "bullet") and line.label:
            kind = _label_kind(line.label)
            if kind is not None and kind != "other":
                return kind
    return None


# --- blocks --------------------------------------------------------------------------------------


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


def _blocks(
    body: Sequence[_Line], ingredients: Sequence[str], *, per_ingredient: bool
) -> tuple[list[_Block], int]:
    """Split the body into labelled blocks (each line lands in exactly one); also return how
    many ingredient headers opened a block."""
    intro = _Block("intro", "")
    blocks = [intro]
    outer = current = intro
    ingredient = _Ingredient(enabled=per_ingredient)
    previous: _Line | None = None
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
            name = _ingredient_name(line.label)
            ingredient.open(name)
            current = _Block("ingredient", name, name, indent=line.indent)
            blocks.append(current)
        elif line.kind == "bullet" and _starts_bullet_block(line, current):
            kind = _label_kind(line.label) or "other"
            block = _Block(kind, _clean_label(line.label), ingredient.enter(kind))
            block.indent = line.indent
            block.group = _faq_group_of(line.label) if kind == "faqs" else None
            lead = _LEAD_BOLD.match(line.text)
            rest = lead["rest"].lstrip(": ") if lead else ""
            if rest:
                block.lines.append(_line(" " * (line.indent + 4) + rest))
            blocks.append(block)
            current = block
        else:
            current.lines.append(line)
    return blocks, ingredient.count


def _continues(line: _Line, indent: int, previous: _Line | None) -> bool:
    """Blank lines, deeper lines and lazy continuation lines stay in a bullet label's block."""
    if line.kind == "blank" or line.indent > indent:
        return True
    return line.kind == "text" and previous is not None and previous.kind != "blank"


def _starts_bullet_block(line: _Line, current: _Block) -> bool:
    """``* **Usage:** ...`` opens a section, except inside FAQs or a column-0 side-effects block."""
    kind = _label_kind(line.label) if line.label else None
    if kind is None or kind == "other":
        return False
    if current.indent is not None:
        return current.kind != "faqs" or line.indent <= current.indent
    return current.kind not in ("faqs", "side_effects")


def _bullet_opens_ingredient(line: _Line, body: Sequence[_Line], i: int, current: _Block) -> bool:
    """``* **Aluminium Hydroxide:**`` with ``* **Generic Name:**`` (or Usage...) nested under it."""
    if (
        not line.label
        or _label_kind(line.label) is not None
        or not _is_ingredient_label(line.label)
    ):
        return False
    if current.indent is None and current.kind in ("side_effects", "faqs"):
        return False
    lead = _LEAD_BOLD.match(line.text)
    return not (lead and lead["rest"].strip(" :")) and _opens_ingredient(body, i, paragraphs=0)


def _label_block(
    line: _Line,
    body: Sequence[_Line],
    i: int,
    current: _Block,
    ingredient: _Ingredient,
    ingredients: Sequence[str],
) -> _Block | None:
    """The block a column-0 label opens, or None when the label belongs to ``current``."""
    kind = _label_kind(line.label)
    if kind is not None:
        block = _Block(kind, _clean_label(line.label), ingredient.enter(kind))
        block.group = _faq_group_of(line.label) if kind == "faqs" else None
    elif (
        not line.text
        and ingredient.enabled
        and _is_ingredient_label(line.label)
        and _opens_ingredient(body, i, paragraphs=1)
    ):
        name = _ingredient_name(line.label)
        ingredient.open(name)
        block = _Block("ingredient", name, name)
    elif _is_sub_label(line, current, ingredients):
        return None
    else:
        block = _Block("other", _clean_label(line.label), ingredient.enter("other"))
    if line.text:
        block.lines.append(_line(line.text))
    return block


def _is_sub_label(line: _Line, current: _Block, ingredients: Sequence[str]) -> bool:
    """Bold lines inside Side Effects and FAQs (groups), or naming an ingredient in Usage."""
    if current.kind in ("side_effects", "faqs"):
        return True
    return current.kind in ("usage", "how") and _names_ingredient(line.label, ingredients)


def _is_ingredient_label(label: str) -> bool:
    """``"Paracetamol (Acetaminophen):"``, not ``"Individual Ingredient Information:"``."""
    norm = _norm(label)
    return (
        0 < len(norm.split()) <= 8
        and not label.lstrip("* ").startswith("(")
        and not (_NOT_INGREDIENT.search(norm))
    )


def _opens_ingredient(body: Sequence[_Line], i: int, *, paragraphs: int) -> bool:
    """A bold line followed (past at most ``paragraphs`` paragraphs) by Generic Name or Usage."""
    seen = 0
    in_paragraph = False
    for line in body[i + 1 :]:
        if line.kind == "blank":
            in_paragraph = False
            continue
        if line.label and (line.kind == "label" or line.kind == "bullet"):
            return _label_kind(line.label) in _OPENS_INGREDIENT
        if line.kind != "text":
            return False
        if not in_paragraph:
            seen += 1
            in_paragraph = True
            if seen > paragraphs:
                return False
    return False


# --- labels --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _norm(label: str) -> str:
    """``"**FAQs (Separate for each drug):**"`` → ``"faqs"``."""
    text = _PAREN.sub(" ", _plain(label))
    text = _NUMBERING.sub("", text.strip())
    return _SPACES.sub(" ", text).strip(" :").casefold()


@functools.lru_cache(maxsize=4096)
def _label_kind(label: str) -> BlockKind | None:
    norm = _norm(label)
    kind = _LABEL_KINDS.get(norm)
    if kind is not None:
        return kind
    if norm in _OTHER_LABELS:
        return "other"
    if norm.startswith(("faqs ", "faq ", "frequently asked questions ")) or norm.endswith(
        (" faqs", " faq")
    ):
        return "faqs"
    if norm.startswith(("generic name ", "generic names ")):
        return "generic"
    return None


def _clean_label(label: str) -> str:
    return _plain(label).strip(" :") or "Section"


def _faq_group_of(label: str) -> str | None:
    """``"Mefenamic Acid FAQs"`` → ``"Mefenamic Acid"``; plain ``"FAQs (...)"`` → None."""
    text = _PAREN.sub(" ", _plain(label)).strip(" :")
    group = _FAQ_GROUP_SUFFIX.sub("", text).strip(" :")
    return group or None


def _ingredient_name(label: str) -> str:
    """``"1. Poliovirus Type 1 (PV1)"`` → ``"Poliovirus Type 1 (PV1)"``; drops "(Generic Name)"."""
    text = _NUMBERING.sub("", _plain(label).strip(" :"))
    text = re.sub(r"\s*\(generic(?: name)?\)\s*$", "", text, flags=re.I)
    return text.strip(" :") or _plain(label)


def _ingredient_names(title: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s\+\s|/", title) if part.strip()]


def _names_ingredient(label: str, ingredients: Sequence[str]) -> bool:
    norm = _norm(label)
    return any(name.casefold() in norm or norm in name.casefold() for name in ingredients if norm)


# --- text ----------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Strip markup (bold, italics, tags) and collapse spaces; keep every word."""
    if "<" in text:
        text = _TAGS.sub("", text)
    if "*" in text:
        text = text.replace("**", "")
        if "*" in text:
            text = _ITALIC.sub(r"\1", text)
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _has_content(lines: Iterable[_Line]) -> bool:
    return any(line.kind != "blank" for line in lines)


def _render(lines: Sequence[_Line]) -> str:
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
            out.append("  " * level + marker + _plain(line.text))
            continue
        if "|" in line.raw and "-" in line.raw and set(line.raw) <= _TABLE_RULE_CHARS:
            continue  # a table's |---|---| rule
        text = _plain(line.raw)
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


def _split_last_sentence(text: str) -> tuple[str, str]:
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
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


# --- assembling blocks into parts ----------------------------------------------------------------


def _assemble(block: _Block, parts: _Parts, *, at_page_end: bool) -> None:
    who = block.ingredient
    if block.kind == "side_effects":
        _side_effects(block, parts)
    elif block.kind == "faqs":
        _faqs(block, parts, at_page_end=at_page_end)
        return
    text = _render(block.lines)
    if block.kind == "other" and not text:
        parts.dropped.append(Dropped("empty: a label with no text under it", block.title))
    if block.kind == "side_effects" or not text:
        return
    if block.kind == "intro":
        parts.intro.append(text)
    elif block.kind == "generic":
        _generic(text, who, parts)
    elif block.kind in ("usage", "how"):
        name = "Usage" if block.kind == "usage" else "How it works"
        if who is None and block.kind == "usage" and parts.usage is None:
            parts.usage = text
        elif who is None and block.kind == "how" and parts.how is None:
            parts.how = text
        else:
            parts.sections.append(Section(_titled(name, who or _qualifier(block.title)), text))
    elif block.kind == "disclaimer":
        parts.disclaimer.append(text)
    elif block.kind == "ingredient":
        parts.sections.append(Section(block.title, text))
    else:
        parts.sections.append(Section(_titled(block.title, who), text))


def _titled(title: str, ingredient: str | None) -> str:
    return f"{title} ({ingredient})" if ingredient else title


def _qualifier(label: str) -> str | None:
    m = re.search(r"\(([^()]*)\)\s*$", label)
    return m[1].strip() if m else None


def _generic(text: str, ingredient: str | None, parts: _Parts) -> None:
    """A name-like Generic Name value is ``generic_name``; lists and prose are a section.

    ``"X (Note: ... .)"`` gives ``generic_name`` "X" and keeps the whole value as a section. An
    ingredient's generic name that only repeats the ingredient's words is already in its titles.
    """
    if ingredient is None and parts.generic_name is None:
        name = text if _is_name(text) else _TRAILING_PAREN.sub("", text)
        if _is_name(name):
            parts.generic_name = name
            if name != text:
                parts.sections.append(Section("Generic name", text))
            return
    if ingredient is None or not set(_words(text)) <= set(_words(ingredient)):
        parts.sections.append(Section(_titled("Generic name", ingredient), text))


# --- side effects --------------------------------------------------------------------------------


def _units(lines: Sequence[_Line]) -> list[_Unit]:
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
                stack[-1][1].extra.append(_plain(line.raw))
            else:
                units.append(_Unit("para", [line]))
        elif line.kind == "text" and last is not None and last.kind == "para" and not after_blank:
            last.lines.append(line)
        else:
            units.append(_Unit("label" if line.kind == "label" else "para", [line]))
        after_blank = False
    return units


def _side_effects(block: _Block, parts: _Parts) -> None:
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
            text = _render(unit.lines)
            if before_list and text.endswith(":"):
                head, group = _group_sentence(text)
                prose(head)
            else:
                prose(text)
                group = None
        elif unit.kind == "label":
            line = unit.lines[0]
            label = _plain(line.label).strip(" :")
            if before_list and (not line.text or line.text.endswith(":")):
                group = f"{label}: {_plain(line.text).rstrip(': ')}" if line.text else label
            else:
                prose(_render(unit.lines))
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
    text = " ".join([_plain(node.line.text), *node.extra])
    lines = ["  " * level + "- " + text]
    lines += [_render_node(child, level + 1) for child in node.children]
    return "\n".join(lines)


def _split_item(text: str) -> tuple[str, str]:
    """``"**Nausea:** text"`` → ("Nausea", "text"); ``"Headaches"`` → ("Headaches", "")."""
    m = _LEAD_BOLD.match(text)
    if m:
        name = _plain(m["bold"]).rstrip(" :")
        rest = _plain(m["rest"]).lstrip(":–—- ").strip()
        return _strip_period(name), rest
    plain = _plain(text)
    m = _PLAIN_NAME.match(plain)
    if m:
        return m["name"].strip(), m["rest"].strip()
    return _strip_period(plain), ""


def _strip_period(name: str) -> str:
    """``"Liver damage."`` → ``"Liver damage"``, unless the name holds more than one sentence."""
    if name.endswith(".") and not _SENTENCE_END.search(name[:-1]):
        return name[:-1].rstrip()
    return name


# --- FAQs ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Question:
    question: str
    group: str | None
    indent: int
    answer: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text:
            self.answer.append(text)


def _faqs(block: _Block, parts: _Parts, *, at_page_end: bool) -> None:
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
        parts.sections.append(Section(_titled("FAQs", reader.base), "\n\n".join(kept)))


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

    def read(self, line: _Line) -> None:
        if line.kind == "blank":
            self.after_blank = True
            return
        if line.kind == "bullet" and self.current is None and _is_bare_label(line):
            line = _Line("label", 0, line.label, "", line.text)  # a group bullet
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

    def _label(self, line: _Line) -> None:
        question = _question_of_label(line.label)
        if question is not None:
            self._ask(question, -1, _strip_answer(line.text))
        elif line.text:
            self._prose(_plain(line.raw))
        else:
            if self.unused_label:
                self._prose(self.unused_label)
            self.unused_label = _plain(line.raw)
            sub = _faq_group_of(line.label) or _plain(line.label).strip(" :")
            self.group = f"{self.ingredient}: {sub}" if self.ingredient else sub
            self.current = None

    def _other(self, line: _Line) -> None:
        current = self.current
        answer = _answer_of(line)
        if current is not None and answer is not None:
            current.add(answer)
        elif line.kind == "bullet" and current is not None and line.indent > current.indent:
            current.add("- " + _plain(line.text))
        elif line.kind == "bullet" and (qa := _question_of_bullet(line.text)) is not None:
            self._ask(qa[0], line.indent, qa[1])
        elif current is not None and (not current.answer or not self.after_blank or line.indent):
            current.add(_plain(line.raw if line.kind == "text" else "- " + line.text))
        else:
            self._prose(_plain(line.text if line.kind == "bullet" else line.raw))

    def _ask(self, question: str, indent: int, answer: str) -> None:
        self.current = _Question(question, self.group, indent)
        self.current.add(answer)
        self.found.append(self.current)
        self.unused_label = None

    def _prose(self, text: str) -> None:
        self.prose.append((len(self.found), text))
        self.current = None


def _is_bare_label(line: _Line) -> bool:
    """``* **Mefenamic Acid:**`` alone on its line: a label, not a question."""
    lead = _LEAD_BOLD.match(line.text)
    bare = lead is not None and not lead["rest"].strip()
    return bare and _question_of_label(line.label) is None


def _keep_faqs(
    found: Sequence[_Question], parts: _Parts, *, at_page_end: bool
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


def _answer_of(line: _Line) -> str | None:
    """The answer on an ``A:`` line (a bullet or text), or None."""
    text = line.text if line.kind == "bullet" else line.raw if line.kind == "text" else ""
    m = _A_PREFIX.match(text)
    return _plain(text[m.end() :]) if m else None


def _strip_answer(text: str) -> str:
    m = _A_PREFIX.match(text)
    return _plain(text[m.end() :] if m else text).lstrip(": ")


def _question_of_label(label: str) -> str | None:
    text = _plain(label)
    if _Q_PREFIX.match(text) or text.endswith("?"):
        return _Q_PREFIX.sub("", text).strip() or None
    return None


def _question_of_bullet(text: str) -> tuple[str, str] | None:
    """``"**Q: Is it safe?** A: Yes."`` → ("Is it safe?", "Yes."); None if not a question."""
    m = _LEAD_BOLD.match(text)
    if m:
        bold = _plain(m["bold"])
        if bold.rstrip(" :.").casefold() in ("q", "question"):  # "**Q:** question? **A:** ..."
            return _split_qa(m["rest"])
        question = _Q_PREFIX.sub("", bold).strip()
        if not question or not (_Q_PREFIX.match(bold) or "?" in question):
            return None
        return question, _strip_answer(m["rest"])
    plain = _plain(text)
    q = _Q_PREFIX.match(plain)
    if q:
        return _split_qa(plain[q.end() :])
    m = _PLAIN_QUESTION.match(plain)
    return (m["q"].strip(), _strip_answer(m["a"] or "")) if m else None


def _split_qa(text: str) -> tuple[str, str] | None:
    """``"Is it safe? A: Yes."`` → ("Is it safe?", "Yes.")."""
    pieces = [*_A_SPLIT.split(text, maxsplit=1), ""]
    question, answer = _plain(pieces[0]), _plain(pieces[1])
    return (question, answer) if question else None


# --- the result ----------------------------------------------------------------------------------


def _medication(parts: _Parts, source: Source) -> Medication:
    dropped = list(parts.dropped)
    side_effects = _unique_side_effects(parts.side_effects, dropped)
    faqs = _unique_faqs(parts.faqs, dropped)
    sections = list(parts.sections)
    if parts.se_more:
        sections.append(Section("Side effects (more)", "\n\n".join(parts.se_more)))
    return Medication(
        title=parts.title,
        generic_name=parts.generic_name or None,
        aliases=_aliases(parts.title, parts.generic_name),
        intro="\n\n".join(parts.intro) or None,
        usage=Section("Usage", parts.usage) if parts.usage else None,
        how_it_works=Section("How it works", parts.how) if parts.how else None,
        side_effects_intro="\n\n".join(parts.se_intro) or None,
        side_effects=tuple(side_effects),
        faqs=tuple(faqs),
        sections=tuple(_unique_sections(sections)),
        disclaimer="\n\n".join(parts.disclaimer) or None,
        note=parts.note,
        source=source,
        dropped=tuple(dropped),
    )


def _aliases(title: str, generic_name: str | None) -> tuple[str, ...]:
    """Slash alternatives spelled out one by one, and a name-like generic name."""
    found: list[str] = []
    ingredients = [part.strip() for part in re.split(r"\s\+\s", title)]
    if any("/" in part for part in ingredients):
        choices = [[alt.strip() for alt in part.split("/") if alt.strip()] for part in ingredients]
        for combo in itertools.islice(itertools.product(*choices), _MAX_ALIASES):
            found.append(" + ".join(combo))
    if generic_name and _looks_like_name(generic_name):
        found.append(generic_name)
    seen = {title.casefold()}
    unique = []
    for alias in found:
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            unique.append(alias)
    return tuple(unique)


def _is_name(text: str) -> bool:
    """One line, no sentence: ``"Paracetamol (Acetaminophen)"``, not ``"There is no ... :"``."""
    return bool(text) and len(text.split()) <= 16 and not _NOT_A_NAME.search(text)


def _looks_like_name(text: str) -> bool:
    """Short enough to be an alias: at most 8 words, no commas or brackets opening it."""
    return _is_name(text) and len(text.split()) <= 8 and not re.search(r",|^\(", text)


def _unique_side_effects(items: Sequence[SideEffect], dropped: list[Dropped]) -> list[SideEffect]:
    out: list[SideEffect] = []
    by_slug: dict[str, SideEffect] = {}
    for item in items:
        earlier = by_slug.get(slugify(item.name))
        if earlier is not None and (earlier.text, earlier.group) == (item.text, item.group):
            dropped.append(Dropped("duplicate of an earlier side effect", _item_text(item)))
            continue
        if earlier is not None:
            name = _disambiguate(item.name, item.group, by_slug)
            item = SideEffect(name, item.text, item.group, item.urgent)
        by_slug[slugify(item.name)] = item
        out.append(item)
    return out


def _unique_faqs(items: Sequence[Faq], dropped: list[Dropped]) -> list[Faq]:
    out: list[Faq] = []
    by_slug: dict[str, Faq] = {}
    for item in items:
        earlier = by_slug.get(slugify(item.question))
        if earlier is not None and earlier.answer == item.answer:
            dropped.append(Dropped("duplicate of an earlier FAQ", f"{item.question} {item.answer}"))
            continue
        if earlier is not None:
            item = Faq(_disambiguate(item.question, item.group, by_slug), item.answer, item.group)
        by_slug[slugify(item.question)] = item
        out.append(item)
    return out


def _unique_sections(sections: Sequence[Section]) -> list[Section]:
    out: list[Section] = []
    seen: set[str] = set()
    for section in sections:
        title = _disambiguate(section.title, None, seen) if slugify(section.title) in seen else None
        if title is not None:
            section = Section(title, section.text)
        seen.add(slugify(section.title))
        out.append(section)
    return out


def _disambiguate(name: str, group: str | None, taken: Iterable[str]) -> str:
    """``name (group)`` if its slug is free, else ``name (2)``, ``name (3)``...

    Slugs are cut at 60 characters, so a long name that a suffix cannot tell apart gets the
    counter in front instead (``(2) name``), which always does.
    """
    used = set(taken)
    if group and slugify(f"{name} ({group})") not in used:
        return f"{name} ({group})"
    for n in itertools.count(2):
        for candidate in (f"{name} ({n})", f"({n}) {name}"):
            if slugify(candidate) not in used:
                return candidate
    raise AssertionError("unreachable: itertools.count() never ends")  # pragma: no cover


def _item_text(item: SideEffect) -> str:
    return f"{item.name}: {item.text}" if item.text else item.name


def _refusal_reason(blocks: Sequence[_Block], dropped: Sequence[Dropped]) -> str:
    prose = " ".join(_plain(line.raw) for b in blocks for line in b.lines if line.kind != "blank")
    prose = " ".join([prose, *(d.text for d in dropped)])
    if not prose.strip():
        return "empty: the page has no body text (no sections)"
    no_such, declines = _NO_SUCH.search(prose), _DECLINES.search(prose)
    if no_such and (not declines or no_such.start() <= declines.start()):
        return "refused: the page says there is no such medication (no sections)"
    if declines:
        return "refused: the page declines to give the details (no sections)"
    return "free prose: the page has no recognised sections"
