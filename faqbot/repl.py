"""The terminal chat: a prompt_toolkit REPL over a :class:`~faqbot.session.Session`.

History across sessions, completion of drug names, topics and slash commands, a toolbar with
the drug in focus. Ctrl-C clears the line, Ctrl-D quits, and one bad turn never ends the chat.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import ANSI
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.shortcuts import print_formatted_text
from rapidfuzz import fuzz, process

from faqbot.normalize import normalize
from faqbot.render import Style, for_terminal, to_text
from faqbot.session import Session

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["COMMANDS", "Repl", "open_history"]

COMMANDS = {
    "/help": "how to ask, and these commands",
    "/drugs": "[FILTER] list the medications I know",
    "/topics": "what I know about the medication in focus",
    "/drug": "NAME talk about this medication",
    "/reset": "forget the conversation",
    "/quit": "leave (or Ctrl-D)",
}
MAX_LISTED = 40  # drugs shown by /drugs before "and N more"
# Characters of a medication name read by /drug, /drugs and completion; a longer one is refused
# before any lookup (the longest of 3,700 corpus titles has 258). Matching a name costs its
# length times the number of drugs: 100,000 characters took 6 s over the corpus.
MAX_NAME = 300


def open_history(where: StrPath | None) -> History:
    """History in ``where`` (created), or in memory when it cannot be written."""
    if where is None:
        return InMemoryHistory()
    path = Path(where)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError:
        return InMemoryHistory()
    return FileHistory(str(path))


class _Completer(Completer):
    """Slash commands, drug names after ``/drug``, and drug names and topics in questions."""

    def __init__(self, words: Callable[[], Iterable[str]], drugs: list[str]) -> None:
        self.words = words
        self.drugs = drugs

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.startswith("/drug "):
            yield from _starting(text[len("/drug ") :], self.drugs)
        elif text.startswith("/") and " " not in text:
            yield from _starting(text, list(COMMANDS))
        else:
            word = document.get_word_before_cursor(WORD=True)
            if len(word) >= 2:
                yield from _starting(word, [*self.drugs, *self.words()])


def _starting(prefix: str, options: Iterable[str]) -> Iterator[Completion]:
    if len(prefix) > MAX_NAME:
        return
    low = prefix.casefold()
    seen: set[str] = set()
    for option in options:
        if option.casefold().startswith(low) and option not in seen:
            seen.add(option)
            yield Completion(option, start_position=-len(prefix))


class Repl:
    """Reads questions and commands, answers through the session, prints through render."""

    def __init__(
        self,
        session: Session,
        *,
        color: bool = True,
        history: History | None = None,
        input: Input | None = None,
        output: Output | None = None,
    ) -> None:
        self.session = session
        self.color = color
        self.style = Style(color)
        self.history = history or InMemoryHistory()
        self.input = input
        self.output = output
        self.prompt: PromptSession[str] | None = None  # made by run(): handle() needs none

    def run(self) -> int:
        """Chat until /quit or Ctrl-D; returns the exit status."""
        drugs = sorted(m.title for m in self.session.bot.index.medications.values())
        self.prompt = PromptSession(
            history=self.history,
            auto_suggest=AutoSuggestFromHistory(),
            completer=_Completer(self._topics, drugs),
            complete_while_typing=False,
            bottom_toolbar=self._toolbar,
            input=self.input,
            output=self.output,
        )
        self.say(self.banner())
        while True:
            try:
                line = self.prompt.prompt("› " if self.color else "> ")
            except KeyboardInterrupt:
                continue  # Ctrl-C clears the line, as in every shell
            except EOFError:
                return 0
            try:
                reply = self.handle(line)
            except Exception as e:  # one bad turn is reported, and the chat goes on
                reply = f"faqbot: that turn failed ({type(e).__name__}: {e}); please go on."
            if reply is None:
                return 0
            if reply:
                self.say(reply)

    def say(self, text: str) -> None:
        print_formatted_text(ANSI(text), output=self.output)

    def width(self) -> int:
        if self.prompt is not None:
            columns = self.prompt.app.output.get_size().columns
        else:
            columns = shutil.get_terminal_size((88, 24)).columns
        return max(20, min(columns, 100))

    def banner(self) -> str:
        s = self.style
        meds = self.session.bot.index.medications
        known = f"{len(meds)} medication" + ("" if len(meds) == 1 else "s")
        if len(meds) == 1:
            known += f": {for_terminal(next(iter(meds.values())).title)}"
        notes = {for_terminal(m.note) for m in meds.values() if m.note}
        lines = [f"{s.bold}faqbot{s.reset} — I answer questions about {known}."]
        if len(notes) == 1:
            lines.append(f"{s.dim}{notes.pop()}{s.reset}")
        lines.append("Ask in your own words. /help for commands, Ctrl-D to leave.")
        return "\n".join(lines)

    def handle(self, line: str) -> str | None:
        """The text to show for one line of input; None to quit."""
        text = line.strip()
        if not text:
            return ""
        if text.startswith("/"):
            reply = self.command(text)  # may hold titles from pages: no terminal controls
            return None if reply is None else for_terminal(reply)
        answer = self.session.ask(text)
        return to_text(answer, self.width(), self.color) + "\n"

    def command(self, text: str) -> str | None:
        name, _, arg = text.partition(" ")
        arg = arg.strip()
        if name in ("/quit", "/exit", "/q"):
            return None
        if name == "/help":
            return self._help()
        if name == "/drugs":
            return self._drugs(arg)
        if name == "/topics":
            return self._topics_text()
        if name == "/drug":
            return self._drug(arg)
        if name == "/reset":
            self.session.reset()
            return "Forgotten. Which medication would you like to ask about?"
        return f"Unknown command {name}. Try /help."

    def _help(self) -> str:
        rows = [f"  {name:<8} {what}" for name, what in COMMANDS.items()]
        return "\n".join(
            [
                "Ask about a medication in your own words: what it is for, how it works, its",
                "side effects, or the questions people often ask. Follow up without repeating",
                'its name ("what about dizziness?"), and answer my suggestions by number.',
                *rows,
            ]
        )

    def _drugs(self, query: str) -> str:
        if len(query) > MAX_NAME:
            return _too_long(query)
        titles = sorted(m.title for m in self.session.bot.index.medications.values())
        if query:
            q = query.casefold()
            titles = [t for t in titles if q in t.casefold()]
        if not titles:
            return f"No medication matches {query!r}."
        shown = titles[:MAX_LISTED]
        more = len(titles) - len(shown)
        return "\n".join(shown + ([f"... and {more} more (/drugs FILTER)"] if more else []))

    def _topics(self) -> list[str]:
        slug = self.session.drug
        if slug is None:
            return []
        return [e.title for e in self.session.bot.index.medications[slug].entries()]

    def _topics_text(self) -> str:
        topics = self._topics()
        if not topics:
            return "No medication in focus yet: ask about one, or choose with /drug NAME."
        return f"{self.session.drug_title}:\n" + "\n".join(f"  {t}" for t in topics)

    def _drug(self, name: str) -> str:
        if not name:
            return "Which one? /drug NAME (see /drugs)."
        if len(name) > MAX_NAME:
            return _too_long(name)
        meds = self.session.bot.index.medications
        by_name = {normalize(m.title): slug for slug, m in meds.items()}
        found = process.extract(normalize(name), list(by_name), scorer=fuzz.WRatio, limit=2)
        if not found or found[0][1] < 80:
            return f"I don't know a medication called {name!r}. See /drugs."
        if len(found) > 1 and found[0][1] - found[1][1] < 3 and found[0][1] < 100:
            options = ", ".join(meds[by_name[n]].title for n, _, _ in found)
            return f"Which one: {options}?"
        self.session.focus(by_name[found[0][0]])
        return f"Now talking about {self.session.drug_title}. /topics lists what I know."

    def _toolbar(self) -> str:
        drug = for_terminal(self.session.drug_title or "none yet")
        return f" Medication: {drug}   /help   Ctrl-D quits "


def _too_long(name: str) -> str:
    return (
        f"That name is {len(name):,} characters long; I read names of up to {MAX_NAME}. See /drugs."
    )
