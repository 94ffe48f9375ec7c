"""What the HTTP benchmarks share: reading one response off a keep-alive connection."""

from __future__ import annotations

import asyncio


async def read_reply(reader: asyncio.StreamReader) -> bytes:
    """Read one response (its head and its Content-Length body); return its head."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    await reader.readexactly(length)
    return head
