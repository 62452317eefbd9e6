"""The HTTP edge every vendor client shares: one pooled client, error mapping, retries.

A vendor client builds an ``httpx.Request`` and hands it to :meth:`VendorHttp.send` with the
operation's name and whether it is idempotent. Transport failures and error statuses come
back as the :mod:`gateway.vendors.errors` tree; idempotent calls are retried with
exponential backoff and full jitter, honouring ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from gateway.vendors.errors import (
    VendorConflictError,
    VendorError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnauthorizedError,
    VendorUnavailableError,
)

__all__ = [
    "ErrorParser",
    "HttpSettings",
    "RetryPolicy",
    "VendorHttp",
    "VendorRejection",
    "build_async_client",
    "error_for_status",
    "parse_retry_after",
]


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts (seconds) and pool limits of one vendor's long-lived client."""

    connect_timeout: float = 2.0
    read_timeout: float = 10.0
    write_timeout: float = 10.0
    pool_timeout: float = 5.0
    max_connections: int = 100
    max_keepalive_connections: int = 50
    keepalive_expiry: float = 30.0

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.write_timeout,
            pool=self.pool_timeout,
        )

    def limits(self) -> httpx.Limits:
        return httpx.Limits(
            max_connections=self.max_connections,
            max_keepalive_connections=self.max_keepalive_connections,
            keepalive_expiry=self.keepalive_expiry,
        )


def build_async_client(
    settings: HttpSettings | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.AsyncClient:
    """The one client a vendor gets for the life of the process (``transport`` for tests)."""
    settings = settings or HttpSettings()
    return httpx.AsyncClient(
        timeout=settings.timeout(),
        limits=settings.limits(),
        transport=transport,
        headers=headers,
        follow_redirects=False,
    )


@dataclass(frozen=True)
class RetryPolicy:
    """Retries for idempotent calls: exponential backoff with full jitter, capped."""

    attempts: int = 3
    backoff_base: float = 0.05
    backoff_max: float = 2.0
    #: a ``Retry-After`` longer than this is not waited for: the error goes to the caller
    max_retry_after: float = 5.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0, min(self.backoff_max, self.backoff_base * (2**attempt)))


NO_RETRY = RetryPolicy(attempts=1)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(frozen=True)
class VendorRejection:
    """What a vendor's error body said, reduced to safe, typed facts."""

    message: str = ""
    code: str | None = None
    field: str | None = None


ErrorParser = Callable[[httpx.Response], VendorRejection]


def error_for_status(
    vendor: str, endpoint: str, response: httpx.Response, rejection: VendorRejection
) -> VendorError:
    """Map an error status to the error tree (the vendor parser supplies message/code/field)."""
    status = response.status_code
    msg, code = rejection.message, rejection.code
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return VendorRateLimitedError(
            vendor, endpoint, status, msg or "rate limited", retry_after=retry_after, code=code
        )
    if status >= 500:
        return VendorUnavailableError(vendor, endpoint, status, "vendor error", code=code)
    if status in (401, 403):
        return VendorUnauthorizedError(vendor, endpoint, status, msg or "unauthorized", code=code)
    if status == 404:
        return VendorNotFoundError(vendor, endpoint, status, msg or "not found", code=code)
    if status == 409:
        return VendorConflictError(vendor, endpoint, status, msg or "conflict", code=code)
    return VendorInvalidInputError(
        vendor, endpoint, status, msg or "invalid input", field=rejection.field, code=code
    )


@dataclass
class VendorHttp:
    """Sends requests for one vendor and turns every failure into a :class:`VendorError`."""

    vendor: str
    client: httpx.AsyncClient
    parse_error: ErrorParser
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: a 2xx body may still be an error (Omnidesk's ``{"status":"error"}``)
    is_error_body: Callable[[httpx.Response], bool] | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    async def send(
        self, request: httpx.Request, *, endpoint: str, idempotent: bool
    ) -> httpx.Response:
        attempts = self.retry.attempts if idempotent else 1
        for attempt in range(attempts):
            try:
                return await self._send_once(request, endpoint)
            except (VendorUnavailableError, VendorTimeoutError, VendorRateLimitedError) as exc:
                wait = self._retry_wait(exc, attempt, attempts)
                if wait is None:
                    raise
                await self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry_wait(self, exc: VendorError, attempt: int, attempts: int) -> float | None:
        if attempt + 1 >= attempts:
            return None
        backoff = self.retry.delay(attempt, self.rng)
        if isinstance(exc, VendorRateLimitedError) and exc.retry_after is not None:
            if exc.retry_after > self.retry.max_retry_after:
                return None
            return max(exc.retry_after, backoff)
        return backoff

    async def _send_once(self, request: httpx.Request, endpoint: str) -> httpx.Response:
        try:
            response = await self.client.send(request)
        except httpx.TimeoutException:
            raise VendorTimeoutError(self.vendor, endpoint, None, "timed out") from None
        except httpx.TransportError:
            raise VendorUnavailableError(self.vendor, endpoint, None, "unreachable") from None
        if response.is_success and not (self.is_error_body and self.is_error_body(response)):
            return response
        rejection = self._safe_parse(response)
        raise error_for_status(self.vendor, endpoint, response, rejection)

    def _safe_parse(self, response: httpx.Response) -> VendorRejection:
        try:
            return self.parse_error(response)
        except (ValueError, KeyError, TypeError):
            return VendorRejection()
