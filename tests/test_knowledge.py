"""Knowledge files: dumping, parsing, the problems `faqbot check` reports, folders and caching."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from faqbot.atomic import write_atomic
from faqbot.errors import KnowledgeError, Problem
from faqbot.knowledge import (
    check_file,
    dump_medication,
    load_dir,
    parse_medication,
    reading,
    writing,
)
from faqbot.models import Dropped, Faq, Medication, Section, SideEffect, Source
from faqbot.normalize import normalize
from faqbot.slug import slugify

DATA = Path(__file__).parent / "data"
BAD = DATA / "knowledge_bad"
MINI = DATA / "mini_knowledge"
DOCS = Path(__file__).parent.parent / "docs" / "knowledge-format.md"
PAST_NS = 1_600_000_000 * 10**9  # file times well in the past, so the cache trusts them

# ------------------------------------------------------------------------------ round trip

# Strings that YAML would mistype, misparse or reformat if they were written carelessly.
AWKWARD = [
    "yes", "No", "off", "null", "~", "", "1.0", "0x1F", "1_000", "0o17", ".inf", "-.nan",
    "2020-01-01", "2001-12-14t21:59:43.10-05:00", "=", "<<", "- a", "? a", "a: b", "a:b",
    "# c", "a #b", "'q'", '"d"', "|", ">", "&x", "*x", "!t", "!!str x", "%", "@", "`", "{a}",
    "[a]", ",", " lead", "trail ", "a\nb", "a\n", "\n", "a\n\n", "\na", " a\nb", "a\r\nb",
    "a\x85b", "a\u2028b", "a\u2029", "\t", "a\tb\n", "é ü 😀 ®", "\ufeffx", "\x00", "\x07",
    "---", "...", "a\n---\nb", "a\n...\nb", "  \nx", "x\n  ", "\n\nx\n\n", "\\", "a\\nb",
]  # fmt: skip


def _text() -> st.SearchStrategy[str]:
    """Non-blank text, often built from the awkward pieces above."""
    chars = st.characters(codec="utf-8")  # lone surrogates cannot be written to a file
    pieces = st.lists(st.sampled_from(AWKWARD), min_size=1, max_size=4).map("".join)
    return st.one_of(st.sampled_from(AWKWARD), pieces, st.text(chars)).filter(str.strip)


TEXT = _text()
OPTIONAL = st.none() | TEXT
PHRASINGS = st.lists(TEXT, max_size=3).map(tuple)


def _unique(entries: st.SearchStrategy[object], name: str) -> st.SearchStrategy[tuple[object, ...]]:
    return st.lists(entries, max_size=3, unique_by=lambda e: slugify(getattr(e, name))).map(tuple)


def _valid_aliases(med: Medication) -> Medication:
    """``med`` with only the aliases `faqbot check` takes: letters in them, a few words, none
    repeating the title or an earlier alias."""
    seen, kept = {normalize(med.title)}, []
    for alias in med.aliases:
        name = normalize(alias)
        if any(c.isalpha() for c in name) and len(name.split()) <= 16 and name not in seen:
            seen.add(name)
            kept.append(alias)
    return med._replace(aliases=tuple(kept))


MEDICATIONS = st.builds(
    Medication,
    title=TEXT,
    generic_name=OPTIONAL,
    aliases=PHRASINGS,
    intro=OPTIONAL,
    usage=st.none() | st.builds(Section, st.just("Usage"), TEXT, PHRASINGS),
    how_it_works=st.none() | st.builds(Section, st.just("How it works"), TEXT, PHRASINGS),
    side_effects_intro=OPTIONAL,
    side_effects=_unique(
        st.builds(SideEffect, TEXT, st.just("") | TEXT, OPTIONAL, st.booleans(), PHRASINGS), "name"
    ),
    side_effects_phrasings=PHRASINGS,
    faqs=_unique(st.builds(Faq, TEXT, TEXT, OPTIONAL, PHRASINGS), "question"),
    sections=_unique(st.builds(Section, TEXT, TEXT, PHRASINGS), "title"),
    disclaimer=OPTIONAL,
    note=OPTIONAL,
    source=st.none()
    | st.builds(
        Source,
        TEXT,
        st.text("0123456789abcdef", min_size=64, max_size=64),
        st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
    ),
    dropped=st.lists(st.builds(Dropped, TEXT, TEXT), max_size=2).map(tuple),
).map(_valid_aliases)


@given(MEDICATIONS)
def test_dump_then_parse_gives_the_same_medication(med: Medication) -> None:
    """Every valid Medication survives dump → parse unchanged, and dumps to the same bytes."""
    text = dump_medication(med)
    assert parse_medication(text, Path("x.yaml")) == med
    assert dump_medication(med) == text


class _PurePythonLoader(yaml.SafeLoader):
    """What loading falls back to when PyYAML has no libyaml."""


@given(MEDICATIONS)
def test_round_trip_without_libyaml(med: Medication) -> None:
    """The pure-Python YAML loader reads dumped files exactly as libyaml does."""
    with mock.patch.object(reading, "_BaseLoader", _PurePythonLoader):
        assert parse_medication(dump_medication(med), Path("x.yaml")) == med


@given(MEDICATIONS)
def test_libyaml_writes_what_pyyaml_writes(med: Medication) -> None:
    """Files are the same bytes with libyaml's emitter as with PyYAML's own (a machine without
    libyaml writes the same knowledge): the fast one is used only where they agree."""
    if writing._FastDumper is None:
        pytest.skip("this PyYAML has no libyaml")
    with mock.patch.object(writing, "_FastDumper", None):
        pure = dump_medication(med)
    assert dump_medication(med) == pure


def test_libyaml_is_used_for_plain_texts() -> None:
    """Imported pages, with no whitespace at either end and no characters past U+FFFF, go
    through libyaml; the others through PyYAML's emitter."""
    if writing._FastDumper is None:
        pytest.skip("this PyYAML has no libyaml")
    plain, emoji = Medication("Examplinol", intro="Used for pain."), Medication("Ex 😀")
    with mock.patch.object(writing, "_dump", wraps=writing._dump) as dump:
        dump_medication(plain)
        dump_medication(emoji)
    assert [call.args[1] for call in dump.call_args_list] == [
        writing._FastDumper,
        writing._Dumper,
    ]


