"""The command line: ``faqbot import | check | ask | eval | chat``. Thin: parse, call, print."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from faqbot.errors import FaqbotError

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from faqbot.batch import PageReport
    from faqbot.bot import Bot

__all__ = ["main", "run"]


def run() -> int:
    """The ``faqbot`` command: :func:`main` in a process of its own."""
    status = main()
    # The process ends now: spare it a last collection, a pass over every object it made.
    gc.freeze()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    given = list(sys.argv[1:] if argv is None else argv)
    if not given or (given[0].startswith("-") and given[0] not in ("-h", "--help")):
        given = ["chat", *given]  # no command: the chat, with whatever options were given
    args = quick_ask_args(given) or _parser().parse_args(given, namespace=SimpleNamespace())
    # One question makes little garbage, and the collector's passes over all that the imports
    # and the index made would take a sixth of its time; a long run keeps collecting.
    one_shot = args.run is _ask and args.question != "-" and gc.isenabled()
    if one_shot:
        gc.disable()
    try:
        return int(args.run(args))
    except FaqbotError as e:
        print(f"faqbot: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("faqbot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if one_shot:
            gc.enable()


# The options of `faqbot ask`, which `quick_ask_args` reads too.
_ASK_FLAGS = ("--json", "--conversation")
_KNOWLEDGE = "--knowledge"


def quick_ask_args(given: list[str]) -> SimpleNamespace | None:
    """``faqbot ask`` with its usual options, read without argparse, whose import and set-up
    take a tenth of a one-shot answer's time. None for anything else (help, an unknown or
    abbreviated option, a missing or extra question), which argparse reads and reports."""
    if given[:1] != ["ask"]:
        return None
    args = SimpleNamespace(command="ask", json=False, conversation=False, knowledge=None, run=_ask)
    positional: list[str] = []
    rest = iter(given[1:])
    for token in rest:
        if token == "--":
            positional += rest
        elif token in _ASK_FLAGS:
            setattr(args, token[2:], True)
        elif token == _KNOWLEDGE or token.startswith(_KNOWLEDGE + "="):
            value = token.partition("=")[2] if "=" in token else next(rest, None)
            if value is None or (value.startswith("-") and "=" not in token):
                return None
            args.knowledge = value
        elif token.startswith("-") and token != "-":
            return None
        else:
            positional.append(token)
    if len(positional) != 1:
        return None
    args.question = positional[0]
    return args


def _parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="A medication FAQ assistant. With no command, starts the chat.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", help="turn medication pages into knowledge files")
    imp.add_argument("pages", nargs="+", type=Path, metavar="PAGE_OR_DIR")
    imp.add_argument("--out", type=Path, default=Path("knowledge"), help="default: ./knowledge")
    imp.add_argument("-q", "--quiet", action="store_true", help="only refusals and drops")
    imp.set_defaults(run=_import)

    chk = sub.add_parser("check", help="validate knowledge files (default: those in use)")
    chk.add_argument("paths", nargs="*", type=Path, metavar="DIR_OR_FILE")
    _knowledge_option(chk)
    chk.set_defaults(run=_check)

    ask = sub.add_parser("ask", help="answer one question (or one per line of stdin with -)")
    ask.add_argument("question", help='the question, or "-" to read questions from stdin')
    json_flag, conversation_flag = _ASK_FLAGS
    ask.add_argument(json_flag, action="store_true", help="print JSON (one object per line)")
    ask.add_argument(
        conversation_flag,
        action="store_true",
        help='with "-": the lines are one conversation (follow-ups, suggestions by number)',
    )
    _knowledge_option(ask)
    ask.set_defaults(run=_ask)

    ev = sub.add_parser("eval", help="measure answer quality on a question set")
    ev.add_argument("file", type=Path)
    ev.add_argument("--pages", type=Path, help="folder of the corpus pages the set names")
    _knowledge_option(ev)
    ev.set_defaults(run=_eval)

    serve = sub.add_parser("serve", help="serve the HTTP API and the help widget")
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback only)")
    serve.add_argument("--port", type=int, default=8000, help="default: 8000")
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
    _knowledge_option(serve)
    serve.set_defaults(run=_serve)

    chat = sub.add_parser("chat", help="chat in the terminal (the default)")
    chat.add_argument("--no-color", action="store_true", help="no colours (also: NO_COLOR)")
    _knowledge_option(chat)
    chat.set_defaults(run=_chat)
    return parser


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return value


def _knowledge_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        _KNOWLEDGE,
        metavar="DIR",
        help="knowledge folder (default: $FAQBOT_KNOWLEDGE, else the shipped knowledge)",
    )


def _bot(args: SimpleNamespace) -> Bot:
    from faqbot.bot import Bot, load_knowledge
    from faqbot.locations import cache_dir, knowledge_dir

    return Bot(load_knowledge(knowledge_dir(args.knowledge), cache_dir()))


# --- import -------------------------------------------------------------------------------


def _import(args: SimpleNamespace) -> int:
    from faqbot.batch import find_pages, import_pages
    from faqbot.progress import Progress

    missing = [p for p in args.pages if not p.exists()]
    if missing:
        raise FaqbotError(f"no such page or folder: {missing[0]}")
    pages = list(find_pages(args.pages))
    if not pages:
        raise FaqbotError("no pages (*.md) found in " + ", ".join(map(str, args.pages)))
    with Progress(len(pages), "Importing") as bar:

        def report(r: PageReport) -> None:
            lines = _page_lines(r, args.quiet)
            if lines:
                bar.clear()
                print("\n".join(lines), flush=True)
            bar.advance(r.page)

        reports = import_pages(pages, args.out, report)
    print(_summary(reports, args.out))
    return 1 if any(r.refused for r in reports) else 0


def _page_lines(r: PageReport, quiet: bool) -> list[str]:
    if r.refused:
        return [f"{r.page}: not imported: {r.refused}"]
    lines = []
    if not quiet:
        assert r.output is not None
        what = f"{r.side_effects} side effects, {r.faqs} FAQs, {r.sections} other sections"
        state = "" if r.written else " (unchanged)"
        lines.append(f"{r.page} → {r.output.name}: {what}{state}")
    for d in r.dropped:
        text = d.text if len(d.text) <= 70 else d.text[:67] + "..."
        lines.append(f"{r.page}: dropped: {d.reason}: {text!r}")
    return lines


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
    from faqbot.locations import knowledge_dir

    paths = args.paths or [knowledge_dir(args.knowledge)]
    problems, files = check_paths(paths)
    for p in problems:
        print(p)
    bad = len({p.path for p in problems})
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} in {bad} of {files} files.", file=sys.stderr)
        return 1
    print(f"{files} files OK.", file=sys.stderr)
    return 0


# --- ask ----------------------------------------------------------------------------------


def _ask(args: SimpleNamespace) -> int:
    from faqbot.render import to_json, to_text

    bot = _bot(args)
    if args.question != "-":
        if args.conversation:
            raise FaqbotError('--conversation reads the conversation from stdin: use "-"')
        answer = bot.ask(args.question)
        print(to_json(answer) if args.json else to_text(answer, _width()))
        return 0
    from faqbot.session import Session

    conversation = Session(bot)
    for line in sys.stdin:
        question = line.rstrip("\n")
        if not question.strip():
            continue
        session = conversation if args.conversation else Session(bot)
        answer = session.ask(question)
        if args.json:
            print(to_json(answer, drug=session.drug_title), flush=True)
        else:
            print(to_text(answer, _width()) + "\n", flush=True)
    return 0


def _width() -> int:
    """The terminal's width ($COLUMNS first, as in shutil, not imported for this), at most 100."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
        if columns <= 0:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        columns = 0
    return min(columns or 88, 100)


