"""The network under the vendor clients.

``aiohttp`` (the default) puts aiohttp's connection pool under the httpx clients: the
benchmarks measured httpcore's pool at about half of the gateway's CPU for a cold
customer-360 (every request scans every pooled connection), and aiohttp's pool cut the CPU
per operation from 50 ms to 19 ms (bench/README.md). ``httpx`` keeps httpcore's pool.
Either way the clients above see httpx requests, responses and exceptions.
"""

from __future__ import annotations

from typing import Literal

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

__all__ = ["TransportKind", "vendor_transport"]

TransportKind = Literal["aiohttp", "httpx"]


def vendor_transport(kind: TransportKind, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    if kind == "httpx":
        return httpx.AsyncHTTPTransport(limits=limits)
    return _AiohttpTransport(limits=limits)


class _AiohttpTransport(AiohttpTransport):
    """httpx-aiohttp files a dropped connection under ``ConnectTimeout``; the vendor layer
    must tell a vendor that hung up (unavailable) from one that is slow (timeout)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except httpx.ConnectTimeout as exc:
            cause = exc.__cause__
            if isinstance(cause, aiohttp.ClientConnectionError) and not isinstance(
                cause, aiohttp.ServerTimeoutError | aiohttp.ConnectionTimeoutError
            ):
                if isinstance(cause, aiohttp.ClientConnectorError):
                    raise httpx.ConnectError(str(exc), request=request) from cause
                raise httpx.RemoteProtocolError(str(exc), request=request) from cause
            raise
