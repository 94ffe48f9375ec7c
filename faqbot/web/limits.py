"""Limits on what one client may send: requests per period, and bytes per request body."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable

from starlette.requests import Request

__all__ = ["BodyTooLarge", "RateLimiter", "read_body"]


class BodyTooLarge(Exception):
    """The request body is larger than the server accepts."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body is larger than {limit} bytes")
        self.limit = limit


class RateLimiter:
    """A token bucket per client: ``limit`` requests at once, refilled over ``period`` seconds.

    Buckets untouched for a whole period are full again, so they are forgotten: memory is
    bounded by the clients seen within one period.
    """

    def __init__(self, limit: int, period: float, clock: Callable[[], float]) -> None:
        if limit < 1 or period <= 0:
            raise ValueError(f"rate limit must be positive, got {limit!r} per {period!r} s")
        self.limit = float(limit)
        self.period = period
        self.rate = limit / period
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, last

    def retry_after(self, client: str) -> int:
        """0 when ``client`` may go ahead (and counts the request), else seconds to wait."""
        now = self.clock()
        self._forget(now)
        tokens, last = self._buckets.pop(client, (self.limit, now))
        tokens = min(self.limit, tokens + (now - last) * self.rate)
        wait = 0 if tokens >= 1 else max(1, math.ceil((1 - tokens) / self.rate))
        self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
        return wait

    def _forget(self, now: float) -> None:
        buckets = self._buckets
        while buckets:
            last = next(iter(buckets.values()))[1]
            if now - last < self.period:
                return
            buckets.popitem(last=False)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body; BodyTooLarge as soon as the declared or streamed size passes ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    size = 0
    chunks: list[bytes] = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)