# --- eval ---------------------------------------------------------------------------------


def _eval(args: SimpleNamespace) -> int:
    from faqbot.evaluate import evaluate, load_eval_set

    qs = load_eval_set(args.file)
    bot = _eval_bot(args, qs.drugs)
    report = evaluate(bot, qs.cases)
    print(f"{args.file}: {report.total} questions")
    print(f"  right:   {report.right:4d}  {report.accuracy:6.1%}")
    print(
        f"  wrong:   {report.wrong:4d}  {report.wrong_rate:6.1%}  (an entry used, not a right one)"
    )
    print(
        f"  abstention precision {report.abstain_precision:6.1%}, "
        f"recall {report.abstain_recall:6.1%} ({report.should_abstain} must abstain)"
    )
    for case, answer, verdict in report.failures:
        got = answer.entry.id if answer.entry else answer.status
        print(
            f"  {verdict:6s} {case.question!r}: expected {case.expect}, got {got} "
            f"({answer.confidence:.2f})"
        )
    return 0


def _eval_bot(args: SimpleNamespace, drugs: tuple[str, ...]) -> Bot:
    if not drugs:
        return _bot(args)
    from faqbot.batch import read_pages
    from faqbot.bot import Bot, index_medications

    if args.pages is None:
        raise FaqbotError("this question set needs corpus pages: pass --pages DIR")
    return Bot(index_medications(read_pages((args.pages / d, d) for d in drugs)))


# --- serve --------------------------------------------------------------------------------


def _serve(args: SimpleNamespace) -> int:
    try:
        from faqbot.web import serve
    except ImportError as e:
        raise FaqbotError(
            f"the web server needs the 'web' extra ({e.name} is missing): pip install 'faqbot[web]'"
        ) from None
    serve(
        _bot(args),
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
    from faqbot.locations import history_file
    from faqbot.repl import Repl, open_history
    from faqbot.session import Session

    session = Session(_bot(args))
    if not sys.stdin.isatty():  # piped: plain answers, no prompt, no escape codes
        repl = Repl(session, color=False)
        for line in sys.stdin:
            reply = repl.handle(line)
            if reply is None:
                break
            if reply:
                print(reply, flush=True)
        return 0
    no_color = args.no_color or bool(os.environ.get("NO_COLOR"))
    color = not no_color and sys.stdout.isatty()
    return Repl(session, color=color, history=open_history(history_file())).run()
