"""The production path to a vendor (issue 12): a light request and response, no httpx object
made per call on the aiohttp pool, only the transport timeouts the gateway does not keep
itself, compressed answers decoded, every attempt observed; httpx only for the transports
that need it (tests, httpcore's pool)."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from prometheus_client import generate_latest

from gateway.observability.metrics import GatewayMetrics
from gateway.observability.request_id import REQUEST_ID_HEADER, request_scope
from gateway.observability.tracing import Tracing
from gateway.observability.upstream import ObservedTransport
from gateway.request_state import RequestState
from tests.support.live_server import live_server
from vendors.errors import VendorTimeoutError, VendorUnavailableError
from vendors.http import (
    CallTimeouts,
    RetryPolicy,
    VendorHttp,
    VendorRejection,
    build_async_client,
)
from vendors.http_config import VendorHttpConfig
from vendors.transport import (
    ENDPOINT_EXTENSION,
    AiohttpTransport,
    LeanTransport,
    Timeouts,
    TransportError,
    TransportTimeoutError,
    VendorRequest,
    VendorResponse,
)

BASE = "http://vendor.test:8080"
ENDPOINT = "GET /things/{id}"
ANSWER = {"id": 7, "name": "Ann é"}


def no_rejection(_: VendorResponse) -> VendorRejection:
    return VendorRejection()


def edge(
    transport: httpx.AsyncBaseTransport, settings: VendorHttpConfig | None = None, **kw: Any
) -> VendorHttp:
    client = build_async_client(settings, transport=transport)
    return VendorHttp("demo", client, no_rejection, retry=RetryPolicy(1), **kw)


# --- the request and response ------------------------------------------------------------


def test_the_transport_keeps_only_the_timeouts_shorter_than_an_attempt() -> None:
    settings = VendorHttpConfig(
        connect_timeout=2, read_timeout=10, write_timeout=10, pool_timeout=5
    )
    mock = httpx.MockTransport(lambda _: httpx.Response(200))
    guarded = edge(mock, settings, timeouts=CallTimeouts(attempt=4, call=8))
    unguarded = edge(mock, settings)

    # read, write and pool waits are bounded by the attempt's deadline already
    assert guarded.request("GET", BASE, ()).timeouts == Timeouts(2.0, None, None, None)
    assert unguarded.request("GET", BASE, ()).timeouts == Timeouts(2.0, 10.0, 10.0, 5.0)


def test_an_answer_is_parsed_once_and_shows_no_body() -> None:
    answer = VendorResponse(200, {}, json.dumps(ANSWER).encode())

    assert answer.json() == ANSWER
    assert answer.json() is answer.json()
    assert repr(answer) == "VendorResponse(200)"


async def test_an_httpx_transport_gets_the_request_as_httpx_with_its_route() -> None:
    seen: list[httpx.Request] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=ANSWER)

    http = edge(httpx.MockTransport(vendor))
    request = http.request(
        "PUT", f"{BASE}/things/7", http.headers({"x-api-key": "k"}), params={"q": "a b"}, json={}
    )
    answer = await http.send(request, endpoint=ENDPOINT, idempotent=True)

    assert answer.json() == ANSWER
    (sent,) = seen
    assert str(sent.url) == f"{BASE}/things/7?q=a+b"
    assert (sent.headers["x-api-key"], sent.headers["content-type"]) == ("k", "application/json")
    assert sent.content == b"{}"
    assert sent.extensions[ENDPOINT_EXTENSION] == ENDPOINT
    assert sent.extensions["timeout"] == http.client.timeout.as_dict()


# --- every attempt observed ----------------------------------------------------------------


class Scripted(LeanTransport):
    """A lean transport answering from a script (an answer, or a failure to raise)."""

    def __init__(self, *script: VendorResponse | Exception) -> None:
        self.script = list(script)
        self.requests: list[VendorRequest] = []

    async def exchange(self, request: VendorRequest) -> VendorResponse:
        self.requests.append(request)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def upstream_count(metrics: GatewayMetrics, status: str) -> float:
    sample = metrics.registry.get_sample_value(
        "cg_upstream_requests_total", {"vendor": "demo", "endpoint": ENDPOINT, "status": status}
    )
    return sample or 0.0


async def test_each_attempt_carries_the_request_id_and_is_counted_by_outcome() -> None:
    inner = Scripted(
        TransportTimeoutError("ReadTimeout"),
        TransportError("ServerDisconnectedError"),
        VendorResponse(200, {}, b"{}"),
    )
    metrics = GatewayMetrics()
    http = VendorHttp(
        "demo",
        build_async_client(transport=ObservedTransport("demo", inner, metrics, Tracing())),
        no_rejection,
        sleep=lambda _: asyncio.sleep(0),
    )
    request = http.request("GET", f"{BASE}/things/7", http.headers({"x-api-key": "k"}))
    built = request.headers

    with request_scope(RequestState("req-42")):
        answer = await http.send(request, endpoint=ENDPOINT, idempotent=True)

    assert answer.status_code == 200
    assert len(inner.requests) == 3
    for sent in inner.requests:
        assert dict(sent.headers)[REQUEST_ID_HEADER] == "req-42"
        assert sent.endpoint == ENDPOINT
    assert request.headers is built  # each attempt's additions are its own
    assert REQUEST_ID_HEADER not in dict(built)
    assert [upstream_count(metrics, s) for s in ("timeout", "unreachable", "200")] == [1, 1, 1]
    assert b"req-42" not in generate_latest(metrics.registry)


# --- over aiohttp, to a real server --------------------------------------------------------


@pytest.fixture(scope="module")
def vendor_url() -> Iterator[str]:
    app = FastAPI()

    @app.get("/things/{thing}")
    async def thing(thing: str, request: Request) -> Response:
        body = json.dumps(ANSWER | {"thing": thing, "q": request.query_params.get("q")})
        return Response(body, media_type="application/json")

    @app.get("/zipped")
    async def zipped() -> Response:
        body = gzip.compress(json.dumps(ANSWER).encode())
        headers = {"Content-Encoding": "gzip"}
        return Response(body, media_type="application/json", headers=headers)

    with live_server(app) as url:
        yield url


@pytest.fixture
async def over_aiohttp() -> AsyncIterator[tuple[VendorHttp, GatewayMetrics]]:
    metrics = GatewayMetrics()
    transport = ObservedTransport(
        "demo", AiohttpTransport(httpx.Limits(max_connections=4)), metrics, Tracing()
    )
    http = edge(transport, timeouts=CallTimeouts(attempt=10, call=20))
    try:
        yield http, metrics
    finally:
        await http.client.aclose()


@pytest.mark.e2e
async def test_a_call_over_aiohttp_makes_no_httpx_object(
    vendor_url: str,
    over_aiohttp: tuple[VendorHttp, GatewayMetrics],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    http, metrics = over_aiohttp
    headers = http.headers({"x-api-key": "k"})
    url = f"{vendor_url}/things/7"
    await http.send(http.request("GET", url, headers), endpoint=ENDPOINT, idempotent=True)
    made: list[str] = []
    for kind in (httpx.URL, httpx.Request, httpx.Response, httpx.Headers):
        original = kind.__init__

        def counted(self: Any, *args: Any, _kind: type = kind, _init: Any = original, **kw: Any):
            made.append(_kind.__name__)
            _init(self, *args, **kw)

        monkeypatch.setattr(kind, "__init__", counted)

    with request_scope(RequestState("req-7")):
        answer = await http.send(
            http.request("GET", url, headers, params={"q": "a b/é"}),
            endpoint=ENDPOINT,
            idempotent=True,
        )

    assert made == []
    assert answer.json() == ANSWER | {"thing": "7", "q": "a b/é"}
    assert upstream_count(metrics, "200") == 2


@pytest.mark.e2e
async def test_a_compressed_answer_comes_up_decoded(
    vendor_url: str, over_aiohttp: tuple[VendorHttp, GatewayMetrics]
) -> None:
    http, _ = over_aiohttp
    request = http.request("GET", f"{vendor_url}/zipped", http.headers({}))

    answer = await http.send(request, endpoint="GET /zipped", idempotent=True)

    assert answer.json() == ANSWER


@pytest.fixture
async def silent_vendor() -> AsyncIterator[str]:
    """A server that reads a request and never answers."""
    hold = asyncio.Event()

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await hold.wait()
        writer.close()

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        hold.set()
        server.close()
        await server.wait_closed()


@pytest.mark.e2e
async def test_a_read_timeout_shorter_than_the_attempt_is_kept_by_aiohttp(
    silent_vendor: str,
) -> None:
    """No attempt deadline here: only the transport's read timeout can end the call."""
    settings = VendorHttpConfig(read_timeout=0.2)
    http = edge(AiohttpTransport(settings.limits()), settings)
    request = http.request("GET", f"{silent_vendor}/x", http.headers({}))
    try:
        async with asyncio.timeout(60):  # a safety net: a missing timeout fails, not hangs
            with pytest.raises(VendorTimeoutError, match="timed out"):
                await http.send(request, endpoint="GET /x", idempotent=False)
    finally:
        await http.client.aclose()


