"""Write files so that readers see the old bytes or the new ones, never a mix."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

__all__ = ["write_atomic"]

_NEW_FILE_MODE = 0o666  # narrowed by the umask, as for any new file


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Replace ``path`` with ``data`` (str as UTF-8); False when it already held exactly that.

    The bytes go to a temporary file in the same folder, are synced to disk, then renamed over
    ``path``, which keeps its permissions. On any error, or KeyboardInterrupt, the temporary
    file is removed and ``path`` is left as it was.
    """
    payload = data.encode() if isinstance(data, str) else data
    try:
        st = path.stat()
    except FileNotFoundError:
        old_mode = None
    else:
        if st.st_size == len(payload) and path.read_bytes() == payload:
            return False
        old_mode = stat.S_IMODE(st.st_mode)
    tmp: Path | None = None
    try:
        tmp, fd = _create_temp(path)
        with os.fdopen(fd, "wb") as f:
            if old_mode is not None:
                os.chmod(tmp, old_mode)
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    return True


def _create_temp(path: Path) -> tuple[Path, int]:
    """A new, empty file beside ``path``, opened for writing, that no one else is using."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
        except FileExistsError:
            continue