def test_dump_layout() -> None:
    """Dumped files have the documented layout: header, key order, blocks and quoting."""
    med = Medication(
        title="Examplinol",
        usage=Section("Usage", "Used for pain.", ("what is it for",)),
        side_effects=(SideEffect("Rash", "", urgent=True),),
        faqs=(Faq("Is it safe?", "Mostly.\nAsk your doctor.", group="yes"),),
        note="Note: not real.",
        source=Source("e/examplinol.md", "0123456789abcdef" * 4),
    )
    assert dump_medication(med) == (
        "# Knowledge for Examplinol, imported by faqbot from e/examplinol.md.\n"
        "# Edit freely: add `phrasings:` (a list of other ways people ask) to any entry,\n"
        "# then run `faqbot check` to validate. Importing the page again keeps your edits\n"
        "# (`faqbot import --overwrite` does not).\n"
        "format: 1\n"
        "title: Examplinol\n"
        "aliases: []\n"
        "usage:\n"
        "  text: Used for pain.\n"
        "  phrasings: [what is it for]\n"
        "side_effects:\n"
        "  items:\n"
        "  - name: Rash\n"
        "    urgent: true\n"
        "faqs:\n"
        "- question: Is it safe?\n"
        "  answer: |-\n"
        "    Mostly.\n"
        "    Ask your doctor.\n"
        "  group: 'yes'\n"
        "sections: []\n"
        "note: 'Note: not real.'\n"
        "source:\n"
        "  page: e/examplinol.md\n"
        f"  sha256: {'0123456789abcdef' * 4}\n"
        "dropped: []\n"
    )


