"""Write files so that readers see the old bytes or the new ones, never a mix."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path

__all__ = ["remove_stale_temps", "write_atomic"]

_NEW_FILE_MODE = 0o666  # narrowed by the umask, as for any new file
_TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"\A\..+\.(\d+)-[0-9a-f]{8}\.tmp\Z")


def write_atomic(path: Path, data: str | bytes, mode: int | None = None) -> bool:
    """Replace ``path`` with ``data`` (str as UTF-8); False when it already held exactly that.

    The bytes go to a temporary file in the same folder, are synced to disk, then renamed over
    ``path``, which keeps its permissions, or gets ``mode`` when given (then nothing is taken
    from the old file, not even its bytes). On any error, or KeyboardInterrupt, the temporary
    file is removed and ``path`` is left as it was.
    """
    payload = data.encode() if isinstance(data, str) else data
    try:
        if mode is not None:
            raise FileNotFoundError  # a new file in every way
        st = path.stat()
    except FileNotFoundError:
        old_mode = mode
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
    """A new, empty file beside ``path``, opened for writing, that no one else is using.

    Its name holds this process's id, so that a later run can tell it from a live writer's.
    """
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{_TEMP_SUFFIX}")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
        except FileExistsError:
            continue


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files that writers interrupted for good (killed, or a power cut)
    left in ``folder``, and return them; those of processes still running are left alone."""
    removed = []
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except OSError:
        return []
    for name in names:
        found = _TEMP_NAME.match(name)
        if found is None or _running(int(found[1])):
            continue
        with contextlib.suppress(OSError):
            (folder / name).unlink()
            removed.append(folder / name)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: running
        return True
    return True
