"""Running the app under uvicorn: ``faqbot serve``."""

from __future__ import annotations

import asyncio
import copy
import gc
import importlib.util
import logging
import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import uvicorn
import uvicorn.config

from faqbot.bot import Bot
from faqbot.errors import FaqbotError
from faqbot.web.app import create_app
from faqbot.web.limits import ConnectionLimits
from faqbot.web.listen import listen, open_files_limit

if TYPE_CHECKING:
    from faqbot.web.connections import Guard

__all__ = ["BACKLOG", "EVENT_LOOP", "FD_RESERVE", "serve"]

LOG = logging.getLogger("faqbot.web")

# asyncio's own loop, not uvloop: under 50 busy connections on 2 cores uvloop served about a
# tenth more requests a second, but left single requests waiting 200-400 ms while others were
# served, so the p99 swung between rounds. Compare: benchmarks/http_load.py --loop uvloop.
EVENT_LOOP = "asyncio"
# Connections waiting to be accepted (at most; a quarter of the open-files limit when that is
# small). asyncio accepts up to this many in one go before the protocol sees any, so as many
# files are kept free beside the connection cap.
BACKLOG = 512
FD_RESERVE = 64  # files beside connections: the listening socket, logs, knowledge, the loop


def serve(
    bot: Bot,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_origins: Sequence[str] = (),
    loop: str = EVENT_LOOP,
    connection_limits: ConnectionLimits | None = None,
    **limits: Any,
) -> None:
    """Serve the API and the widget until interrupted; one process, so sessions stay in memory.

    ``limits`` are :func:`~faqbot.web.app.create_app`'s: ``session_ttl``, ``max_sessions``,
    ``max_body`` and ``rate_limit``. ``connection_limits`` bound each connection's time and
    head size, and how many are open (see :mod:`faqbot.web.connections`). A port in use, out
    of range, or a host that is not this machine's is a FaqbotError naming the fix.

    uvicorn parses HTTP with httptools (the ``web`` extra brings it) on ``loop``, one of
    uvicorn's (asyncio's own by default, see EVENT_LOOP). Access logging is off: a log line
    per request costs server time, and a reverse proxy in front logs anyway. Behind such a
    proxy on this machine (uvicorn trusts X-Forwarded-For from 127.0.0.1 only), each client
    still gets its own rate limit.
    """
    app = create_app(bot, allow_origins=allow_origins, **limits)
    bounds = connection_limits or ConnectionLimits()
    backlog, most = _room(bounds)
    sock = listen(host, port, backlog)
    try:
        server = _server(app, sock, loop, bounds, backlog, most)
        gc.collect()
        gc.freeze()  # the loaded knowledge lives for the whole run: keep it out of GC passes
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the Ctrl-C again once it has shut down
        pass
    finally:
        sock.close()


def _room(limits: ConnectionLimits) -> tuple[int, int]:
    """The listen backlog and the connection cap that fit the open-files limit, raised first
    toward what ``limits`` need (up to the hard limit)."""
    wanted = limits.max_connections + BACKLOG + FD_RESERVE
    files = open_files_limit(wanted)
    backlog = min(BACKLOG, files // 4)
    most = min(limits.max_connections, files - backlog - FD_RESERVE)
    if most < 16:
        raise FaqbotError(
            f"only {files} files may be open at once, too few to serve; "
            f"raise the limit, e.g. ulimit -n {wanted}"
        )
    return backlog, most


def _server(
    app: Any, sock: socket.socket, loop: str, limits: ConnectionLimits, backlog: int, most: int
) -> uvicorn.Server:
    """uvicorn's server over ``sock``, its connections under a Guard (with httptools)."""
    options: dict[str, Any] = {
        "loop": loop,
        "backlog": backlog,
        "access_log": False,
        "server_header": False,
        "log_config": _log_config(),
    }
    guard = None
    if importlib.util.find_spec("httptools") is not None:
        from faqbot.web.connections import Guard

        guard = Guard(limits, most)
        config = uvicorn.Config(app, http=guard.protocol, **options)
    else:  # PyPy: h11, with uvicorn's own bounds on heads and on connections (as 503s)
        options.update(http="h11", h11_max_incomplete_event_size=limits.max_head)
        config = uvicorn.Config(app, limit_concurrency=most, **options)
        LOG.warning("without httptools, request heads and bodies have no deadline")
    host, port = sock.getsockname()[:2]
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    started = f"faqbot serving on http://{where} (Ctrl-C to stop); at most {most} connections"
    return _GuardedServer(config, guard, started)


class _GuardedServer(uvicorn.Server):
    """uvicorn's server that starts its Guard's sweep on the loop it runs on, and says where."""

    def __init__(self, config: uvicorn.Config, guard: Guard | None, started: str) -> None:
        super().__init__(config)
        self.guard = guard
        self.started_message = started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if self.guard is not None:
            self.guard.start(asyncio.get_running_loop())
        await super().startup(sockets)
        LOG.info("%s", self.started_message)  # uvicorn says nothing of sockets it was given


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, with faqbot.web's lines (closed connections, disconnects) too."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["faqbot.web"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
