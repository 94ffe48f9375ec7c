"""Shared fixtures: where the repo, the shipped knowledge and the corpus are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faqbot.bot import Bot, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "rxhive-v1"
MILNACIPRAN_PAGE = SHARED / "pages" / "milnacipran.md"
KNOWLEDGE = ROOT / "knowledge"


def write_two_drugs(folder: Path) -> Path:
    """The shipped milnacipran plus a renamed copy (Zelvorine), so a drug must be in focus."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (KNOWLEDGE / "milnacipran.yaml").read_text(encoding="utf-8")
    (folder / "milnacipran.yaml").write_text(text, encoding="utf-8")
    renamed = text.replace("milnacipran", "zelvorine").replace("Milnacipran", "Zelvorine")
    (folder / "zelvorine.yaml").write_text(renamed, encoding="utf-8")
    return folder


def missing_tool(reason: str) -> None:
    """Skip for a tool the machine lacks; in CI (FAQBOT_CI_STRICT=1) fail instead."""
    if os.environ.get("FAQBOT_CI_STRICT") == "1":
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point HOME and every XDG folder at a fresh temporary folder, so no test reads or writes
    the real ~/.cache, ~/.local/state or ~/.config (subprocesses inherit it too)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name, sub in XDG_FOLDERS.items():
        monkeypatch.setenv(name, str(home / sub))
    return home


XDG_FOLDERS = {
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
}


@pytest.fixture
def corpus() -> Path:
    """The corpus folder; skips the test when ../shared/corpus is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def milnacipran_page() -> Path:
    """The page the shipped knowledge is made from; skips when ../shared is absent."""
    if not MILNACIPRAN_PAGE.is_file():
        pytest.skip(f"page not found at {MILNACIPRAN_PAGE}")
    return MILNACIPRAN_PAGE


@pytest.fixture(scope="session")
def shipped_bot() -> Bot:
    """A bot over the shipped knowledge (no cache)."""
    return Bot(load_knowledge(KNOWLEDGE))
