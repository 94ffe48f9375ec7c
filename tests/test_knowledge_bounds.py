"""Bounded reading: knowledge files and lexicons cost little and never raise a traceback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faqbot.checking import check_paths
from faqbot.cli import main
from faqbot.errors import ImportPageError, KnowledgeError, Problem
from faqbot.files import knowledge_files
from faqbot.importer import import_page
from faqbot.knowledge import check_file, dump_medication, load_dir, parse_medication
from faqbot.knowledge.fields import MAX_BYTES
from faqbot.knowledge.reading import MAX_PROBLEMS
from faqbot.lexicon import LEXICON_FILE, MAX_LEXICON_BYTES, load_lexicon

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
MINI = Path(__file__).parent / "data" / "mini_knowledge"
CORPUS = ROOT.parent / "shared" / "corpus"
NOT_REGULAR = "not a regular file"


def _bomb(top: str, use: str) -> str:
    """A "billion laughs" of a few hundred bytes: the alias in ``use`` stands for 9**8 strings."""
    lines = [top, 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join([*lines, use]) + "\n"


def _messages(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems]


# --- faqbot check: paths as strings, the default folder, an honest count ---------------------


def test_check_paths_takes_strings_and_paths() -> None:
    """check_paths reads a folder given as a str (as `faqbot check` gives its default) or Path."""
    assert check_paths([str(KNOWLEDGE)]) == check_paths([KNOWLEDGE]) == ([], 1)


@pytest.mark.parametrize("how", ["default", "option", "environment"])
def test_check_without_a_path_checks_the_knowledge_in_use(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`faqbot check` with no path, --knowledge or FAQBOT_KNOWLEDGE checks the knowledge in use."""
    shutil.copy(MINI / "fictazepam.yaml", tmp_path)
    args = ["check"]
    if how == "option":
        args += ["--knowledge", str(tmp_path)]
    elif how == "environment":
        monkeypatch.setenv("FAQBOT_KNOWLEDGE", str(tmp_path))
    else:
        monkeypatch.delenv("FAQBOT_KNOWLEDGE", raising=False)
    assert main(args) == 0
    assert capsys.readouterr().err == "1 file OK.\n"


def test_a_missing_path_counts_as_a_file_checked(tmp_path: Path) -> None:
    """`faqbot check nosuch.yaml` reports 1 problem in 1 of 1 files, not "1 of 0"."""
    missing = str(tmp_path / "nosuch.yaml")
    problems, files = check_paths([missing])
    assert (problems, files) == ([Problem(missing, 0, "no such file or folder")], 1)


def test_each_problem_path_is_a_string_and_counted_once(tmp_path: Path) -> None:
    """A file named twice, or in its folder and alone, counts once; problem paths are strings."""
    (tmp_path / "bad.yaml").write_text("format: 1\n", encoding="utf-8")
    shutil.copy(MINI / "fictazepam.yaml", tmp_path)
    problems, files = check_paths([tmp_path, tmp_path / "bad.yaml", str(tmp_path / "bad.yaml")])
    assert files == 2
    assert {type(p.path) for p in problems} == {str}
    assert len({p.path for p in problems}) <= files


def test_an_empty_folder_is_one_problem_in_one_of_one(tmp_path: Path) -> None:
    """A folder without knowledge files is one problem, and counted, so that B of F holds."""
    problems, files = check_paths([tmp_path])
    assert _messages(problems) == ["no knowledge files (*.yaml) in this folder"]
    assert files == 1


