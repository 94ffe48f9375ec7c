"""The start of every ``faqbot`` process, and the one-shot ``faqbot ask "QUESTION"``.

A one-shot answer is mostly start-up, so this module alone does what it takes to be quick, and
the rest of faqbot uses pathlib, argparse and dataclasses as usual:

- ``faqbot ask`` is read by :func:`read_ask`, from :data:`ASK_OPTIONS`, the table that
  ``faqbot.cli`` builds argparse's ``ask`` from too. Whatever it is not sure argparse would
  read the same way (help, abbreviations, unknown options, values that start with "-") goes
  to argparse, in ``faqbot.cli``: tests/test_cli.py compares the two on every command line
  of up to five tokens.
- Paths are strings (``os.path``; faqbot.locations gives the same places as Paths): pathlib
  takes a few ms to import.
- The garbage collector stays off, and the process ends with ``os._exit`` once all is
  flushed, skipping the teardown of every object.
- The index is read from the cache.

It also holds what every command shares, which must be cheap here too: the one error path
(:func:`guarded`), standard output that survives a closed pipe (:func:`say`), and faqbot's
warnings shown as one line.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import io
import os
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import TextIO

from faqbot.errors import FaqbotError

__all__ = [
    "ASK_OPTIONS",
    "ASK_QUESTION",
    "KNOWLEDGE_OPTION",
    "ask_one",
    "describe_os_error",
    "guarded",
    "read_ask",
    "run",
    "say",
    "tell",
    "terminal_width",
    "use_stdin_utf8",
    "use_stdout",
]

# --- the options of `faqbot ask`, declared once ------------------------------------------

# (option, metavar or None for a flag, help); the value goes to the option's name after "--".
KNOWLEDGE_OPTION = (
    "--knowledge",
    "DIR",
    "knowledge folder (default: $FAQBOT_KNOWLEDGE, else the shipped knowledge)",
)
ASK_OPTIONS: tuple[tuple[str, str | None, str], ...] = (
    ("--json", None, "print JSON (one object per line)"),
    (
        "--conversation",
        None,
        'with "-": the lines are one conversation (follow-ups, suggestions by number)',
    ),
    KNOWLEDGE_OPTION,
)
ASK_QUESTION = ("question", 'the question, or "-" to read questions from stdin')
_TAKES_VALUE = {option: metavar is not None for option, metavar, _ in ASK_OPTIONS}


def read_ask(argv: Sequence[str]) -> SimpleNamespace | None:
    """``faqbot ask ...`` read as argparse reads it, or None for anything else and wherever
    argparse might read it otherwise (help, abbreviations, unknown options, a value or a
    question that starts with "-", a missing or extra question)."""
    if argv[:1] != ["ask"]:
        return None
    args = SimpleNamespace(command="ask")
    for option, valued in _TAKES_VALUE.items():
        setattr(args, _dest(option), None if valued else False)
    positional: list[str] = []
    tokens = iter(argv[1:])
    for token in tokens:
        if token == "--":  # the question follows
            rest = list(tokens)
            if len(rest) != 1 or rest[0].startswith("-"):
                return None
            positional += rest
        elif token.startswith("-") and token != "-":
            option, equals, value = token.partition("=")
            takes_value = _TAKES_VALUE.get(option)
            if takes_value is None or (equals and not takes_value):
                return None
            if takes_value:
                value = value if equals else next(tokens, "-")
                if value.startswith("-"):
                    return None
                setattr(args, _dest(option), value)
            else:
                setattr(args, _dest(option), True)
        else:
            positional.append(token)
    if len(positional) != 1:
        return None
    args.question = positional[0]
    return args


def _dest(option: str) -> str:
    return option[2:].replace("-", "_")  # as argparse names it


# --- the process --------------------------------------------------------------------------


def run() -> int:
    """The ``faqbot`` command: a one-shot question here, anything else through faqbot.cli."""
    argv = sys.argv[1:]
    args = read_ask(argv)
    if args is None or args.question == "-":
        from faqbot.cli import main

        status = main(argv)
        # The process ends now: spare it a last collection, a pass over every object it made.
        gc.freeze()
        return status
    gc.disable()  # for good: turned on again, it would first pass over the whole index
    status = guarded(lambda: ask_one(args))
    # All is said and flushed: leave without tearing down, object by object, the modules and
    # the index, which takes a tenth of a one-shot answer's time.
    os._exit(status)


def ask_one(args: SimpleNamespace) -> int:
    """Answer ``args.question`` on stdout, as text or (``args.json``) as JSON."""
    if args.conversation:
        raise FaqbotError('--conversation reads a conversation from stdin: give "-" as question')
    # One question makes little garbage, and the collector's passes over all that the imports
    # and the index make would take a tenth of its time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from faqbot.bot import Bot, load_knowledge
        from faqbot.render import to_json, to_text

        directory = _knowledge_dir(args.knowledge)
        bot = Bot(load_knowledge(directory, _cache_dir(), _cache_key_file()))
        answer = bot.ask(from_argv(args.question))
    finally:
        if collecting:
            gc.enable()
    use_stdout(utf8=args.json)
    say(to_json(answer) if args.json else to_text(answer, terminal_width()))
    return 0


def from_argv(text: str) -> str:
    """A command-line argument, with the bytes that were not text as U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept as lone surrogates by Python
        try:
            return os.fsencode(text).decode(sys.getfilesystemencoding(), "replace")
        except UnicodeError:  # surrogates that stand for no byte
            return text.encode("utf-8", "replace").decode("utf-8")
    return text