def test_dump_keeps_the_header_comment_on_one_line() -> None:
    """A title with line breaks cannot break out of the header comment."""
    text = dump_medication(Medication(title="Bad\ntitle\u2028here"))
    assert text.startswith("# Knowledge for Bad title here.\n# Edit freely")


# ------------------------------------------------------------------------------- problems

BAD_FILES = [
    ("syntax_error.yaml", [
        "7: YAML syntax error: found unexpected end of stream"
        " (while scanning a quoted scalar started at line 4)",
    ]),
    ("missing_answer.yaml", ["6: faqs[1] has no answer"]),
    ("unknown_field.yaml", [
        "8: faqs[2] has no answer",
        "9: unknown field 'anser' in faqs[2]; expected one of: question, answer, group, phrasings",
    ]),
    ("empty_answer.yaml", ["5: faqs[0].answer is empty"]),
    ("duplicate_entry.yaml", [
        "7: duplicate side effect 'nausea', same id as 'Nausea' (first at line 5)",
        "14: duplicate FAQ 'Is it addictive?' (first at line 10)",
    ]),
    ("wrong_type.yaml", [
        "5: usage.text must be text, not a list",
        "8: faqs[0].answer must be text, not true/false; put it in quotes",
        "9: faqs[1].question must be text, not a number; put it in quotes",
    ]),
    ("several_problems.yaml", [
        "4: generic_name must be text, not a number; put it in quotes",
        "6: unknown field 'txt' in usage; expected one of: text, phrasings",
        "6: usage has no text",
        "10: side_effects.items[0].urgent must be true or false, not text",
        "12: faqs[0] has no answer",
        "13: faqs[1] has no question",
        "14: duplicate FAQ 'Is it safe?' (first at line 12)",
        "15: faqs[2].answer is empty",
        "19: duplicate field 'title' (first at line 17)",
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), BAD_FILES)
def test_check_file_reports_each_problem(name: str, expected: list[str]) -> None:
    """Each bad file gives exactly the expected `file:line: message` lines, in line order."""
    path = BAD / name
    assert [str(p) for p in check_file(path)] == [f"{path}:{line}" for line in expected]


def test_parse_medication_raises_with_every_problem() -> None:
    """parse_medication raises one KnowledgeError that holds all of a file's problems."""
    path = BAD / "several_problems.yaml"
    with pytest.raises(KnowledgeError) as caught:
        parse_medication(path.read_text(), path)
    assert caught.value.problems == check_file(path)
    assert str(caught.value) == "\n".join(str(p) for p in check_file(path))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1: the file is empty; a knowledge file starts with 'format: 1'"),
        ("# only a comment\n", "1: the file is empty; a knowledge file starts with 'format: 1'"),
        (
            "- a\n- b\n",
            "1: the file must be a mapping of fields (format, title, generic_name, aliases, "
            "intro, usage, how_it_works, side_effects, faqs, sections, disclaimer, note, source, "
            "dropped), not a list",
        ),
        (
            "format: 2\ntitle: X\nwhatever: 1\n",
            "1: unsupported format 2; this faqbot reads format 1",
        ),
        (
            "title: X\nfaqs: []\n",
            "1: missing field 'format'; the first field should be 'format: 1'",
        ),
        ("format: 1\nfaqs: []\n", "1: missing field 'title'"),
        (
            "format: 1\ntitle: X\nnote: ''\n",
            "3: note is empty; fill it in or leave the field out",
        ),
        (
            "format: 1\ntitle: X\nnote: 2020-01-01\n",
            "3: note must be text, not a date; put it in quotes",
        ),
        (
            "format: 1\ntitle: X\naliases: Painaway\n",
            "3: aliases must be a list, such as [a, b], not text",
        ),
        ("format: 1\ntitle: X\naliases: [A, '']\n", "3: aliases[1] is empty"),
        (
            "format: 1\ntitle: X\nsections:\n- Dosage\n",
            "4: sections[0] must be a mapping of fields (title, text, phrasings), not text",
        ),
        (
            "format: 1\ntitle: X\nsource:\n  page: a.md\n  sha256: abc\n",
            "5: source.sha256 must be 64 lower-case hexadecimal digits",
        ),
        (
            "format: 1\ntitle: X\nnote: !shout hi\n",
            "3: YAML syntax error: could not determine a constructor for the tag '!shout'",
        ),
        (
            "format: 1\ntitle: X\nnote: a\x07b\n",
            "3: YAML syntax error: character '\\x07' is not allowed; remove it",
        ),
        (
            "format: 1\ntitle: [*t]\n",
            "2: YAML syntax error: found undefined alias; text that starts with '*' or '&' must "
            "be in quotes",
        ),
    ],
)
def test_parse_problem_messages(text: str, expected: str) -> None:
    """Each kind of problem is reported at its line with a message that says what to fix."""
    with pytest.raises(KnowledgeError) as caught:
        parse_medication(text, Path("k.yaml"))
    assert [str(p) for p in caught.value.problems] == [f"k.yaml:{expected}"]


