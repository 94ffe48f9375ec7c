"""Question sets: reading a set file, the questions it borrows from a source file, and which
cases are held out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import yaml

from faqbot.errors import FaqbotError
from faqbot.evaluation.cases import ASK, Case, Expect, held_out_by_hash
from faqbot.evaluation.generate import Generate, read_generate

__all__ = ["ALL", "EvalSet", "load_eval_set"]

ALL: Final = "all"  # `drugs: all`: every page of the corpus


@dataclass(frozen=True)
class EvalSet:
    """A question set and the knowledge it needs: corpus pages, ``"all"`` of them, or none
    (the knowledge folder); a generated set makes its cases when its drugs are loaded."""

    path: Path
    drugs: tuple[str, ...] | Literal["all"]
    cases: tuple[Case, ...]
    generate: Generate | None = None

    @property
    def name(self) -> str:
        return self.path.stem


def load_eval_set(path: Path, questions: Path | None = None) -> EvalSet:
    """Read a question set (see ``tests/eval/README.md``); ``questions`` is the folder of the
    source files that ``line:`` cases read their text from. FaqbotError when malformed."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise FaqbotError(f"{path}: expected a mapping with 'questions' or 'generate'")
    split = data.get("split", "hash")
    if split not in ("hash", "held_out"):
        raise FaqbotError(f"{path}: split is {split!r}; use 'held_out' or leave it out")
    drugs = _drugs(path, data.get("drugs"))
    if "generate" in data:
        return EvalSet(path, (), (), read_generate(path, data["generate"]))
    if not isinstance(data.get("questions"), list):
        raise FaqbotError(f"{path}: expected a 'questions' list (or 'generate')")
    source = _source(path, data.get("source"), questions)
    cases = tuple(
        _case(path, n, item, source, split == "held_out")
        for n, item in enumerate(data["questions"], 1)
    )
    return EvalSet(path, drugs, cases)


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise FaqbotError(f"{path}: cannot read the question set: {e}") from None


def _drugs(path: Path, value: object) -> tuple[str, ...] | Literal["all"]:
    if value == ALL:
        return ALL
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FaqbotError(f"{path}: drugs is {value!r}; give a list of pages, or 'all'")
    return tuple(str(d) for d in value)


def _source(path: Path, name: object, folder: Path | None) -> list[str] | None:
    """The question texts of the set's source file, by line (index 0 is line 1)."""
    if name is None:
        return None
    if folder is None:
        raise FaqbotError(
            f"{path}: its questions are read from {name}: pass --questions DIR (the folder "
            "holding it), or --pages with the corpus it sits next to"
        )
    file = folder / str(name)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise FaqbotError(f"{path}: cannot read its source {file}: {e}") from None
    texts = []
    for n, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise FaqbotError(f"{file}:{n}: not a JSON object: {e}") from None
        if not isinstance(record, dict) or not isinstance(record.get("question"), str):
            raise FaqbotError(f"{file}:{n}: has no 'question' text")
        texts.append(record["question"])
    return texts


def _case(path: Path, n: int, item: object, source: list[str] | None, held_out: bool) -> Case:
    where = f"{path}: questions[{n}]"
    if not isinstance(item, dict) or "expect" not in item:
        raise FaqbotError(f"{where} needs 'q' (text) or 'line', and 'expect'")
    line = item.get("line")
    if "q" in item:
        if not isinstance(item["q"], str) or line is not None:
            raise FaqbotError(f"{where}: 'q' must be text, and not given with 'line'")
        question = item["q"]
    elif source is None:
        raise FaqbotError(f"{where}: has 'line' but the set names no 'source' file")
    elif not isinstance(line, int) or not 1 <= line <= len(source):
        raise FaqbotError(f"{where}: line {line!r} is not a line of the source (1-{len(source)})")
    else:
        question = source[line - 1]
    expect = _expect(item["expect"])
    return Case(
        question,
        expect,
        held_out or held_out_by_hash(question),
        _answer_drugs(item, expect),
        line=line if isinstance(line, int) else None,
    )


def _expect(value: object) -> Expect:
    if value is None:
        return None
    if value == ASK:
        return ASK
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _answer_drugs(item: Mapping[str, object], expect: Expect) -> frozenset[str] | None:
    """The drugs a right answer comes from: the case's ``drug`` and its expected ids' drugs."""
    of_ids = {i.split(":", 1)[0] for i in expect} if isinstance(expect, tuple) else set()
    if "drug" in item:
        named = {str(item["drug"])} if item["drug"] is not None else set()
        return frozenset(named | of_ids)
    return frozenset(of_ids) if of_ids else None
