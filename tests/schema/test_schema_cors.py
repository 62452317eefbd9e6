"""CORS by allowlist through the real app: preflights answered without credentials, the
allowed origin marked on every answer (refusals included, so a page can read why), any
other origin left without ``Access-Control-*`` headers, and bad configurations refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError

from gateway.http_cors import CorsSettings
from gateway.rate_limit.config import RateLimitSettings
from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import Harness, harness

APP = "http://127.0.0.1:5173"
OTHER = "https://evil.example"
QUERY = "{ __typename }"


def preflight(origin: str, headers: str = "content-type,x-api-key") -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": headers,
    }


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


def vary(response: httpx.Response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("vary", "").split(",") if v}


@pytest.fixture
async def gw() -> AsyncIterator[Harness]:
    settings = GatewaySettings(
        cors=CorsSettings(allow_origins=(APP,), max_age=300),
        rate_limit=RateLimitSettings(rate=0.01, burst=1),
    )
    async with harness(settings) as h:
        yield h


async def test_a_preflight_from_an_allowed_origin_is_204_without_credentials(
    gw: Harness,
) -> None:
    response = await gw.client.options("/graphql", headers=preflight(APP))

    assert response.status_code == 204
    assert response.content == b""
    headers = cors_headers(response)
    assert headers["access-control-allow-origin"] == APP
    assert set(headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    allowed = {h.lower() for h in headers["access-control-allow-headers"].split(", ")}
    assert {"x-api-key", "authorization", "content-type", "accept", "if-none-match"} <= allowed
    assert headers["access-control-max-age"] == "300"
    assert "access-control-allow-credentials" not in headers
    assert "origin" in vary(response)


@pytest.mark.parametrize(
    "request_headers",
    [
        preflight(OTHER),
        preflight(APP.replace("5173", "5174")),  # another port is another origin
        preflight(APP, "content-type,x-secret-header"),
        {**preflight(APP), "access-control-request-method": "DELETE"},
    ],
    ids=["other-origin", "other-port", "header-not-allowed", "method-not-allowed"],
)
async def test_a_refused_preflight_gets_no_access_control_headers(
    gw: Harness, request_headers: dict[str, str]
) -> None:
    response = await gw.client.options("/graphql", headers=request_headers)

    assert response.status_code == 403
    assert cors_headers(response) == {}
    assert "origin" in vary(response)


async def test_an_answer_to_an_allowed_origin_is_readable_by_the_page(gw: Harness) -> None:
    gw.extra_headers = {"origin": APP}

    response = await gw.post(QUERY)

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
    assert response.headers["access-control-allow-origin"] == APP
    exposed = response.headers["access-control-expose-headers"].lower()
    assert {"etag", "ratelimit", "ratelimit-policy", "retry-after"} <= set(exposed.split(", "))
    assert "origin" in vary(response)


async def test_an_answer_to_another_origin_has_no_access_control_headers(gw: Harness) -> None:
    gw.extra_headers = {"origin": OTHER}

    response = await gw.post(QUERY)

    assert response.status_code == 200  # the browser, not the server, withholds it
    assert cors_headers(response) == {}
    assert "origin" in vary(response)


async def test_an_answer_without_origin_still_varies_on_it(gw: Harness) -> None:
    response = await gw.post(QUERY)

    assert cors_headers(response) == {}
    assert "origin" in vary(response)  # a shared cache must not serve it to a page


async def test_refusals_carry_the_cors_headers_so_the_page_can_read_them(gw: Harness) -> None:
    origin = {"origin": APP}
    unauthenticated = await gw.client.post("/graphql", json={"query": QUERY}, headers=origin)
    unsupported = await gw.client.post(
        "/graphql",
        content=b"query=x",
        headers={**origin, "x-api-key": "key-globex", "content-type": "text/plain"},
    )
    gw.extra_headers = origin
    parse_error = await gw.post("{")  # the one operation the bucket holds
    limited = await gw.post(QUERY)

    assert [r.status_code for r in (unauthenticated, unsupported, limited)] == [401, 415, 429]
    assert parse_error.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    for response in (unauthenticated, unsupported, parse_error, limited):
        assert response.headers["access-control-allow-origin"] == APP
        assert "origin" in vary(response)
    assert "ratelimit" in limited.headers["access-control-expose-headers"].lower()


async def test_cors_is_off_until_an_origin_is_configured() -> None:
    async with harness() as gw:
        response = await gw.client.options("/graphql", headers=preflight(APP))
        gw.extra_headers = {"origin": APP}
        answer = await gw.post(QUERY)

    assert response.status_code == 405
    assert cors_headers(response) == {}
    assert cors_headers(answer) == {}


async def test_any_origin_without_credentials_is_answered_with_a_star() -> None:
    settings = GatewaySettings(cors=CorsSettings(allow_origins=("*",)))
    async with harness(settings) as gw:
        response = await gw.client.options("/graphql", headers=preflight(OTHER))
        gw.extra_headers = {"origin": OTHER}
        answer = await gw.post(QUERY)

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert answer.headers["access-control-allow-origin"] == "*"


async def test_credentials_echo_the_origin_and_say_so() -> None:
    settings = GatewaySettings(cors=CorsSettings(allow_origins=(APP,), allow_credentials=True))
    async with harness(settings) as gw:
        response = await gw.client.options("/graphql", headers=preflight(APP))

    assert response.headers["access-control-allow-origin"] == APP
    assert response.headers["access-control-allow-credentials"] == "true"


def test_a_wildcard_with_credentials_is_refused_at_startup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CG_CORS__ALLOW_ORIGINS", '["*"]')
    monkeypatch.setenv("CG_CORS__ALLOW_CREDENTIALS", "true")

    with pytest.raises(ValidationError, match="cannot be combined with allow_credentials"):
        GatewaySettings()


@pytest.mark.parametrize(
    "origin", ["127.0.0.1:5173", "http://app.example/path", "ftp://app.example"]
)
def test_a_value_that_is_not_an_origin_is_refused_at_startup(origin: str) -> None:
    with pytest.raises(ValidationError, match="origin"):
        CorsSettings(allow_origins=(origin,))


def test_origins_come_from_the_environment_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CG_CORS__ALLOW_ORIGINS", '["HTTPS://App.Example.com/"]')
    monkeypatch.setenv("CG_CORS__MAX_AGE", "60")

    cors = GatewaySettings().cors

    assert cors.allow_origins == ("https://app.example.com",)
    assert cors.max_age == 60
    assert cors.enabled


async def test_startup_says_which_pages_may_call(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="gateway.cors")
    settings = GatewaySettings(cors=CorsSettings(allow_origins=(APP,), max_age=300))
    async with harness(settings):
        pass
    async with harness(GatewaySettings()):
        pass

    said = [r.getMessage() for r in caplog.records if r.name == "gateway.cors"]
    assert said == [
        f"CORS: pages of {APP} may call, without credentials; preflights kept 300 s",
        "CORS: off: no other origin's page may call (CG_CORS__ALLOW_ORIGINS is empty)",
    ]
