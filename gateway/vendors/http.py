"""The HTTP edge every vendor client shares: one pooled client, error mapping, retries.

A vendor client builds an ``httpx.Request`` and hands it to :meth:`VendorHttp.send` with the
operation's name and whether it is idempotent. Transport failures and error statuses come
back as the :mod:`gateway.vendors.errors` tree; idempotent calls are retried with
exponential backoff and full jitter, honouring ``Retry-After``.

The per-call path is lean (issue 12): clients build their headers once per tenant client
(:meth:`VendorHttp.headers`) and requests without ``build_request``'s merging
(:meth:`VendorHttp.request`); :meth:`VendorHttp.send` calls the client's transport directly,
skipping ``AsyncClient.send``'s auth, redirect, hook and cookie-jar work, none of which the
gateway uses (a vendor's cookies are never kept or sent back).

Every call to a vendor, read or write, passes here, so the vendor's resilience is applied
here once (each optional, off when unset):

- ``timeouts``: a deadline per attempt and per call (retries included), kept by the gateway
  itself, so a vendor that trickles bytes, or a transport that ignores httpx's timeouts
  (``ASGITransport``), cannot hold a request longer; the call's deadline is also capped by
  the operation's (:mod:`gateway.resilience.deadline`), so a slow vendor nulls only its own
  fields instead of timing the whole operation out;
- ``budget``: retries stop when they would exceed the vendor's retry budget;
- ``breaker``: an open circuit refuses the call at once (:class:`CircuitOpenError`);
  transport failures, timeouts, 5xx and 429 count against the vendor, a 4xx does not;
- ``limit``: at most this many concurrent attempts per vendor, so one slow vendor holds
  only its own slots (waiting for a slot counts against the call's deadline, not the
  attempt's).
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

from gateway.resilience.circuit_breaker import (
    Admission,
    CircuitBreaker,
    CircuitOpenError,
    counts_as_failure,
)
from gateway.resilience.deadline import vendor_time_left
from gateway.resilience.retry_budget import RetryBudget
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
from gateway.vendors.http_config import VendorHttpConfig

__all__ = [
    "ENDPOINT_EXTENSION",
    "CallTimeouts",
    "ErrorParser",
    "HeaderPairs",
    "RetryPolicy",
    "VendorHttp",
    "VendorRejection",
    "build_async_client",
    "error_for_status",
    "fixed_url",
    "parse_retry_after",
]

#: a request's headers as ``(name, value)`` byte pairs, built once per tenant client
HeaderPairs = Sequence[tuple[bytes, bytes]]

#: ``request.extensions`` key naming the call's route template (``"GET /v1/x/{id}"``) for
#: whoever observes requests below the client (gateway.observability's transport)
ENDPOINT_EXTENSION = "cg.endpoint"


@functools.lru_cache(maxsize=512)
def fixed_url(base_url: str, path: str) -> httpx.URL:
    """A vendor URL whose path takes no id (searches, event routes), parsed once per tenant
    base URL instead of on every call; bounded, since there are few such routes."""
    return httpx.URL(f"{base_url}{path}")


def build_async_client(
    settings: VendorHttpConfig | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.AsyncClient:
    """The one client a vendor gets for the life of the process (``transport`` for tests)."""
    settings = settings or VendorHttpConfig()
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


@dataclass(frozen=True)
class CallTimeouts:
    """Deadlines (seconds) the gateway keeps itself, whatever the transport does.

    ``attempt``: one attempt, from sending to the last byte of the answer;
    ``call``: the whole call, slot waits, retries and backoff included (no retry starts
    past it).
    """

    attempt: float = 4.0
    call: float = 8.0


class _Deadline:
    def __init__(self, seconds: float | None, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._at = None if seconds is None else clock() + seconds

    def remaining(self) -> float | None:
        return None if self._at is None else max(0.0, self._at - self._clock())

    def allows(self, wait: float) -> bool:
        """Whether waiting ``wait`` seconds still leaves time for another attempt."""
        left = self.remaining()
        return left is None or wait < left


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # not "¹" or "٣": float() refuses those
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
    timeouts: CallTimeouts | None = None
    breaker: CircuitBreaker | None = None
    budget: RetryBudget | None = None
    limit: asyncio.Semaphore | None = None
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        # what ``client.build_request`` would add to every request, taken once
        self._defaults = tuple(self.client.headers.raw)
        self._timeout = self.client.timeout.as_dict()

    def headers(self, extra: Mapping[str, str]) -> HeaderPairs:
        """The client's default headers with ``extra`` on top, as pairs for :meth:`request`
        (built once per tenant client, not per call)."""
        given = {name.lower() for name in extra}
        kept = [(k, v) for k, v in self._defaults if k.decode("latin-1").lower() not in given]
        return (*kept, *((k.encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()))

    def request(
        self,
        method: str,
        url: str | httpx.URL,
        headers: HeaderPairs,
        *,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
        json: object = None,
    ) -> httpx.Request:
        """A request as ``client.build_request`` makes it (default headers, the client's
        timeouts), without its per-call merging: ``headers`` come from :meth:`headers`, and
        no cookie is ever added."""
        if params and isinstance(url, str) and "?" not in url:
            # the query httpx's ``params=`` would make, without parsing the URL twice
            url, params = f"{url}?{urlencode(params)}", None
        return httpx.Request(
            method,
            url,
            params=params or None,
            headers=headers,
            content=content,
            json=json,
            extensions={"timeout": self._timeout},
        )

    async def send(
        self, request: httpx.Request, *, endpoint: str, idempotent: bool
    ) -> httpx.Response:
        request.extensions[ENDPOINT_EXTENSION] = endpoint
        seconds = self._call_budget()
        if seconds is not None and seconds <= 0:
            # the operation has no time left for this vendor: not sent, not the vendor's fault
            raise VendorTimeoutError(self.vendor, endpoint, None, "no time left in the operation")
        if self.budget is not None:
            self.budget.record_call()
        deadline = _Deadline(seconds, self.clock)
        attempts = self.retry.attempts if idempotent else 1
        last: VendorError | None = None
        for attempt in range(attempts):
            try:
                return await self._attempt(request, endpoint, deadline)
            except CircuitOpenError:
                if last is not None:  # opened while retrying: the vendor's own error says more
                    raise last from None
                raise
            except (VendorUnavailableError, VendorTimeoutError, VendorRateLimitedError) as exc:
                wait = self._retry_wait(exc, attempt, attempts)
                if wait is None or not deadline.allows(wait) or not self._budget_allows():
                    raise
                last = exc
                await self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _call_budget(self) -> float | None:
        """Seconds this call may take: its own budget, capped by the operation's time left
        for vendor calls (:mod:`gateway.resilience.deadline`)."""
        own = self.timeouts.call if self.timeouts else None
        left = vendor_time_left()
        if left is None or (own is not None and own <= left):
            return own
        return left

    def _budget_allows(self) -> bool:
        return self.budget is None or self.budget.try_spend()

    def _retry_wait(self, exc: VendorError, attempt: int, attempts: int) -> float | None:
        if attempt + 1 >= attempts:
            return None
        backoff = self.retry.delay(attempt, self.rng)
        if isinstance(exc, VendorRateLimitedError) and exc.retry_after is not None:
            if exc.retry_after > self.retry.max_retry_after:
                return None
            return max(exc.retry_after, backoff)
        return backoff

    async def _attempt(
        self, request: httpx.Request, endpoint: str, deadline: _Deadline
    ) -> httpx.Response:
        """One attempt: breaker admission, a concurrency slot (waited for within the call's
        deadline), the send (within the attempt's), and the breaker's verdict."""
        admission = self.breaker.admit(endpoint) if self.breaker is not None else None
        started = full = False
        try:
            # one timer: the call's deadline while waiting for a slot, then moved to the
            # attempt's (never later: the attempt's budget is capped by the call's)
            async with asyncio.timeout(deadline.remaining()) as timer, self._slot():
                started = True
                budget = self._attempt_budget(deadline)
                full = self.timeouts is not None and budget == self.timeouts.attempt
                if budget is not None:
                    timer.reschedule(asyncio.get_running_loop().time() + budget)
                response = await self._send_once(request, endpoint)
        except TimeoutError:
            # only an attempt given its whole attempt_timeout is the vendor's fault; one cut
            # short by the call's or the operation's deadline says nothing about the vendor
            _verdict(admission, failed=True if full else None)
            what = "timed out" if started else "no free connection slot in time"
            raise VendorTimeoutError(self.vendor, endpoint, None, what) from None
        except VendorError as exc:
            _verdict(admission, failed=counts_as_failure(exc))
            raise
        except BaseException:
            _verdict(admission, failed=None)
            raise
        _verdict(admission, failed=False)
        return response

    def _attempt_budget(self, deadline: _Deadline) -> float | None:
        left = deadline.remaining()
        if self.timeouts is None:
            return left
        return self.timeouts.attempt if left is None else min(self.timeouts.attempt, left)

    def _slot(self) -> AbstractAsyncContextManager[object]:
        return self.limit if self.limit is not None else nullcontext()

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        """The client's transport, called directly: the gateway uses none of
        ``AsyncClient.send``'s auth, redirects, hooks or cookie jar (a vendor's
        ``Set-Cookie`` is never kept, so never sent back), only its proxy routing."""
        if self.client.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        transport = self.client._transport_for_url(request.url)
        response = await transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    async def _send_once(self, request: httpx.Request, endpoint: str) -> httpx.Response:
        try:
            response = await self._exchange(request)
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


def _verdict(admission: Admission | None, *, failed: bool | None) -> None:
    if admission is None:
        return
    if failed is None:
        admission.abandoned()
    elif failed:
        admission.failed()
    else:
        admission.succeeded()
