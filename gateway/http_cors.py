"""CORS by allowlist: browser apps on the configured origins may call the gateway; any
other origin gets no ``Access-Control-*`` header, so the browser keeps the answer from it.

Runs outside authentication and the rate limit: a preflight carries no credentials (the
browser never sends them on ``OPTIONS``), and a 401 or 429 must carry the CORS headers
too, or the page could not read why it was refused. Off until an origin is configured.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.scoped_middleware import ScopedMiddleware

__all__ = ["CorsMiddleware", "CorsSettings"]

#: what a GraphQL client sends: its credential, the body's type, what it accepts
#: If-None-Match: a page revalidates a cacheable persisted GET itself (304)
DEFAULT_ALLOW_HEADERS = (
    "Accept",
    "Authorization",
    "Content-Type",
    "If-None-Match",
    "X-API-Key",
)
#: what a page may read back: why to wait, how much budget is left, which request it was,
#: and the ETag of a cacheable persisted GET
DEFAULT_EXPOSE_HEADERS = (
    "ETag",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "X-Request-Id",
)
METHODS = ("GET", "POST")


class CorsSettings(BaseModel):
    """``CG_CORS__ALLOW_ORIGINS='["https://app.example.com"]'``: the origins whose pages
    may call the gateway (scheme, host and port, as a browser sends ``Origin``); ``["*"]``
    lets any page call, which is refused together with ``allow_credentials``."""

    model_config = ConfigDict(frozen=True)

    allow_origins: tuple[str, ...] = ()
    #: lets pages send cookies or HTTP auth (``credentials: "include"``); API keys and
    #: bearer tokens in headers need no such permission
    allow_credentials: bool = False
    allow_headers: tuple[str, ...] = DEFAULT_ALLOW_HEADERS
    expose_headers: tuple[str, ...] = DEFAULT_EXPOSE_HEADERS
    #: seconds a browser may reuse a preflight's answer
    max_age: int = Field(default=600, ge=0)

    @field_validator("allow_origins")
    @classmethod
    def _origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        """An origin with a path or no scheme never equals what a browser sends: a typo
        that would silently block the app, so it is refused at startup."""
        normalised = []
        for origin in origins:
            if origin == "*":
                normalised.append(origin)
                continue
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"cors.allow_origins: {origin!r} is not an http(s) origin")
            if parts.path not in ("", "/") or parts.query or parts.fragment:
                raise ValueError(
                    f"cors.allow_origins: {origin!r} has a path; an origin is scheme://host[:port]"
                )
            normalised.append(f"{parts.scheme}://{parts.netloc}".lower())
        return tuple(normalised)

    @model_validator(mode="after")
    def _no_wildcard_with_credentials(self) -> Self:
        """Any site could then act with a visitor's cookies; browsers refuse ``*`` with
        credentials anyway, so this configuration could only ever fail."""
        if self.allow_credentials and "*" in self.allow_origins:
            raise ValueError(
                "cors: allow_origins '*' cannot be combined with allow_credentials; "
                "list the origins instead"
            )
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.allow_origins)

    def describe(self) -> str:
        """The startup line's words: an operator sees which pages may call, or that none
        may (browsers on another origin are then refused by their own CORS check)."""
        if not self.enabled:
            return "off: no other origin's page may call (CG_CORS__ALLOW_ORIGINS is empty)"
        origins = ", ".join(self.allow_origins)
        credentials = "with" if self.allow_credentials else "without"
        kept = f"preflights kept {self.max_age} s"
        return f"pages of {origins} may call, {credentials} credentials; {kept}"


class CorsMiddleware(ScopedMiddleware):
    """Answers preflights (204) and marks the answers to allowed origins."""

    def __init__(self, app: ASGIApp, settings: CorsSettings) -> None:
        self.app = app
        self.settings = settings
        self.any_origin = "*" in settings.allow_origins
        self.origins = frozenset(settings.allow_origins)
        self.allow_headers = frozenset(h.lower() for h in settings.allow_headers)
        self.expose = ", ".join(settings.expose_headers)
        #: the answer depends on ``Origin`` unless every origin gets the same ``*``
        self.varies = not self.any_origin or settings.allow_credentials

    def allows(self, origin: str) -> bool:
        return self.any_origin or origin.lower() in self.origins

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if (
            origin is not None
            and scope["method"] == "OPTIONS"
            and "access-control-request-method" in headers
        ):
            await self._preflight(origin, headers, send)
            return
        allowed = origin is not None and self.allows(origin)

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                marked = MutableHeaders(scope=message)
                if allowed:
                    assert origin is not None
                    self._allow(marked, origin)
                    if self.expose:
                        marked["Access-Control-Expose-Headers"] = self.expose
                if self.varies:  # even without ``Origin``: a cache must not reuse it for one
                    _vary(marked, "Origin")
            await send(message)

        await self.app(scope, receive, send_marked)

    async def _preflight(self, origin: str, request: Headers, send: Send) -> None:
        """204 with the permissions when the origin, method and headers are allowed; a
        refused preflight gets 403 and no ``Access-Control-*`` header (the browser then
        never sends the request)."""
        method = request["access-control-request-method"].upper()
        asked = _tokens(request.get("access-control-request-headers", ""))
        refused = not self.allows(origin) or method not in METHODS
        refused = refused or any(h not in self.allow_headers for h in asked)
        response: list[tuple[bytes, bytes]] = []
        message: Message = {"type": "http.response.start", "status": 403, "headers": response}
        marked = MutableHeaders(scope=message)
        if not refused:
            message["status"] = 204
            self._allow(marked, origin)
            marked["Access-Control-Allow-Methods"] = ", ".join(METHODS)
            marked["Access-Control-Allow-Headers"] = ", ".join(self.settings.allow_headers)
            marked["Access-Control-Max-Age"] = str(self.settings.max_age)
        for name in ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"):
            _vary(marked, name)
        marked["Content-Length"] = "0"
        await send(message)
        await send({"type": "http.response.body", "body": b""})

    def _allow(self, headers: MutableHeaders, origin: str) -> None:
        if self.any_origin and not self.settings.allow_credentials:
            headers["Access-Control-Allow-Origin"] = "*"
        else:
            headers["Access-Control-Allow-Origin"] = origin
        if self.settings.allow_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"


def _vary(headers: MutableHeaders, name: str) -> None:
    """Adds ``name`` to ``Vary`` once, keeping what the app put there (credential headers):
    a shared cache must not hand one origin's answer, or a refusal, to another."""
    present = {v.strip().lower() for v in headers.get("vary", "").split(",")}
    if name.lower() not in present and "*" not in present:
        headers.add_vary_header(name)


def _tokens(value: str) -> Iterable[str]:
    return [t.strip().lower() for t in value.split(",") if t.strip()]
