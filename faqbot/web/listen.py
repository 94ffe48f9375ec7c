"""What the server needs from the system before it starts: its socket, and room for connections.

Both fail as a FaqbotError that names the value and the fix, never as a traceback.
"""

from __future__ import annotations

import errno
import os
import socket

from faqbot.errors import FaqbotError

__all__ = ["listen", "open_files_limit"]


def listen(host: str, port: int, backlog: int) -> socket.socket:
    """A socket listening on ``host``:``port``; FaqbotError saying why not and what to pass."""
    where = _where(host, port)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise FaqbotError(
            f"cannot listen on {where}: the port must be a whole number from 1 to 65535; "
            "pass --port, e.g. --port 8000"
        )
    try:
        found = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as e:
        raise FaqbotError(
            f"cannot listen on {where}: the host is not known ({e.strerror}); "
            "pass --host with this machine's name or address, e.g. --host 127.0.0.1"
        ) from None
    except (UnicodeError, ValueError):  # idna: empty or over-long labels, NUL
        raise FaqbotError(
            f"cannot listen on {where}: that is not a host name or address; "
            "pass --host, e.g. --host 127.0.0.1"
        ) from None
    family, kind, proto, _, address = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # on Windows it would let a second server share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError as e:
        sock.close()
        raise FaqbotError(f"cannot listen on {where}: {_why(e, port)}") from None
    return sock


def open_files_limit(wanted: int) -> int:
    """Raise this process's soft limit on open files toward ``wanted`` (never past the hard
    limit); returns the soft limit now, or ``wanted`` where there is no such limit."""
    try:
        import resource
    except ImportError:  # Windows
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # macOS caps it below the hard limit
            pass
    return soft


def _where(host: str, port: object) -> str:
    shown = host if len(host) <= 80 else host[:77] + "..."
    return f"[{shown}]:{port}" if ":" in shown else f"{shown or '*'}:{port}"


def _why(e: OSError, port: int) -> str:
    if e.errno == errno.EADDRINUSE:
        return "the address is in use; stop what uses it or pass --port"
    if e.errno == errno.EADDRNOTAVAIL:
        return (
            "the address is not one of this machine's; pass --host with one of them "
            "(127.0.0.1: this machine only, 0.0.0.0: every network)"
        )
    if e.errno == errno.EACCES and port < 1024:
        return "ports below 1024 need administrator rights; pass --port 1024 or above"
    return f"{e.strerror or e}; pass another --host or --port"
