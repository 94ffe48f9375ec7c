"""The index cache: the index built from a knowledge folder, kept while its files are unchanged.

An index holds what faqbot's code made of the files, so it is tied to that code too: any change
to faqbot's modules drops it. A file is unchanged while its size, mtime, inode and ctime are:
``cp -p``, ``tar x`` or ``touch -d`` can restore a size and an mtime, but not an inode or a
ctime.

Each cache file is a pickle signed with a key kept outside the cache folder
(:mod:`faqbot.signing`), and the signature is checked before anything is unpickled: a planted or
altered file runs no code and serves no altered text. Such a file is rebuilt with a
:class:`CacheWarning`. A cache only saves time: one that is missing, stale or cannot be written
is rebuilt or skipped without a word.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import time
import warnings
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

from faqbot import signing
from faqbot.files import NotRegularFile, TooLarge, read_regular
from faqbot.models import Dropped, Faq, Medication, Section, SideEffect, Source

if TYPE_CHECKING:
    from faqbot.index import Index
    from faqbot.locations import StrPath

__all__ = ["CacheWarning", "Snapshot", "code_files", "read_index", "snapshot", "write_index"]

_MAGIC = b"faqbot-index-cache\x00\x04"  # the format of the file; a new one for any change
_VERSION = 4
# A change to the models' fields makes older caches unusable.
_SCHEMA = tuple(
    (cls.__name__, cls._fields) for cls in (Medication, Section, SideEffect, Faq, Source, Dropped)
)
# A file changed this recently could change again without its stat changing (times are coarse
# on many file systems), so such files are not cached yet.
_RACY_NS = 2_000_000_000
_FILE_MODE = 0o600
_DIR_MODE = 0o700


class CacheWarning(UserWarning):
    """A cache file or key could not be trusted; faqbot went on without it."""


def code_files() -> list[str]:
    """faqbot's own modules and language data, which a cached index depends on."""
    package = os.path.dirname(__file__)
    files: list[str] = []
    try:
        for folder in (package, *(os.path.join(package, p) for p in _CODE_SUBPACKAGES)):
            with os.scandir(folder) as entries:
                files += (e.path for e in entries if e.name.endswith(".py"))
        languages = os.path.join(package, "language")
        with os.scandir(languages) as entries:
            folders = [e.path for e in entries if e.is_dir() and not e.name.startswith("_")]
        for folder in folders:
            with os.scandir(folder) as entries:
                files += (e.path for e in entries if e.is_file())
    except OSError:  # not a folder (a zip): the version alone must do
        return []
    return sorted(files)


# The sub-packages whose modules are part of that code too (faqbot.web only serves an index).
_CODE_SUBPACKAGES = ("knowledge", "language")

_Stat = tuple[str, int, int, int, int]  # name, size, mtime, inode, ctime


class Snapshot(NamedTuple):
    """What each file looked like (see _Stat), and when that was seen."""

    files: tuple[_Stat, ...]
    taken_ns: int


def snapshot(paths: Iterable[StrPath]) -> Snapshot:
    """Take a snapshot of ``paths``; call it before reading them, so later edits are noticed."""
    taken_ns = time.time_ns()
    return Snapshot(tuple(_stat(p) for p in paths), taken_ns)


def _stat(path: StrPath) -> _Stat:
    name = os.path.basename(path)
    try:
        st = os.stat(path)
    except OSError:  # gone or unreadable: never matches a cache, and reading it says why
        return name, -1, -1, -1, -1
    return name, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


def read_index(cache_dir: StrPath, key_file: StrPath, key: str, snap: Snapshot) -> Index | None:
    """The index cached under ``key`` if it is signed and its files still match ``snap``."""
    from faqbot.index import Index

    index = _read(_cache_file(cache_dir, key), key_file, _header(key, snap))
    return index if isinstance(index, Index) else None


