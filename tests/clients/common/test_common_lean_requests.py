"""The lean request path: requests built without ``AsyncClient.build_request`` and sent
without ``AsyncClient.send`` (on the aiohttp pool, without any httpx object) are the same
on the wire, and no vendor cookie is ever kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from tests.support.live_server import live_server
from vendors.errors import VendorUnavailableError
from vendors.http import VendorHttp, VendorRejection, build_async_client
from vendors.omnidesk.form_bodies import multipart_body, urlencoded_body
from vendors.transport import AiohttpTransport, VendorRequest

BASE = "http://vendor.test:8080"
TRICKY = {"keyword": "a b&c=d+e%20é/?#", "limit": "100", "offsetKey": "x~y.z_-"}
#: names and values httpx escapes or must carry as they are
FORM = {"primary_id": 'é"x\r\n\\y', "brand_id": "11", 'we"ird\\na\x01me': "v"}


def edge(transport: httpx.AsyncBaseTransport) -> VendorHttp:
    return VendorHttp("demo", build_async_client(transport=transport), lambda _: VendorRejection())


def wire(request: httpx.Request) -> tuple[str, str, list[tuple[str, str]], bytes]:
    headers = sorted((k.lower(), v) for k, v in request.headers.multi_items())
    return request.method, str(request.url), headers, request.read()


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/api/v1/customers", {"params": TRICKY}),
        ("GET", "/api/v1/customers/0b8f1c2e-1234-4abc-8def-0123456789ab", {}),
        ("POST", "/v1/events", {"params": {"dry": "true"}, "json": {"a": "é", "n": [1, 2.5]}}),
        ("PUT", "/v2/audiences/7", {"json": {"name": "x"}}),
    ],
)
def test_a_lean_request_is_what_build_request_makes(
    method: str, path: str, kwargs: dict[str, object]
) -> None:
    http = edge(httpx.MockTransport(lambda _: httpx.Response(200)))
    extra = {"Accept": "application/json", "x-api-key": "k"}
    built = http.client.build_request(method, BASE + path, headers=extra, **kwargs)  # type: ignore[arg-type]
    lean = http.request(method, BASE + path, http.headers(extra), **kwargs)  # type: ignore[arg-type]

    assert isinstance(lean, VendorRequest)
    assert wire(lean.to_httpx()) == wire(built)
    assert lean.to_httpx().extensions["timeout"] == built.extensions["timeout"]


def test_a_lean_request_says_neither_its_url_nor_its_headers() -> None:
    http = edge(httpx.MockTransport(lambda _: httpx.Response(200)))
    request = http.request("GET", BASE + "/c/42?email=a@b", http.headers({"x-api-key": "k"}))
    request.endpoint = "GET /c/{id}"

    assert repr(request) == "VendorRequest(GET GET /c/{id})"


def test_the_multipart_body_is_byte_identical_to_httpx_files() -> None:
    body, content_type = multipart_body(FORM)
    request = httpx.Request(
        "POST",
        BASE,
        files={k: (None, v) for k, v in FORM.items()},
        headers={"Content-Type": content_type},
    )

    assert content_type.startswith("multipart/form-data; boundary=")
    assert body == request.read()


def test_a_value_holding_the_boundary_gets_another_one() -> None:
    _, content_type = multipart_body({"a": "1"})
    boundary = content_type.partition("boundary=")[2]

    body, other = multipart_body({"a": f"x{boundary}y"})

    assert other != content_type
    assert body.count(other.partition("boundary=")[2].encode()) == 2  # one part, one close


def test_the_urlencoded_body_is_byte_identical_to_httpx_data() -> None:
    request = httpx.Request("PUT", BASE, data=FORM)

    assert urlencoded_body(FORM) == request.read()


async def test_a_set_cookie_is_never_kept_nor_sent_back() -> None:
    seen: list[str | None] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie"))
        return httpx.Response(200, json={}, headers={"Set-Cookie": "session=abc; Path=/"})

    http = edge(httpx.MockTransport(vendor))
    for _ in range(2):
        request = http.request("GET", BASE + "/things", http.headers({}))
        response = await http.send(request, endpoint="GET /things", idempotent=True)
        assert response.headers["set-cookie"] == "session=abc; Path=/"

    assert seen == [None, None]
    assert not http.client.cookies


@pytest.fixture(scope="module")
def cookie_vendor() -> Iterator[tuple[str, list[str | None]]]:
    """A vendor on loopback that sets a cookie on every answer and records what it got."""
    seen: list[str | None] = []
    app = FastAPI()

    @app.api_route("/echo", methods=["GET", "POST"])
    async def echo(request: Request) -> Response:
        seen.append(request.headers.get("cookie"))
        body = await request.body()
        headers = {
            "Set-Cookie": "session=abc; Path=/",
            "X-Seen-Type": request.headers.get("content-type", ""),
        }
        return Response(body, media_type="application/octet-stream", headers=headers)

    with live_server(app) as url:
        yield url, seen


@pytest.mark.e2e
async def test_the_aiohttp_transport_keeps_no_cookie_and_sends_the_body_as_built(
    cookie_vendor: tuple[str, list[str | None]],
) -> None:
    url, seen = cookie_vendor
    seen.clear()
    transport = AiohttpTransport(httpx.Limits(max_connections=4))
    http = edge(transport)
    body, content_type = multipart_body(FORM)
    headers = http.headers({"Content-Type": content_type})
    try:
        answers = [
            await http.send(
                http.request("POST", f"{url}/echo", headers, content=body),
                endpoint="POST /echo",
                idempotent=False,
            )
            for _ in range(2)
        ]
    finally:
        await http.client.aclose()

    assert seen == [None, None]
    assert [a.content for a in answers] == [body, body]
    assert answers[0].headers["x-seen-type"] == content_type
    assert answers[0].status_code == 200


@pytest.mark.e2e
async def test_the_aiohttp_transport_streams_a_body_not_yet_read(
    cookie_vendor: tuple[str, list[str | None]],
) -> None:
    url, _ = cookie_vendor

    async def chunks() -> AsyncIterator[bytes]:
        yield b"part one, "
        yield b"part two"

    transport = AiohttpTransport(httpx.Limits(max_connections=2))
    try:
        answer = await transport.handle_async_request(
            httpx.Request("POST", f"{url}/echo", content=chunks())
        )
    finally:
        await transport.aclose()

    assert answer.status_code == 200
    assert answer.content == b"part one, part two"


@pytest.mark.e2e
async def test_a_vendor_that_hangs_up_is_unavailable_not_slow() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
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
        server.close()
        await server.wait_closed()
