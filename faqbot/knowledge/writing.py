"""Writing a Medication as a knowledge file: YAML laid out for people to read and edit."""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml
from yaml.nodes import ScalarNode, SequenceNode
from yaml.representer import SafeRepresenter

from faqbot.knowledge.fields import FORMAT
from faqbot.models import Faq, Medication, Section, SideEffect, Source

__all__ = ["dump_medication"]

_HEADER = (
    "# Edit freely: add `phrasings:` (a list of other ways people ask) to any entry,\n"
    "# then run `faqbot check` to validate. Importing the page again keeps your edits\n"
    "# (`faqbot import --overwrite` does not).\n"
)
_NO_WRAP = 1_000_000  # one line per paragraph; editors wrap long lines for display
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


class _Dumper(yaml.SafeDumper):
    """Writes for people: multi-line text as ``|-`` blocks, lists of short texts on one line."""


# libyaml's emitter writes the same text about eight times faster, but not always the same:
# it escapes characters beyond U+FFFF, and a text that ends in a line break can end the
# document with "...". A medication whose texts have no such characters and no whitespace at
# either end (every page of the corpus) goes through it; any other, and every medication
# where PyYAML has no libyaml, through PyYAML's own emitter. Both are compared in tests.
_FastDumper: type[yaml.CSafeDumper] | None = None
if hasattr(yaml, "CSafeDumper"):

    class _CDumper(yaml.CSafeDumper):
        """_Dumper, on libyaml."""

    _FastDumper = _CDumper
_BEYOND_FFFF = re.compile("[\U00010000-\U0010ffff]")


class _Inline(list[str]):
    """A list of short texts, written on one line: ``[a, b]``."""


def _represent_str(dumper: SafeRepresenter, text: str) -> ScalarNode:
    # Only "\n" survives a block scalar unchanged; other line breaks are written as escapes.
    # PyYAML itself quotes what a block cannot hold (trailing spaces, control characters).
    style = '"' if _OTHER_BREAKS.search(text) else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_inline(dumper: SafeRepresenter, items: _Inline) -> SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Inline, _represent_inline)
if _FastDumper is not None:
    _FastDumper.add_representer(str, _represent_str)
    _FastDumper.add_representer(_Inline, _represent_inline)


def dump_medication(med: Medication) -> str:
    """The knowledge file for ``med``; the same Medication always gives the same text."""
    data = _to_data(med)
    dumper: type[SafeRepresenter] = _Dumper
    if _FastDumper is not None and all(map(_same_in_both, _strings(data))):
        dumper = _FastDumper
    return _title_comment(med) + _HEADER + _dump(data, dumper)


def _dump(data: dict[str, object], dumper: type[SafeRepresenter]) -> str:
    return str(
        yaml.dump(
            data,
            Dumper=dumper,
            sort_keys=False,
            allow_unicode=True,
            width=_NO_WRAP,
            default_flow_style=False,
        )
    )


def _same_in_both(text: str) -> bool:
    """Whether both emitters write ``text`` alike (tested in tests/test_knowledge.py)."""
    return text == text.strip() and not _BEYOND_FFFF.search(text)


def _strings(value: object) -> Iterator[str]:
    """Every string in ``value`` (nested dicts and lists), keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _title_comment(med: Medication) -> str:
    title = _one_line(med.title)
    if med.source is None:
        return f"# Knowledge for {title}.\n"
    return f"# Knowledge for {title}, imported by faqbot from {_one_line(med.source.page)}.\n"


def _one_line(text: str) -> str:
    """``text`` made safe for a comment: no line breaks or other unprintable characters."""
    return "".join(c if c.isprintable() else " " for c in text)


def _to_data(med: Medication) -> dict[str, object]:
    data: dict[str, object] = {"format": FORMAT, "title": med.title}
    _put(data, "generic_name", med.generic_name)
    data["aliases"] = _Inline(med.aliases)
    _put(data, "intro", med.intro)
    _put(data, "usage", med.usage and _prose_data(med.usage))
    _put(data, "how_it_works", med.how_it_works and _prose_data(med.how_it_works))
    if med.side_effects_intro is not None or med.side_effects or med.side_effects_phrasings:
        side_effects: dict[str, object] = {}
        _put(side_effects, "intro", med.side_effects_intro)
        _put(side_effects, "phrasings", _Inline(med.side_effects_phrasings))
        _put(side_effects, "items", [_side_effect_data(s) for s in med.side_effects])
        data["side_effects"] = side_effects
    data["faqs"] = [_faq_data(f) for f in med.faqs]
    data["sections"] = [{"title": s.title, **_prose_data(s)} for s in med.sections]
    _put(data, "disclaimer", med.disclaimer)
    _put(data, "note", med.note)
    _put(data, "source", med.source and _source_data(med.source))
    data["dropped"] = [{"reason": d.reason, "text": d.text} for d in med.dropped]
    return data


def _source_data(source: Source) -> dict[str, object]:
    data: dict[str, object] = {"page": source.page, "sha256": source.sha256}
    _put(data, "imported", source.imported)
    return data


def _put(data: dict[str, object], key: str, value: object) -> None:
    """Set ``key`` unless ``value`` is None or an empty list: optional fields are left out."""
    if value is not None and value != []:
        data[key] = value


def _prose_data(section: Section) -> dict[str, object]:
    data: dict[str, object] = {"text": section.text}
    _put(data, "phrasings", _Inline(section.phrasings))
    return data


def _side_effect_data(effect: SideEffect) -> dict[str, object]:
    data: dict[str, object] = {"name": effect.name}
    _put(data, "text", effect.text or None)
    _put(data, "group", effect.group)
    _put(data, "urgent", effect.urgent or None)
    _put(data, "phrasings", _Inline(effect.phrasings))
    return data


def _faq_data(faq: Faq) -> dict[str, object]:
    data: dict[str, object] = {"question": faq.question, "answer": faq.answer}
    _put(data, "group", faq.group)
    _put(data, "phrasings", _Inline(faq.phrasings))
    return data
