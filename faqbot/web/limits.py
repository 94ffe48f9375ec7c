"""Limits on what one client may send: requests per period, bytes per body, connection costs."""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import anyio
from starlette.requests import ClientDisconnect, Request

from faqbot.numbers import whole_number

__all__ = [
    "DRAIN_BYTES",
    "DRAIN_SECONDS",
    "MAX_CLIENT_KEY",
    "BodyTooLarge",
    "ClientLeft",
    "ConnectionLimits",
    "RateLimiter",
    "client_key",
    "read_body",
]

MAX_CLIENT_KEY = 64  # longer client names (a spoofed X-Forwarded-For) are kept as a digest
# A body over the limit is still read and dropped, up to these bounds, before the 413 is sent,
# as nginx does: a client that sends its whole body before reading then gets the 413, not a
# reset. Past either bound the connection is closed.
DRAIN_BYTES = 4 * 1024 * 1024
DRAIN_SECONDS = 5.0


@dataclass(frozen=True)
class ConnectionLimits:
    """What one HTTP connection may take (enforced by :mod:`faqbot.web.connections`).

    A request head must arrive whole within ``head_timeout`` seconds and be at most
    ``max_head`` bytes; its body must follow within ``body_timeout``; at most
    ``max_connections`` are open at once.
    """

    head_timeout: float = 10.0
    body_timeout: float = 10.0
    max_head: int = 16_384
    max_connections: int = 2048

    def __post_init__(self) -> None:
        for name in ("head_timeout", "body_timeout", "max_head", "max_connections"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"connection limit {name} must be above 0, got {value!r}")


class BodyTooLarge(Exception):
    """The request body is larger than the server accepts; ``drained`` if it was read whole."""

    def __init__(self, limit: int, drained: bool = True) -> None:
        super().__init__(f"request body is larger than {limit} bytes")
        self.limit = limit
        self.drained = drained


class ClientLeft(Exception):
    """The client disconnected before its request body was complete."""

    def __init__(self, received: int) -> None:
        super().__init__(f"the client disconnected after {received} bytes of its request body")
        self.received = received


def client_key(client: str) -> str:
    """``client`` itself when short, else a fixed-size digest of it: keys stay small."""
    if len(client) <= MAX_CLIENT_KEY:
        return client
    digest = hashlib.blake2b(client.encode("utf-8", "surrogatepass"), digest_size=16)
    return "#" + digest.hexdigest()


class RateLimiter:
    """A token bucket per client: ``limit`` requests at once, refilled over ``period`` seconds.

    Buckets untouched for a whole period are full again, so they are forgotten; at most
    ``max_clients`` are held (the least recently used go first), each under a key of at most
    MAX_CLIENT_KEY characters, so memory is bounded whatever clients claim to be.
    """

    def __init__(
        self,
        limit: int,
        period: float,
        clock: Callable[[], float],
        max_clients: int = 50_000,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError(f"rate limit must be positive, got {limit!r} per {period!r} s")
        if max_clients < 1:
            raise ValueError(f"max_clients must be positive, got {max_clients!r}")
        self.limit = float(limit)
        self.period = period
        self.rate = limit / period
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, last

    def __len__(self) -> int:
        return len(self._buckets)

    def retry_after(self, client: str) -> int:
        """0 when ``client`` may go ahead (and counts the request), else seconds to wait."""
        now = self.clock()
        self._forget(now)
        key = client_key(client)
        tokens, last = self._buckets.pop(key, (self.limit, now))
        tokens = min(self.limit, tokens + (now - last) * self.rate)
        wait = 0 if tokens >= 1 else max(1, math.ceil((1 - tokens) / self.rate))
        self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    def _forget(self, now: float) -> None:
        buckets = self._buckets
        while buckets:
            last = next(iter(buckets.values()))[1]
            if now - last < self.period:
                return
            buckets.popitem(last=False)


async def read_body(
    request: Request,
    limit: int,
    drain_bytes: int = DRAIN_BYTES,
    drain_seconds: float = DRAIN_SECONDS,
) -> bytes:
    """The request body, at most ``limit`` bytes; else BodyTooLarge, once the rest is drained.

    A body declared larger than ``drain_bytes``, or larger than ``limit`` by a client waiting
    for ``100 Continue``, is refused at once (``drained`` False), as is one still arriving
    after ``drain_bytes`` or ``drain_seconds``. ClientLeft when the client disconnects first.
    """
    declared = _content_length(request)
    if declared is not None and declared > limit and (declared > drain_bytes or _waits(request)):
        raise BodyTooLarge(limit, drained=False)
    size = 0
    chunks: list[bytes] = []
    stream = request.stream()
    try:
        async for chunk in stream:
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(limit, await _drain(stream, size, drain_bytes, drain_seconds))
            chunks.append(chunk)
    except ClientDisconnect:
        raise ClientLeft(size) from None
    return b"".join(chunks)


async def _drain(stream: AsyncIterator[bytes], size: int, most: int, seconds: float) -> bool:
    """Read and drop the rest of ``stream``; False when it passes ``most`` bytes or ``seconds``."""
    with anyio.move_on_after(seconds):
        async for chunk in stream:
            size += len(chunk)
            if size > most:
                return False
        return True
    return False


def _waits(request: Request) -> bool:
    """Whether the client sends its body only after ``100 Continue``."""
    return request.headers.get("expect", "").lower() == "100-continue"


def _content_length(request: Request) -> int | None:
    """The declared body size, when it is a plain ASCII number."""
    return whole_number(request.headers.get("content-length", ""), 0)
