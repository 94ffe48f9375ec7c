"""The index cache and the lazy imports that keep `faqbot ask` quick (speed itself is measured
by benchmarks/bench.py, never asserted here)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

import faqbot
from faqbot import bot, cache
from faqbot.bot import Bot, load_knowledge
from faqbot.index import Index
from faqbot.lexicon import LEXICON_FILE
from faqbot.normalize import tokens
from faqbot.render import to_dict

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini_knowledge"
SHIPPED_LEXICON = ROOT / "knowledge" / LEXICON_FILE
PAST_NS = 1_600_000_000 * 10**9  # file times well in the past, so the cache trusts them
QUESTIONS = [
    "does fictazepam cause drowsiness",
    "can i drink alcohol with examplinol",
    "what is demozole for",
    "is it safe",
]


def _date_back(*paths: Path) -> None:
    for path in paths:
        os.utime(path, ns=(PAST_NS, PAST_NS))


def _edit(path: Path, old: str, new: str, mtime_ns: int = PAST_NS) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the mini knowledge, with file times in the past."""
    copy = tmp_path / "knowledge"
    shutil.copytree(MINI, copy)
    _date_back(*copy.iterdir())
    return copy


@pytest.fixture
def shipped(tmp_path: Path) -> Iterator[Path]:
    """Stands in for the shipped knowledge folder, whose lexicon is the fallback."""
    where = tmp_path / "shipped"
    where.mkdir()
    shutil.copy(SHIPPED_LEXICON, where / LEXICON_FILE)
    _date_back(where / LEXICON_FILE)
    with mock.patch.object(bot, "shipped_knowledge_dir", return_value=where):
        yield where


@pytest.fixture
def code(tmp_path: Path) -> Iterator[Path]:
    """Stands in for faqbot's own modules (the real ones may have been edited just now)."""
    module = tmp_path / "module.py"
    module.write_text("VERSION = 1\n")
    _date_back(module)
    with mock.patch.object(cache, "code_files", return_value=[module]):
        yield module


@pytest.fixture
def cache_dir(tmp_path: Path, shipped: Path, code: Path) -> Path:
    """A cache folder that does not exist yet."""
    return tmp_path / "cache"


@pytest.fixture
def builds() -> Iterator[mock.MagicMock]:
    """Counts the times an index is built rather than taken from the cache."""
    with mock.patch.object(bot, "_load_index", wraps=bot._load_index) as spy:
        yield spy


def _answers(index: Index) -> list[dict[str, object]]:
    the_bot = Bot(index)
    return [to_dict(the_bot.ask(q)) for q in QUESTIONS]


def _titles(index: Index) -> list[str]:
    return sorted(m.title for m in index.medications.values())


# ------------------------------------------------------------------------------ used


def test_cached_index_answers_like_a_fresh_one(folder: Path, cache_dir: Path) -> None:
    """An index loaded from the cache gives exactly the answers of one built from the files."""
    load_knowledge(folder, cache_dir)
    cached = load_knowledge(folder, cache_dir)
    assert _answers(cached) == _answers(load_knowledge(folder))


def test_cache_is_used_while_nothing_changes(
    folder: Path, cache_dir: Path, builds: mock.MagicMock
) -> None:
    """The second load comes from the cache: an edit that keeps size and mtime is not seen."""
    load_knowledge(folder, cache_dir)
    _edit(folder / "fictazepam.yaml", "Fictazepam", "Fictazepum")
    assert "Fictazepam" in _titles(load_knowledge(folder, cache_dir))
    assert builds.call_count == 1


def test_small_index_is_cached_compiled(folder: Path, cache_dir: Path) -> None:
    """A few drugs are cached compiled, so a one-shot answer need not compile its drug."""
    load_knowledge(folder, cache_dir)
    cached = load_knowledge(folder, cache_dir)
    assert set(cached._compiled) == set(cached.medications)
    assert _answers(cached) == _answers(load_knowledge(folder))


def test_large_index_is_cached_uncompiled(folder: Path, cache_dir: Path) -> None:
    """Many drugs are cached as names only: each compiles when first asked about."""
    with mock.patch("faqbot.index.PRECOMPILED_DRUGS", 2):
        load_knowledge(folder, cache_dir)
        cached = load_knowledge(folder, cache_dir)
    assert cached._compiled == {}
    assert _answers(cached) == _answers(load_knowledge(folder))


