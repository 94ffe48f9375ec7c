"""The command line: ``faqbot import | check | ask | eval | serve | chat``. Thin: parse, call,
print. The one-shot ``faqbot ask "QUESTION"`` skips this module: see ``faqbot.oneshot``,
which also holds the error path every command runs in."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from faqbot.errors import FaqbotError
from faqbot.locations import cache_dir, cache_key_file, history_file, knowledge_dir
from faqbot.numbers import whole_number
from faqbot.oneshot import (
    ASK_OPTIONS,
    ASK_QUESTION,
    KNOWLEDGE_OPTION,
    ask_one,
    guarded,
    run,
    say,
    tell,
    terminal_width,
    use_stdin_utf8,
    use_stdout,
)
from faqbot.render import for_terminal

if TYPE_CHECKING:
    from faqbot.batch import PageReport
    from faqbot.bot import Bot

__all__ = ["build_parser", "main", "run"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line in this process; returns the exit status."""
    given = list(sys.argv[1:] if argv is None else argv)
    if not given or (given[0].startswith("-") and given[0] not in ("-h", "--help")):
        given = ["chat", *given]  # no command: the chat, with whatever options were given
    args = build_parser().parse_args(given, namespace=SimpleNamespace())
    return guarded(lambda: int(args.run(args)))


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="A medication FAQ assistant. With no command, starts the chat.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", help="turn medication pages into knowledge files")
    imp.add_argument("pages", nargs="+", type=Path, metavar="PAGE_OR_DIR")
    imp.add_argument("--out", type=Path, default=Path("knowledge"), help="default: ./knowledge")
    imp.add_argument(
        "--overwrite",
        action="store_true",
        help="replace existing knowledge files, hand edits included",
    )
    imp.add_argument("-q", "--quiet", action="store_true", help="only refusals and drops")
    imp.set_defaults(run=_import)

    chk = sub.add_parser("check", help="validate knowledge files (default: those in use)")
    chk.add_argument("paths", nargs="*", type=Path, metavar="DIR_OR_FILE")
    _option(chk, *KNOWLEDGE_OPTION)
    chk.set_defaults(run=_check)

    ask = sub.add_parser("ask", help="answer one question (or one per line of stdin with -)")
    name, help_text = ASK_QUESTION
    ask.add_argument(name, help=help_text)
    for option in ASK_OPTIONS:
        _option(ask, *option)
    ask.set_defaults(run=_ask)

    ev = sub.add_parser("eval", help="measure answer quality on question sets")
    ev.add_argument("files", nargs="+", type=Path, metavar="FILE", help="question set files")
    ev.add_argument(
        "--pages", type=Path, metavar="DIR", help="the corpus folder the sets' pages are read from"
    )
    ev.add_argument(
        "--questions",
        type=Path,
        metavar="DIR",
        help="folder of the files sets read questions from (default: ../eval beside the corpus)",
    )
    ev.add_argument(
        "--knowledge",
        metavar="DIR",
        help="knowledge for sets with no drugs (default: $FAQBOT_KNOWLEDGE, else the shipped "
        "knowledge), and for 'drugs: all' sets instead of reading every page",
    )
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument(
        "--show-held-out", action="store_true", help="list held-out failures too (final audit)"
    )
    ev.set_defaults(run=_eval)

    serve = sub.add_parser("serve", help="serve the HTTP API and the help widget")
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback only)")
    serve.add_argument("--port", type=_port, default=8000, help="1 to 65535 (default: 8000)")
    serve.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow this origin to call the API from a browser (repeatable; default: none)",
    )
    serve.add_argument(
        "--rate-limit",
        type=_positive,
        default=60,
        metavar="N",
        help="requests a minute from one client address before 429 (default: 60)",
    )
    serve.add_argument(
        "--session-minutes",
        type=_positive,
        default=30,
        metavar="N",
        help="a conversation is forgotten N minutes after its last question (default: 30)",
    )
    serve.add_argument(
        "--max-sessions",
        type=_positive,
        default=10_000,
        metavar="N",
        help="conversations held at most; the least recently used go first (default: 10000)",
    )
    _option(serve, *KNOWLEDGE_OPTION)
    serve.set_defaults(run=_serve)

    chat = sub.add_parser("chat", help="chat in the terminal (the default)")
    chat.add_argument("--no-color", action="store_true", help="no colours (also: NO_COLOR)")
    _option(chat, *KNOWLEDGE_OPTION)
    chat.set_defaults(run=_chat)
    return parser