def terminal_width() -> int:
    """The terminal's width ($COLUMNS first, as shutil does), at most 100; 88 if unknown."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
        if columns <= 0:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        columns = 0
    return min(columns or 88, 100)


# --- where things are, as strings: faqbot.locations gives the same as Paths ----------------


def _shipped_knowledge_dir() -> str:
    here = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(here, "_knowledge")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(here), "knowledge")


def _knowledge_dir(option: str | None, environ: Mapping[str, str] = os.environ) -> str:
    chosen = option or environ.get("FAQBOT_KNOWLEDGE")
    return os.path.expanduser(chosen) if chosen else _shipped_knowledge_dir()


def _xdg(name: str, fallback: str, environ: Mapping[str, str]) -> str:
    base = environ.get(name)
    if base and os.path.isabs(base):
        return os.path.join(base, "faqbot")
    home = environ.get("HOME") or os.path.expanduser("~")
    return os.path.join(home, fallback, "faqbot")


def _cache_dir(environ: Mapping[str, str] = os.environ) -> str:
    return _xdg("XDG_CACHE_HOME", ".cache", environ)


def _cache_key_file(environ: Mapping[str, str] = os.environ) -> str:
    return os.path.join(_xdg("XDG_STATE_HOME", ".local/state", environ), "cache.key")


# --- the one error path --------------------------------------------------------------------


def guarded(work: Callable[[], int]) -> int:
    """Run a command's ``work``; its exit status. Every failure is one line on stderr and a
    non-zero status, never a traceback; faqbot's warnings are one line each; output to a pipe
    closed early is dropped, and the status kept."""
    _output.reset()
    with warnings.catch_warnings():
        warnings.showwarning = _warning_line(warnings.showwarning)
        try:
            status = work()
        except FaqbotError as e:
            status = fail(str(e))
        except KeyboardInterrupt:
            status = fail("interrupted", 130)
        except BrokenPipeError:  # written past a closed pipe, not through say(): cut short
            status = 1
        except OSError as e:
            status = fail(describe_os_error(e))
    return _output.finish(status)


def fail(message: str, status: int = 1) -> int:
    """Say ``message`` on stderr, each line after "faqbot: "; returns ``status``."""
    from faqbot.render import for_terminal

    lines = for_terminal(message).splitlines() or [""]
    tell("\n".join(f"faqbot: {line}" for line in lines))
    return status


def tell(text: str) -> None:
    """Print ``text`` on stderr, if it still takes output: the exit status says the rest."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


