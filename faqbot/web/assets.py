"""The widget's files and the demo page, read once from the package and served with caching."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["DEMO_CSP", "NOSNIFF", "Asset", "DemoPage", "load_asset"]

NOSNIFF = {"X-Content-Type-Options": "nosniff"}
# The demo page runs no inline script or style: everything comes from this server.
DEMO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


@dataclass(frozen=True)
class Asset:
    """A file served as is, revalidated by its ETag after an hour."""

    body: bytes
    media_type: str
    etag: str

    async def endpoint(self, request: Request) -> Response:
        """The file, or 304 when the client already holds this version."""
        headers = {
            **NOSNIFF,
            "ETag": self.etag,
            "Cache-Control": "public, max-age=3600",
            "Cross-Origin-Resource-Policy": "cross-origin",  # other sites embed the widget
        }
        if self.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(self.body, media_type=self.media_type, headers=headers)


def load_asset(name: str) -> Asset:
    """``faqbot/static/NAME`` from the installed package."""
    body = resources.files("faqbot").joinpath("static", name).read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Asset(body, _TYPES[name[name.rindex(".") :]], etag)


class DemoPage:
    """``/``: a sample page that embeds the widget with its one script tag."""

    def __init__(self) -> None:
        self.template = load_asset("demo.html").body.decode("utf-8")

    async def endpoint(self, request: Request) -> Response:
        """The page, with this server's address in the embed snippet it shows."""
        origin = html.escape(str(request.base_url).rstrip("/"))
        headers = {
            **NOSNIFF,
            "Content-Security-Policy": DEMO_CSP,
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
        }
        body = self.template.replace("{{origin}}", origin)
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)