# --- folder entries that are not regular files ------------------------------------------------


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    """A knowledge folder with one file, a symlink to it, and every kind of entry that is not
    a regular file, each named *.yaml."""
    shutil.copy(MINI / "fictazepam.yaml", tmp_path / "a.yaml")
    (tmp_path / "b.yaml").symlink_to(MINI / "examplinol.yaml")  # a symlink to a file: read
    (tmp_path / "broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "fifo.yaml")
    return tmp_path


def test_knowledge_files_lists_every_yaml_entry(odd_folder: Path) -> None:
    """knowledge_files lists entries that are not regular files too, so they are reported."""
    names = [os.path.basename(p) for p in knowledge_files(str(odd_folder))]
    assert names == ["a.yaml", "b.yaml", "broken.yaml", "fifo.yaml", "folder.yaml", "loop.yaml"]


def test_entries_that_are_not_regular_files_are_problems(odd_folder: Path) -> None:
    """Each FIFO, folder, broken or looping symlink is a problem naming it; a symlink to a file
    is read; and nothing blocks (the FIFO has no writer)."""
    result: list[tuple[list[Problem], int]] = []
    worker = threading.Thread(target=lambda: result.append(check_paths([odd_folder])))
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # blocked on the FIFO: open its other end to release it, then fail
        os.close(os.open(odd_folder / "fifo.yaml", os.O_WRONLY | os.O_NONBLOCK))
        worker.join()
        pytest.fail("check_paths blocked on a FIFO")
    problems, files = result[0]
    assert files == 6
    bad = {os.path.basename(p.path): p.message for p in problems}
    assert set(bad) == {"broken.yaml", "fifo.yaml", "folder.yaml", "loop.yaml"}
    assert all(m.startswith(NOT_REGULAR) for m in bad.values())
    assert "a named pipe" in bad["fifo.yaml"]
    assert "a folder" in bad["folder.yaml"]
    assert "'" + str(odd_folder / "nowhere.yaml") + "', which does not exist" in bad["broken.yaml"]
    assert "loops" in bad["loop.yaml"]


def test_loading_a_folder_with_a_fifo_names_it(odd_folder: Path) -> None:
    """load_dir (as `faqbot ask` loads) raises KnowledgeError naming each odd entry."""
    with pytest.raises(KnowledgeError) as caught:
        load_dir(odd_folder)
    assert {os.path.basename(p.path) for p in caught.value.problems} == {
        "broken.yaml", "fifo.yaml", "folder.yaml", "loop.yaml"
    }  # fmt: skip


def test_a_socket_is_a_problem(tmp_path: Path) -> None:
    """A socket named *.yaml, which cannot even be opened, is reported as one."""
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.bind(str(path))
        except OSError as err:  # a path too long for a socket address
            pytest.skip(f"cannot make a socket here: {err}")
        assert _messages(check_file(path)) == [
            "not a regular file but a socket; only regular files are read: replace or remove it"
        ]


def test_a_fifo_given_as_the_lexicon_is_a_problem(tmp_path: Path) -> None:
    """A lexicon.yaml that is a FIFO is reported, by load_lexicon and by check, without blocking."""
    os.mkfifo(tmp_path / LEXICON_FILE)
    shutil.copy(MINI / "fictazepam.yaml", tmp_path)
    with pytest.raises(KnowledgeError, match="a named pipe"):
        load_lexicon(tmp_path / LEXICON_FILE)
    problems, files = check_paths([tmp_path])
    assert files == 2
    assert [NOT_REGULAR in p.message for p in problems] == [True]


# --- YAML aliases ---------------------------------------------------------------------------


_MEASURE = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # were aliases expanded: fail soon
from faqbot.checking import check_paths
start = time.perf_counter()
problems, _ = check_paths([sys.argv[1]])
took = time.perf_counter() - start
try:  # this process's own peak (ru_maxrss would count the parent's, from before exec)
    with open("/proc/self/status") as f:
        peak_kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(problems), took, peak_kb)
