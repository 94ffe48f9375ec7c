"""Reading one knowledge file strictly, with every problem located as ``file:line``."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faqbot.errors import KnowledgeError, Problem
from faqbot.files import read_limited
from faqbot.knowledge.fields import (
    _DROPPED,
    _FAQ,
    _PROSE,
    _SECTION,
    _SIDE_EFFECT,
    _SIDE_EFFECTS,
    _SOURCE,
    _TOP,
    FORMAT,
    MAX_BYTES,
    MAX_BYTES_ADVICE,
)
from faqbot.models import Dropped, Faq, Medication, Section, SideEffect, Source
from faqbot.normalize import normalize
from faqbot.slug import slugify

if TYPE_CHECKING:
    from faqbot.locations import StrPath

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml: slower, same results
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

__all__ = ["MAX_PROBLEMS", "capped", "check_file", "load_yaml", "parse_medication", "read_text"]

MAX_PROBLEMS = 100  # the problems reported of one file; the rest are only counted
MAX_ALIAS_WORDS = 16  # an alias is a name ("Paracetamol + Codeine Phosphate"), not a sentence


def alias_fault(alias: str, title: str, seen: set[str]) -> str | None:
    """Why ``alias`` cannot be one of the aliases of medication ``title``, whose names so far
    (normalised, the title's among them) are ``seen``; None when it can."""
    name = normalize(alias)
    if not any(c.isalpha() for c in name):
        return "has no letters: it can name no medication"
    if len(name.split()) > MAX_ALIAS_WORDS:
        return f"is longer than {MAX_ALIAS_WORDS} words"
    if name in seen:
        return (
            f"repeats {'the title' if name == normalize(title) else 'an earlier alias'}; remove it"
        )
    return None


Loc = tuple[object, ...]  # where a value sits in the document: ("faqs", 2, "answer")
_T = TypeVar("_T")


_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map", "merge"))


class _BadValue(Exception):
    """A scalar that YAML resolves to a number or date it cannot make (too many digits, 13th
    month): a message and a line, instead of the ValueError PyYAML lets through."""

    def __init__(self, node: Node, err: Exception) -> None:
        self.line = node.start_mark.line + 1
        self.message = _bad_value(node, err)


class _Data:
    """Plain data from a composed document, like PyYAML's safe constructor but faster for the
    common nodes, and noting the keys that a mapping repeats, which that one silently drops."""

    def __init__(self, loader: _BaseLoader) -> None:
        self.loader = loader
        self.duplicates: list[tuple[int, str]] = []  # (line, message), the first MAX_PROBLEMS
        self.more = 0  # and how many more

    def build(self, node: Node) -> object:
        if node.tag == _STR and isinstance(node, ScalarNode):
            return node.value
        if node.tag == _SEQ and isinstance(node, SequenceNode):
            return [self.build(item) for item in node.value]
        if (
            node.tag == _MAP
            and isinstance(node, MappingNode)
            and all(key.tag != _MERGE for key, _ in node.value)
        ):
            return self.mapping(node)
        try:
            return self.loader.construct_object(node, deep=True)  # numbers, dates, tags...
        except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as err:
            raise _BadValue(node, err) from None

    def mapping(self, node: MappingNode) -> dict[object, object]:
        data: dict[object, object] = {}
        lines: dict[object, int] = {}
        for key_node, value_node in node.value:
            key, line = self.build(key_node), key_node.start_mark.line + 1
            if not isinstance(key, Hashable):
                raise ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key",
                    key_node.start_mark,
                )  # fmt: skip
            if key in data and len(self.duplicates) == MAX_PROBLEMS:
                self.more += 1
            elif key in data:
                self.duplicates.append(
                    (line, f"duplicate field {key!r} (first at line {lines[key]})")
                )
            data[key], lines[key] = self.build(value_node), line
        return data


@dataclass(frozen=True)
class _Issue:
    """A problem at a place in the document, before its line is known."""

    loc: Loc
    message: str
    at_key: bool = False  # point at the field's name rather than at its value
    first: Loc | None = None  # for duplicates: where the first one is


def parse_medication(text: str, path: StrPath) -> Medication:
    """The Medication in ``text`` (the content of ``path``); KnowledgeError lists every problem."""
    med, problems = _parse(text, path)
    if med is None:
        raise KnowledgeError(problems)
    return med


def check_file(path: StrPath) -> list[Problem]:
    """Every problem of the knowledge file at ``path``; [] when it is fine."""
    return _load_file(path)[1]


