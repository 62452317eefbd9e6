"""The network under the vendor clients, and the light request and response they exchange.

A vendor call is a :class:`VendorRequest` (method, URL string, header pairs built once per
tenant, body bytes) answered by a :class:`VendorResponse` (status, headers, body bytes).
The production path (:class:`AiohttpTransport`, the default) hands them straight to
aiohttp's connection pool: building an ``httpx.URL``, ``Request`` and ``Response`` for each
call cost more CPU than the call itself (bench/README.md, per-call table; issue 12).

httpx stays as the adapter for every other transport: a test's ``MockTransport`` or
``ASGITransport``, or httpcore's pool (``CG_VENDOR_TRANSPORT=httpx``) get the request as an
``httpx.Request`` (:func:`exchange_via_httpx`), and the aiohttp transport still answers
``httpx.Request`` s for whoever uses the vendor's ``httpx.AsyncClient`` directly (the
readiness probe). Failures come up as :class:`TransportTimeoutError` or :class:`TransportError`
whichever path was taken.

The aiohttp path does per call only what a vendor call needs: no cookie jar (no vendor
cookie is ever kept or sent back), the already percent-encoded URL passed as is (not parsed
and quoted again), headers handed over as pairs, one :class:`aiohttp.ClientTimeout` per
distinct timeout, and the body read whole before the response is handed up.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, TypeVar

import aiohttp
import httpx
from pydantic import BaseModel, ValidationError
from yarl import URL

from vendors.errors import VendorUnavailableError

__all__ = [
    "ENDPOINT_EXTENSION",
    "AiohttpTransport",
    "HeaderPairs",
    "LeanTransport",
    "Timeouts",
    "TransportError",
    "TransportKind",
    "TransportTimeoutError",
    "VendorRequest",
    "VendorResponse",
    "exchange_via_httpx",
    "vendor_transport",
]

M = TypeVar("M", bound=BaseModel)

TransportKind = Literal["aiohttp", "httpx"]

#: a request's headers as ``(name, value)`` pairs, built once per tenant client
HeaderPairs = Sequence[tuple[str, str]]

#: ``request.extensions`` key naming the call's route template (``"GET /v1/x/{id}"``) for
#: whoever observes ``httpx.Request`` s below the client
ENDPOINT_EXTENSION = "cg.endpoint"

_HTTP11 = {"http_version": b"HTTP/1.1"}
_FRAMING = frozenset({"content-length", "transfer-encoding"})
_DECODED = _FRAMING | {"content-encoding"}


class Timeouts(NamedTuple):
    """The transport's own timeouts (seconds), as httpx names them; the gateway's attempt
    and call deadlines (:class:`vendors.http.CallTimeouts`) sit above them."""

    connect: float | None = None
    read: float | None = None
    write: float | None = None
    pool: float | None = None

    @classmethod
    def of(cls, timeout: httpx.Timeout) -> Timeouts:
        return cls(timeout.connect, timeout.read, timeout.write, timeout.pool)


class VendorRequest:
    """One vendor call as it goes out: nothing is parsed or copied per call."""

    __slots__ = ("body", "endpoint", "foreign", "headers", "method", "timeouts", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: HeaderPairs,
        body: bytes | None = None,
        *,
        timeouts: Timeouts | None = None,
        endpoint: str | None = None,
    ) -> None:
        self.method = method
        #: already percent-encoded, query string included
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts or _NO_TIMEOUTS
        #: the route template (``"GET /api/v1/customers/{customerId}"``), set when sent
        self.endpoint = endpoint
        #: built elsewhere (:meth:`from_httpx`): its headers may hold what an attempt adds
        self.foreign = False

    @classmethod
    def from_httpx(cls, request: httpx.Request, timeouts: Timeouts | None = None) -> VendorRequest:
        """An ``httpx.Request`` built elsewhere (tests, an httpx caller), body read; its own
        ``timeout`` extension wins over ``timeouts``."""
        given = request.extensions.get("timeout")
        if given:
            timeouts = Timeouts(**{k: given.get(k) for k in Timeouts._fields})
        endpoint = request.extensions.get(ENDPOINT_EXTENSION)
        # the framing headers are the sending side's to compute from the body
        headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() not in _FRAMING]
        built = cls(
            request.method,
            str(request.url),
            headers,
            request.read() or None,
            timeouts=timeouts,
            endpoint=endpoint if isinstance(endpoint, str) else None,
        )
        built.foreign = True
        return built

    def with_headers(self, extra: HeaderPairs) -> VendorRequest:
        """This request with ``extra`` headers set (one attempt's request id, trace); the
        request itself is left as it is, for the next attempt."""
        if not extra:
            return self
        headers = self.headers
        if self.foreign:  # ours never carry these: only a request built elsewhere may
            names = {name.lower() for name, _ in extra}
            headers = [(k, v) for k, v in headers if k.lower() not in names]
        return VendorRequest(
            self.method,
            self.url,
            (*headers, *extra),
            self.body,
            timeouts=self.timeouts,
            endpoint=self.endpoint,
        )

    def to_httpx(self) -> httpx.Request:
        """The same request for an httpx transport (the adapter path only)."""
        return httpx.Request(
            self.method,
            self.url,
            headers=self.headers,
            content=self.body,
            extensions={"timeout": self.timeouts._asdict(), ENDPOINT_EXTENSION: self.endpoint},
        )

    def __repr__(self) -> str:
        # never the URL (ids, query strings) nor a header (credentials)
        return f"VendorRequest({self.method} {self.endpoint or '?'})"


_NO_TIMEOUTS = Timeouts()
_UNPARSED = object()


class VendorResponse:
    """A vendor's answer, read whole: status, headers (case-insensitive), body bytes."""

    __slots__ = ("_json", "content", "headers", "status_code")

    def __init__(self, status_code: int, headers: Mapping[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self._json: Any = _UNPARSED

    @classmethod
    def from_httpx(cls, response: httpx.Response) -> VendorResponse:
        return cls(response.status_code, response.headers, response.content)

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        """The body as JSON, parsed once (an error-body check and the client both read it);
        ``ValueError`` when it is not JSON — or is nested deeper than the decoder recurses
        (a vendor's body is input too: its ``RecursionError`` escaped every error handler)."""
        if self._json is _UNPARSED:
            try:
                self._json = json.loads(self.content)
            except RecursionError:
                raise ValueError("the body is nested too deeply") from None
        return self._json

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def parsed(self, model: type[M], vendor: str, endpoint: str, *, code: str | None = None) -> M:
        """The body validated straight from its bytes into ``model`` (no dicts in between);
        a body that does not fit is the vendor failing (``VendorUnavailableError``), never
        a validation error of ours, and its content is not repeated."""
        try:
            return model.model_validate_json(self.content)
        except ValidationError:
            raise VendorUnavailableError(
                vendor, endpoint, self.status_code, "unexpected response body", code=code
            ) from None

    def __repr__(self) -> str:
        return f"VendorResponse({self.status_code})"  # never the body


class TransportError(Exception):
    """The vendor could not be reached, hung up, or sent something that is not HTTP."""


class TransportTimeoutError(TransportError):
    """One of the transport's own timeouts (connect, read, pool) ran out."""


class LeanTransport(httpx.AsyncBaseTransport):
    """A transport that also exchanges :class:`VendorRequest` s without httpx objects."""

    async def exchange(self, request: VendorRequest) -> VendorResponse:
        raise NotImplementedError

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """An ``httpx.Request`` through :meth:`exchange` (the readiness probe, any httpx
        caller of the vendor's client)."""
        await request.aread()
        try:
            answer = await self.exchange(VendorRequest.from_httpx(request))
        except TransportTimeoutError as exc:
            raise httpx.ReadTimeout(str(exc), request=request) from exc
        except TransportError as exc:
            raise httpx.NetworkError(str(exc), request=request) from exc
        # the body comes up decoded and whole: its encoding and framing headers no longer
        # describe it
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in _DECODED]
        return httpx.Response(
            answer.status_code,
            headers=headers,
            content=answer.content,
            request=request,
            extensions=_HTTP11,
        )


async def exchange_via_httpx(
    transport: httpx.AsyncBaseTransport, request: VendorRequest
) -> VendorResponse:
    """The adapter for an httpx transport: the request as an ``httpx.Request``, the answer
    read whole and closed, httpx's failures as the transport's own."""
    try:
        response = await transport.handle_async_request(request.to_httpx())
        try:
            await response.aread()
        finally:
            await response.aclose()
    except httpx.TimeoutException as exc:
        raise TransportTimeoutError(type(exc).__name__) from exc
    except httpx.TransportError as exc:
        raise TransportError(type(exc).__name__) from exc
    return VendorResponse.from_httpx(response)


def vendor_transport(kind: TransportKind, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    if kind == "httpx":
        return httpx.AsyncHTTPTransport(limits=limits)
    return AiohttpTransport(limits)


class AiohttpTransport(LeanTransport):
    """Vendor requests over one aiohttp session (made on first use, inside the event loop)."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[Timeouts, aiohttp.ClientTimeout] = {}

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

    def _timeout(self, given: Timeouts) -> aiohttp.ClientTimeout:
        timeout = self._timeouts.get(given)
        if timeout is None:
            # ``pool``: waiting for a pooled connection and connecting; no ``total``: the
            # gateway's attempt deadline bounds the whole exchange
            timeout = aiohttp.ClientTimeout(
                total=None, sock_connect=given.connect, sock_read=given.read, connect=given.pool
            )
            self._timeouts[given] = timeout
        return timeout

    async def exchange(self, request: VendorRequest) -> VendorResponse:
        session = self._session or self._open()
        status, headers, body = await self._round_trip(
            session, request.method, request.url, request.headers, request.body, request.timeouts
        )
        return VendorResponse(status, headers, body)

    async def _round_trip(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: str,
        headers: HeaderPairs,
        body: bytes | AsyncIterable[bytes] | None,
        timeouts: Timeouts,
    ) -> tuple[int, Mapping[str, str], bytes]:
        try:
            async with session.request(
                method,
                URL(url, encoded=True),
                headers=headers,
                data=body,
                allow_redirects=False,
                compress=False,
                timeout=self._timeout(timeouts),
            ) as answer:
                received = await answer.read()
        except TimeoutError as exc:  # aiohttp's own: connect, socket read, pool
            raise TransportTimeoutError(type(exc).__name__) from exc
        except aiohttp.ClientError as exc:  # refused, hung up, not HTTP
            raise TransportError(type(exc).__name__) from exc
        return answer.status, answer.headers, received

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