def test_unquoted_colon_gets_a_hint() -> None:
    """The usual hand-editing mistake, ': ' in unquoted text, says how to fix it."""
    problems = _check_text("format: 1\ntitle: X\nnote: Note: not real\n")
    assert [p.line for p in problems] == [3]
    assert problems[0].message.endswith("; text that holds ': ' must be in quotes or in a |- block")


def test_tab_indentation_gets_a_hint() -> None:
    """Indenting with a tab is reported with the fix."""
    problems = _check_text("format: 1\ntitle: X\nusage:\n\ttext: y\n")
    assert [p.line for p in problems] == [4]
    assert problems[0].message.endswith("; indent with spaces, not tabs")


def _check_text(text: str) -> list[Problem]:
    try:
        parse_medication(text, Path("k.yaml"))
    except KnowledgeError as err:
        return err.problems
    return []


def test_check_file_reports_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """A file in another encoding is one problem at the line of the first bad byte."""
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"format: 1\ntitle: Caf\xe9\n")
    assert [str(p) for p in check_file(path)] == [
        f"{path}:2: byte 0xe9 is not UTF-8; save the file as UTF-8"
    ]


def test_check_file_reports_unreadable_files(tmp_path: Path) -> None:
    """A file that cannot be read is a problem, not a traceback."""
    assert check_file(tmp_path / "missing.yaml") == [
        Problem(tmp_path / "missing.yaml", 0, "cannot read the file: No such file or directory")
    ]