def _load_file(path: StrPath) -> tuple[Medication | None, list[Problem]]:
    try:
        text = read_text(path, MAX_BYTES, MAX_BYTES_ADVICE)
    except KnowledgeError as err:
        return None, err.problems
    return _parse(text, path)


def read_text(path: StrPath, limit: int, advice: str) -> str:
    """The UTF-8 text of the regular file at ``path``, of at most ``limit`` bytes (``advice``
    says what to do with a larger one), without a byte order mark; else KnowledgeError."""
    raw = read_limited(path, limit, advice)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        bad = f"byte 0x{raw[err.start]:02x} is not UTF-8; save the file as UTF-8"
        raise KnowledgeError([Problem(path, line, bad)]) from None


def load_yaml(text: str, path: StrPath) -> tuple[object, list[tuple[int, str]]]:
    """The plain data of the YAML document ``text``, and (line, message) for each field that a
    mapping repeats (the first MAX_PROBLEMS). KnowledgeError when it is not YAML, holds anchors
    or aliases, or holds a value YAML cannot make (such as a number of 5,000 digits)."""
    _, document, data = _load(text, path)
    return document, data.duplicates


def _load(text: str, path: StrPath) -> tuple[Node | None, object, _Data]:
    """The composed document, its plain data, and what building it noted."""
    loader = _BaseLoader(text)
    data = _Data(loader)
    try:
        node = loader.get_single_node()  # aliases are only references here: no cost yet
        refused = _anchors(text, path) if node is not None else []
        if refused:
            raise KnowledgeError(refused)
        document = None if node is None else data.build(node)
    except yaml.YAMLError as err:
        raise KnowledgeError([Problem(path, *_yaml_error(err, text))]) from None
    except RecursionError:
        message = "YAML error: the document refers to itself or nests too deeply"
        raise KnowledgeError([Problem(path, 1, message)]) from None
    except _BadValue as err:
        raise KnowledgeError([Problem(path, err.line, err.message)]) from None
    finally:
        loader.dispose()
    return node, document, data


def _parse(text: str, path: StrPath) -> tuple[Medication | None, list[Problem]]:
    """Fast path: load and build in one go; only when that finds problems, locate them."""
    try:
        root, document, data = _load(text, path)
    except KnowledgeError as err:
        return None, err.problems
    reader = _Reader()
    med = reader.medication(document)
    if med is not None and not reader.issues and not data.duplicates:
        return med, []
    return None, _locate(root, path, reader, data)


def _anchors(text: str, path: StrPath) -> list[Problem]:
    """A problem for each YAML anchor (``&name``) and alias (``*name``) in ``text``, capped.

    Knowledge files never need them, and aliases of aliases make a file of a few hundred bytes
    expand to gigabytes (a "billion laughs"). Only files holding a ``&`` or ``*`` are parsed.
    """
    if "&" not in text and "*" not in text:
        return []
    found: list[Problem] = []
    more = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if not isinstance(event, NodeEvent) or event.anchor is None:
            continue
        if len(found) == MAX_PROBLEMS:
            more += 1
            continue
        name = event.anchor
        if isinstance(event, AliasEvent):
            message = f"YAML alias '*{name}': write out the value it repeats in full"
        else:
            message = f"YAML anchor '&{name}': remove it"
        message += "; faqbot's files do not use anchors (&) and aliases (*)"
        line = event.start_mark.line + 1 if event.start_mark else 1
        found.append(Problem(path, line, message))
    return found + _more(path, more)


def _bad_value(node: Node, err: Exception) -> str:
    """What is wrong with a value YAML could not make, and the fix."""
    if not isinstance(node, ScalarNode):
        return f"this value cannot be read ({err})"
    value, kind = node.value, node.tag.rsplit(":", 1)[-1]
    shown = repr(value if len(value) <= 30 else value[:30] + "...")
    if kind == "int" and "digits" in str(err):
        digits = sum(c.isdigit() for c in value)
        why = f"it has {digits:,} digits, too many to read as a number"
    else:
        name = {
            "int": "a number",
            "float": "a number",
            "timestamp": "a date",
            "bool": "true or false",
        }.get(kind, kind)
        why = f"it cannot be read as {name}" + (f" ({err})" if type(err) is ValueError else "")
    return f"{shown}: {why}; put it in quotes if it is text"


