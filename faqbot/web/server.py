"""Running the app under uvicorn: ``faqbot serve``."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

import uvicorn

from faqbot.bot import Bot
from faqbot.web.app import create_app

__all__ = ["EVENT_LOOP", "serve"]

# asyncio's own loop, not uvloop: under 50 busy connections on 2 cores uvloop served about a
# tenth more requests a second, but left single requests waiting 200-400 ms while others were
# served, so the p99 swung between rounds. Compare: benchmarks/http_load.py --loop uvloop.
EVENT_LOOP = "asyncio"


def serve(
    bot: Bot,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_origins: Sequence[str] = (),
    loop: str = EVENT_LOOP,
    **limits: Any,
) -> None:
    """Serve the API and the widget until interrupted; one process, so sessions stay in memory.

    ``limits`` are :func:`~faqbot.web.app.create_app`'s: ``session_ttl``, ``max_sessions``,
    ``max_body`` and ``rate_limit``.

    uvicorn parses HTTP with httptools (the ``web`` extra brings it) on ``loop``, one of
    uvicorn's (asyncio's own by default, see EVENT_LOOP). Access logging is off: a log line
    per request costs server time, and a reverse proxy in front logs anyway. Behind such a
    proxy on this machine (uvicorn trusts X-Forwarded-For from 127.0.0.1 only), each client
    still gets its own rate limit.
    """
    app = create_app(bot, allow_origins=allow_origins, **limits)
    gc.collect()
    gc.freeze()  # the loaded knowledge lives for the whole run: keep it out of GC passes
    uvicorn.run(app, host=host, port=port, loop=loop, access_log=False, server_header=False)
