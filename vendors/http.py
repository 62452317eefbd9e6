"""The HTTP edge every vendor client shares: one pooled client, error mapping, retries.

A vendor client builds a :class:`~vendors.transport.VendorRequest` with
:meth:`VendorHttp.request` and hands it to :meth:`VendorHttp.send` with the operation's name
and whether it is idempotent; it gets a :class:`~vendors.transport.VendorResponse`
back. Transport failures and error statuses come back as the :mod:`vendors.errors`
tree; idempotent calls are retried with exponential backoff and full jitter, honouring
``Retry-After``.

The per-call path is lean (issue 12): clients build their headers once per tenant client
(:meth:`VendorHttp.headers`); a request is a method, a URL string, those header pairs and
body bytes, handed to aiohttp's pool as they are (:mod:`vendors.transport`), with no
``httpx.URL``, ``Request`` or ``Response`` made per call, and no auth, redirect, hook or
cookie-jar work (a vendor's cookies are never kept or sent back). The vendor's
``httpx.AsyncClient`` still owns the transport, its timeouts and default headers; a
transport that is not the aiohttp one (a test's ``MockTransport`` or ``ASGITransport``,
httpcore's pool) gets the request as an ``httpx.Request`` through the same interface.

Every call to a vendor, read or write, passes here, so the vendor's resilience is applied
here once (each optional, off when unset):

- ``timeouts``: a deadline per attempt and per call (retries included), kept by the gateway
  itself, so a vendor that trickles bytes, or a transport that ignores httpx's timeouts
  (``ASGITransport``), cannot hold a request longer; the call's deadline is also capped by
  the operation's (:mod:`vendors.resilience.deadline`), so a slow vendor nulls only its own
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
import json as jsonlib
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx

from vendors.errors import (
    VendorConflictError,
    VendorError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnauthorizedError,
    VendorUnavailableError,
)
from vendors.http_config import VendorHttpConfig
from vendors.resilience.circuit_breaker import (
    Admission,
    CircuitBreaker,
    CircuitOpenError,
    counts_as_failure,
)
from vendors.resilience.deadline import vendor_time_left
from vendors.resilience.retry_budget import RetryBudget
from vendors.resilience.vendor_verdict import fails_fast
from vendors.transport import (
    ENDPOINT_EXTENSION,
    HeaderPairs,
    LeanTransport,
    Timeouts,
    TransportError,
    TransportTimeoutError,
    VendorRequest,
    VendorResponse,
    exchange_via_httpx,
)

__all__ = [
    "ENDPOINT_EXTENSION",
    "CallTimeouts",
    "ErrorParser",
    "HeaderPairs",
    "RetryPolicy",
    "VendorHttp",
    "VendorRejection",
    "VendorRequest",
    "VendorResponse",
    "build_async_client",
    "error_for_status",
    "parse_retry_after",
]

_JSON = ("Content-Type", "application/json")


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


class _Expiry:
    """``asyncio.timeout(seconds)`` (Python 3.11's semantics) for one attempt: a timer that
    cancels the task, and that cancellation raised as ``TimeoutError`` on the way out. Every
    vendor attempt has one; this costs about 3 µs on uvloop, ``asyncio.timeout`` about 5 µs
    and 6.5 µs with the ``reschedule`` it took to move from the slot wait's deadline."""

    __slots__ = ("_fired", "_handle", "_task")

    def __init__(self, seconds: float | None) -> None:
        self._fired = False
        self._handle: asyncio.TimerHandle | None = None
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("an attempt's deadline needs a task")
        self._task = task
        if seconds is not None:
            self._handle = asyncio.get_running_loop().call_later(max(0.0, seconds), self._fire)

    def _fire(self) -> None:
        self._fired = True
        self._task.cancel()

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if self._handle is not None:
            self._handle.cancel()
        # as asyncio.Timeout: only a cancellation this timer asked for (none other pending)
        # becomes TimeoutError
        if self._fired and self._task.uncancel() == 0 and kind is asyncio.CancelledError:
            raise TimeoutError from exc


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


ErrorParser = Callable[[VendorResponse], VendorRejection]


def error_for_status(
    vendor: str, endpoint: str, response: VendorResponse, rejection: VendorRejection
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
    is_error_body: Callable[[VendorResponse], bool] | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    timeouts: CallTimeouts | None = None
    breaker: CircuitBreaker | None = None
    budget: RetryBudget | None = None
    limit: asyncio.Semaphore | None = None
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        # what ``client.build_request`` would add to every request, taken once
        self._defaults = tuple(self.client.headers.multi_items())
        self._timeouts = _transport_timeouts(Timeouts.of(self.client.timeout), self.timeouts)
        # the aiohttp transport (observed or not) takes requests as they are built here
        transport = self.client._transport
        lean = isinstance(transport, LeanTransport) and not self.client._mounts
        self._lean: LeanTransport | None = transport if lean else None  # type: ignore[assignment]

    def headers(self, extra: Mapping[str, str]) -> HeaderPairs:
        """The client's default headers with ``extra`` on top, as pairs for :meth:`request`
        (built once per tenant client, not per call)."""
        given = {name.lower() for name in extra}
        kept = [(k, v) for k, v in self._defaults if k.lower() not in given]
        return (*kept, *extra.items())

    def request(
        self,
        method: str,
        url: str,
        headers: HeaderPairs,
        *,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
        json: object = None,
    ) -> VendorRequest:
        """The request ``client.build_request`` would make (default headers, the query and
        JSON encodings httpx uses) as a :class:`VendorRequest`: ``url`` percent-encoded
        already, ``headers`` from :meth:`headers`, no cookie ever added."""
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        if json is not None:
            try:
                content = jsonlib.dumps(
                    json, ensure_ascii=False, separators=(",", ":"), allow_nan=False
                ).encode()
            except ValueError:  # NaN or ±infinity (a JSON scalar's 1e999): not JSON
                raise VendorInvalidInputError(
                    self.vendor,
                    f"{method} {urlsplit(url).path}",
                    None,
                    "A number in the input is not finite; JSON has no NaN or infinity.",
                ) from None
            headers = (*headers, _JSON)
        return VendorRequest(method, url, headers, content, timeouts=self._timeouts)

    @fails_fast  # a vendor this operation gave up on is not waited for again
    async def send(
        self, request: VendorRequest | httpx.Request, *, endpoint: str, idempotent: bool
    ) -> VendorResponse:
        """The call, retried if ``idempotent``; an ``httpx.Request`` (tests) is taken as
        :class:`VendorRequest` with the client's timeouts."""
        if not isinstance(request, VendorRequest):
            request = VendorRequest.from_httpx(request, self._timeouts)
        request.endpoint = endpoint
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
        for vendor calls (:mod:`vendors.resilience.deadline`)."""
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
        self, request: VendorRequest, endpoint: str, deadline: _Deadline
    ) -> VendorResponse:
        """One attempt: breaker admission, a concurrency slot (waited for within the call's
        deadline), the send (within the attempt's), and the breaker's verdict."""
        admission = self.breaker.admit(endpoint) if self.breaker is not None else None
        started = full = False
        limit = self.limit
        try:
            if limit is not None:
                await self._take_slot(limit, deadline)
            try:
                started = True
                # the attempt's budget is capped by the call's deadline, so one timer
                budget = self._attempt_budget(deadline)
                full = self.timeouts is not None and budget == self.timeouts.attempt
                with _Expiry(budget):
                    response = await self._send_once(request, endpoint)
            finally:
                if limit is not None:
                    limit.release()
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

    @staticmethod
    async def _take_slot(limit: asyncio.Semaphore, deadline: _Deadline) -> None:
        """A concurrency slot: at once when one is free (no timer), else waited for within
        the call's deadline."""
        if not limit.locked():
            await limit.acquire()  # returns without suspending
            return
        async with asyncio.timeout(deadline.remaining()):
            await limit.acquire()

    async def _exchange(self, request: VendorRequest) -> VendorResponse:
        """The client's transport, called directly: the gateway uses none of
        ``AsyncClient.send``'s auth, redirects, hooks or cookie jar (a vendor's
        ``Set-Cookie`` is never kept, so never sent back). The aiohttp transport takes the
        request as it is; any other goes through httpx (with the client's proxy routing)."""
        if self.client.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        if self._lean is not None:
            return await self._lean.exchange(request)
        transport = self.client._transport_for_url(httpx.URL(request.url))
        return await exchange_via_httpx(transport, request)

    async def _send_once(self, request: VendorRequest, endpoint: str) -> VendorResponse:
        try:
            response = await self._exchange(request)
        except TransportTimeoutError:
            raise VendorTimeoutError(self.vendor, endpoint, None, "timed out") from None
        except TransportError:
            raise VendorUnavailableError(self.vendor, endpoint, None, "unreachable") from None
        status = response.status_code
        if 200 <= status < 300 and not (self.is_error_body and self.is_error_body(response)):
            return response
        rejection = self._safe_parse(response)
        raise error_for_status(self.vendor, endpoint, response, rejection)

    def _safe_parse(self, response: VendorResponse) -> VendorRejection:
        try:
            return self.parse_error(response)
        except (ValueError, KeyError, TypeError):
            return VendorRejection()


def _transport_timeouts(given: Timeouts, own: CallTimeouts | None) -> Timeouts:
    """The transport's timeouts less those the attempt's deadline already keeps: one not
    shorter than the attempt can never fire first, and costs a timer per call in aiohttp
    (a pool wait, every socket read)."""
    if own is None:
        return given

    def shorter(seconds: float | None) -> float | None:
        return seconds if seconds is not None and seconds < own.attempt else None

    return Timeouts(*(shorter(seconds) for seconds in given))


def _verdict(admission: Admission | None, *, failed: bool | None) -> None:
    if admission is None:
        return
    if failed is None:
        admission.abandoned()
    elif failed:
        admission.failed()
    else:
        admission.succeeded()
