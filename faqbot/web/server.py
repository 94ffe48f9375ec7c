"""Running the app under uvicorn: ``faqbot serve``."""

from __future__ import annotations

import gc
from collections.abc import Sequence

import uvicorn

from faqbot.bot import Bot
from faqbot.web.app import create_app

__all__ = ["serve"]


def serve(
    bot: Bot, host: str = "127.0.0.1", port: int = 8000, allow_origins: Sequence[str] = ()
) -> None:
    """Serve the API and the widget until interrupted; one process, so sessions stay in memory.

    uvicorn uses httptools and uvloop when installed (the ``web`` extra brings them). Access
    logging is off: a log line per request costs server time, and a reverse proxy in front logs
    anyway. Behind such a proxy on this machine (uvicorn trusts X-Forwarded-For from
    127.0.0.1 only), each client still gets its own rate limit.
    """
    app = create_app(bot, allow_origins=allow_origins)
    gc.collect()
    gc.freeze()  # the loaded knowledge lives for the whole run: keep it out of GC passes
    uvicorn.run(app, host=host, port=port, access_log=False, server_header=False)
