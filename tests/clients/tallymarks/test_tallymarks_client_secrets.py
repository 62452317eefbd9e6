"""The API key and secret never appear in an exception, a traceback or a repr."""

from __future__ import annotations

import traceback

import httpx
from pydantic import SecretStr

from tests.clients.tallymarks.tmc_support import ACME, GLOBEX, config_for, guid, sandbox
from vendors.errors import VendorError
from vendors.http import build_async_client
from vendors.tallymarks import (
    CustomerCreate,
    TallymarksAuth,
    TallymarksClient,
    tallymarks_http,
)

SECRETS = (ACME.tallymarks_api_key, ACME.tallymarks_api_secret)


def leaks(text: str) -> bool:
    return any(secret in text for secret in SECRETS)


async def collect_errors() -> list[VendorError]:
    errors: list[VendorError] = []
    async with sandbox() as sb:
        for fault in ({}, {"error_rate": 1.0}, {"down": True}, {"rate_limit_rate": 1.0}):
            await sb.faults(**fault)
            try:
                await sb.client.get_customer(guid())
            except VendorError as exc:
                errors.append(exc)
        await sb.faults()
        try:
            await sb.client.create_customer(
                CustomerCreate(customer_id=guid(), email_address=ACME.customers[0].email)
            )
        except VendorError as exc:
            errors.append(exc)
    bad = config_for(ACME).model_copy(
        update={"api_secret": SecretStr(GLOBEX.tallymarks_api_secret)}
    )
    async with sandbox(config=bad) as sb:
        try:
            await sb.client.get_customer(guid())
        except VendorError as exc:
            errors.append(exc)
    return errors


async def test_no_error_carries_the_credentials() -> None:
    errors = await collect_errors()
    assert len(errors) == 6
    for error in errors:
        rendered = "".join(traceback.format_exception(error))
        assert not leaks(rendered + repr(error) + str(vars(error)))


async def test_reprs_hide_the_credentials() -> None:
    config = config_for(ACME)
    auth = TallymarksAuth(config.tenant_id, config.api_key, config.api_secret)
    async with sandbox() as sb:
        texts = [repr(config), str(config), repr(auth), repr(sb.client), str(config.model_dump())]
    assert not any(leaks(text) for text in texts)


async def test_the_credentials_travel_only_as_headers() -> None:
    sent: list[httpx.Request] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"customerId": "c1"})

    async with build_async_client(transport=httpx.MockTransport(vendor)) as pooled:
        client = TallymarksClient(tallymarks_http(pooled), config_for(ACME))
        await client.get_customer("0c8e5a52-4f2b-4b7a-9a51-1f0d2c3b4a59")
    (request,) = sent
    assert {k: request.headers[k] for k in ("x-tenant-id", "x-api-key", "x-api-secret")} == {
        "x-tenant-id": ACME.tallymarks_tenant_id,
        "x-api-key": ACME.tallymarks_api_key,
        "x-api-secret": ACME.tallymarks_api_secret,
    }
    assert "authorization" not in request.headers
    assert not leaks(str(request.url))
