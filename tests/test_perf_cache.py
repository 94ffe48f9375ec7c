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
from faqbot import bot, cache, signing
from faqbot.bot import Bot, load_knowledge
from faqbot.cache import CacheWarning
from faqbot.index import Index
from faqbot.lexicon import LEXICON_FILE
from faqbot.normalize import tokens
from faqbot.render import to_dict

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini_knowledge"
SHIPPED_LEXICON = ROOT / "faqbot" / "language" / "en" / LEXICON_FILE
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


@pytest.fixture(autouse=True)
def _ctimes_trusted() -> Iterator[None]:
    """The files these tests make have a new ctime (utime cannot set it), so the cache would
    not trust them for two seconds; here it does, unless a test says otherwise."""
    with mock.patch.object(cache, "_RACY_NS", -(10**18)):
        yield


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the mini knowledge, with file times in the past."""
    copy = tmp_path / "knowledge"
    shutil.copytree(MINI, copy)
    _date_back(*copy.iterdir())
    return copy


@pytest.fixture
def shipped(tmp_path: Path) -> Iterator[Path]:
    """Stands in for the language folder, whose lexicon is the fallback."""
    where = tmp_path / "shipped"
    where.mkdir()
    shutil.copy(SHIPPED_LEXICON, where / LEXICON_FILE)
    _date_back(where / LEXICON_FILE)
    with mock.patch("faqbot.bot.data_path", side_effect=lambda name: str(where / name)):
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


def _cached(folder: Path, cache_dir: Path) -> Index:
    """load_knowledge through the cache in ``cache_dir``, its key kept beside it."""
    return load_knowledge(folder, cache_dir, _key_file(cache_dir))


def _key_file(cache_dir: Path) -> Path:
    return cache_dir.parent / "state" / "cache.key"


def _answers(index: Index) -> list[dict[str, object]]:
    the_bot = Bot(index)
    return [to_dict(the_bot.ask(q)) for q in QUESTIONS]


def _titles(index: Index) -> list[str]:
    return sorted(m.title for m in index.medications.values())


# ------------------------------------------------------------------------------ used


def test_cached_index_answers_like_a_fresh_one(folder: Path, cache_dir: Path) -> None:
    """An index loaded from the cache gives exactly the answers of one built from the files."""
    _cached(folder, cache_dir)
    cached = _cached(folder, cache_dir)
    assert _answers(cached) == _answers(load_knowledge(folder))


def test_cache_is_used_while_nothing_changes(
    folder: Path, cache_dir: Path, builds: mock.MagicMock
) -> None:
    """The second load comes from the cache, not from the files."""
    _cached(folder, cache_dir)
    assert _titles(_cached(folder, cache_dir)) == [
        "Demozole + Placebrin",
        "Examplinol",
        "Fictazepam",
    ]
    assert builds.call_count == 1


def test_small_index_is_cached_compiled(folder: Path, cache_dir: Path) -> None:
    """A few drugs are cached compiled, so a one-shot answer need not compile its drug."""
    _cached(folder, cache_dir)
    cached = _cached(folder, cache_dir)
    assert set(cached._compiled) == set(cached.medications)
    assert _answers(cached) == _answers(load_knowledge(folder))


def test_large_index_is_cached_frozen(folder: Path, cache_dir: Path) -> None:
    """Many drugs are cached frozen: each is thawed, not compiled, when first asked about,
    and answers as the freshly compiled drug does."""
    with mock.patch("faqbot.index.PRECOMPILED_DRUGS", 2):
        _cached(folder, cache_dir)
        cached = _cached(folder, cache_dir)
        assert cached._compiled == {}
        assert set(cached._frozen) == set(cached.medications)
        with mock.patch("faqbot.index.compile_drug", side_effect=AssertionError("compiled")):
            answers = _answers(cached)
    assert answers == _answers(load_knowledge(folder))
    assert cached._frozen == {}  # each thawed once, then kept compiled


def test_each_folder_has_its_own_index(folder: Path, cache_dir: Path, tmp_path: Path) -> None:
    """Two knowledge folders sharing a cache folder do not see each other's drugs."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(MINI / "fictazepam.yaml", other)
    _date_back(other / "fictazepam.yaml")
    assert len(_cached(folder, cache_dir).medications) == 3
    assert len(_cached(other, cache_dir).medications) == 1
    assert len(_cached(folder, cache_dir).medications) == 3


