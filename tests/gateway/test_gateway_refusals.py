"""Every refusal made before the GraphQL router answers (authentication's 401, the rate
limit's 429, the shutdown's 503, the body read timeout's 408), through the real app: the
same body (a GraphQL ``{"errors": [...]}`` with ``extensions.code``, compact JSON) in the
media type the client's ``Accept`` negotiates, ``q`` values honoured, with a charset."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import orjson
import pytest

from gateway.http_compliance.negotiation import GRAPHQL_RESPONSE_JSON, JSON
from gateway.rate_limit.config import RateLimitSettings
from gateway.slow_clients import BodyReadTimeout
from tests.schema.gateway_harness import Harness, harness, patient_settings

COUPONS = "query($id: ID!) { customer(id: $id) { customerId coupons { value } } }"
KEY = {"x-api-key": "key-acme"}

#: the client's Accept header, and the media type a refusal is then written in
ACCEPTS = [
    (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
    (f"{JSON}, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
    (JSON, JSON),
    ("*/*", JSON),
    (None, JSON),
    (f"{GRAPHQL_RESPONSE_JSON};q=0, {JSON}", JSON),
    (f"{GRAPHQL_RESPONSE_JSON};q=0.5, {JSON}", JSON),
]

Ask = Callable[[dict[str, str]], Awaitable[httpx.Response]]


@asynccontextmanager
async def unauthenticated() -> AsyncIterator[Ask]:
    async with harness() as gw:
        yield lambda headers: gw.client.post(
            "/graphql", json={"query": "{ __typename }"}, headers=headers
        )


@asynccontextmanager
async def rate_limited() -> AsyncIterator[Ask]:
    """One operation per 100 s: the second is refused."""
    settings = patient_settings(rate_limit=RateLimitSettings(rate=0.01, burst=1))
    async with harness(settings) as gw:

        async def ask(headers: dict[str, str]) -> httpx.Response:
            allowed = await gw.client.post(
                "/graphql", json={"query": "{ __typename }"}, headers=KEY
            )
            assert allowed.status_code == 200
            return await gw.client.post(
                "/graphql", json={"query": "{ __typename }"}, headers={**KEY, **headers}
            )

        yield ask


@asynccontextmanager
async def shutting_down() -> AsyncIterator[Ask]:
    """A request waiting on a hung vendor whose task is cancelled, as uvicorn cancels it
    once the graceful shutdown timeout has run out."""
    async with harness() as gw:
        gw.fault("talon", hang=True)

        async def ask(headers: dict[str, str]) -> httpx.Response:
            gw.reset_calls()
            body = {"query": COUPONS, "variables": {"id": str(gw.acme.customers[0].customer_id)}}
            task = asyncio.create_task(
                gw.client.post("/graphql", json=body, headers={**KEY, **headers})
            )
            await _until_talon_is_called(gw, task)
            task.cancel()
            return await task

        yield ask


async def _until_talon_is_called(gw: Harness, task: asyncio.Task[httpx.Response]) -> None:
    while gw.calls("talon") == 0:
        assert not task.done(), task.result().text
        await asyncio.sleep(0.01)


@asynccontextmanager
async def body_too_slow() -> AsyncIterator[Ask]:
    """The app as served (behind the body read timeout), sent a body that never comes."""
    async with harness() as gw:
        guarded = BodyReadTimeout(gw.gateway, seconds=0.05)
        transport = httpx.ASGITransport(app=guarded)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:

            async def ask(headers: dict[str, str]) -> httpx.Response:
                never = asyncio.Event()

                async def stalled() -> AsyncIterator[bytes]:
                    yield b'{"query": '
                    await never.wait()

                request_headers = {**KEY, **headers, "content-type": JSON, "content-length": "40"}
                return await c.post("/graphql", content=stalled(), headers=request_headers)

            yield ask


#: each kind of refusal: how to provoke it, its status, its code and headers it keeps
KINDS = {
    "401": (unauthenticated, 401, "UNAUTHENTICATED", {"cache-control": "no-store"}),
    "429": (rate_limited, 429, "RATE_LIMITED", {"cache-control": "no-store", "retry-after": "100"}),
    "503": (shutting_down, 503, "SHUTTING_DOWN", {"retry-after": "1", "connection": "close"}),
    "408": (body_too_slow, 408, "REQUEST_TIMEOUT", {"connection": "close"}),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("accept", "media_type"), ACCEPTS)
async def test_every_refusal_is_a_graphql_error_in_the_negotiated_media_type(
    kind: str, accept: str | None, media_type: str
) -> None:
    provoke, status, code, kept = KINDS[kind]
    async with provoke() as ask:
        response = await ask({} if accept is None else {"accept": accept})

    assert response.status_code == status, response.text
    assert {name: response.headers.get(name) for name in kept} == kept
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.content)
    body = response.json()
    assert list(body) == ["errors"]
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert response.content == orjson.dumps(body)  # compact, as every other answer


@pytest.mark.parametrize("kind", ["401", "429"])
async def test_a_client_accepting_neither_json_type_is_still_refused_in_json(kind: str) -> None:
    """Refused before negotiation could answer 406: the refusal stays readable."""
    provoke, status, _, _ = KINDS[kind]
    async with provoke() as ask:
        response = await ask({"accept": "text/html"})

    assert response.status_code == status
    assert response.headers["content-type"] == "application/json; charset=utf-8"


async def test_a_401_honours_q_values() -> None:
    """A client that refuses ``application/graphql-response+json`` (q=0) while naming it."""
    async with unauthenticated() as ask:
        response = await ask({"accept": f"{GRAPHQL_RESPONSE_JSON};q=0, {JSON}"})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json; charset=utf-8"
