"""Writing a Medication as a knowledge file: YAML laid out for people to read and edit."""

from __future__ import annotations

import re

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from faqbot.knowledge.fields import FORMAT
from faqbot.models import Faq, Medication, Section, SideEffect

__all__ = ["dump_medication"]

_HEADER = (
    "# Edit freely: add `phrasings:` (a list of other ways people ask) to any entry,\n"
    "# then run `faqbot check` to validate.\n"
)
_NO_WRAP = 1_000_000  # one line per paragraph; editors wrap long lines for display
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


class _Dumper(yaml.SafeDumper):
    """Writes for people: multi-line text as ``|-`` blocks, lists of short texts on one line."""


class _Inline(list[str]):
    """A list of short texts, written on one line: ``[a, b]``."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> ScalarNode:
    # Only "\n" survives a block scalar unchanged; other line breaks are written as escapes.
    # PyYAML itself quotes what a block cannot hold (trailing spaces, control characters).
    style = '"' if _OTHER_BREAKS.search(text) else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_inline(dumper: yaml.SafeDumper, items: _Inline) -> SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Inline, _represent_inline)


def dump_medication(med: Medication) -> str:
    """The knowledge file for ``med``; the same Medication always gives the same text."""
    body = yaml.dump(
        _to_data(med),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=_NO_WRAP,
        default_flow_style=False,
    )
    return _title_comment(med) + _HEADER + str(body)


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
    _put(data, "source", med.source and {"page": med.source.page, "sha256": med.source.sha256})
    data["dropped"] = [{"reason": d.reason, "text": d.text} for d in med.dropped]
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