@pytest.mark.e2e
async def test_a_refused_connection_is_unavailable() -> None:
    server = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()  # nothing listens on the port any more
    http = edge(AiohttpTransport(httpx.Limits(max_connections=2)))
    try:
        with pytest.raises(VendorUnavailableError, match="unreachable"):
            await http.send(
                http.request("GET", f"http://127.0.0.1:{port}/x", http.headers({})),
                endpoint="GET /x",
                idempotent=False,
            )
    finally:
        await http.client.aclose()


async def test_a_call_cancelled_from_outside_is_cancelled_not_timed_out() -> None:
    """The attempt's own deadline turns only its own cancellation into a timeout."""
    entered = asyncio.Event()

    async def hang(_: httpx.Request) -> httpx.Response:
        entered.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    http = edge(httpx.MockTransport(hang), timeouts=CallTimeouts(attempt=30, call=60))
    call = asyncio.create_task(
        http.send(http.request("GET", BASE, ()), endpoint=ENDPOINT, idempotent=True)
    )
    await entered.wait()
    call.cancel()

    with pytest.raises(asyncio.CancelledError):
        await call


def test_an_attempt_sets_its_headers_over_those_of_a_request_built_elsewhere() -> None:
    built = httpx.Request("GET", BASE, headers={"X-Request-Id": "old", "x-api-key": "k"})
    request = VendorRequest.from_httpx(built)

    sent = request.with_headers(((REQUEST_ID_HEADER, "new"),))

    ids = [(k, v) for k, v in sent.headers if k.lower() == REQUEST_ID_HEADER.lower()]
    assert ids == [(REQUEST_ID_HEADER, "new")]
    assert dict(sent.headers)["x-api-key"] == "k"
    assert dict(request.headers)["x-request-id"] == "old"  # the next attempt starts afresh
