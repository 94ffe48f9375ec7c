"""Bounds on what one HTTP connection may cost, which uvicorn's httptools protocol lacks.

- Each request head must arrive whole within ``head_timeout`` of the accept or of the
  previous response (slowloris), else 408 and close.
- Each request body must arrive whole within ``body_timeout`` of its head (slow POST), else 408.
- A head over ``max_head`` bytes gets 431; httptools is never fed more than that.
- At most ``max_connections`` are open: at the cap, the connection that has waited longest for
  a request head is closed to make room (slow connections go first, busy ones never); when
  none is waiting, the newcomer gets 503.

Deadlines are checked by one sweep, a fraction of the shortest timeout apart, over connections
kept in the order they began to wait, so the overdue ones are always at the front: no timer per
request. What is closed is counted and logged in one line at most every LOG_EVERY seconds.
"""

from __future__ import annotations

import asyncio
import errno
import http
import json
import logging
import math
from collections import Counter, OrderedDict
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from faqbot.web.limits import ConnectionLimits

__all__ = ["LOG_EVERY", "Guard", "GuardedProtocol", "Waiting", "reply"]

LOG = logging.getLogger("faqbot.web")
LOG_EVERY = 10.0  # seconds between two lines about closed connections
_OUT_OF_FILES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}


class Waiting:
    """Connections in the order they began to wait, with when: O(1) start, stop and oldest."""

    def __init__(self) -> None:
        self._since: OrderedDict[GuardedProtocol, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._since)

    def start(self, conn: GuardedProtocol, now: float) -> None:
        self._since.pop(conn, None)
        self._since[conn] = now

    def stop(self, conn: GuardedProtocol) -> None:
        self._since.pop(conn, None)

    def oldest(self) -> GuardedProtocol | None:
        return next(iter(self._since), None)

    def overdue(self, before: float) -> list[GuardedProtocol]:
        """Remove and return those waiting since ``before`` or earlier, oldest first."""
        late = []
        since = self._since
        while since:
            conn, started = next(iter(since.items()))
            if started > before:
                break
            since.popitem(last=False)
            late.append(conn)
        return late


