"""The page body: its title, and the footer, title lines and cut-off end taken off it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from faqbot.errors import ImportPageError
from faqbot.importer.labels import BlockKind, label_kind, norm_label
from faqbot.importer.lines import BOLD_LABEL, LEAD_BOLD, Line, read_line
from faqbot.importer.parts import Parts
from faqbot.importer.text import SENTENCE_END, plain_text, words
from faqbot.models import Dropped

__all__ = ["cut_truncated_tail", "front_matter", "skip_title_lines", "take_footer"]

_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_COMPLETE = re.compile(r"[.!?:;)\]\"'”’|]$")


# --- front matter, footer, title lines -----------------------------------------------------------


def front_matter(lines: Sequence[str], page: str) -> tuple[str, int]:
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
    return re.sub(r"(?:\s+\.|[\s-])+$", "", plain_text(title)).strip()


def take_footer(body: list[Line], parts: Parts) -> list[Line]:
    """The appended footer is the last line, ``**Note:** ...``: it becomes ``note``."""
    last = _last_content(body)
    if last is not None:
        line = body[last]
        if line.kind == "label" and not line.heading and norm_label(line.label) == "note":
            parts.note = plain_text(line.text) or None
            return body[:last]
    return body


def skip_title_lines(body: list[Line], title: str, parts: Parts) -> list[Line]:
    """Skip ``# title`` and extra title headings before the first section; keep odd words."""
    out: list[Line] = []
    seen_label = False
    title_words = set(words(title)) | {"generic", "combination"}
    for line in body:
        is_title = line.kind == "label" and line.heading and not seen_label and not line.text
        if is_title and label_kind(line.label) is None:
            if any(w not in title_words for w in words(line.label)):
                reason = "title heading: its words differ from the page title"
                parts.dropped.append(Dropped(reason, line.label))
            continue
        if line.kind == "label":
            seen_label = True
        out.append(line)
    return out


def _last_content(body: Sequence[Line]) -> int | None:
    return next((i for i in range(len(body) - 1, -1, -1) if body[i].kind != "blank"), None)


# --- truncation ----------------------------------------------------------------------------------


def cut_truncated_tail(body: list[Line], parts: Parts) -> list[Line]:
    """If the body stops mid-sentence, move the unfinished sentence to ``dropped``."""
    last = _last_content(body)
    if last is None:
        return body
    line = body[last]
    if _COMPLETE.search(plain_text(line.raw).rstrip("*")):
        return body
    content_start = _content_start(line)
    ends = [m.end() for m in SENTENCE_END.finditer(line.raw) if m.end() > content_start]
    cut = ends[-1] if ends else content_start
    fragment = plain_text(line.raw[cut:])
    kept = line.raw[:cut].rstrip()
    in_faqs = _enclosing_kind(body[:last]) == "faqs"
    if in_faqs and not ends and line.kind == "bullet":
        reason = "truncated: the page ends before this FAQ's answer"
    else:
        reason = "truncated: the page ends mid-sentence"
    if fragment:
        parts.dropped.append(Dropped(reason, fragment))
    replaced = [read_line(" " * line.indent + kept)] if plain_text(kept).strip("*-+ ") else []
    return body[:last] + replaced


def _content_start(line: Line) -> int:
    """Where the words of a line begin, after its bullet marker and leading bold label."""
    offset = len(line.raw) - len(line.text) if line.kind == "bullet" else 0
    text = line.raw[offset:]
    m = BOLD_LABEL.match(text) if line.kind != "bullet" else LEAD_BOLD.match(text)
    if line.kind == "label" and line.heading:
        return len(line.raw)
    if m:
        return offset + m.start("rest")
    return offset


def _enclosing_kind(lines: Sequence[Line]) -> BlockKind | None:
    for line in reversed(lines):
        if line.kind in ("label", "bullet") and line.label:
            kind = label_kind(line.label)
            if kind is not None and kind != "other":
                return kind
    return None
