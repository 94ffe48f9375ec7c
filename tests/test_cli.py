"""The command line, run in-process through ``faqbot.cli.main``."""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import KNOWLEDGE, ROOT

from faqbot.cli import build_parser, main
from faqbot.oneshot import ASK_OPTIONS, read_ask


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.mark.corpus
@pytest.mark.slow
def test_import_corpus_twice_changes_no_byte(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Importing the whole corpus makes >= 3,600 files, names refusals, and is idempotent."""
    out = tmp_path / "k"
    assert main(["import", str(corpus), "--out", str(out), "-q"]) == 1  # some pages refused
    first = capsys.readouterr().out
    assert len(list(out.glob("*.yaml"))) >= 3600
    assert "a/actarit.md: not imported: refused: the page says there is no such medication" in first
    assert first.splitlines()[-1].startswith("Imported ")
    before = _digests(out)
    assert main(["import", str(corpus), "--out", str(out), "-q"]) == 1
    second = capsys.readouterr().out
    assert "(0 written," in second.splitlines()[-1]
    assert _digests(out) == before
    assert main(["check", str(out)]) == 0


def test_import_one_page_reports_what_it_made(
    milnacipran_page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each page gets a line saying what it made; a clean run exits 0."""
    assert main(["import", str(milnacipran_page), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "milnacipran.md → milnacipran.yaml: 11 side effects, 6 FAQs" in out
    made = (tmp_path / "milnacipran.yaml").read_bytes()
    assert made == (KNOWLEDGE / "milnacipran.yaml").read_bytes()


def test_import_says_what_it_kept_and_can_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each hand edit kept over the page is a line `PAGE: kept: MESSAGE`; --overwrite reaches
    import_pages."""
    import faqbot.batch
    from faqbot.batch import PageReport

    seen: list[bool] = []

    def fake_import(
        pages: list[tuple[Path, str]],
        out: Path,
        on_page: Callable[[PageReport], None],
        *,
        overwrite: bool = False,
    ) -> list[PageReport]:
        seen.append(overwrite)
        report = PageReport("p.md", output=out / "p.yaml", kept=("faqs[0].answer: your edit",))
        on_page(report)
        return [report]

    (tmp_path / "p.md").write_text("---\ntitle: P\n---\n", encoding="utf-8")
    monkeypatch.setattr(faqbot.batch, "import_pages", fake_import)
    assert main(["import", str(tmp_path / "p.md"), "--out", str(tmp_path)]) == 0
    assert "p.md: kept: faqs[0].answer: your edit\n" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "p.md"), "--out", str(tmp_path), "--overwrite"]) == 0
    assert seen == [False, True]


def test_import_missing_path_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path that does not exist gets one line, exit 1, no traceback."""
    assert main(["import", str(tmp_path / "nope.md"), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("faqbot: no such page or folder")


BAD_FILES = {
    "syntax.yaml": ("format: 1\ntitle: Broken\nusage:\n  text: one: two\n", 4, "YAML"),
    "no_answer.yaml": (
        "format: 1\ntitle: Noanswer\nfaqs:\n- question: Is it safe?\n  group: x\n",
        4,
        "answer",
    ),
    "unknown.yaml": (
        "format: 1\ntitle: Unknown\nusage:\n  text: For pain.\nfaqs:\n- question: Why?\n"
        "  anser: Because.\n",
        7,
        "anser",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_check_reports_file_line_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`faqbot check` prints file:line: message for each problem and exits 1."""
    text, line, word = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out, "no problem printed"
    assert all(o.startswith(f"{path}:") for o in out)
    assert any(o.startswith(f"{path}:{line}: ") and word in o for o in out)


def test_check_folder_reports_every_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checking a folder reports the problems of every file in it."""
    for name, (text, _, _) in BAD_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert all(f"{tmp_path / name}:" in out for name in BAD_FILES)


def test_bad_knowledge_folder_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Asking with a broken knowledge folder names the file and line."""
    (tmp_path / "x.yaml").write_text(BAD_FILES["unknown.yaml"][0], encoding="utf-8")
    assert main(["ask", "hello", "--knowledge", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'x.yaml'}:7:" in err
    assert "Traceback" not in err


def test_ask_prints_answer_then_disclaimer(capsys: pytest.CaptureFixture[str]) -> None:
    """`faqbot ask` shows the entry's words, then the drug's disclaimer."""
    assert main(["ask", "does milnacipran cause dry mouth", "--knowledge", str(KNOWLEDGE)]) == 0
    out = capsys.readouterr().out
    disclaimer = out.index("This information is for educational")
    assert out.index("Decreased saliva production.") < disclaimer


def test_ask_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints one object with exactly the contract's keys."""
    assert main(["ask", "--json", "is it addictive", "--knowledge", str(KNOWLEDGE)]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert set(reply) == {
        "question",
        "answer",
        "entry",
        "confidence",
        "suggestions",
        "urgent",
        "disclaimer",
        "status",
        "reason",
    }
    assert (reply["status"], reply["reason"]) == ("answered", None)
    assert reply["entry"]["id"] == "milnacipran:faqs/is-milnacipran-addictive"
    assert reply["entry"]["kind"] == "faq"
    assert reply["entry"]["drug"] == "Milnacipran"
    assert 0.0 <= reply["confidence"] <= 1.0
    assert reply["disclaimer"].startswith("This information is for educational purposes")


def test_ask_json_stdin_answers_each_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ask --json -` writes one JSON object per line of stdin, blank lines included."""
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("is it addictive\n\nhello\nhow much is it\n"))
    assert main(["ask", "--json", "-", "--knowledge", str(KNOWLEDGE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    replies = [json.loads(line) for line in lines]
    assert [r["question"] for r in replies] == ["is it addictive", "", "hello", "how much is it"]
    assert replies[0]["entry"]["id"] == "milnacipran:faqs/is-milnacipran-addictive"
    assert replies[1]["answer"] == "Ask me a question about a medication."
    assert replies[2]["entry"] is None
    assert replies[3]["entry"] is None


def test_python_dash_m_runs(tmp_path: Path) -> None:
    """`python -m faqbot ask` works from another directory."""
    done = subprocess.run(
        [sys.executable, "-m", "faqbot", "ask", "what is milnacipran used for"],
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "fibromyalgia" in done.stdout


def test_one_shot_ask_imports_no_argparse() -> None:
    """A one-shot `faqbot ask` is read without argparse and never imports faqbot.cli."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "faqbot", "ask", "is it addictive"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines()}
    assert "faqbot.bot" in imported
    assert not imported & {"argparse", "faqbot.cli"}


# ------------------------------------------------------------------------------ quick ask

# Options, option=value, "--", "-", abbreviations, unknown options and plain words.
ASK_TOKENS = ["--json", "--conversation", "--knowledge", "--knowledge=k", "--knowledge=",
              "--json=1", "--js", "--know=k", "-", "--", "-h", "-x", "-5", "q", "a b",
              ""]  # fmt: skip
ASK_DESTS = ["command", "question", *(option[2:] for option, _, _ in ASK_OPTIONS)]


def _argparse_reads(parser: argparse.ArgumentParser, given: list[str]) -> dict[str, object]:
    try:
        full = vars(parser.parse_args(given, namespace=SimpleNamespace()))
    except SystemExit as e:
        raise AssertionError(f"{given}: read by read_ask, refused by argparse ({e})") from None
    return {dest: full[dest] for dest in ASK_DESTS}


def test_read_ask_reads_what_argparse_reads(capsys: pytest.CaptureFixture[str]) -> None:
    """On every command line of up to 5 tokens after `ask`, read_ask reads what argparse does,
    or leaves it to argparse."""
    parser = build_parser()
    read = 0
    for length in range(6):
        for tail in itertools.product(ASK_TOKENS, repeat=length):
            given = ["ask", *tail]
            quick = read_ask(given)
            if quick is not None:
                read += 1
                assert vars(quick) == _argparse_reads(parser, given), given
    assert read > 1000  # it does read the usual forms


def test_read_ask_takes_the_usual_forms() -> None:
    """The common ways of asking take the fast path; help and oddities go to argparse."""
    quick = read_ask(["ask", "--json", "--knowledge", "k", "is it safe?"])
    assert quick is not None
    assert (quick.question, quick.json, quick.knowledge) == ("is it safe?", True, "k")
    for usual in (["ask", "q"], ["ask", "--knowledge=k", "q"], ["ask", "--", "what is it"]):
        assert read_ask(usual) is not None, usual
    for argparse_reads in (["ask"], ["ask", "-h"], ["ask", "--js", "q"], ["ask", "q", "r"],
                           ["ask", "q", "--"], ["ask", "--", "-5 mg?"], ["chat"]):  # fmt: skip
        assert read_ask(argparse_reads) is None, argparse_reads


def test_ask_subparser_is_built_from_the_table() -> None:
    """`faqbot ask`'s options are exactly ASK_OPTIONS, so read_ask knows each of them."""
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    ask = sub.choices["ask"]  # type: ignore[index]
    options = {o for a in ask._actions for o in a.option_strings} - {"-h", "--help"}
    assert options == {option for option, _, _ in ASK_OPTIONS}


# ------------------------------------------------------------------------------ serve


def test_serve_passes_its_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit options reach the app; the defaults are create_app's."""
    pytest.importorskip("starlette")
    import faqbot.web

    seen: dict[str, object] = {}
    monkeypatch.setattr(faqbot.web, "serve", lambda bot, **options: seen.update(options))
    assert main(["serve", "--rate-limit", "5", "--session-minutes", "2", "--port", "9"]) == 0
    assert seen["rate_limit"] == (5, 60.0)
    assert seen["session_ttl"] == 120.0
    assert seen["max_sessions"] == 10_000
    assert seen["port"] == 9


def test_serve_defaults_are_create_apps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the limit options, the app gets the limits it would have by default."""
    pytest.importorskip("starlette")
    import inspect

    import faqbot.web

    seen: dict[str, object] = {}
    monkeypatch.setattr(faqbot.web, "serve", lambda bot, **options: seen.update(options))
    assert main(["serve"]) == 0
    defaults = inspect.signature(faqbot.web.create_app).parameters
    for name in ("rate_limit", "session_ttl", "max_sessions"):
        assert seen[name] == defaults[name].default, name


@pytest.mark.parametrize("option", ["--rate-limit", "--session-minutes", "--max-sessions"])
def test_serve_refuses_limits_below_one(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A limit below 1 is argparse's usage error, exit 2, naming the value."""
    with pytest.raises(SystemExit) as caught:
        main(["serve", option, "0"])
    assert caught.value.code == 2
    assert f"argument {option}: '0' is not a whole number above 0" in capsys.readouterr().err