def test_check_file_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    """A UTF-8 byte order mark, as some editors write, is fine."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfformat: 1\ntitle: X\n")
    assert check_file(path) == []


def test_mini_knowledge_is_valid() -> None:
    """The hand-written test drugs have no problems."""
    assert [p for path in sorted(MINI.glob("*.yaml")) for p in check_file(path)] == []


def test_docs_example_is_valid_and_canonical() -> None:
    """The full example in docs/knowledge-format.md parses, and is exactly what faqbot writes."""
    example = re.search(r"```yaml\n(# Knowledge for .*?)```", DOCS.read_text(), re.DOTALL)
    assert example is not None
    med = parse_medication(example.group(1), DOCS)
    assert dump_medication(med) == example.group(1)


# -------------------------------------------------------------------------------- folders


def test_load_dir_loads_every_file_sorted_by_name() -> None:
    """load_dir gives one Medication per file, in file-name order."""
    meds = load_dir(MINI)
    assert [m.title for m in meds] == ["Demozole + Placebrin", "Examplinol", "Fictazepam"]
    assert meds[1] == parse_medication((MINI / "examplinol.yaml").read_text(), MINI)


def test_load_dir_skips_the_lexicon_hidden_and_other_files(tmp_path: Path) -> None:
    """lexicon.yaml, hidden files, other extensions and sub-folders are not knowledge files.

    (A sub-folder named ``*.yaml`` is reported: see test_knowledge_bounds.py.)
    """
    shutil.copy(MINI / "fictazepam.yaml", tmp_path)
    (tmp_path / "lexicon.yaml").write_text("words: {}\n")
    (tmp_path / ".#fictazepam.yaml").write_text("editor lock file")
    (tmp_path / "notes.txt").write_text("not yaml")
    (tmp_path / "sub").mkdir()
    assert [m.title for m in load_dir(tmp_path)] == ["Fictazepam"]


def test_load_dir_reports_all_problems_of_all_files() -> None:
    """One KnowledgeError lists the problems of every bad file."""
    with pytest.raises(KnowledgeError) as caught:
        load_dir(BAD)
    expected = [p for path in sorted(BAD.glob("*.yaml")) for p in check_file(path)]
    assert caught.value.problems == expected


def test_load_dir_rejects_duplicate_titles(tmp_path: Path) -> None:
    """Two files with the same title (ignoring case and spacing) are an error."""
    shutil.copy(MINI / "fictazepam.yaml", tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("format: 1\n# same drug\ntitle: '  FICTAZEPAM '\n")
    with pytest.raises(KnowledgeError) as caught:
        load_dir(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'b.yaml'}:3: duplicate title '  FICTAZEPAM ' (first in a.yaml)"
    ]


def test_load_dir_rejects_missing_and_empty_folders(tmp_path: Path) -> None:
    """A folder that does not exist, or holds no knowledge files, is an error."""
    for folder, message in [
        (tmp_path / "nope", "knowledge folder not found"),
        (tmp_path, "no knowledge files (*.yaml) in this folder"),
    ]:
        with pytest.raises(KnowledgeError) as caught:
            load_dir(folder)
        assert caught.value.problems == [Problem(folder, 0, message)]


# --------------------------------------------------------------------------------- atomic


def _siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_write_atomic_writes_and_skips_unchanged_bytes(tmp_path: Path) -> None:
    """A write returns True; writing the same bytes again returns False and keeps the mtime."""
    path = tmp_path / "a.yaml"
    assert write_atomic(path, "héllo\n") is True
    assert path.read_bytes() == "héllo\n".encode()
    os.utime(path, ns=(PAST_NS, PAST_NS))
    assert write_atomic(path, "héllo\n".encode()) is False
    assert path.stat().st_mtime_ns == PAST_NS
    assert write_atomic(path, "bye\n") is True
    assert path.read_text() == "bye\n"
    assert _siblings(path) == ["a.yaml"]


def test_write_atomic_keeps_the_file_mode(tmp_path: Path) -> None:
    """Replacing a file keeps its permissions."""
    path = tmp_path / "a.yaml"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_write_atomic_failure_leaves_the_old_file(tmp_path: Path, error: BaseException) -> None:
    """When the final rename fails or is interrupted, the old file and folder are untouched."""
    path = tmp_path / "a.yaml"
    path.write_text("old")
    with mock.patch("os.replace", side_effect=error), pytest.raises(type(error)):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert _siblings(path) == ["a.yaml"]


def test_write_atomic_interrupted_while_writing(tmp_path: Path) -> None:
    """An interrupt during the write itself leaves no temporary file behind."""
    path = tmp_path / "a.yaml"
    with mock.patch("os.fsync", side_effect=KeyboardInterrupt), pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new")
    assert _siblings(path) == []


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ("[Examplex, examplex]", "repeats an earlier alias"),
        ("[Fictazepam]", "repeats the title"),
        ('["123"]', "has no letters"),
        ("[" + " ".join(["word"] * 17) + "]", "longer than 16 words"),
    ],
)
def test_check_validates_aliases(aliases: str, message: str) -> None:
    """`faqbot check` names each alias that can name no medication, or names it twice."""
    text = f"format: 1\ntitle: Fictazepam\naliases: {aliases}\nusage:\n  text: For tests.\n"
    with pytest.raises(KnowledgeError) as e:
        parse_medication(text, Path("fictazepam.yaml"))
    assert any(message in p.message and p.line == 3 for p in e.value.problems), e.value.problems