def _option(p: argparse.ArgumentParser, option: str, metavar: str | None, help: str) -> None:
    """An option from a table row of faqbot.oneshot: a flag, or one that takes a value."""
    if metavar is None:
        p.add_argument(option, action="store_true", help=help)
    else:
        p.add_argument(option, metavar=metavar, help=help)


def _whole_number(text: str, low: int, high: int | None = None) -> int:
    value = whole_number(text, low, high)
    if value is None:
        span = f"from {low} to {high}" if high is not None else f"above {low - 1}"
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {span}")
    return value


def _positive(text: str) -> int:
    return _whole_number(text, 1)


def _port(text: str) -> int:
    return _whole_number(text, 1, 65535)


def _bot(args: SimpleNamespace) -> Bot:
    from faqbot.bot import Bot, load_knowledge

    return Bot(load_knowledge(knowledge_dir(args.knowledge), cache_dir(), cache_key_file()))


# --- import -------------------------------------------------------------------------------


def _import(args: SimpleNamespace) -> int:
    from faqbot.batch import find_pages, import_pages
    from faqbot.progress import Progress

    missing = [p for p in args.pages if not p.exists()]
    if missing:
        raise FaqbotError(f"no such page or folder: {missing[0]} (check the path)")
    pages = list(find_pages(args.pages))
    if not pages:
        raise FaqbotError(
            "no pages (*.md) found in " + ", ".join(map(str, args.pages)) + ": name Markdown pages"
        )
    with Progress(len(pages), "Importing") as bar:

        def report(r: PageReport) -> None:
            lines = _page_lines(r, args.quiet)
            if lines:
                bar.clear()
                say("\n".join(lines), flush=True)
            bar.advance(r.page)

        reports = import_pages(pages, args.out, report, overwrite=args.overwrite)
    say(for_terminal(_summary(reports, args.out)))
    return 1 if any(r.refused for r in reports) else 0


def _page_lines(r: PageReport, quiet: bool) -> list[str]:
    """What to say of one page, made safe for a terminal."""
    if r.refused:
        lines = [f"{r.page}: not imported: {r.refused}"]
    else:
        lines = []
        if not quiet:
            assert r.output is not None
            what = f"{r.side_effects} side effects, {r.faqs} FAQs, {r.sections} other sections"
            state = "" if r.written else " (unchanged)"
            lines.append(f"{r.page} → {r.output.name}: {what}{state}")
        lines += (f"{r.page}: kept: {message}" for message in r.kept)
        for d in r.dropped:
            text = d.text if len(d.text) <= 70 else d.text[:67] + "..."
            lines.append(f"{r.page}: dropped: {d.reason}: {text!r}")
    return [for_terminal(line) for line in lines]


def _summary(reports: list[PageReport], out: Path) -> str:
    made = [r for r in reports if not r.refused]
    refused = len(reports) - len(made)
    written = sum(r.written for r in made)
    dropped = sum(len(r.dropped) for r in made)
    with_drops = sum(bool(r.dropped) for r in made)
    return (
        f"Imported {len(made)} of {len(reports)} pages into {out}/ "
        f"({written} written, {len(made) - written} unchanged); "
        f"not imported {refused}; dropped {dropped} items from {with_drops} pages."
    )


# --- check --------------------------------------------------------------------------------


