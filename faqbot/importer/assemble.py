"""Assembling: one page through every step, its blocks into parts, the parts into a `Medication`."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence

from faqbot.dictionary import dictionary
from faqbot.errors import ImportPageError
from faqbot.importer.blocks import Block, split_blocks
from faqbot.importer.body import cut_truncated_tail, front_matter, skip_title_lines, take_footer
from faqbot.importer.faqs import read_faqs
from faqbot.importer.labels import CONTENT_KINDS, ingredient_names, titled
from faqbot.importer.lines import Line, render, tokenize
from faqbot.importer.parts import Parts
from faqbot.importer.side_effects import read_side_effects
from faqbot.importer.text import plain_text, words
from faqbot.knowledge.reading import alias_fault
from faqbot.models import Dropped, Faq, Medication, Section, SideEffect, Source
from faqbot.normalize import normalize
from faqbot.slug import slugify

__all__ = ["import_page"]

_MAX_ALIASES = 8

_NOT_A_NAME = re.compile(r"[.;!?:]\s|[.;!?:]$|\n|^[-(]")
_TRAILING_PAREN = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*$")
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


def import_page(text: str, page: str) -> Medication:
    """Parse one page; raise `ImportPageError` if it has no title or no recognised sections."""
    lines = text.removeprefix("\ufeff").splitlines()  # a byte order mark, as some editors write
    title, body_start = front_matter(lines, page)
    parts = Parts(title=title)
    body = tokenize(lines, body_start)
    body = take_footer(body, parts)
    body = skip_title_lines(body, title, parts)
    body = cut_truncated_tail(body, parts)
    ingredients = ingredient_names(title)
    blocks, opened = split_blocks(body, ingredients, per_ingredient=True)
    if opened == 1:  # one "ingredient" is not a repeated block: read its sections as the page's
        blocks, _ = split_blocks(body, ingredients, per_ingredient=False)
    if not any(b.kind in CONTENT_KINDS for b in blocks):
        raise ImportPageError(page, _refusal_reason(blocks, parts.dropped))
    last = max((i for i, b in enumerate(blocks) if _has_content(b.lines)), default=-1)
    for i, block in enumerate(blocks):
        _assemble(block, parts, at_page_end=i == last)
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _medication(parts, Source(page, sha256))


def _has_content(lines: Iterable[Line]) -> bool:
    return any(line.kind != "blank" for line in lines)


# --- assembling blocks into parts ----------------------------------------------------------------


def _assemble(block: Block, parts: Parts, *, at_page_end: bool) -> None:
    who = block.ingredient
    if block.kind == "side_effects":
        read_side_effects(block, parts)
    elif block.kind == "faqs":
        read_faqs(block, parts, at_page_end=at_page_end)
        return
    text = render(block.lines)
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
            parts.sections.append(Section(titled(name, who or _qualifier(block.title)), text))
    elif block.kind == "disclaimer":
        parts.disclaimer.append(text)
    elif block.kind == "ingredient":
        parts.sections.append(Section(block.title, text))
    else:
        parts.sections.append(Section(titled(block.title, who), text))


def _qualifier(label: str) -> str | None:
    m = re.search(r"\(([^()]*)\)\s*$", label)
    return m[1].strip() if m else None


def _generic(text: str, ingredient: str | None, parts: Parts) -> None:
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
    if ingredient is None or not set(words(text)) <= set(words(ingredient)):
        parts.sections.append(Section(titled("Generic name", ingredient), text))


# --- the result ----------------------------------------------------------------------------------


def _medication(parts: Parts, source: Source) -> Medication:
    dropped = list(parts.dropped)
    side_effects = _unique_side_effects(parts.side_effects, dropped)
    faqs = _unique_faqs(parts.faqs, dropped)
    sections = list(parts.sections)
    if parts.se_more:
        sections.append(Section("Side effects (more)", "\n\n".join(parts.se_more)))
    return Medication(
        title=parts.title,
        generic_name=parts.generic_name or None,
        aliases=_aliases(
            parts.title, parts.generic_name, " ".join([*parts.intro, parts.usage or ""])
        ),
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


def _aliases(title: str, generic_name: str | None, text: str) -> tuple[str, ...]:
    """Slash alternatives spelled out one by one, a name-like generic name, then the names
    the drug dictionary gives it (those the page's ``text`` uses first)."""
    found: list[str] = []
    ingredients = [part.strip() for part in re.split(r"\s\+\s", title)]
    if any("/" in part for part in ingredients):
        choices = [[alt.strip() for alt in part.split("/") if alt.strip()] for part in ingredients]
        for combo in itertools.islice(itertools.product(*choices), _MAX_ALIASES):
            found.append(" + ".join(combo))
    if generic_name and _looks_like_name(generic_name):
        found.append(generic_name)
    found += dictionary().aliases(title, text)
    seen = {normalize(title)}
    unique = []
    for alias in found:  # only those `faqbot check` takes
        if alias_fault(alias, title, seen) is None:
            seen.add(normalize(alias))
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


def _refusal_reason(blocks: Sequence[Block], dropped: Sequence[Dropped]) -> str:
    prose = " ".join(
        plain_text(line.raw) for b in blocks for line in b.lines if line.kind != "blank"
    )
    prose = " ".join([prose, *(d.text for d in dropped)])
    if not prose.strip():
        return "empty: the page has no body text (no sections)"
    no_such, declines = _NO_SUCH.search(prose), _DECLINES.search(prose)
    if no_such and (not declines or no_such.start() <= declines.start()):
        return "refused: the page says there is no such medication (no sections)"
    if declines:
        return "refused: the page declines to give the details (no sections)"
    return "free prose: the page has no recognised sections"
