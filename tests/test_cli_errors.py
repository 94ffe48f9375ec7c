"""The command line's one error path and its I/O: each reproduction of issue 10, one test each.

Most run the real process (``python -m faqbot``), since pipes, locales and exit statuses are
what they are about; the rest call ``faqbot.cli.main`` in this process.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import KNOWLEDGE, ROOT

from faqbot import locations, oneshot
from faqbot.answer import Answer, EntryRef
from faqbot.cli import build_parser, main
from faqbot.outcome import Status
from faqbot.progress import Progress
from faqbot.render import for_terminal, to_json, to_text

PAGE = """---
title: {title}
---

**Usage:** {title} is used to treat tests.

**Side Effects:**

* **Nausea:** Feeling sick.
* **Headache:** A sore head.
"""
BAD_KNOWLEDGE = "format: 1\ntitle: Broken\nfaqs:\n- question: Is it safe?\n"
UNSAFE = "\x1b]0;pwned\x07\x1b[2J\u202e\x9b"  # a title change, a screen wipe, bidi, C1


def pages(folder: Path, titles: list[str], refused: int = 0) -> Path:
    """A folder of pages, one per title, and ``refused`` pages without a title."""
    folder.mkdir(parents=True, exist_ok=True)
    for title in titles:
        (folder / f"{title.lower()}.md").write_text(PAGE.format(title=title), encoding="utf-8")
    for n in range(refused):
        (folder / f"untitled-{n}.md").write_text("no front matter\n", encoding="utf-8")
    return folder


def run_faqbot(
    *args: str | bytes,
    stdin: bytes = b"",
    env: dict[str, str] | None = None,
    stdout: int = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m faqbot ARGS`` in a process of its own, as people run it."""
    return subprocess.run(
        [sys.executable, "-m", "faqbot", *args],
        input=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def closed_pipe() -> int:
    """The write end of a pipe whose reader is gone, as after ``| head -0``."""
    read, write = os.pipe()
    os.close(read)
    return write


def one_line(err: str) -> str:
    """The one line of an error, checked to be one line and no traceback."""
    assert "Traceback" not in err, err
    assert "Exception ignored" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("faqbot: "), err
    return lines[0]


# --- check finds its default ------------------------------------------------------------------


def test_check_without_a_path_checks_the_knowledge_in_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`faqbot check` with no path checks the shipped knowledge and says it is OK."""
    assert main(["check"]) == 0
    assert capsys.readouterr().err.endswith(" OK.\n")


def test_check_knowledge_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`faqbot check --knowledge DIR` checks that folder."""
    (tmp_path / "broken.yaml").write_text(BAD_KNOWLEDGE, encoding="utf-8")
    assert main(["check", "--knowledge", str(KNOWLEDGE)]) == 0
    assert main(["check", "--knowledge", str(tmp_path)]) == 1
    assert f"{tmp_path / 'broken.yaml'}:4: " in capsys.readouterr().out


def test_check_knowledge_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`FAQBOT_KNOWLEDGE=DIR faqbot check` checks that folder."""
    (tmp_path / "broken.yaml").write_text(BAD_KNOWLEDGE, encoding="utf-8")
    monkeypatch.setenv("FAQBOT_KNOWLEDGE", str(tmp_path))
    assert main(["check"]) == 1
    assert f"{tmp_path / 'broken.yaml'}:4: " in capsys.readouterr().out


# --- import's output folder -------------------------------------------------------------------


def test_import_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`faqbot import PAGE --out FILE` is one line naming the file, exit 1."""
    folder = pages(tmp_path / "pages", ["Testadrine"])
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    assert main(["import", str(folder), "--out", str(out)]) == 1
    assert str(out) in one_line(capsys.readouterr().err)
    assert out.read_text(encoding="utf-8") == "not a folder"


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder that refuses new files, even to root (sysfs does), or skip."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path("/sys")):
        try:
            (candidate / "probe.yaml").touch()
        except OSError:
            return candidate
        (candidate / "probe.yaml").unlink()
    pytest.skip("no folder here refuses new files")


def test_import_out_is_unwritable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--out` a folder that refuses new files gives one line and the summary (or one line
    alone), exit 1, never a traceback."""
    folder = pages(tmp_path / "pages", ["Testadrine"])
    out = _unwritable_folder(tmp_path)
    assert main(["import", str(folder), "--out", str(out)]) == 1
    said = capsys.readouterr()
    if said.err:
        assert str(out) in one_line(said.err)
    else:
        assert "testadrine.md: not imported: " in said.out
        assert said.out.splitlines()[-1].startswith("Imported 0 of 1 pages")


def test_import_onto_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full disk is one line (or a refused page and the summary), exit 1."""

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    folder = pages(tmp_path / "pages", ["Testadrine"])
    monkeypatch.setattr(os, "fsync", full)  # where a full disk shows, for the atomic write
    assert main(["import", str(folder), "--out", str(tmp_path / "out")]) == 1
    said = capsys.readouterr()
    assert "No space left on device" in said.out + said.err
    if said.err:
        one_line(said.err)
    assert not list((tmp_path / "out").glob("*.yaml"))


def test_import_over_a_folder_named_like_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder where the knowledge file should go is one line (or a refused page), exit 1."""
    folder = pages(tmp_path / "pages", ["Testadrine"])
    (tmp_path / "out" / "testadrine.yaml").mkdir(parents=True)
    assert main(["import", str(folder), "--out", str(tmp_path / "out")]) == 1
    said = capsys.readouterr()
    assert "testadrine.yaml" in said.out + said.err
    if said.err:
        one_line(said.err)


# --- serve's port -----------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http", "٣", "²", "+80", " 80"])
def test_serve_port_out_of_range(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`faqbot serve --port 99999` is argparse's usage error, exit 2, naming the value."""
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--port", port])
    assert caught.value.code == 2
    assert f"argument --port: '{port}' is not a whole number from 1 to 65535" in (
        capsys.readouterr().err
    )


# --- output that cannot be written ------------------------------------------------------------


def test_ask_into_a_full_device() -> None:
    """`faqbot ask x >/dev/full` is one line naming the output and the fix, exit 1."""
    with open("/dev/full", "wb") as full:
        done = run_faqbot("ask", "is it addictive", stdout=full.fileno())
    assert done.returncode == 1
    line = one_line(done.stderr.decode())
    assert line == (
        "faqbot: cannot write the output: No space left on device "
        "(free some space, then run it again)"
    )


def test_unexpected_oserror_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An OSError no command expected is still one line: the file, the words, the fix."""
    import faqbot.checking

    def denied(paths: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/knowledge")

    monkeypatch.setattr(faqbot.checking, "check_paths", denied)
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        "faqbot: /srv/knowledge: Permission denied "
        "(check its permissions, or choose another place)\n"
    )


def test_interrupt_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C is "faqbot: interrupted" and exit 130."""

    def interrupted() -> int:
        raise KeyboardInterrupt

    assert oneshot.guarded(interrupted) == 130
    assert capsys.readouterr().err == "faqbot: interrupted\n"


def test_conversation_needs_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    """`--conversation` with a question, not "-", is one line saying to use "-"."""
    assert main(["ask", "--conversation", "is it addictive"]) == 1
    assert '"-"' in one_line(capsys.readouterr().err)


def test_ask_with_stdout_closed() -> None:
    """`faqbot ask x >&-` is one line saying stdout is closed, exit 1."""
    done = subprocess.run(
        [sys.executable, "-m", "faqbot", "ask", "is it addictive"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    assert done.returncode == 1
    assert one_line(done.stderr.decode()) == (
        "faqbot: cannot write the output: standard output is closed"
    )


@pytest.mark.parametrize("args", [["ask", "-"], []], ids=["ask -", "chat"])
def test_questions_from_a_closed_stdin(args: list[str]) -> None:
    """`faqbot ask - <&-` (and the chat) is one line saying stdin is closed, exit 1."""
    done = subprocess.run(
        [sys.executable, "-m", "faqbot", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: os.close(0),
        check=False,
    )
    assert done.returncode == 1
    assert "standard input is closed" in one_line(done.stderr.decode())


# --- a closed pipe keeps the status -----------------------------------------------------------


@pytest.mark.parametrize(("refused", "status"), [(1, 1), (0, 0)])
def test_import_into_a_closed_pipe_finishes(tmp_path: Path, refused: int, status: int) -> None:
    """`faqbot import PAGES --out d | head -0` writes every file and exits as the import
    deserved: 1 when a page was refused, else 0, and says nothing about the pipe."""
    titles = [f"Testadrine{n}" for n in range(30)]
    folder = pages(tmp_path / "pages", titles, refused=refused)
    out = tmp_path / "out"
    pipe = closed_pipe()
    try:
        done = run_faqbot("import", str(folder), "--out", str(out), stdout=pipe)
    finally:
        os.close(pipe)
    assert done.returncode == status
    assert done.stderr == b""
    assert len(list(out.glob("*.yaml"))) == len(titles)


@pytest.mark.parametrize(("knowledge", "status"), [("bad", 1), ("good", 0)])
def test_check_into_a_closed_pipe_keeps_its_status(
    tmp_path: Path, knowledge: str, status: int
) -> None:
    """`faqbot check BAD | head -1` exits 1, and a clean check 0."""
    folder = KNOWLEDGE
    if knowledge == "bad":
        folder = tmp_path
        for n in range(200):
            (tmp_path / f"broken{n}.yaml").write_text(BAD_KNOWLEDGE, encoding="utf-8")
    pipe = closed_pipe()
    try:
        done = run_faqbot("check", str(folder), stdout=pipe)
    finally:
        os.close(pipe)
    assert done.returncode == status
    assert b"Traceback" not in done.stderr
    assert b"Exception ignored" not in done.stderr
    assert len(done.stderr.splitlines()) == 1  # the summary


def test_ask_into_a_closed_pipe() -> None:
    """`faqbot ask x | head -0` exits 0 and says nothing."""
    pipe = closed_pipe()
    try:
        done = run_faqbot("ask", "is it addictive", stdout=pipe)
    finally:
        os.close(pipe)
    assert (done.returncode, done.stderr) == (0, b"")


def test_ask_stdin_stops_when_nobody_reads() -> None:
    """`yes | faqbot ask -` into a closed pipe stops reading, exit 0."""
    pipe = closed_pipe()
    try:
        done = run_faqbot("ask", "--json", "-", stdin=b"is it addictive\n" * 100_000, stdout=pipe)
    finally:
        os.close(pipe)
    assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.corpus
@pytest.mark.slow
def test_import_corpus_into_head(corpus: Path, tmp_path: Path) -> None:
    """`faqbot import CORPUS --out d | head -3` writes every file and exits 1 (refusals)."""
    out = tmp_path / "out"
    done = subprocess.run(
        f"{sys.executable} -m faqbot import {corpus} --out {out} | head -3; "
        'exit "${PIPESTATUS[0]}"',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 3
    assert done.stderr == b""
    assert len(list(out.glob("*.yaml"))) >= 3600


# --- ask - : one reply a line, always UTF-8 ---------------------------------------------------


def _replies(stdout: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def test_ask_stdin_replies_line_up() -> None:
    """`printf 'q1\\n\\nq2\\n' | faqbot ask --json -` writes 3 lines, one for each."""
    done = run_faqbot("ask", "--json", "-", stdin=b"is it addictive\n\nhello\n")
    assert done.returncode == 0, done.stderr
    assert [r["question"] for r in _replies(done.stdout)] == ["is it addictive", "", "hello"]


def test_ask_stdin_text_replies_line_up() -> None:
    """Without --json, each line of stdin gets one answer too, blank lines included."""
    done = run_faqbot("ask", "-", stdin=b"is it addictive\n\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().count("Ask me a question about a medication.") == 1
    assert done.stdout.decode().count("faqbot answers from medication pages") == 1


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "utf-8"}, {"LC_ALL": "C"}, {"PYTHONIOENCODING": "latin-1"}],
    ids=["strict-utf-8", "C-locale", "latin-1"],
)
def test_ask_stdin_that_is_not_utf8(env: dict[str, str]) -> None:
    """Bytes that are not UTF-8 on stdin read as U+FFFD, whatever the locale, and the
    output is valid UTF-8 JSON."""
    done = run_faqbot("ask", "--json", "-", stdin="ok\n\xff\nqué\n".encode("latin-1"), env=env)
    assert done.returncode == 0, done.stderr
    questions = [r["question"] for r in _replies(done.stdout)]
    assert questions == ["ok", "\ufffd", "qu\ufffd"]


def test_ask_json_is_utf8_whatever_the_locale() -> None:
    """`faqbot ask --json` writes UTF-8 even where stdout's encoding is ASCII."""
    done = run_faqbot("ask", "--json", "qué es ✓", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert _replies(done.stdout)[0]["question"] == "qué es ✓"


def test_ask_argument_that_is_not_utf8() -> None:
    """A question whose bytes are not UTF-8 is answered, and the JSON stays valid."""
    done = run_faqbot("ask", "--json", b"caf\xe9 \xff")
    assert done.returncode == 0, done.stderr
    assert _replies(done.stdout)[0]["question"] == "caf\ufffd \ufffd"


# --- untrusted text on a terminal -------------------------------------------------------------


def _has_controls(text: str) -> bool:
    return any(c in text for c in "\x1b\x07\x9b\u202e\r")


def test_to_text_strips_terminal_controls() -> None:
    """Answers, suggestions, titles and disclaimers lose escape sequences and controls."""
    ref = EntryRef("x:usage", f"Drug{UNSAFE}", "usage", f"Usage{UNSAFE}")
    answer = Answer("q", f"Text{UNSAFE} end", f"Disclaimer{UNSAFE}", Status.ANSWERED, ref,
                    suggestions=(f"Other{UNSAFE}",))  # fmt: skip
    shown = to_text(answer)
    assert not _has_controls(shown)
    for part in ("Drug › Usage", "Text end", "1. Other", "Disclaimer"):
        assert part in shown
    assert UNSAFE in json.loads(to_json(answer))["answer"]  # JSON keeps the text, escaped
    assert for_terminal("a\tb\nc\r\n") == "a\tb\nc\n"


def test_page_text_reaches_no_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Escape codes in a page's name and text show neither in import's report nor in answers."""
    page = PAGE.format(title="Testadrine").replace("treat tests", f"treat {UNSAFE}tests")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / f"testa{UNSAFE}drine.md").write_text(page + "\nIt ends mid", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", str(folder), "--out", str(out)]) == 0
    report = capsys.readouterr().out
    assert "testadrine.md → testadrine.yaml" in report
    assert "testadrine.md: dropped: " in report
    assert not _has_controls(report)
    assert main(["ask", "what is testadrine used for", "--knowledge", str(out)]) == 0
    answer = capsys.readouterr().out
    assert "Testadrine is used to treat tests." in answer
    assert not _has_controls(answer)


def test_check_messages_reach_no_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A field name with escape codes is reported without them."""
    text = f'format: 1\ntitle: Odd\nusage:\n  text: For pain.\n  "te{UNSAFE}xt": x\n'
    (tmp_path / "odd.yaml").write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    said = capsys.readouterr()
    assert "odd.yaml:5:" in said.out
    assert not _has_controls(said.out + said.err)


# --- the one-shot reader and argparse ---------------------------------------------------------


def test_ask_with_a_trailing_double_dash_does_what_argparse_does() -> None:
    """`faqbot ask "q" --` answers exactly when argparse reads it (it did while argparse
    refused it), since the fast reader leaves it to argparse."""
    try:
        build_parser().parse_args(["ask", "is it addictive", "--"])
        expected = 0
    except SystemExit as e:
        expected = int(str(e.code))
    assert run_faqbot("ask", "is it addictive", "--").returncode == expected


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"HOME": "/home/u"},
        {"HOME": "/home/u", "XDG_CACHE_HOME": "/c", "XDG_STATE_HOME": "/s"},
        {"HOME": "/home/u", "XDG_CACHE_HOME": "relative", "XDG_STATE_HOME": ""},
        {"FAQBOT_KNOWLEDGE": "~/k/"},
        {"FAQBOT_KNOWLEDGE": "/k"},
    ],
)
@pytest.mark.parametrize("option", [None, "", "mine", "~/mine", "/abs/mine/"])
def test_oneshot_finds_what_locations_finds(environ: dict[str, str], option: str | None) -> None:
    """The one-shot path's string locations are faqbot.locations' Paths, as strings."""
    assert Path(oneshot._knowledge_dir(option, environ)) == locations.knowledge_dir(option, environ)
    assert Path(oneshot._cache_dir(environ)) == locations.cache_dir(environ)
    assert Path(oneshot._cache_key_file(environ)) == locations.cache_key_file(environ)


# --- warnings ---------------------------------------------------------------------------------


class _FaqbotWarning(UserWarning):
    """Stands for faqbot's own warnings (faqbot.cache.CacheWarning)."""


_FaqbotWarning.__module__ = "faqbot.cache"


def test_faqbot_warning_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A warning from faqbot is "faqbot: warning: MESSAGE" on stderr, and the work goes on."""

    def warns() -> int:
        warnings.warn("the cache file x failed its check: rebuilt", _FaqbotWarning, stacklevel=1)
        return 0

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert oneshot.guarded(warns) == 0
    assert (
        capsys.readouterr().err == "faqbot: warning: the cache file x failed its check: rebuilt\n"
    )


def test_rebuilt_cache_warns_in_one_line(tmp_path: Path) -> None:
    """`faqbot ask` over a cache file that fails its check warns in one line and answers."""
    import faqbot.cache

    if not hasattr(faqbot.cache, "CacheWarning"):
        pytest.skip("the cache does not warn yet")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert run_faqbot("ask", "is it addictive", env=env).returncode == 0
    planted = list((tmp_path / "cache").rglob("index-*"))
    assert planted
    for file in planted:
        file.write_bytes(b"not a cache file")
    done = run_faqbot("ask", "is it addictive", env=env)
    assert done.returncode == 0
    assert one_line(done.stderr.decode()).startswith("faqbot: warning: ")
    assert b"addiction" in done.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _BrokenTerminal(_Terminal):
    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_progress_bar_shows_names_without_controls() -> None:
    """The import's progress bar draws page names without their escape codes."""
    stream = _Terminal()
    with Progress(2, "Importing", stream) as bar:
        bar.advance(f"a{UNSAFE}.md")
        bar.advance(f"b{UNSAFE}.md")
    drawn = stream.getvalue().replace("\r\x1b[K", "")  # the bar's own code, to clear its line
    assert "b.md" in drawn
    assert not _has_controls(drawn)


def test_progress_bar_gives_up_on_a_broken_stream() -> None:
    """A progress bar whose stream fails stops drawing; the work goes on."""
    with Progress(2, "Importing", _BrokenTerminal()) as bar:
        bar.advance("a.md")
        bar.advance("b.md")
    assert not bar.enabled


def test_check_counts_the_problems_it_does_not_show(tmp_path: Path) -> None:
    """With more problems than a file reports, the summary counts all of them."""
    bad = tmp_path / "bad.yaml"
    fields = "".join(f"field{i}: x\n" for i in range(150))
    bad.write_text(f"format: 1\ntitle: X\n{fields}", encoding="utf-8")
    done = run_faqbot("check", str(bad))
    assert done.returncode == 1
    assert done.stdout.decode().count("\n") == 101  # 100 shown, then "and 50 more"
    assert done.stderr.decode() == "150 problems in 1 of 1 files.\n"