def _check(args: SimpleNamespace) -> int:
    from faqbot.checking import check_paths

    paths = args.paths or [knowledge_dir(args.knowledge)]
    problems, files = check_paths(paths)
    for p in problems:
        say(for_terminal(str(p)))
    bad = len({os.fspath(p.path) for p in problems})
    if problems:
        total = sum(p.stands_for for p in problems)
        noun = "problem" if total == 1 else "problems"
        tell(f"{total:,} {noun} in {bad} of {files} files.")
        return 1
    tell(f"{files} file OK." if files == 1 else f"{files} files OK.")
    return 0


# --- ask ----------------------------------------------------------------------------------


def _ask(args: SimpleNamespace) -> int:
    if args.question != "-":
        return ask_one(args)
    from faqbot.render import to_json, to_text
    from faqbot.session import Session

    bot = _bot(args)
    use_stdin_utf8()
    use_stdout(utf8=args.json)
    width = terminal_width()
    conversation = Session(bot)
    for line in sys.stdin:  # one reply per line, blank lines too, so replies line up
        session = conversation if args.conversation else Session(bot)
        answer = session.ask(line.rstrip("\n").rstrip("\r"))
        if args.json:
            reply = to_json(answer, drug=session.drug_title)
        else:
            reply = to_text(answer, width) + "\n"
        if not say(reply, flush=True):
            break  # nobody reads on
    return 0


# --- eval ---------------------------------------------------------------------------------


def _eval(args: SimpleNamespace) -> int:
    from faqbot.evaluation import load_eval_set, run_sets, to_json, to_text

    questions = args.questions
    if questions is None and args.pages is not None:
        questions = args.pages.parent.parent / "eval"  # ../shared/eval beside corpus/rxhive-v1
    sets = [load_eval_set(f, questions) for f in args.files]
    run = run_sets(sets, lambda drugs: _eval_bot(args, drugs), args.pages)
    if args.json:
        say(to_json(run, args.show_held_out))
    else:
        say(for_terminal(to_text(run, args.show_held_out)))
    return 0


def _eval_bot(args: SimpleNamespace, drugs: tuple[str, ...] | str) -> Bot:
    from faqbot.evaluation import ALL, corpus_bot

    if not drugs or (drugs == ALL and args.knowledge is not None):
        return _bot(args)
    if args.pages is None and drugs == ALL:
        raise FaqbotError(
            "a 'drugs: all' set needs the corpus: pass --pages DIR (the corpus folder) or "
            "--knowledge DIR (the corpus imported with faqbot import)"
        )
    if args.pages is None:
        raise FaqbotError("this question set needs corpus pages: pass --pages DIR")
    return corpus_bot(args.pages, drugs)


# --- serve --------------------------------------------------------------------------------


def _serve(args: SimpleNamespace) -> int:
    try:
        from faqbot.web import serve
    except ImportError as e:
        raise FaqbotError(
            f"the web server needs the 'web' extra ({e.name} is missing): pip install 'faqbot[web]'"
        ) from None
    bot = _bot(args)
    bot.warm()  # before the first request, not during it
    serve(
        bot,
        host=args.host,
        port=args.port,
        allow_origins=args.cors,
        rate_limit=(args.rate_limit, 60.0),
        session_ttl=args.session_minutes * 60.0,
        max_sessions=args.max_sessions,
    )
    return 0


# --- chat ---------------------------------------------------------------------------------


def _chat(args: SimpleNamespace) -> int:
    from faqbot.repl import Repl, open_history
    from faqbot.session import Session

    session = Session(_bot(args))
    if sys.stdin is None or not sys.stdin.isatty():  # piped: plain answers, no escape codes
        use_stdin_utf8()
        use_stdout(utf8=False)
        repl = Repl(session, color=False)
        for line in sys.stdin:
            reply = repl.handle(line)
            if reply is None:
                break
            if reply and not say(reply, flush=True):
                break
        return 0
    no_color = args.no_color or bool(os.environ.get("NO_COLOR"))
    color = not no_color and sys.stdout.isatty()
    session.bot.warm()  # while the prompt is drawn, not on the first question
    return Repl(session, color=color, history=open_history(history_file())).run()