def write_index(
    cache_dir: StrPath, key_file: StrPath, key: str, snap: Snapshot, index: Index
) -> None:
    """Cache ``index`` under ``key``, unless a file is too recent to trust; never raises OSError."""
    if _racy(snap):
        return
    signing_key = _signing_key(key_file)
    if signing_key is None:
        return
    index.precompute()  # tables made once, not in each process that loads the index
    header = pickle.dumps(_header(key, snap))
    payload = b"".join(
        (len(header).to_bytes(8, "big"), header, pickle.dumps(index, pickle.HIGHEST_PROTOCOL))
    )
    data = b"".join((_MAGIC, signing.sign(signing_key, payload), payload))
    with contextlib.suppress(OSError):  # a read-only or full disk only costs speed
        _write(_cache_file(cache_dir, key), data)


def _racy(snap: Snapshot) -> bool:
    """Whether a file changed so recently that it could change again unnoticed."""
    newest = snap.taken_ns - _RACY_NS
    return any(mtime > newest or ctime > newest for _, _, mtime, _, ctime in snap.files)


def _signing_key(key_file: StrPath) -> bytes | None:
    try:
        return signing.load_key(key_file)
    except signing.UntrustedKey as err:
        _warn(f"not using the cache: its key {err}")
    except OSError:  # no state folder to keep a key in (a read-only home): no cache
        pass
    return None


def _read(path: str, key_file: StrPath, header: tuple[object, ...]) -> object:
    data = _read_file(path)
    if data is None:
        return None
    view = memoryview(data)
    where = len(_MAGIC) + signing.SIGNATURE_SIZE
    if view[: len(_MAGIC)] != _MAGIC:
        _warn(f"the cache file {path} is not a faqbot index cache; rebuilt")
        return None
    signing_key = _signing_key(key_file)
    if signing_key is None:
        return None
    if not signing.verify(signing_key, view[where:], view[len(_MAGIC) : where]):
        _warn(f"the cache file {path} failed its check (not made by you, or damaged); rebuilt")
        return None
    try:
        body = where + 8 + int.from_bytes(view[where : where + 8], "big")
        if pickle.loads(view[where + 8 : body]) != header:
            return None  # stale: made from other files or by other code
        with _gc_paused():
            return pickle.loads(view[body:])
    except Exception:  # signed by us yet unreadable (a faqbot bug): rebuilding is always safe
        return None


def _read_file(path: str) -> bytes | None:
    """The bytes of the cache file at ``path``; None when there is none or it is no file."""
    try:
        return read_regular(path, sys.maxsize)  # never blocks on a planted FIFO
    except NotRegularFile:
        _warn(f"the cache file {path} is not a regular file; rebuilt")
    except (OSError, TooLarge):  # none yet, or out of reach: the cache only saves time
        pass
    return None


def _write(path: str, data: bytes) -> None:
    from pathlib import Path

    from faqbot.atomic import write_atomic  # only when writing

    folder = os.path.dirname(path)
    os.makedirs(folder, mode=_DIR_MODE, exist_ok=True)
    st = os.stat(folder)
    if st.st_uid == os.geteuid() and st.st_mode & 0o077:
        os.chmod(folder, _DIR_MODE)  # made by an older faqbot, or by hand
    write_atomic(Path(path), data, mode=_FILE_MODE)
    for old in Path(folder).glob("*.pickle"):  # unsigned caches of earlier faqbots
        old.unlink(missing_ok=True)


def _cache_file(cache_dir: StrPath, key: str) -> str:
    # Checksums, quicker to import than hashlib: two keys that share a file only take turns
    # in it, since its header holds the whole key.
    data = os.fsencode(key)
    name = f"index-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.cache"
    return os.path.join(cache_dir, name)


def _header(key: str, snap: Snapshot) -> tuple[object, ...]:
    return (_VERSION, sys.version_info[:2], _SCHEMA, key, snap.files)


def _warn(message: str) -> None:
    warnings.warn(message, CacheWarning, stacklevel=4)


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
