"""The README tells the truth: its Python example runs and its commands exist."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from faqbot.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs() -> None:
    """The README's Python API example runs as written."""
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})


def test_every_command_is_documented_and_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    """Each subcommand appears in the README and prints help."""
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    for name in commands:
        assert f"faqbot {name}" in README or (name == "chat" and "`faqbot`" in README), name
        with pytest.raises(SystemExit) as done:
            parser.parse_args([name, "--help"])
        assert done.value.code == 0
        assert "usage: faqbot" in capsys.readouterr().out


def test_readme_test_command_is_what_ci_runs() -> None:
    """.ci/run takes its command from the README's marked block."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci
    assert "<!-- test-command -->" in README