def _yaml_error(err: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The line and message of a YAML syntax error, with a hint for the usual mistakes."""
    if isinstance(err, yaml.reader.ReaderError):
        char = chr(err.character) if isinstance(err.character, int) else err.character
        line = text.count("\n", 0, err.position) + 1
        return line, f"YAML syntax error: character {char!r} is not allowed; remove it"
    if not isinstance(err, yaml.MarkedYAMLError):
        return 1, f"YAML syntax error: {err}"
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark else 1
    message = f"YAML syntax error: {err.problem or err.context}"
    if err.problem and err.context:
        started = err.context_mark.line + 1 if err.context_mark else line
        message += f" ({err.context}" + (f" started at line {started})" if started != line else ")")
    lines = text.split("\n")
    if "mapping values are not allowed" in message:
        message += "; text that holds ': ' must be in quotes or in a |- block"
    elif "alias" in message:
        message += "; text that starts with '*' or '&' must be in quotes"
    elif line <= len(lines) and "\t" in lines[line - 1]:
        message += "; indent with spaces, not tabs"
    return line, message


def _locate(root: Node | None, path: StrPath, reader: _Reader, data: _Data) -> list[Problem]:
    """The issues and repeated fields noted, as Problems located in the composed document."""
    lines = _Lines(root)
    found = [Problem(path, line, message) for line, message in data.duplicates]
    for issue in reader.issues:
        message = issue.message
        if issue.first is not None:
            message += f" (first at line {lines.line(issue.first)})"
        found.append(Problem(path, lines.line(issue.loc, issue.at_key), message))
    return capped(sorted(found, key=lambda p: p.line), path, reader.more + data.more)


def capped(problems: list[Problem], path: StrPath, more: int = 0) -> list[Problem]:
    """The first MAX_PROBLEMS of ``problems`` (of the file ``path``), then one that counts the
    rest, and ``more`` problems that were only counted."""
    more += max(0, len(problems) - MAX_PROBLEMS)
    return problems[:MAX_PROBLEMS] + _more(path, more)


def _more(path: StrPath, more: int) -> list[Problem]:
    if not more:
        return []
    message = f"and {more:,} more problems, not shown: fix those above, then check again"
    return [Problem(path, 0, message, hidden=more)]


class _Lines:
    """The lines of places in a composed document. Each mapping is indexed once, when first
    needed, so that locating any number of issues takes time linear in the document."""

    def __init__(self, root: Node | None) -> None:
        self.root = root
        self._keys: dict[int, dict[object, tuple[Node, Node]]] = {}  # id(mapping) → its pairs

    def line(self, loc: Loc, at_key: bool = False) -> int:
        """The 1-based line of the node at ``loc``, or of its nearest parent that exists."""
        node = self.root
        for i, part in enumerate(loc):
            if isinstance(node, MappingNode):
                pair = self._pairs(node).get(str(part))
                if pair is None:
                    break
                key, value = pair
                node = key if at_key and i == len(loc) - 1 else value
            elif isinstance(node, SequenceNode) and type(part) is int and part < len(node.value):
                node = node.value[part]
            else:
                break
        return node.start_mark.line + 1 if node is not None else 1

    def _pairs(self, node: MappingNode) -> dict[object, tuple[Node, Node]]:
        pairs = self._keys.get(id(node))
        if pairs is None:  # the last of repeated keys wins, as it does in the loaded data
            pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
            self._keys[id(node)] = pairs
        return pairs


def _title_line(path: StrPath) -> int:
    """The line of the title in a file that has just loaded without problems."""
    try:
        text = read_text(path, MAX_BYTES, MAX_BYTES_ADVICE)
        return _Lines(yaml.compose(text, Loader=_BaseLoader)).line(("title",))
    except (KnowledgeError, yaml.YAMLError):  # changed since: the title is near the top
        return 1


def _name(loc: Loc) -> str:
    """``("faqs", 2, "answer")`` → ``"faqs[2].answer"``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if type(part) is int else f".{part}" if name else str(part)
    return name or "the file"


def _kind(value: object) -> str:
    """How a person would call the type of ``value``."""
    if value is None:
        return "an empty value"
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "true/false"), ((int, float), "a number"), (date, "a date"),
        (str, "text"), (list, "a list"), (dict, "a mapping"),
    ]  # fmt: skip
    return next((name for t, name in kinds if isinstance(value, t)), type(value).__name__)


