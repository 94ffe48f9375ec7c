"""The files of a knowledge folder: which entries are knowledge files, and reading one safely.

Paths here are strings: this module is on the one-shot ``faqbot ask`` path.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING

from faqbot.errors import KnowledgeError, Problem

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = [
    "RESERVED_NAMES",
    "NotRegularFile",
    "TooLarge",
    "knowledge_files",
    "read_limited",
    "read_regular",
]

RESERVED_NAMES = frozenset({"lexicon.yaml"})  # other kinds of file in a knowledge folder


def knowledge_files(directory: StrPath) -> list[str]:
    """The knowledge files (``*.yaml``) of ``directory``, sorted; not hidden or reserved ones.

    Every such entry is listed, whatever it is: one that is not a regular file (a folder, a
    FIFO, a broken symbolic link) is reported when it is read (:func:`read_limited`), rather
    than skipped without a word. Nothing is opened or stat'ed here, which keeps this quick.
    Paths here are strings: pathlib takes a noticeable share of a one-shot answer to import.
    """
    try:
        with os.scandir(directory) as entries:
            names = sorted(
                e.name
                for e in entries
                if e.name.endswith(".yaml")
                and not e.name.startswith(".")
                and e.name not in RESERVED_NAMES
            )
    except FileNotFoundError:
        raise KnowledgeError([Problem(directory, 0, "knowledge folder not found")]) from None
    except OSError as err:
        message = f"cannot read the knowledge folder: {err.strerror or err}"
        raise KnowledgeError([Problem(directory, 0, message)]) from None
    if not names:
        raise KnowledgeError([Problem(directory, 0, "no knowledge files (*.yaml) in this folder")])
    return [os.path.join(directory, name) for name in names]


class NotRegularFile(Exception):
    """The entry is not a regular file; ``kind`` says what it is ("a folder", ...)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class TooLarge(Exception):
    """The file holds more bytes than were asked for; ``size`` is how many it holds."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_regular(path: StrPath, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (or at the end of its symbolic link).

    Never blocks: a FIFO is opened non-blocking and refused once ``fstat`` shows what it is.
    Raises NotRegularFile, TooLarge when it holds over ``limit`` bytes, or OSError.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise NotRegularFile(kind)
        if st.st_size > limit:
            raise TooLarge(st.st_size)
        data = os.read(fd, st.st_size + 1)
        while len(data) <= limit:  # until the end: the file may have grown since fstat
            more = os.read(fd, min(1 << 16, limit + 1 - len(data)))
            if not more:
                break
            data += more
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data


def read_limited(path: StrPath, limit: int, advice: str) -> bytes:
    """The bytes of the regular file at ``path``, as :func:`read_regular` reads them.

    Raises KnowledgeError naming ``path`` when it is not a regular file, cannot be read, or
    holds over ``limit`` bytes (``advice`` then says what to do).
    """
    try:
        return read_regular(path, limit)
    except NotRegularFile as e:
        message = _not_regular(e.kind)
    except TooLarge as e:
        message = f"the file is {_size(e.size)}, over the limit of {_size(limit)}; {advice}"
    except OSError as err:
        message = _open_failure(path, err)
    raise KnowledgeError([Problem(path, 0, message)])


def _open_failure(path: StrPath, err: OSError) -> str:
    """Why ``path`` could not be opened or read, naming what it is when that is the reason."""
    if err.errno == errno.ELOOP:
        return _not_regular("a symbolic link that loops")
    if err.errno == errno.ENOENT and os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return _not_regular(f"a symbolic link to {target!r}, which does not exist")
    try:
        kind = _kind(os.stat(path).st_mode)  # a socket cannot be opened at all
    except OSError:
        kind = None
    if kind is not None:
        return _not_regular(kind)
    return f"cannot read the file: {err.strerror or err}"


def _kind(mode: int) -> str | None:
    """What a file of ``mode`` is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kinds = [
        (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
    ]  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "an entry of another kind")


def _not_regular(kind: str) -> str:
    return f"not a regular file but {kind}; only regular files are read: replace or remove it"


def _size(n: int) -> str:
    """``1_572_864`` → ``"1.5 MB (1,572,864 bytes)"``: readable, and exact."""
    return f"{n / 1_000_000:.1f} MB ({n:,} bytes)" if n >= 100_000 else f"{n:,} bytes"