# What to do about the usual OSErrors, after the file and the system's words.
_FIXES = {
    errno.ENOSPC: "free some space, then run it again",
    errno.EDQUOT: "free some space, then run it again",
    errno.EACCES: "check its permissions, or choose another place",
    errno.EPERM: "check its permissions, or choose another place",
    errno.EROFS: "the file system is read-only: choose another place",
    errno.ENOENT: "check the path",
    errno.EEXIST: "something else is in the way: choose another path",
    errno.ENOTDIR: "a file is in the way of a folder: choose another path",
    errno.EISDIR: "a folder is in the way of a file: choose another path",
    errno.ENAMETOOLONG: "choose a shorter name",
    errno.ELOOP: "a symbolic link loops: fix or remove it",
}


def describe_os_error(e: OSError) -> str:
    """One line for ``e``: the file it is about, the system's words, and what to do."""
    name = e.filename2 if e.filename2 is not None else e.filename
    where = f"{os.fsdecode(name)}: " if isinstance(name, str | bytes) else ""
    fix = _FIXES.get(e.errno) if e.errno is not None else None
    return f"{where}{e.strerror or e}" + (f" ({fix})" if fix else "")


def _warning_line(show: Callable[..., None]) -> Callable[..., None]:
    """``warnings.showwarning`` that gives faqbot's own warnings as "faqbot: warning: ..."."""

    def show_warning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if category.__module__.partition(".")[0] != "faqbot":
            show(message, category, filename, lineno, file, line)
        else:
            fail(f"warning: {message}", 0)

    return show_warning


# --- standard output ------------------------------------------------------------------------


def say(text: str, flush: bool = False) -> bool:
    """Print ``text`` and a newline on stdout. Once stdout is a closed pipe (or fails), this and
    all later output are dropped, and False is returned: the work may go on, or stop."""
    if _output.dropped:
        return False
    stream = sys.stdout
    if stream is None:  # started with stdout closed
        _output.dropped = True
        _output.error = "cannot write the output: standard output is closed"
        return False
    try:
        stream.write(text + "\n")
        if flush:
            stream.flush()
    except OSError as e:
        _output.drop(e)
        return False
    return True


def use_stdout(*, utf8: bool) -> None:
    """Write stdout as UTF-8 (``utf8``: JSON, whatever the locale) or in the locale's encoding,
    with what it cannot encode replaced, never an error or a byte that is not text."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper):
        if utf8:
            stream.reconfigure(encoding="utf-8", errors="replace")
        else:
            stream.reconfigure(errors="replace")


def use_stdin_utf8() -> None:
    """Read stdin as UTF-8, whatever the locale, with bytes that are not UTF-8 as U+FFFD."""
    stream = sys.stdin
    if stream is None:  # started with stdin closed
        raise FaqbotError("standard input is closed: give the questions on it, one a line")
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors="replace")


class _Output:
    """Whether stdout still takes output, and why not."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.dropped = False
        self.error: str | None = None  # why output failed, if not a closed pipe

    def drop(self, e: OSError) -> None:
        """Send what stdout still holds, and all that follows, to the null device: nothing
        can be said there, and Python's flush at exit must not fail and complain either."""
        self.dropped = True
        if not isinstance(e, BrokenPipeError) and self.error is None:
            self.error = f"cannot write the output: {describe_os_error(e)}"
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, sys.stdout.fileno())
            finally:
                os.close(null)
        except (OSError, ValueError, AttributeError):  # no descriptor (a test's capture)
            pass

    def finish(self, status: int) -> int:
        """Flush stdout; ``status``, or 1 if output failed (not for a closed pipe)."""
        if not self.dropped:
            try:
                sys.stdout.flush()
            except OSError as e:
                self.drop(e)
            except (AttributeError, ValueError):  # no stdout, or closed
                pass
        if self.error is not None:
            return fail(self.error, status or 1)
        return status


_output = _Output()
