"""Pickle caches of loaded knowledge, used while the files they were made from are unchanged.

Two kinds: the medications of a knowledge folder (``knowledge.load_dir``), and the whole index
built from a folder and a lexicon (``bot.load_knowledge``). An index holds what faqbot's code
made of the files, so it is also tied to that code: any change to faqbot's modules drops it.

A cache only saves time: one that is missing, stale, corrupt or cannot be written is ignored.
Like any pickle it must live where only its user can write, such as the user's cache folder.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

from faqbot.models import Dropped, Faq, Medication, Section, SideEffect, Source

if TYPE_CHECKING:
    from faqbot.index import Index
    from faqbot.locations import StrPath

__all__ = [
    "Snapshot",
    "code_files",
    "read",
    "read_index",
    "snapshot",
    "write",
    "write_index",
]

_VERSION = 3
# A change to the models' fields makes older caches unusable.
_SCHEMA = tuple(
    (cls.__name__, cls._fields) for cls in (Medication, Section, SideEffect, Faq, Source, Dropped)
)
# A file changed this recently could change again without its size or mtime changing (mtimes
# are coarse on many file systems), so such files are not cached yet.
_RACY_NS = 2_000_000_000


def code_files() -> list[str]:
    """faqbot's own modules, whose code a cached index depends on."""
    package = os.path.dirname(__file__)
    files: list[str] = []
    try:
        for folder in (package, *(os.path.join(package, p) for p in _CODE_SUBPACKAGES)):
            with os.scandir(folder) as entries:
                files += (e.path for e in entries if e.name.endswith(".py"))
    except OSError:  # not a folder (a zip): the version alone must do
        return []
    return sorted(files)


# The sub-packages whose modules are part of that code too (faqbot.web only serves an index).
_CODE_SUBPACKAGES = ("knowledge",)


class Snapshot(NamedTuple):
    """The name, size and mtime of each file, and when they were taken."""

    files: tuple[tuple[str, int, int], ...]
    taken_ns: int


def snapshot(paths: Iterable[StrPath]) -> Snapshot:
    """Take a snapshot of ``paths``; call it before reading them, so later edits are noticed."""
    taken_ns = time.time_ns()
    return Snapshot(tuple(_stat(p) for p in paths), taken_ns)


def _stat(path: StrPath) -> tuple[str, int, int]:
    name = os.path.basename(path)
    try:
        st = os.stat(path)
    except OSError:  # gone or unreadable: never matches a cache, and reading it says why
        return name, -1, -1
    return name, st.st_size, st.st_mtime_ns


def read(cache_dir: StrPath, folder: StrPath, snap: Snapshot) -> list[Medication] | None:
    """The medications cached for ``folder`` if its files still match ``snap``, else None."""
    meds = _read(_cache_file(cache_dir, "knowledge", folder), _header(folder, snap))
    if isinstance(meds, list) and all(isinstance(m, Medication) for m in meds):
        return meds
    return None


def write(cache_dir: StrPath, folder: StrPath, snap: Snapshot, meds: list[Medication]) -> None:
    """Cache ``meds`` for ``folder``, unless a file is too recent to trust; never raises OSError."""
    _write(_cache_file(cache_dir, "knowledge", folder), _header(folder, snap), snap, meds)


def read_index(cache_dir: StrPath, key: str, snap: Snapshot) -> Index | None:
    """The index cached under ``key`` if its files (and faqbot's code) still match ``snap``."""
    from faqbot.index import Index

    index = _read(_cache_file(cache_dir, "index", key), _header(key, snap))
    return index if isinstance(index, Index) else None


def write_index(cache_dir: StrPath, key: str, snap: Snapshot, index: Index) -> None:
    """Cache ``index`` under ``key``, unless a file is too recent to trust; never raises OSError."""
    if not _racy(snap):
        index.precompute()  # tables made once, not in each process that loads the index
        _write(_cache_file(cache_dir, "index", key), _header(key, snap), snap, index)


def _racy(snap: Snapshot) -> bool:
    """Whether a file changed so recently that it could change again unnoticed."""
    return any(mtime_ns > snap.taken_ns - _RACY_NS for _, _, mtime_ns in snap.files)


def _read(path: str, header: tuple[object, ...]) -> object:
    try:
        with open(path, "rb") as f:
            if pickle.load(f) != header:
                return None
            with _gc_paused():
                return pickle.load(f)
    except Exception:  # a corrupt or foreign file fails in many ways; rebuilding is always safe
        return None


def _write(path: str, header: tuple[object, ...], snap: Snapshot, value: object) -> None:
    if _racy(snap):
        return
    from pathlib import Path

    from faqbot.atomic import write_atomic  # only when writing

    data = pickle.dumps(header) + pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(Path(path), data)
    except OSError:  # a read-only or full disk only costs speed
        pass


def _cache_file(cache_dir: StrPath, kind: str, key: StrPath) -> str:
    # Checksums, quicker to import than hashlib: two keys that share a file only take turns
    # in it, since its header holds the whole key.
    data = os.fsencode(key)
    return os.path.join(cache_dir, f"{kind}-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.pickle")


def _header(key: StrPath, snap: Snapshot) -> tuple[object, ...]:
    return (_VERSION, sys.version_info[:2], _SCHEMA, os.fspath(key), snap.files)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the garbage collector, which slows the loading of many objects and finds no
    garbage there: the cached objects hold no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
