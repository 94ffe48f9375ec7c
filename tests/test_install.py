"""A plain (non-editable) install: each command the README documents runs, with its defaults,
from an unrelated folder, on the knowledge shipped inside the package.

One venv for the module: ``pip install '.[web]'`` (the extra too, so that ``faqbot serve``
runs), or plain ``pip install .`` when the web extra cannot be installed here.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

from faqbot.cli import build_parser

pytestmark = pytest.mark.slow

PAGE = """---
title: Testadrine
---

**Usage:** Testadrine is used to treat tests.

**Side Effects:**

* **Nausea:** Feeling sick.
"""


@dataclass(frozen=True)
class Install:
    """A venv with faqbot installed from a wheel, and a folder with nothing of the repo."""

    bin: Path
    elsewhere: Path
    web: bool  # whether the web extra is installed

    def run(
        self, *args: str, stdin: str = "", cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``faqbot ARGS`` from the venv, run from ``cwd`` (default: the unrelated folder)."""
        env = {k: v for k, v in os.environ.items() if k != "FAQBOT_KNOWLEDGE"}
        return subprocess.run(
            [str(self.bin / "faqbot"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd or self.elsewhere,
            env=env,
            check=False,
            timeout=120,
        )


def _pip(venv: Path, target: str) -> bool:
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", target],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    """``pip install .`` into a fresh venv, with the web extra where it can be installed."""
    root = tmp_path_factory.mktemp("install")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    web = _pip(venv, f"{ROOT}[web]")
    if not web:
        assert _pip(venv, str(ROOT)), "pip install . failed"
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return Install(venv / "bin", elsewhere, web)


def test_wheel_install_finds_shipped_knowledge(install: Install) -> None:
    """The installed package's shipped knowledge is inside site-packages, not the repo."""
    located = subprocess.run(
        [str(install.bin / "python"), "-c", "import faqbot; print(faqbot.shipped_knowledge_dir())"],
        capture_output=True,
        text=True,
        cwd=install.elsewhere,
        check=True,
    )
    assert "site-packages" in located.stdout


def test_ask(install: Install) -> None:
    """`faqbot ask "does milnacipran cause naseau?"` answers, then gives the disclaimer."""
    done = install.run("ask", "does milnacipran cause naseau?")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Milnacipran › Nausea\n")
    assert "This information is for educational purposes only" in done.stdout
    assert done.stderr == ""


def test_ask_json(install: Install) -> None:
    """`faqbot ask --json "can i drink alcohol on it"` prints the contract."""
    done = install.run("ask", "--json", "can i drink alcohol on it")
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert reply["entry"]["id"] == "milnacipran:faqs/can-i-drink-alcohol-while-taking-milnacipran"


def test_ask_stdin(install: Install) -> None:
    """`faqbot ask --json -` writes one object per line of stdin."""
    done = install.run("ask", "--json", "-", stdin="is it addictive\n\nwhat is it used for\n")
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["question"] for r in replies] == ["is it addictive", "", "what is it used for"]


def test_ask_conversation(install: Install) -> None:
    """`faqbot ask --json --conversation -` follows up, and names the drug in focus."""
    stdin = "does milnacipran cause dry mouth\nwhat about sweating?\n"
    done = install.run("ask", "--json", "--conversation", "-", stdin=stdin)
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert replies[1]["entry"]["title"] == "Sweating"
    assert replies[1]["drug"] == "Milnacipran"


def test_chat_piped(install: Install) -> None:
    """`faqbot` with questions piped in prints plain answers, no prompt."""
    done = install.run(stdin="does milnacipran cause dry mouth\n")
    assert done.returncode == 0, done.stderr
    assert "Decreased saliva production." in done.stdout
    assert "\x1b" not in done.stdout


def test_check_default(install: Install) -> None:
    """`faqbot check` with no argument checks the shipped knowledge."""
    done = install.run("check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.endswith("1 file OK.\n")


def test_import_then_check_and_ask(install: Install, tmp_path: Path) -> None:
    """`faqbot import PAGE` writes ./knowledge (the default), which checks and answers."""
    (tmp_path / "testadrine.md").write_text(PAGE, encoding="utf-8")
    done = install.run("import", "testadrine.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("Imported 1 of 1 pages into knowledge/")
    assert (tmp_path / "knowledge" / "testadrine.yaml").is_file()
    assert install.run("check", str(tmp_path / "knowledge")).returncode == 0
    done = install.run(
        "ask", "what is testadrine used for", "--knowledge", "knowledge", cwd=tmp_path
    )
    assert "Testadrine is used to treat tests." in done.stdout


def test_eval(install: Install) -> None:
    """`faqbot eval tests/eval/milnacipran.yaml` prints its figures."""
    done = install.run("eval", str(ROOT / "tests" / "eval" / "milnacipran.yaml"))
    assert done.returncode == 0, done.stderr
    assert "right:" in done.stdout
    assert "abstention precision" in done.stdout


@pytest.mark.parametrize(
    "command",
    [None, *next(a for a in build_parser()._actions if a.dest == "command").choices],  # type: ignore[misc]
)
def test_help(install: Install, command: str | None) -> None:
    """`faqbot --help` and `faqbot COMMAND --help` print their usage."""
    done = install.run(*([command] if command else []), "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: faqbot")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(install: Install) -> Iterator[int]:
    """`faqbot serve --port N` running; its port."""
    if not install.web:
        pytest.skip("the web extra could not be installed here")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "FAQBOT_KNOWLEDGE"}
    process = subprocess.Popen(
        [str(install.bin / "faqbot"), "serve", "--port", str(port)],
        cwd=install.elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield port
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
        assert b"Traceback" not in err


def test_serve_answers_healthz(server: int) -> None:
    """`faqbot serve` starts, and answers GET /healthz."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server}/healthz", timeout=5) as r:
                assert r.status == 200
                assert json.loads(r.read())
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
