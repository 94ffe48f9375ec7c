"""The key that signs the index cache, and the signatures made with it.

A cache file is trusted only when its signature, made with a key that only this user can read,
matches: a file planted or altered in the cache folder (a shared or restored CI cache, say) is
then never unpickled. The key lives apart from the cache (``$XDG_STATE_HOME/faqbot/cache.key``),
so whoever can write the cache folder still cannot sign a file.

The signature is keyed BLAKE2b, a MAC by design (RFC 7693), taken from ``_blake2``, the module
behind ``hashlib.blake2b``: importing hashlib would cost the one-shot ``faqbot ask`` several
milliseconds of its start-up.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python: the same function, a slower import
    from hashlib import blake2b
try:
    from _operator import _compare_digest as compare_digest  # what hmac.compare_digest is
except ImportError:  # pragma: no cover
    from hmac import compare_digest  # type: ignore[no-redef]

if TYPE_CHECKING:
    from faqbot.locations import StrPath

__all__ = ["KEY_SIZE", "SIGNATURE_SIZE", "UntrustedKey", "load_key", "sign", "verify"]

KEY_SIZE = 32
SIGNATURE_SIZE = 32
_PERSON = b"faqbot-cache"  # keeps these signatures apart from any other use of the same key


class UntrustedKey(Exception):
    """The key file exists but others could read or change it, so it cannot vouch for a file."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path
        self.why = why


def load_key(path: StrPath) -> bytes:
    """The key in ``path``, made (mode 0600, its folder 0700) when there is none yet.

    Raises UntrustedKey when the file is not a regular file of this user's that only this user
    can read and write, or OSError when it cannot be read or made.
    """
    path = os.fspath(path)
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _read_key(path)
    try:
        key = os.urandom(KEY_SIZE)
        os.write(fd, key)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(path)
        raise
    os.close(fd)
    return key


def _read_key(path: str) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        if err.errno == errno.ELOOP:  # O_NOFOLLOW met a symbolic link
            raise UntrustedKey(path, "is a symbolic link; remove it") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UntrustedKey(path, "is not a regular file; remove it")
        if st.st_uid != os.geteuid():
            raise UntrustedKey(path, "belongs to another user; remove it")
        if st.st_mode & 0o077:
            mode = stat.S_IMODE(st.st_mode)
            raise UntrustedKey(path, f"has mode {mode:04o}, readable by others; remove it")
        key = os.read(fd, KEY_SIZE + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_SIZE:
        raise UntrustedKey(path, f"holds {len(key)} bytes, not a {KEY_SIZE}-byte key; remove it")
    return key


def sign(key: bytes, data: bytes | memoryview) -> bytes:
    """The signature of ``data`` under ``key``."""
    return blake2b(data, digest_size=SIGNATURE_SIZE, key=key, person=_PERSON).digest()


def verify(key: bytes, data: bytes | memoryview, signature: bytes | memoryview) -> bool:
    """Whether ``signature`` is that of ``data`` under ``key`` (in constant time)."""
    return compare_digest(sign(key, data), bytes(signature))