class _Reader:
    """Builds a Medication from loaded YAML, noting every problem instead of stopping."""

    def __init__(self) -> None:
        self.issues: list[_Issue] = []  # the first MAX_PROBLEMS found
        self.more = 0  # and how many more: a file's problems cost bounded memory

    def note(self, loc: Loc, message: str, at_key: bool = False, first: Loc | None = None) -> None:
        if len(self.issues) < MAX_PROBLEMS:
            self.issues.append(_Issue(loc, message, at_key, first))
        else:
            self.more += 1

    # Checks of single values.

    def fields(self, value: object, loc: Loc, allowed: tuple[str, ...]) -> dict[Any, Any] | None:
        """``value`` as a mapping of known fields; None (noted) when it is not a mapping."""
        if not isinstance(value, dict):
            expected = ", ".join(allowed)
            message = f"{_name(loc)} must be a mapping of fields ({expected}), not {_kind(value)}"
            self.note(loc, message)
            return None
        for key in [k for k in value if k not in allowed]:
            where = f"in {_name(loc)}" if loc else "at the top level"
            message = f"unknown field {key!r} {where}; expected one of: {', '.join(allowed)}"
            self.note((*loc, key), message, at_key=True)
        return value

    def part(
        self, top: dict[Any, Any], key: str, allowed: tuple[str, ...]
    ) -> dict[Any, Any] | None:
        """The mapping in the optional top-level field ``key``; None when absent or not one."""
        value = top.get(key)
        return None if value is None else self.fields(value, (key,), allowed)

    def text(self, m: dict[Any, Any], loc: Loc, key: str, *, required: bool = True) -> str | None:
        """The text in field ``key``, or None (noted when required or not text)."""
        if key in m:
            return self.check_text(m[key], (*loc, key), required=required)
        if required:
            self.note(loc, f"{_name(loc)} has no {key}" if loc else f"missing field {key!r}")
        return None

    def check_text(self, value: object, loc: Loc, *, required: bool = True) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        if value is None or isinstance(value, str):
            fix = "" if required else "; fill it in or leave the field out"
            self.note(loc, f"{_name(loc)} is empty{fix}")
        else:
            quote = "" if isinstance(value, list | dict) else "; put it in quotes"
            self.note(loc, f"{_name(loc)} must be text, not {_kind(value)}{quote}")
        return None

    def items(self, m: dict[Any, Any], loc: Loc, key: str) -> list[tuple[Loc, object]]:
        """The items of the list in field ``key``, each with its place; [] when absent."""
        value, where = m.get(key), (*loc, key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.note(where, f"{_name(where)} must be a list, such as [a, b], not {_kind(value)}")
            return []
        return [((*where, i), item) for i, item in enumerate(value)]

    def texts(self, m: dict[Any, Any], loc: Loc, key: str) -> tuple[str, ...]:
        """A list of short texts, such as aliases or phrasings."""
        found = (self.check_text(item, where) for where, item in self.items(m, loc, key))
        return tuple(t for t in found if t is not None)

    def aliases(self, m: dict[Any, Any], title: str) -> tuple[str, ...]:
        """The medication's other names: each a name (letters in it, a few words), none
        repeating the title or another alias."""
        seen = {normalize(title)}
        found: list[str] = []
        for where, item in self.items(m, (), "aliases"):
            alias = self.check_text(item, where)
            if alias is None:
                continue
            fault = alias_fault(alias, title, seen)
            if fault:
                self.note(where, f"alias {alias!r} {fault}")
            else:
                seen.add(normalize(alias))
                found.append(alias)
        return tuple(found)

    def entries(
        self,
        m: dict[Any, Any],
        loc: Loc,
        key: str,
        build: Callable[[object, Loc], _T | None],
        unique: tuple[str, str] | None = None,
    ) -> tuple[_T, ...]:
        """The entries listed in field ``key``; ``unique`` is (field, kind) of their names."""
        items = self.items(m, loc, key)
        if unique:
            self.unique(items, *unique)
        built = (build(item, where) for where, item in items)
        return tuple(e for e in built if e is not None)

    def unique(self, items: list[tuple[Loc, object]], key: str, kind: str) -> None:
        """Note entries whose ``key`` gives the same id (slug) as an earlier entry's."""
        first: dict[str, tuple[Loc, str]] = {}
        for item_loc, item in items:
            name = item.get(key) if isinstance(item, dict) else None
            if not isinstance(name, str) or not name.strip():
                continue  # noted as it is read
            loc = (*item_loc, key)
            first_loc, first_name = first.setdefault(slugify(name), (loc, name))
            if first_loc is not loc:
                same = "" if name == first_name else f", same id as {first_name!r}"
                self.note(loc, f"duplicate {kind} {name!r}{same}", first=first_loc)

    # The parts of a knowledge file, each None when it has a problem.

    def medication(self, data: object) -> Medication | None:
        if data is None:
            self.note((), "the file is empty; a knowledge file starts with 'format: 1'")
            return None
        if isinstance(data, dict) and not self.format_ok(data):
            return None  # the rest would be read with the wrong rules
        m = self.fields(data, (), _TOP)
        if m is None:
            return None
        title = self.text(m, (), "title")
        effects_intro, effects, effects_phrasings = self.side_effects(m)
        med = Medication(
            title=title or "",
            generic_name=self.text(m, (), "generic_name", required=False),
            aliases=self.aliases(m, title or ""),
            intro=self.text(m, (), "intro", required=False),
            usage=self.prose(m, "usage", "Usage"),
            how_it_works=self.prose(m, "how_it_works", "How it works"),
            side_effects_intro=effects_intro,
            side_effects=effects,
            side_effects_phrasings=effects_phrasings,
            faqs=self.entries(m, (), "faqs", self.faq, ("question", "FAQ")),
            sections=self.entries(m, (), "sections", self.section, ("title", "section")),
            disclaimer=self.text(m, (), "disclaimer", required=False),
            note=self.text(m, (), "note", required=False),
            source=self.source(m),
            dropped=self.entries(m, (), "dropped", self.dropped),
        )
        return None if self.issues else med

    def format_ok(self, m: dict[Any, Any]) -> bool:
        """False when the file is in a format this faqbot cannot read (other problems aside)."""
        if "format" not in m:
            self.note((), f"missing field 'format'; the first field should be 'format: {FORMAT}'")
            return True
        if type(m["format"]) is int and m["format"] == FORMAT:
            return True
        message = f"unsupported format {m['format']!r}; this faqbot reads format {FORMAT}"
        self.note(("format",), message)
        return False

    def prose(self, top: dict[Any, Any], key: str, title: str) -> Section | None:
        loc: Loc = (key,)
        m = self.part(top, key, _PROSE)
        if m is None:
            return None
        text, phrasings = self.text(m, loc, "text"), self.texts(m, loc, "phrasings")
        return None if text is None else Section(title, text, phrasings)

    def side_effects(
        self, top: dict[Any, Any]
    ) -> tuple[str | None, tuple[SideEffect, ...], tuple[str, ...]]:
        loc: Loc = ("side_effects",)
        m = self.part(top, "side_effects", _SIDE_EFFECTS)
        if m is None:
            return None, (), ()
        intro = self.text(m, loc, "intro", required=False)
        effects = self.entries(m, loc, "items", self.side_effect, ("name", "side effect"))
        return intro, effects, self.texts(m, loc, "phrasings")

    def side_effect(self, value: object, loc: Loc) -> SideEffect | None:
        m = self.fields(value, loc, _SIDE_EFFECT)
        if m is None:
            return None
        name = self.text(m, loc, "name")
        text = self.text(m, loc, "text", required=False) if "text" in m else ""
        group = self.text(m, loc, "group", required=False)
        urgent = m.get("urgent", False)
        if not isinstance(urgent, bool):
            where = (*loc, "urgent")
            self.note(where, f"{_name(where)} must be true or false, not {_kind(urgent)}")
        phrasings = self.texts(m, loc, "phrasings")
        if name is None or text is None:
            return None
        return SideEffect(name, text, group, urgent is True, phrasings)

    def faq(self, value: object, loc: Loc) -> Faq | None:
        m = self.fields(value, loc, _FAQ)
        if m is None:
            return None
        question, answer = self.text(m, loc, "question"), self.text(m, loc, "answer")
        group = self.text(m, loc, "group", required=False)
        phrasings = self.texts(m, loc, "phrasings")
        if question is None or answer is None:
            return None
        return Faq(question, answer, group, phrasings)

    def section(self, value: object, loc: Loc) -> Section | None:
        m = self.fields(value, loc, _SECTION)
        if m is None:
            return None
        title, text = self.text(m, loc, "title"), self.text(m, loc, "text")
        phrasings = self.texts(m, loc, "phrasings")
        return None if title is None or text is None else Section(title, text, phrasings)

    def source(self, top: dict[Any, Any]) -> Source | None:
        loc: Loc = ("source",)
        m = self.part(top, "source", _SOURCE)
        if m is None:
            return None
        page, sha256 = self.text(m, loc, "page"), self.text(m, loc, "sha256")
        imported = self.text(m, loc, "imported", required=False)
        for name, value in (("sha256", sha256), ("imported", imported)):
            if value is not None and not re.fullmatch("[0-9a-f]{64}", value):
                message = f"source.{name} must be 64 lower-case hexadecimal digits"
                self.note((*loc, name), message)
        return None if page is None or sha256 is None else Source(page, sha256, imported)

    def dropped(self, value: object, loc: Loc) -> Dropped | None:
        m = self.fields(value, loc, _DROPPED)
        if m is None:
            return None
        reason, text = self.text(m, loc, "reason"), self.text(m, loc, "text")
        return None if reason is None or text is None else Dropped(reason, text)
