"""A plain (non-editable) install answers from the shipped knowledge, from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_install_finds_shipped_knowledge(tmp_path: Path) -> None:
    """`pip install .` into a fresh venv, then `faqbot ask` from an unrelated folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "FAQBOT_KNOWLEDGE"}
    env["HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [str(venv / "bin" / "faqbot"), "ask", "--json", "what is milnacipran used for"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert reply["entry"]["id"] == "milnacipran:usage"
    located = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import faqbot; print(faqbot.shipped_knowledge_dir())",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=True,
    )
    assert "site-packages" in located.stdout