"""


@pytest.mark.parametrize(
    ("name", "top", "use"),
    [
        ("bomb.yaml", "format: 1\ntitle: Bomb", "aliases: *h"),
        (LEXICON_FILE, "format: 1", "english: *h"),
    ],
)
def test_an_alias_bomb_is_refused_quickly(name: str, top: str, use: str, tmp_path: Path) -> None:
    """An alias bomb (9**8 strings) is refused in under 1 s and 100 MB, knowledge or lexicon."""
    path = tmp_path / name
    path.write_text(_bomb(top, use), encoding="utf-8")
    assert len(path.read_bytes()) < 500
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    count, took, peak_kb = done.stdout.split()
    assert int(count) > 0
    assert float(took) < 1
    assert int(peak_kb) < 100_000


def test_aliases_and_anchors_are_problems_at_their_lines() -> None:
    """Each anchor and alias is a problem at its line that says what to do."""
    text = "format: 1\ntitle: &t Examplinol\naliases:\n- *t\n"
    with pytest.raises(KnowledgeError) as caught:
        parse_medication(text, Path("k.yaml"))
    assert [str(p) for p in caught.value.problems] == [
        "k.yaml:2: YAML anchor '&t': remove it; faqbot's files do not use anchors (&) and "
        "aliases (*)",
        "k.yaml:4: YAML alias '*t': write out the value it repeats in full; faqbot's files do "
        "not use anchors (&) and aliases (*)",
    ]


def test_a_self_referring_alias_is_refused() -> None:
    """An anchor that contains its own alias is refused like any other, not a RecursionError."""
    with pytest.raises(KnowledgeError) as caught:
        parse_medication("format: 1\ntitle: &t [*t]\n", Path("k.yaml"))
    assert [p.line for p in caught.value.problems] == [2, 2]


def test_an_ampersand_or_star_in_text_is_fine(tmp_path: Path) -> None:
    """Text that holds & and * (Q&A, *italics*) is not mistaken for anchors or aliases."""
    text = "format: 1\ntitle: Q&A\nintro: 'Note: *very* rare & mild.'\nnote: a * b & c\n"
    assert parse_medication(text, Path("k.yaml")).intro == "Note: *very* rare & mild."


# --- size caps ------------------------------------------------------------------------------


def test_a_file_over_the_cap_is_refused_without_being_read(tmp_path: Path) -> None:
    """A 60 MB knowledge file (about 1.4 million FAQs' worth) is refused at once, with its size
    and the cap."""
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(60_000_000)  # sparse: cheap to make, and costly to read were it read
    start = time.perf_counter()
    problems = check_file(path)
    assert time.perf_counter() - start < 0.5
    assert _messages(problems) == [
        "the file is 60.0 MB (60,000,000 bytes), over the limit of 1.0 MB (1,000,000 bytes); a "
        "knowledge file holds one medication, and the largest imported one is 14 kB: check that "
        "this is the file you meant, or shorten it"
    ]


def test_a_file_at_the_cap_is_read(tmp_path: Path) -> None:
    """A knowledge file of exactly the cap is read (a comment pads it)."""
    path = tmp_path / "k.yaml"
    head = (MINI / "fictazepam.yaml").read_bytes()
    path.write_bytes(head + b"#" + b"x" * (MAX_BYTES - len(head) - 2) + b"\n")
    assert path.stat().st_size == MAX_BYTES
    assert check_file(path) == []
    with open(path, "ab") as f:
        f.write(b"\n")
    assert "over the limit" in check_file(path)[0].message


def test_a_lexicon_over_the_cap_is_refused(tmp_path: Path) -> None:
    """A lexicon over its cap is refused with its size, the cap and what to do."""
    path = tmp_path / LEXICON_FILE
    with open(path, "wb") as f:
        f.truncate(MAX_LEXICON_BYTES + 1)
    with pytest.raises(KnowledgeError) as caught:
        load_lexicon(path)
    assert caught.value.problems[0].message.startswith(
        "the file is 2.0 MB (2,000,001 bytes), over the limit of 2.0 MB (2,000,000 bytes); the "
        "shipped lexicon is 96 kB"
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
def test_the_cap_leaves_room_above_the_largest_imported_page() -> None:
    """The cap is over 50 times the knowledge file of the corpus' longest page."""
    pages = sorted(CORPUS.glob("*/*/*.md"), key=lambda p: p.stat().st_size)[-10:]
    sizes = []
    for page in pages:
        try:
            med = import_page(page.read_text(encoding="utf-8"), page.name)
        except ImportPageError:
            continue
        sizes.append(len(dump_medication(med).encode("utf-8")))
    assert sizes
    assert 50 * max(sizes) < MAX_BYTES


# --- values YAML cannot make ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, "'" + "9" * 30 + "...': it has 5,000 digits, too many to read as a number"),
        ("2024-13-45", "'2024-13-45': it cannot be read as a date (month must be in 1..12)"),
        ("!!timestamp x", "'x': it cannot be read as a date"),
        ("!!bool maybe", "'maybe': it cannot be read as true or false"),
        (
            "0x_",
            "'0x_': it cannot be read as a number (invalid literal for int() with base 16: '')",
        ),
    ],
)
def test_values_yaml_cannot_make_are_problems_at_their_line(value: str, message: str) -> None:
    """A number of 5,000 digits, an impossible date and the like are problems at file:line."""
    with pytest.raises(KnowledgeError) as caught:
        parse_medication(f"format: 1\ntitle: X\nintro: {value}\n", Path("k.yaml"))
    assert [str(p) for p in caught.value.problems] == [
        f"k.yaml:3: {message}; put it in quotes if it is text"
    ]


