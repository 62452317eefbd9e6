"""The network under the vendor clients.

``aiohttp`` (the default) puts aiohttp's connection pool under the httpx clients: the
benchmarks measured httpcore's pool at about half of the gateway's CPU for a cold
customer-360 (every request scans every pooled connection), and aiohttp's pool cut the CPU
per operation from 50 ms to 19 ms (bench/README.md). ``httpx`` keeps httpcore's pool.
Either way the clients above see httpx requests, responses and exceptions.

The aiohttp transport does per call only what a vendor call needs: no cookie jar (no vendor
cookie is ever kept or sent back), the already percent-encoded URL passed as is (not parsed
and quoted again), headers handed over as pairs, one :class:`aiohttp.ClientTimeout` per
distinct timeout, and the body read before the response is handed up (the vendor layer
reads every answer whole anyway).
"""

from __future__ import annotations

from typing import Literal

import aiohttp
import httpx
from httpx_aiohttp.transport import map_aiohttp_exceptions
from yarl import URL

__all__ = ["AiohttpTransport", "TransportKind", "vendor_transport"]

TransportKind = Literal["aiohttp", "httpx"]

_HTTP11 = {"http_version": b"HTTP/1.1"}


def vendor_transport(kind: TransportKind, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    if kind == "httpx":
        return httpx.AsyncHTTPTransport(limits=limits)
    return AiohttpTransport(limits)


class AiohttpTransport(httpx.AsyncBaseTransport):
    """httpx requests over one aiohttp session (made on first use, inside the event loop)."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[
            tuple[float | None, float | None, float | None], aiohttp.ClientTimeout
        ] = {}

    def _open(self) -> aiohttp.ClientSession:
        limit = self._limits.max_connections
        connector = aiohttp.TCPConnector(
            limit=0 if limit is None else limit,
            keepalive_timeout=self._limits.keepalive_expiry,
            # httpx's trust store (certifi, ``SSL_CERT_FILE``), as with httpx's own pool
            ssl=httpx.create_ssl_context(),
        )
        self._session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar()
        )
        return self._session

    def _timeout(self, request: httpx.Request) -> aiohttp.ClientTimeout:
        given = request.extensions.get("timeout") or {}
        key = (given.get("connect"), given.get("read"), given.get("pool"))
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(sock_connect=key[0], sock_read=key[1], connect=key[2])
            self._timeouts[key] = timeout
        return timeout

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session or self._open()
        body = _body(request)  # first: a streamed body drops its transfer-encoding header
        try:
            with map_aiohttp_exceptions():
                async with session.request(
                    request.method,
                    URL(str(request.url), encoded=True),
                    headers=request.headers.multi_items(),
                    data=body,
                    allow_redirects=False,
                    auto_decompress=False,
                    compress=False,
                    timeout=self._timeout(request),
                    server_hostname=request.extensions.get("sni_hostname"),
                ) as answer:
                    received = await answer.read()
        except httpx.ConnectTimeout as exc:
            raise _hung_up(exc, request) from exc.__cause__
        extensions = dict(_HTTP11)
        if answer.reason:
            extensions["reason_phrase"] = answer.reason.encode()
        return httpx.Response(
            answer.status,
            headers=answer.raw_headers,
            content=received,
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _body(request: httpx.Request) -> bytes | httpx.AsyncByteStream | None:
    """The built body (every vendor client builds bytes), or a stream as it comes."""
    try:
        return request.content or None
    except httpx.RequestNotRead:
        request.headers.pop("transfer-encoding", None)  # aiohttp chunks it itself
        if isinstance(request.stream, httpx.AsyncByteStream):
            return request.stream
        raise TypeError("an async transport needs an async request stream") from None


def _hung_up(exc: httpx.ConnectTimeout, request: httpx.Request) -> httpx.TransportError:
    """httpx-aiohttp files a dropped connection under ``ConnectTimeout``; the vendor layer
    must tell a vendor that hung up (unavailable) from one that is slow (timeout)."""
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientConnectionError) and not isinstance(
        cause, aiohttp.ServerTimeoutError | aiohttp.ConnectionTimeoutError
    ):
        if isinstance(cause, aiohttp.ClientConnectorError):
            return httpx.ConnectError(str(exc), request=request)
        return httpx.RemoteProtocolError(str(exc), request=request)
    return exc
