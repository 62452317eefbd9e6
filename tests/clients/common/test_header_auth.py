"""The three vendors sign with headers only: the flow adds exactly :meth:`headers`."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from vendors.header_auth import HeaderAuth
from vendors.omnidesk.auth import OmnideskAuth
from vendors.tallymarks.auth import TallymarksAuth
from vendors.talon.auth import TalonAuth

KEY = SecretStr("k-123")
AUTHS: list[tuple[HeaderAuth, dict[str, str]]] = [
    (OmnideskAuth(KEY), {"apikey": "k-123"}),
    (TalonAuth(KEY), {"authorization": "ApiKey-v1 k-123"}),
    (
        TallymarksAuth("t-1", KEY, SecretStr("s-9")),
        {"x-tenant-id": "t-1", "x-api-key": "k-123", "x-api-secret": "s-9"},
    ),
]


@pytest.mark.parametrize(("auth", "expected"), AUTHS, ids=lambda a: type(a).__name__)
def test_signing_adds_the_vendor_headers_and_no_secret_shows_in_repr(
    auth: HeaderAuth, expected: dict[str, str]
) -> None:
    request = httpx.Request("GET", "https://vendor.test/x", headers={"Accept": "application/json"})

    signed = auth.sign(request)

    assert signed is request
    assert {k: v for k, v in signed.headers.items() if k != "accept" and k != "host"} == expected
    assert "k-123" not in repr(auth)
    assert "s-9" not in repr(auth)


def test_talon_keeps_its_name_for_signing() -> None:
    request = httpx.Request("GET", "https://vendor.test/x")

    assert TalonAuth(KEY).apply(request).headers["authorization"] == "ApiKey-v1 k-123"


async def test_a_client_of_one_tenant_signs_through_the_flow() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    transport = httpx.MockTransport(answer)
    async with httpx.AsyncClient(transport=transport, auth=OmnideskAuth(KEY)) as client:
        await client.get("https://vendor.test/x")

    assert seen[0].headers["apikey"] == "k-123"
