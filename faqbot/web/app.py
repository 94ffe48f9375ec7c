"""The HTTP API and the widget's files as one Starlette app: see :func:`create_app`.

Answers become JSON only through :func:`faqbot.render.to_json`, so each carries its disclaimer.
Questions are answered on the event loop: one takes well under a millisecond, and the sessions
they touch are then never shared between threads.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from faqbot.bot import MAX_QUESTION, Bot
from faqbot.errors import FaqbotError
from faqbot.numbers import whole_number
from faqbot.render import to_json
from faqbot.web.assets import NOSNIFF, DemoPage, load_asset
from faqbot.web.limits import BodyTooLarge, ClientLeft, RateLimiter, read_body
from faqbot.web.openapi import MAX_DRUGS, openapi_schema
from faqbot.web.sessions import MAX_SESSION_ID, SessionStore

__all__ = ["LOG", "BadRequest", "create_app", "parse_ask"]

LOG = logging.getLogger("faqbot.web")
JSON = "application/json"
# Questions longer than this take the long lane: answered one at a time, each after the requests
# already waiting. Real questions are far shorter (the longest of the consumer questions we
# hold has 103 characters); a long one costs a few ms, and eight clients sending them at once
# would otherwise keep every other request waiting behind all eight.
LONG_QUESTION = 280
API_HEADERS = {**NOSNIFF, "Cache-Control": "no-store"}
ASK_FIELDS = ("question", "session_id")
MAX_DIGITS = 100  # no field takes a number: longer integers are refused before int() runs
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}
_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone one: JSON allows it, UTF-8 cannot hold it


class BadRequest(Exception):
    """The request is not what the API accepts; the message names the field."""


def create_app(
    bot: Bot,
    *,
    allow_origins: Sequence[str] = (),
    session_ttl: float = 1800,
    max_sessions: int = 10_000,
    max_body: int = 16_384,
    rate_limit: tuple[int, float] = (60, 60.0),
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """The ASGI app: the API under ``/api``, the widget's files, and a demo page at ``/``.

    CORS is off unless ``allow_origins`` lists origins (``https://example.com``) allowed to call
    the API from their pages. ``rate_limit`` is (requests, per seconds) for each client address.
    """
    _check_origins(allow_origins)
    sessions = SessionStore(bot, session_ttl, max_sessions, clock)
    api = _Api(bot, sessions, RateLimiter(*rate_limit, clock), max_body)
    widget_js, widget_css, demo_css = map(load_asset, ("widget.js", "widget.css", "demo.css"))
    routes = [
        Route("/api/ask", api.ask, methods=["POST"]),
        Route("/api/drugs", api.drugs, methods=["GET"]),
        Route("/healthz", api.health, methods=["GET"]),
        Route("/openapi.json", api.openapi, methods=["GET"]),
        Route("/widget.js", widget_js.endpoint, methods=["GET"]),
        Route("/widget.css", widget_css.endpoint, methods=["GET"]),
        Route("/demo.css", demo_css.endpoint, methods=["GET"]),
        Route("/", DemoPage().endpoint, methods=["GET"]),
    ]
    middleware = []
    if allow_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(allow_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
                expose_headers=["Retry-After"],
                max_age=600,
            )
        )
    handlers = {HTTPException: _http_error, Exception: _server_error}
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """``{"error": message}`` with ``status``."""
    body = json.dumps({"error": message}, ensure_ascii=False)
    return Response(body, status, {**API_HEADERS, **(headers or {})}, JSON)


def parse_ask(body: bytes) -> tuple[str, str | None]:
    """The question and session id in an ``/api/ask`` body; BadRequest names what is wrong."""
    data = _json_object(body)
    unknown = [k for k in data if k not in ASK_FIELDS]
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}; expected: {', '.join(ASK_FIELDS)}")
    if "question" not in data:
        raise BadRequest("field 'question' is required")
    question, session_id = data["question"], data.get("session_id")
    if not isinstance(question, str):
        raise BadRequest(f"field 'question' must be a string, not {_json_type(question)}")
    if not question.isascii():
        question = _SURROGATE.sub("\ufffd", question)
    if len(question) > MAX_QUESTION:
        raise BadRequest(
            f"field 'question' is {len(question)} characters long; at most {MAX_QUESTION}"
        )
    if session_id is not None and not isinstance(session_id, str):
        raise BadRequest(
            f"field 'session_id' must be a string or null, not {_json_type(session_id)}"
        )
    return question, session_id if session_id and len(session_id) <= MAX_SESSION_ID else None


def _json_object(body: bytes) -> dict[str, object]:
    try:
        data = _DECODER.decode(body.decode(json.detect_encoding(body), "surrogatepass"))
    except json.JSONDecodeError as e:
        raise BadRequest(
            f"request body is not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})"
        ) from None
    except UnicodeDecodeError:
        raise BadRequest("request body is not valid JSON: it is not UTF-8 text") from None
    except RecursionError:
        raise BadRequest("request body is not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise BadRequest(
            f'request body must be a JSON object like {{"question": "..."}}, not {_json_type(data)}'
        )
    return data


def _small_int(digits: str) -> int:
    """``int(digits)``, refused past MAX_DIGITS (Python's own limit would raise ValueError)."""
    length = len(digits.lstrip("-"))
    if length > MAX_DIGITS:
        raise BadRequest(
            f"request body holds a number {length:,} digits long; no field takes a number "
            "(question and session_id are strings)"
        )
    return int(digits)


_DECODER = json.JSONDecoder(
    parse_int=_small_int
)  # made once: json.loads(parse_int=) makes one each


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return _JSON_TYPES.get(type(value), "a number")


class _Api:
    """The API's endpoints over one bot, its sessions and its limits."""

    def __init__(self, bot: Bot, sessions: SessionStore, limiter: RateLimiter, max_body: int):
        self.sessions = sessions
        self.limiter = limiter
        self.max_body = max_body
        self.long_lane = asyncio.Lock()
        self.titles = sorted((m.title for m in bot.index.medications.values()), key=str.casefold)
        self.folded = [t.casefold() for t in self.titles]
        try:
            version = metadata.version("faqbot")
        except metadata.PackageNotFoundError:
            version = "0"
        self.schema = json.dumps(openapi_schema(version), ensure_ascii=False).encode()

    def _limited(self, request: Request) -> Response | None:
        client = _client(request)
        wait = self.limiter.retry_after(client)
        if not wait:
            return None
        shown = client if len(client) <= 64 else client[:60] + "..."
        message = f"too many requests from {shown}; try again in {wait} s"
        return error(429, message, {"Retry-After": str(wait)})

    async def ask(self, request: Request) -> Response:
        """``POST /api/ask``: the answer in the JSON contract, with session_id and drug."""
        refused = self._limited(request)
        if refused is not None:
            return refused
        try:
            question, session_id = parse_ask(await read_body(request, self.max_body))
        except BodyTooLarge as e:
            return error(413, str(e), None if e.drained else {"Connection": "close"})
        except ClientLeft as e:
            LOG.info(
                "client %s left after %d bytes of its request body",
                _client(request)[:64],
                e.received,
            )
            return Response(status_code=400)  # never sent: no one is listening
        except BadRequest as e:
            return error(400, str(e))
        session_id, session = self.sessions.open(session_id)
        if len(question) > LONG_QUESTION:
            async with self.long_lane:  # one at a time, so they cannot crowd out the rest
                await asyncio.sleep(0)  # and after the requests already waiting
                answer = session.ask(question)
        else:
            answer = session.ask(question)
        body = to_json(answer, session_id=session_id, drug=session.drug_title)
        return Response(body, 200, API_HEADERS, JSON)

    async def drugs(self, request: Request) -> Response:
        """``GET /api/drugs?q=&limit=``: the titles known, alphabetically."""
        refused = self._limited(request)
        if refused is not None:
            return refused
        limit = whole_number(request.query_params.get("limit", "100"), 1, MAX_DRUGS)
        if limit is None:
            return error(400, f"query parameter 'limit' must be a whole number 1..{MAX_DRUGS}")
        wanted = request.query_params.get("q", "").strip().casefold()
        found = [t for t, f in zip(self.titles, self.folded, strict=True) if wanted in f]
        body = {"drugs": found[:limit], "total": len(found)}
        return Response(json.dumps(body, ensure_ascii=False), 200, API_HEADERS, JSON)

    async def health(self, request: Request) -> Response:
        """``GET /healthz``: up, with how many drugs and sessions are held."""
        body = {"status": "ok", "drugs": len(self.titles), "sessions": len(self.sessions)}
        return Response(json.dumps(body), 200, API_HEADERS, JSON)

    async def openapi(self, request: Request) -> Response:
        """``GET /openapi.json``: the API's description."""
        return Response(self.schema, 200, NOSNIFF, JSON)


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, f"{exc.detail}: {request.method} {request.url.path}", exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    return error(500, "internal server error")


def _check_origins(origins: Sequence[str]) -> None:
    """FaqbotError for an entry that is not ``scheme://host[:port]`` (CORS matches exactly)."""
    if isinstance(origins, str):
        raise FaqbotError(f"allowed origins must be a list, not the string {origins!r}")
    for origin in origins:
        parts = urlsplit(origin)
        exact = f"{parts.scheme}://{parts.netloc}"
        if origin != "*" and (parts.scheme not in ("http", "https") or origin != exact):
            raise FaqbotError(
                f"CORS origin {origin!r} is not an origin: write scheme://host[:port], "
                "e.g. 'https://example.com' (no path, no trailing slash)"
            )