# ------------------------------------------------------------------------------ invalidated


def test_a_changed_knowledge_file_is_seen(folder: Path, cache_dir: Path) -> None:
    """A knowledge file whose mtime changed is read again."""
    _cached(folder, cache_dir)
    _edit(folder / "fictazepam.yaml", "Fictazepam", "Fictazepum", PAST_NS + 1)
    assert "Fictazepum" in _titles(_cached(folder, cache_dir))


def test_added_and_removed_files_are_seen(folder: Path, cache_dir: Path) -> None:
    """Adding or removing a knowledge file rebuilds the index."""
    _cached(folder, cache_dir)
    shutil.copy(MINI / "fictazepam.yaml", folder / "zeta.yaml")
    _edit(folder / "zeta.yaml", "title: Fictazepam", "title: Zetamol")
    assert "Zetamol" in _titles(_cached(folder, cache_dir))
    (folder / "examplinol.yaml").unlink()
    assert _titles(_cached(folder, cache_dir)) == [
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
    assert not _knows_it(_cached(folder, cache_dir))
    _teach(shipped / LEXICON_FILE, PAST_NS + 1)
    assert _knows_it(_cached(folder, cache_dir))


def test_a_lexicon_added_to_the_folder_is_seen(
    folder: Path, cache_dir: Path, shipped: Path
) -> None:
    """A folder that gets its own lexicon.yaml uses it from the next load on."""
    _cached(folder, cache_dir)
    shutil.copy(shipped / LEXICON_FILE, folder / LEXICON_FILE)
    _teach(folder / LEXICON_FILE, PAST_NS)
    assert _knows_it(_cached(folder, cache_dir))


def test_a_changed_folder_lexicon_is_seen(folder: Path, cache_dir: Path, shipped: Path) -> None:
    """An edit of the folder's own lexicon rebuilds the index."""
    shutil.copy(shipped / LEXICON_FILE, folder / LEXICON_FILE)
    _date_back(folder / LEXICON_FILE)
    assert not _knows_it(_cached(folder, cache_dir))
    _teach(folder / LEXICON_FILE, PAST_NS + 1)
    assert _knows_it(_cached(folder, cache_dir))


def test_changed_code_drops_the_index(
    folder: Path, cache_dir: Path, code: Path, builds: mock.MagicMock
) -> None:
    """An index holds what the code made of the files: a change to faqbot's code rebuilds it."""
    _cached(folder, cache_dir)
    _cached(folder, cache_dir)
    assert builds.call_count == 1
    _edit(code, "VERSION = 1", "VERSION = 2", PAST_NS + 1)
    _cached(folder, cache_dir)
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
    """A corrupt cache file is ignored (the index is built from the files), said, and replaced."""
    expected = _answers(_cached(folder, cache_dir))
    (cache_file,) = cache_dir.iterdir()
    cache_file.write_bytes(garbage)
    with pytest.warns(CacheWarning, match="rebuilt"):
        assert _answers(_cached(folder, cache_dir)) == expected
    assert builds.call_count == 2
    assert cache_file.read_bytes() != garbage


def test_cache_holding_something_else_is_ignored(folder: Path, cache_dir: Path) -> None:
    """A signed cache file with the right header but no index in it is not taken for one."""
    _cached(folder, cache_dir)
    (cache_file,) = cache_dir.iterdir()
    header = _header_of(cache_file.read_bytes())
    _plant(cache_file, _key_file(cache_dir), header, ["not", "an", "index"])
    assert len(_cached(folder, cache_dir).medications) == 3


def test_cache_that_cannot_be_written_is_ignored(folder: Path, tmp_path: Path) -> None:
    """When the cache folder cannot be made, loading still works."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert _titles(_cached(folder, blocker / "cache")) == _titles(load_knowledge(folder))


def test_recently_changed_files_are_not_cached(folder: Path, cache_dir: Path) -> None:
    """A file changed in the last seconds could change again unseen, so nothing is cached."""
    with mock.patch.object(cache, "_RACY_NS", 2_000_000_000):
        _edit(folder / "examplinol.yaml", "Examplinol", "Examplinol")  # a new ctime only
        _cached(folder, cache_dir)
        assert not cache_dir.exists()
        (folder / "examplinol.yaml").touch()
        _cached(folder, cache_dir)
        assert not cache_dir.exists()


def test_problems_are_reported_without_a_cache(folder: Path, cache_dir: Path) -> None:
    """A broken knowledge file gives the same error with a cache as without."""
    _edit(folder / "fictazepam.yaml", "title:", "titel:")
    with pytest.raises(faqbot.KnowledgeError) as without:
        load_knowledge(folder)
    with pytest.raises(faqbot.KnowledgeError) as cached:
        _cached(folder, cache_dir)
    assert str(cached.value) == str(without.value)


# ------------------------------------------------------------------------------ trusted


def _header_of(data: bytes) -> object:
    """The header pickled in a cache file's bytes."""
    start = len(cache._MAGIC) + signing.SIGNATURE_SIZE
    size = int.from_bytes(data[start : start + 8], "big")
    return pickle.loads(data[start + 8 : start + 8 + size])


def _plant(path: Path, key_file: Path | None, header: object, value: object) -> None:
    """Write a cache file holding ``value``, signed with the key in ``key_file`` (or not)."""
    head = pickle.dumps(header)
    payload = len(head).to_bytes(8, "big") + head + pickle.dumps(value)
    key = key_file.read_bytes() if key_file else bytes(signing.KEY_SIZE)
    path.write_bytes(cache._MAGIC + signing.sign(key, payload) + payload)


class _Exploit:
    """A pickle that, when loaded, creates a file: proof that code ran."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.touch, (self.proof,))


def test_planted_pickle_runs_no_code(folder: Path, cache_dir: Path, tmp_path: Path) -> None:
    """A pickle planted at the cache file's name, raw or signed with another key, never runs."""
    _cached(folder, cache_dir)
    (cache_file,) = cache_dir.iterdir()
    header = _header_of(cache_file.read_bytes())
    proof = tmp_path / "pwned"
    for planted in (
        pickle.dumps(header) + pickle.dumps(_Exploit(proof)),  # the old, unsigned format
        None,  # the new format, signed with a key that is not the user's
    ):
        if planted is None:
            _plant(cache_file, None, header, _Exploit(proof))
        else:
            cache_file.write_bytes(planted)
        cache_file.chmod(0o666)
        with pytest.warns(CacheWarning, match="rebuilt"):
            assert len(_cached(folder, cache_dir).medications) == 3
        assert not proof.exists()
        assert cache_file.stat().st_mode & 0o777 == 0o600  # the planted mode is not kept


def test_altered_cache_serves_no_altered_text(folder: Path, cache_dir: Path) -> None:
    """A same-length edit inside a cache file is caught by its signature, not served."""
    truth = _answers(load_knowledge(folder))
    _cached(folder, cache_dir)
    (cache_file,) = cache_dir.iterdir()
    data = cache_file.read_bytes()
    word = b"drowsiness"
    assert word in data
    cache_file.write_bytes(data.replace(word, b"alertness!"))
    with pytest.warns(CacheWarning, match="failed its check"):
        assert _answers(_cached(folder, cache_dir)) == truth


def test_cache_folder_and_files_are_private(folder: Path, cache_dir: Path) -> None:
    """The cache folder is made 0700, its files 0600, and the key 0600 outside it."""
    _cached(folder, cache_dir)
    (cache_file,) = cache_dir.iterdir()
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert cache_file.stat().st_mode & 0o777 == 0o600
    key = _key_file(cache_dir)
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.parent.stat().st_mode & 0o777 == 0o700
    assert len(key.read_bytes()) == signing.KEY_SIZE


def test_a_key_others_can_read_is_not_used(folder: Path, cache_dir: Path) -> None:
    """A key file readable by others is refused with a warning, and nothing is cached."""
    key = _key_file(cache_dir)
    key.parent.mkdir(parents=True)
    key.write_bytes(bytes(signing.KEY_SIZE))
    key.chmod(0o644)
    with pytest.warns(CacheWarning, match="mode 0644"):
        assert len(_cached(folder, cache_dir).medications) == 3
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


def test_a_symlinked_key_is_not_used(folder: Path, cache_dir: Path, tmp_path: Path) -> None:
    """A key file that is a symbolic link (perhaps to a key someone else knows) is refused."""
    elsewhere = tmp_path / "known.key"
    elsewhere.write_bytes(bytes(signing.KEY_SIZE))
    elsewhere.chmod(0o600)
    key = _key_file(cache_dir)
    key.parent.mkdir(parents=True)
    key.symlink_to(elsewhere)
    with pytest.warns(CacheWarning, match="symbolic link"):
        assert len(_cached(folder, cache_dir).medications) == 3


def test_a_planted_fifo_does_not_block(folder: Path, cache_dir: Path) -> None:
    """A FIFO at the cache file's name is skipped with a warning instead of blocking."""
    _cached(folder, cache_dir)
    (cache_file,) = cache_dir.iterdir()
    cache_file.unlink()
    os.mkfifo(cache_file)
    with pytest.warns(CacheWarning, match="not a regular file"):
        assert len(_cached(folder, cache_dir).medications) == 3


@pytest.mark.parametrize("how", ["same size and mtime", "copied with cp -p"])
def test_edits_that_keep_size_and_mtime_are_seen(folder: Path, cache_dir: Path, how: str) -> None:
    """An edit that restores the file's size and mtime is still seen (by its inode or ctime)."""
    _cached(folder, cache_dir)
    target = folder / "fictazepam.yaml"
    if how == "same size and mtime":
        _edit(target, "Fictazepam", "Fictazepum")
    else:
        edited = folder.parent / "edited.yaml"
        shutil.copy2(target, edited)
        _edit(edited, "Fictazepam", "Fictazepum")
        edited.replace(target)
    assert target.stat().st_mtime_ns == PAST_NS
    assert "Fictazepum" in _titles(_cached(folder, cache_dir))


def test_unsigned_caches_of_earlier_versions_are_removed(folder: Path, cache_dir: Path) -> None:
    """The pickles an earlier faqbot left in the cache folder go when a cache is written."""
    cache_dir.mkdir()
    old = cache_dir / "index-0123456789abcdef.pickle"
    old.write_bytes(pickle.dumps("old"))
    _cached(folder, cache_dir)
    assert [p.suffix for p in cache_dir.iterdir()] == [".cache"]


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
        _cached(folder, cache_dir)
    code = (
        "from pathlib import Path\nfrom unittest import mock\nfrom faqbot import cache\n"
        "from faqbot.bot import load_knowledge\n"
        "with mock.patch.object(cache, 'code_files', return_value=[]):\n"
        f"    load_knowledge(Path({str(folder)!r}), Path({str(cache_dir)!r}), "
        f"Path({str(_key_file(cache_dir))!r}))\n"
        "del mock"
    )
    assert _modules_after(code) == ["faqbot.bot"]
