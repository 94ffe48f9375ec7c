"""The terminal chat, driven through prompt_toolkit's pipe input and a plain-text output."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import KNOWLEDGE, ROOT, missing_tool
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from faqbot.bot import Bot
from faqbot.repl import Repl, open_history
from faqbot.session import Session

DISCLAIMER_START = "This information is for educational purposes only"


def _chat(bot: Bot, keys: str) -> tuple[int, str]:
    """Run the REPL on ``keys`` (\\r is Enter); return its exit status and what it printed."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        status = Repl(Session(bot), color=False, input=pipe, output=PlainTextOutput(out)).run()
    return status, out.getvalue().replace("\r\n", "\n")


def test_banner_then_answer_then_disclaimer(shipped_bot: Bot) -> None:
    """The banner says what it knows; an answer is followed by the disclaimer."""
    status, out = _chat(shipped_bot, "does it cause naseau\r/quit\r")
    assert status == 0
    assert "1 medication: Milnacipran" in out
    assert "AI-generated or crowd-sourced" in out  # the page's note about its source
    assert out.index("especially at the start of treatment") < out.index(DISCLAIMER_START)


def test_ctrl_d_exits(shipped_bot: Bot) -> None:
    """Ctrl-D on an empty line ends the chat with status 0."""
    status, _ = _chat(shipped_bot, "\x04")
    assert status == 0


def test_ctrl_c_clears_the_line(shipped_bot: Bot) -> None:
    """Ctrl-C drops what was typed and the chat goes on."""
    status, out = _chat(shipped_bot, "does it cause naus\x03is it addictive\r\x04")
    assert status == 0
    assert "not considered a drug with a high potential for addiction" in out
    assert "especially at the start of treatment" not in out


def test_slash_commands(shipped_bot: Bot) -> None:
    """/help, /drugs, /drug, /topics and /reset do what they say."""
    _, out = _chat(
        shipped_bot, "/help\r/drugs mil\r/drug milnacipran\r/topics\r/reset\r/nope\r\x04"
    )
    assert "/drugs" in out
    assert "Milnacipran\n" in out
    assert "Now talking about Milnacipran" in out
    assert "Increased heart rate (tachycardia)" in out
    assert "Forgotten." in out
    assert "Unknown command /nope" in out


def test_suggestions_are_numbered_and_picked_by_number(shipped_bot: Bot) -> None:
    """An unsure reply lists numbered topics; typing a number answers that topic."""
    _, out = _chat(shipped_bot, "how much should i take\r1\r\x04")
    assert "  1. " in out
    assert out.count(DISCLAIMER_START) == 1  # the picked answer has the drug's disclaimer


def test_a_failing_turn_is_reported_and_the_chat_goes_on(
    shipped_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception in one turn is one line of output, not the end of the chat."""
    real_ask = Session.ask

    def flaky(self: Session, text: str) -> object:
        if text == "boom":
            raise RuntimeError("kaput")
        return real_ask(self, text)

    monkeypatch.setattr(Session, "ask", flaky)
    status, out = _chat(shipped_bot, "boom\ris it addictive\r\x04")
    assert status == 0
    assert "that turn failed (RuntimeError: kaput)" in out
    assert "high potential for addiction" in out


def test_history_falls_back_to_memory(tmp_path: Path) -> None:
    """History goes to its file, or to memory when the file can't be written."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    assert isinstance(open_history(tmp_path / "state" / "history"), FileHistory)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert isinstance(open_history(blocker / "history"), InMemoryHistory)


def test_piped_chat_is_plain(tmp_path: Path) -> None:
    """Piped input gets plain answers with disclaimers: no prompt, no escape codes."""
    done = subprocess.run(
        [sys.executable, "-m", "faqbot", "chat", "--knowledge", str(KNOWLEDGE)],
        input="does milnacipran cause dry mouth\nwhat about sweating\n",
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert "Decreased saliva production." in done.stdout
    assert "Increased perspiration." in done.stdout
    assert done.stdout.count(DISCLAIMER_START) == 2
    assert ">" not in done.stdout.replace("›", "")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[list[str]]:
    """A private tmux server; skips when tmux is not installed."""
    if shutil.which("tmux") is None:
        missing_tool("tmux is not installed (apt-get install tmux)")
    base = ["tmux", "-S", str(tmp_path / "tmux.sock")]
    yield base
    subprocess.run([*base, "kill-server"], capture_output=True, check=False)


def _screen(base: list[str], want: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(
            [*base, "capture-pane", "-p", "-t", "chat"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if want in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{want!r} never appeared on screen:\n{screen}")


def test_real_terminal_end_to_end(tmux: list[str], tmp_path: Path) -> None:
    """The real `faqbot` in a terminal: type a question, see answer and disclaimer, Ctrl-D."""
    env = f"HOME={tmp_path} XDG_STATE_HOME={tmp_path}/state PYTHONPATH={ROOT}"
    command = f"env {env} {sys.executable} -m faqbot --knowledge {KNOWLEDGE}"
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "chat", "-x", "100", "-y", "40", command], check=True
    )
    _screen(tmux, "Ctrl-D to leave")
    subprocess.run([*tmux, "send-keys", "-t", "chat", "does it cause naseau", "Enter"], check=True)
    screen = _screen(tmux, "potential adverse effects")
    assert "Milnacipran › Nausea" in screen
    assert DISCLAIMER_START in screen
    subprocess.run([*tmux, "send-keys", "-t", "chat", "C-d"], check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = subprocess.run([*tmux, "has-session", "-t", "chat"], capture_output=True)
        if alive.returncode != 0:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("faqbot did not exit on Ctrl-D")
    assert "does it cause naseau" in (tmp_path / "state" / "faqbot" / "history").read_text()


def test_completion_of_commands_drugs_and_topics(shipped_bot: Bot) -> None:
    """Tab completes slash commands, drug names after /drug, and the focused drug's topics."""
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from faqbot.repl import _Completer

    session = Session(shipped_bot)
    completer = _Completer(
        lambda: [e.title for e in session.bot.index.medications["milnacipran"].entries()],
        ["Milnacipran"],
    )

    def complete(text: str) -> list[str]:
        found = completer.get_completions(Document(text), CompleteEvent(completion_requested=True))
        return [c.text for c in found]

    assert complete("/dr") == ["/drugs", "/drug"]
    assert complete("/drug mil") == ["Milnacipran"]
    assert "Sweating" in complete("does it cause Swe")
    assert "Milnacipran" in complete("is mi")


def test_titles_from_pages_reach_the_terminal_without_controls(tmp_path: Path) -> None:
    """A title holding an escape sequence is listed by /drugs and /topics without it."""
    from faqbot.bot import load_knowledge

    text = (KNOWLEDGE / "milnacipran.yaml").read_text(encoding="utf-8")
    evil = text.replace("title: Milnacipran\n", 'title: "Milna\\e[2Jcipran"\n')
    (tmp_path / "milnacipran.yaml").write_text(evil, encoding="utf-8")
    repl = Repl(Session(Bot(load_knowledge(tmp_path))), color=False)
    repl.handle("/drug milnacipran")
    for command in ("/drugs", "/topics"):
        reply = repl.handle(command)
        assert reply is not None
        assert "\x1b" not in reply
    assert "\x1b" not in repl.banner()
