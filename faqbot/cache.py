"""A pickle cache of loaded knowledge, used while the files it was made from are unchanged.

The cache only saves time: one that is missing, stale, corrupt or cannot be written is ignored.
Like any pickle it must live where only its user can write, such as the user's cache folder.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import io
import os
import pickle
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from faqbot.atomic import write_atomic
from faqbot.models import Dropped, Faq, Medication, Section, SideEffect, Source

__all__ = ["Snapshot", "read", "snapshot", "write"]

_VERSION = 1
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls))
    for cls in (Medication, Section, SideEffect, Faq, Source, Dropped)
}
# A change to the models' fields makes older caches unusable.
_SCHEMA = tuple((cls.__name__, names) for cls, names in _FIELDS.items())
# A file changed this recently could change again without its size or mtime changing (mtimes
# are coarse on many file systems), so such a folder is not cached yet.
_RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Snapshot:
    """The name, size and mtime of each file in a folder, and when they were taken."""

    files: tuple[tuple[str, int, int], ...]
    taken_ns: int


def snapshot(paths: list[Path]) -> Snapshot:
    """Take a snapshot of ``paths``; call it before reading them, so later edits are noticed."""
    taken_ns = time.time_ns()
    return Snapshot(tuple(_stat(p) for p in paths), taken_ns)


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        st = os.stat(path)
    except OSError:  # gone or unreadable: never matches a cache, and reading it says why
        return path.name, -1, -1
    return path.name, st.st_size, st.st_mtime_ns


def read(cache_dir: Path, folder: Path, snap: Snapshot) -> list[Medication] | None:
    """The medications cached for ``folder`` if its files still match ``snap``, else None."""
    try:
        with _cache_file(cache_dir, folder).open("rb") as f:
            if pickle.load(f) != _header(folder, snap):
                return None
            with _gc_paused():
                meds = pickle.load(f)
    except Exception:  # a corrupt or foreign file fails in many ways; rebuilding is always safe
        return None
    if isinstance(meds, list) and all(isinstance(m, Medication) for m in meds):
        return meds
    return None


def write(cache_dir: Path, folder: Path, snap: Snapshot, meds: list[Medication]) -> None:
    """Cache ``meds`` for ``folder``, unless a file is too recent to trust; never raises OSError."""
    if any(mtime_ns > snap.taken_ns - _RACY_NS for _, _, mtime_ns in snap.files):
        return
    data = pickle.dumps(_header(folder, snap)) + _pickle_models(meds)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(_cache_file(cache_dir, folder), data)
    except OSError:  # a read-only or full disk only costs speed
        pass


def _cache_file(cache_dir: Path, folder: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(folder)).hexdigest()[:16]
    return cache_dir / f"knowledge-{digest}.pickle"


def _header(folder: Path, snap: Snapshot) -> tuple[object, ...]:
    return (_VERSION, _SCHEMA, str(folder), snap.files)


def _pickle_models(meds: list[Medication]) -> bytes:
    """Pickle models as calls of their class, which load faster than dataclass pickling."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | dict.fromkeys(_FIELDS, _as_call)
    pickler.dump(meds)
    return out.getvalue()


def _as_call(model: object) -> tuple[type, tuple[object, ...]]:
    return type(model), tuple(getattr(model, name) for name in _FIELDS[type(model)])


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the garbage collector, which slows the loading of many objects and finds no
    garbage there: the models hold no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