class Guard:
    """One server's limits, its waiting connections and its tally of closed ones.

    ``protocol`` is the class to give uvicorn (``Config(http=guard.protocol)``); ``start``
    begins the sweep on the running loop.
    """

    def __init__(self, limits: ConnectionLimits, max_connections: int | None = None) -> None:
        self.limits = limits
        self.max_connections = max_connections or limits.max_connections
        self.heads = Waiting()
        self.bodies = Waiting()
        self.closed: Counter[str] = Counter()
        self.interval = min(limits.head_timeout, limits.body_timeout, 4.0) / 4
        self._sweeping = False
        self._reported = -math.inf

        class Bound(GuardedProtocol):
            guard = self

        self.protocol: type[GuardedProtocol] = Bound

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Sweep deadlines on ``loop``, and count its failed accepts instead of logging each
        with a traceback."""
        if not self._sweeping:
            self._sweeping = True
            loop.set_exception_handler(self._loop_error)
            loop.call_later(self.interval, self._sweep, loop)

    def count(self, reason: str) -> None:
        """One more connection closed for ``reason``."""
        self.closed[reason] += 1

    def make_room(self) -> bool:
        """Close the connection waiting longest for a request head; False when none waits."""
        conn = self.heads.oldest()
        if conn is None:
            return False
        self.heads.stop(conn)
        self.count(f"closed to make room at {self.max_connections:,} connections")
        conn.transport.close()
        return True

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        for conn in self.heads.overdue(now - self.limits.head_timeout):
            conn.head_overdue()
        for conn in self.bodies.overdue(now - self.limits.body_timeout):
            conn.body_overdue()
        self.report(now)
        loop.call_later(self.interval, self._sweep, loop)

    def report(self, now: float) -> None:
        """Log what was closed since the last line, at most every LOG_EVERY seconds."""
        if self.closed and now - self._reported >= LOG_EVERY:
            parts = ", ".join(f"{n:,} {reason}" for reason, n in self.closed.most_common())
            LOG.warning("connections closed: %s", parts)
            self.closed.clear()
            self._reported = now

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        failed = context.get("exception")
        if isinstance(failed, OSError) and failed.errno in _OUT_OF_FILES:
            self.count("not accepted: out of file descriptors (asyncio retries in 1 s)")
            return
        loop.default_exception_handler(context)


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol under a Guard's deadlines, head size and connection cap."""

    guard: ClassVar[Guard]
    _head_bytes: int | None = None  # bytes of the request head so far; None while in a body
    _refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        guard = self.guard
        if len(self.connections) >= guard.max_connections and not guard.make_room():
            self._refused = True
            guard.count(f"refused: {guard.max_connections:,} connections busy (503)")
            transport.write(reply(503, "the server is busy; try again in a moment"))
            transport.close()
            return
        super().connection_made(transport)
        self._head_bytes = 0
        guard.heads.start(self, self.loop.time())

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        self.guard.heads.stop(self)
        self.guard.bodies.stop(self)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        counted = self._head_bytes
        if counted is None:
            super().data_received(data)
            return
        room = self.guard.limits.max_head - counted
        if len(data) <= room:
            self._head_bytes = counted + len(data)
            super().data_received(data)
            return
        # Feed only what the head may still take: past that, the head must have ended.
        self._head_bytes = counted + room
        if room > 0:
            super().data_received(data[:room])
        if self.transport.is_closing():
            return
        if self._head_bytes is not None:
            max_head = self.guard.limits.max_head
            self.guard.count(f"request head over {max_head:,} bytes (431)")
            self._close_head(431, f"the request head is larger than {max_head} bytes")
            return
        super().data_received(data[room:])

    def on_headers_complete(self) -> None:
        self._head_bytes = None
        self.guard.heads.stop(self)
        self.guard.bodies.start(self, self.loop.time())
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.guard.bodies.stop(self)
        self._head_bytes = 0
        super().on_message_complete()
        answered = self.cycle is not None and self.cycle.response_complete
        if answered and not self.transport.is_closing():
            self.guard.heads.start(self, self.loop.time())  # answered early: the next head's turn

    def on_response_complete(self) -> None:
        super().on_response_complete()
        idle = not self.pipeline and self.cycle is not None and self.cycle.response_complete
        if idle and self._head_bytes is not None and not self.transport.is_closing():
            self.guard.heads.start(self, self.loop.time())

    def head_overdue(self) -> None:
        """The head deadline passed: close, with a 408 when part of a head came."""
        if self.transport.is_closing():
            return
        seconds = self.guard.limits.head_timeout
        if not self._head_bytes:
            self.guard.count(f"idle for {seconds:g} s")
            self.transport.close()
            return
        self.guard.count(f"no whole request head within {seconds:g} s (408)")
        self._close_head(408, f"the request head did not arrive within {seconds:g} s")

    def body_overdue(self) -> None:
        """The body deadline passed: 408 unless the app already answered, and close."""
        if self.transport.is_closing():
            return
        seconds = self.guard.limits.body_timeout
        self.guard.count(f"no whole request body within {seconds:g} s (408)")
        if self.cycle is None or not self.cycle.response_started:  # the app sends nothing now
            message = f"the request body did not arrive within {seconds:g} s"
            self.transport.write(reply(408, message))
        self.transport.close()

    def _close_head(self, status: int, message: str) -> None:
        cycle = self.cycle
        if cycle is None or cycle.response_complete:  # else a response is owed first: just close
            self.transport.write(reply(status, message))
        self.transport.close()


def reply(status: int, message: str) -> bytes:
    """A whole ``{"error": message}`` response that closes the connection."""
    body = json.dumps({"error": message}).encode()
    phrase = http.HTTPStatus(status).phrase
    head = (
        f"HTTP/1.1 {status} {phrase}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body