def test_a_huge_number_in_the_lexicon_is_a_problem(tmp_path: Path) -> None:
    """A number of 5,000 digits in the lexicon is a KnowledgeError at its line, not a ValueError."""
    path = tmp_path / LEXICON_FILE
    path.write_text("format: 1\nstopwords:\n- " + "9" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_lexicon(path)
    assert [p.line for p in caught.value.problems] == [3]


_YAML_FRAGMENTS = [
    "format: 1\n", "title: X\n", "intro: ", "faqs:\n", "- question: ", "  answer: ", "&a ", "*a",
    "!!int ", "!!timestamp ", "!!bool ", "!!binary ", "!!set ", "<<: ", "9" * 4400, "2024-13-45",
    "0x_", "1e999", "[", "]", "{", "}", ", ", ": ", "\n", "  ", "'", '"', "? ",
]  # fmt: skip
_YAMLISH = st.lists(st.sampled_from(_YAML_FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_YAMLISH)
def test_any_yaml_gives_a_medication_or_knowledge_error(text: str) -> None:
    """Whatever YAML a file holds, reading it raises nothing but KnowledgeError."""
    problems = None
    try:
        parse_medication(text, Path("k.yaml"))
    except KnowledgeError as err:
        problems = err.problems
    assert problems is None or len(problems) > 0


# --- checking in linear time, with a capped report ------------------------------------------


def test_many_unknown_fields_are_checked_in_linear_time(tmp_path: Path) -> None:
    """40,000 unknown fields (400 kB) are checked in well under 5 s (41 s when it was quadratic),
    and the report stops after the first MAX_PROBLEMS, saying how many more there are."""
    path = tmp_path / "k.yaml"
    fields = "".join(f"field{i}: x\n" for i in range(40_000))
    path.write_text(f"format: 1\ntitle: X\n{fields}", encoding="utf-8")
    start = time.perf_counter()
    problems = check_file(path)
    assert time.perf_counter() - start < 5
    assert len(problems) == MAX_PROBLEMS + 1
    assert [p.line for p in problems[:3]] == [3, 4, 5]
    assert problems[-1] == Problem(
        path, 0, "and 39,900 more problems, not shown: fix those above, then check again", 39_900
    )


def test_many_problems_in_a_lexicon_are_capped(tmp_path: Path) -> None:
    """A lexicon's problems are capped the same way."""
    path = tmp_path / LEXICON_FILE
    path.write_text("format: 1\n" + "".join(f"f{i}: x\n" for i in range(500)), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_lexicon(path)
    assert len(caught.value.problems) == MAX_PROBLEMS + 1
    assert caught.value.problems[-1].message.startswith("and 400 more problems")


# --- the importer ---------------------------------------------------------------------------


def test_a_page_with_a_byte_order_mark_imports() -> None:
    """A page that starts with a UTF-8 byte order mark imports as it does without one."""
    page = "---\ntitle: Bomol\n---\n**Usage:** Bomol treats pain.\n"
    with_bom = import_page("\ufeff" + page, "b.md")
    assert with_bom._replace(source=None) == import_page(page, "b.md")._replace(source=None)
    assert with_bom.usage is not None
    assert with_bom.usage.text == "Bomol treats pain."


def test_the_format_docs_state_the_caps() -> None:
    """docs/knowledge-format.md gives the size caps and the problem cap that the code applies."""
    docs = (ROOT / "docs" / "knowledge-format.md").read_text(encoding="utf-8")
    assert f"at most 1 MB ({MAX_BYTES:,} bytes)" in docs
    assert f"the lexicon at most {MAX_LEXICON_BYTES // 1_000_000} MB" in docs
    assert f"up to {MAX_PROBLEMS} a file" in docs