def test_each_folder_has_its_own_index(folder: Path, cache_dir: Path, tmp_path: Path) -> None:
    """Two knowledge folders sharing a cache folder do not see each other's drugs."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(MINI / "fictazepam.yaml", other)
    _date_back(other / "fictazepam.yaml")
    assert len(load_knowledge(folder, cache_dir).medications) == 3
    assert len(load_knowledge(other, cache_dir).medications) == 1
    assert len(load_knowledge(folder, cache_dir).medications) == 3


# ------------------------------------------------------------------------------ invalidated


def test_a_changed_knowledge_file_is_seen(folder: Path, cache_dir: Path) -> None:
    """A knowledge file whose mtime changed is read again."""
    load_knowledge(folder, cache_dir)
    _edit(folder / "fictazepam.yaml", "Fictazepam", "Fictazepum", PAST_NS + 1)
    assert "Fictazepum" in _titles(load_knowledge(folder, cache_dir))


def test_added_and_removed_files_are_seen(folder: Path, cache_dir: Path) -> None:
    """Adding or removing a knowledge file rebuilds the index."""
    load_knowledge(folder, cache_dir)
    shutil.copy(MINI / "fictazepam.yaml", folder / "zeta.yaml")
    _edit(folder / "zeta.yaml", "title: Fictazepam", "title: Zetamol")
    assert "Zetamol" in _titles(load_knowledge(folder, cache_dir))
    (folder / "examplinol.yaml").unlink()
    assert _titles(load_knowledge(folder, cache_dir)) == [
        "Demozole + Placebrin",
        "Fictazepam",
        "Zetamol",
    ]


def _teach(path: Path, mtime_ns: int) -> None:
    """Add a made-up lay word to the lexicon at ``path``."""
    _edit(path, "concepts:\n", "concepts:\n  glorbitis: [snorfled]\n", mtime_ns)


def _knows_it(index: Index) -> bool:
    return tuple(tokens("snorfled")) in index.lexicon.phrases


def test_a_changed_shipped_lexicon_is_seen(folder: Path, cache_dir: Path, shipped: Path) -> None:
    """The shipped lexicon, used when the folder has none, is part of what the cache follows."""
    assert not _knows_it(load_knowledge(folder, cache_dir))
    _teach(shipped / LEXICON_FILE, PAST_NS + 1)
    assert _knows_it(load_knowledge(folder, cache_dir))


def test_a_lexicon_added_to_the_folder_is_seen(
    folder: Path, cache_dir: Path, shipped: Path
) -> None:
    """A folder that gets its own lexicon.yaml uses it from the next load on."""
    load_knowledge(folder, cache_dir)
    shutil.copy(shipped / LEXICON_FILE, folder / LEXICON_FILE)
    _teach(folder / LEXICON_FILE, PAST_NS)
    assert _knows_it(load_knowledge(folder, cache_dir))


def test_a_changed_folder_lexicon_is_seen(folder: Path, cache_dir: Path, shipped: Path) -> None:
    """An edit of the folder's own lexicon rebuilds the index."""
    shutil.copy(shipped / LEXICON_FILE, folder / LEXICON_FILE)
    _date_back(folder / LEXICON_FILE)
    assert not _knows_it(load_knowledge(folder, cache_dir))
    _teach(folder / LEXICON_FILE, PAST_NS + 1)
    assert _knows_it(load_knowledge(folder, cache_dir))


def test_changed_code_drops_the_index(
    folder: Path, cache_dir: Path, code: Path, builds: mock.MagicMock
) -> None:
    """An index holds what the code made of the files: a change to faqbot's code rebuilds it."""
    load_knowledge(folder, cache_dir)
    load_knowledge(folder, cache_dir)
    assert builds.call_count == 1
    _edit(code, "VERSION = 1", "VERSION = 2", PAST_NS + 1)
    load_knowledge(folder, cache_dir)
    assert builds.call_count == 2


def test_code_files_are_faqbots_modules() -> None:
    """The code an index depends on is every module of the faqbot package."""
    names = {Path(p).name for p in cache.code_files()}
    assert {"index.py", "lexicon.py", "normalize.py", "cache.py"} <= names
    assert {"fields.py", "reading.py", "writing.py", "folders.py"} <= names  # faqbot.knowledge


