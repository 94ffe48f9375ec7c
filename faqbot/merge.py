"""Importing a page again over a knowledge file that people may have edited.

Two kinds of field. **People's fields** (``phrasings`` of any entry, ``aliases``) never come from
the page body: they are carried over to the new import, entry by entry. **The page's fields**
(every text, title and entry) come from the page; people may edit them too.

To tell an edit of the page's fields from a change of the page, an import stamps the file with
a fingerprint of the page's fields as it wrote them (``source.imported``). When the file still
matches its stamp, nobody edited those fields: the page's new text is taken as it is. When it
does not (or the file has no stamp), the file's text is kept wherever it differs from the
page's, entries the page no longer has are kept, and each is reported; ``--overwrite`` takes
the page's text instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from faqbot.models import Faq, Medication, Section, SideEffect
from faqbot.slug import slugify

__all__ = ["fingerprint", "merge", "stamped"]

_T = TypeVar("_T", Faq, Section, SideEffect)


def fingerprint(med: Medication) -> str:
    """A digest of ``med``'s page fields: the same whatever people's fields hold."""
    bare = _without_peoples_fields(med)._replace(source=None, dropped=())
    return hashlib.sha256(json.dumps(bare, ensure_ascii=False).encode()).hexdigest()


def stamped(med: Medication) -> Medication:
    """``med`` (just imported) with its fingerprint in ``source.imported``."""
    if med.source is None:
        return med
    return med._replace(source=med.source._replace(imported=fingerprint(med)))


def merge(old: Medication, new: Medication) -> tuple[Medication, list[str]]:
    """``new`` (imported from the page, stamped) with the hand edits of ``old`` (the file)
    carried over, and a message for each edit kept where it differs from the page."""
    kept: list[str] = []
    edited = old.source is None or old.source.imported != fingerprint(old)
    if edited:
        new = _keep_edits(old, new, kept)
    merged = new._replace(
        aliases=_union(new.aliases, old.aliases),
        usage=_prose(new.usage, old.usage),
        how_it_works=_prose(new.how_it_works, old.how_it_works),
        side_effects_phrasings=_union(new.side_effects_phrasings, old.side_effects_phrasings),
        side_effects=_carry(new.side_effects, old.side_effects, _effect_key),
        faqs=_carry(new.faqs, old.faqs, _faq_key),
        sections=_carry(new.sections, old.sections, _section_key),
    )
    return merged, kept


def _without_peoples_fields(med: Medication) -> Medication:
    def bare(s: Section | None) -> Section | None:
        return s and s._replace(phrasings=())

    return med._replace(
        aliases=(),
        usage=bare(med.usage),
        how_it_works=bare(med.how_it_works),
        side_effects_phrasings=(),
        side_effects=tuple(e._replace(phrasings=()) for e in med.side_effects),
        faqs=tuple(f._replace(phrasings=()) for f in med.faqs),
        sections=tuple(s._replace(phrasings=()) for s in med.sections),
    )


# People's fields, carried over.


def _union(first: Sequence[str], then: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *then)))


def _prose(new: Section | None, old: Section | None) -> Section | None:
    if new is None or old is None:
        return new
    return new._replace(phrasings=_union(new.phrasings, old.phrasings))


def _carry(new: tuple[_T, ...], old: tuple[_T, ...], key: Callable[[_T], str]) -> tuple[_T, ...]:
    """``new``'s entries, each with the phrasings of the ``old`` entry of the same id."""
    phrasings = {key(e): e.phrasings for e in old}
    return tuple(e._replace(phrasings=_union(e.phrasings, phrasings.get(key(e), ()))) for e in new)


def _effect_key(e: SideEffect) -> str:
    return slugify(e.name)


def _faq_key(f: Faq) -> str:
    return slugify(f.question)


def _section_key(s: Section) -> str:
    return slugify(s.title)


# The page's fields, where the file was edited.


def _keep_edits(old: Medication, new: Medication, kept: list[str]) -> Medication:
    """``new`` with ``old``'s value wherever they differ, each difference noted in ``kept``."""
    why = "the file was edited by hand"

    def field(name: str, label: str) -> Any:
        mine, page = getattr(old, name), getattr(new, name)
        if mine != page and mine is not None:
            kept.append(f"{label}: the file's text, not the page's ({why})")
            return mine
        return page

    changes: dict[str, Any] = {
        name: field(name, label)
        for name, label in (
            ("generic_name", "generic_name"),
            ("intro", "intro"),
            ("side_effects_intro", "side_effects.intro"),
            ("disclaimer", "disclaimer"),
            ("note", "note"),
        )
    }
    for name, label in (("usage", "usage"), ("how_it_works", "how_it_works")):
        mine, page = getattr(old, name), getattr(new, name)
        if mine is not None and (page is None or mine.text != page.text):
            kept.append(f"{label}: the file's text, not the page's ({why})")
            changes[name] = page._replace(text=mine.text) if page else mine
    changes["side_effects"] = _entries(
        old.side_effects, new.side_effects, _effect_key, "side effect", kept
    )
    changes["faqs"] = _entries(old.faqs, new.faqs, _faq_key, "FAQ", kept)
    changes["sections"] = _entries(old.sections, new.sections, _section_key, "section", kept)
    return new._replace(**changes)


def _entries(
    old: tuple[_T, ...],
    new: tuple[_T, ...],
    key: Callable[[_T], str],
    kind: str,
    kept: list[str],
) -> tuple[_T, ...]:
    """``new``'s entries, with ``old``'s version of each that differs, then the entries only
    ``old`` has (added by hand, or gone from the page): none of the file's text is lost."""
    mine = {key(e): e for e in old}
    theirs = {key(e) for e in new}
    result = []
    for entry in new:
        own = mine.get(key(entry))
        if own is not None and own._replace(phrasings=()) != entry._replace(phrasings=()):
            kept.append(f"{kind} {entry[0]!r}: the file's version, not the page's")
            entry = own
        result.append(entry)
    for entry in old:
        if key(entry) not in theirs:
            kept.append(f"{kind} {entry[0]!r}: kept, though the page does not have it")
            result.append(entry)
    return tuple(result)