# ------------------------------------------------------------------------------ ignored


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a pickle", b"\x80\x05K\x01.", pickle.dumps("header") + b"\x80\x05K"],
)
def test_corrupt_cache_is_ignored_and_rebuilt(
    folder: Path, cache_dir: Path, garbage: bytes, builds: mock.MagicMock
) -> None:
    """A corrupt cache file is ignored (the index is built from the files) and replaced."""
    expected = _answers(load_knowledge(folder, cache_dir))
    (cache_file,) = cache_dir.iterdir()
    cache_file.write_bytes(garbage)
    assert _answers(load_knowledge(folder, cache_dir)) == expected
    assert builds.call_count == 2
    assert cache_file.read_bytes() != garbage


def test_cache_holding_something_else_is_ignored(folder: Path, cache_dir: Path) -> None:
    """A cache file with the right header but no index in it is not taken for one."""
    load_knowledge(folder, cache_dir)
    (cache_file,) = cache_dir.iterdir()
    with cache_file.open("rb") as f:
        header = pickle.load(f)
    cache_file.write_bytes(pickle.dumps(header) + pickle.dumps(["not", "an", "index"]))
    assert len(load_knowledge(folder, cache_dir).medications) == 3


def test_cache_that_cannot_be_written_is_ignored(folder: Path, tmp_path: Path) -> None:
    """When the cache folder cannot be made, loading still works."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert _titles(load_knowledge(folder, blocker / "cache")) == _titles(load_knowledge(folder))


def test_recently_changed_files_are_not_cached(folder: Path, cache_dir: Path) -> None:
    """A file changed in the last seconds could change again unseen, so nothing is cached."""
    (folder / "examplinol.yaml").touch()
    load_knowledge(folder, cache_dir)
    assert not cache_dir.exists()


def test_problems_are_reported_without_a_cache(folder: Path, cache_dir: Path) -> None:
    """A broken knowledge file gives the same error with a cache as without."""
    _edit(folder / "fictazepam.yaml", "title:", "titel:")
    with pytest.raises(faqbot.KnowledgeError) as without:
        load_knowledge(folder)
    with pytest.raises(faqbot.KnowledgeError) as cached:
        load_knowledge(folder, cache_dir)
    assert str(cached.value) == str(without.value)


# ------------------------------------------------------------------------------ lazy imports


def _modules_after(code: str) -> list[str]:
    """The heavy modules a fresh interpreter has imported after running ``code``."""
    probe = (
        f"{code}\nimport sys, json\n"
        "print(json.dumps([m for m in ('yaml', 'faqbot.bot', 'faqbot.knowledge', "
        "'prompt_toolkit') if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    found: list[str] = json.loads(done.stdout)
    return found


def test_importing_faqbot_imports_nothing_heavy() -> None:
    """`import faqbot` (and so any submodule, such as the CLI) loads no module until used."""
    assert _modules_after("import faqbot, faqbot.errors") == []


def test_public_names_resolve_on_first_use() -> None:
    """Every name in __all__ is there when asked for, and dir() lists them."""
    for name in faqbot.__all__:
        assert getattr(faqbot, name) is not None
    assert set(faqbot.__all__) <= set(dir(faqbot))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        faqbot.nothing  # noqa: B018


def test_a_warm_load_needs_no_yaml(folder: Path, tmp_path: Path) -> None:
    """With the cache warm, loading knowledge imports no YAML parser."""
    cache_dir = tmp_path / "warm"
    shutil.copy(SHIPPED_LEXICON, folder / LEXICON_FILE)
    _date_back(folder / LEXICON_FILE)
    with mock.patch.object(cache, "code_files", return_value=[]):
        load_knowledge(folder, cache_dir)
    code = (
        "from pathlib import Path\nfrom unittest import mock\nfrom faqbot import cache\n"
        "from faqbot.bot import load_knowledge\n"
        "with mock.patch.object(cache, 'code_files', return_value=[]):\n"
        f"    load_knowledge(Path({str(folder)!r}), Path({str(cache_dir)!r}))\n"
        "del mock"
    )
    assert _modules_after(code) == ["faqbot.bot"]
