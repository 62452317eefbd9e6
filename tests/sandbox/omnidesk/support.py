"""Helpers for the Omnidesk sandbox contract tests."""

from __future__ import annotations

from typing import Any

import httpx

from sandbox.demo_world import DemoTenant, demo_world

#: small and fast: 2 tenants x 25 customers (+ 5 in each other brand)
WORLD = demo_world(7, 2, 25)
ACME, GLOBEX = WORLD.tenants
BASE = "/api/v2/customer"
ACCOUNT_SIZE = 25 + 5


def multipart(**fields: object) -> dict[str, tuple[None, str]]:
    """``files=`` for httpx: every field a multipart form part without a file name."""
    return {name: (None, str(value)) for name, value in fields.items()}


def key(tenant: DemoTenant = ACME, *, read_only: bool = False) -> dict[str, str]:
    return {"apiKey": tenant.omnidesk_read_only_key if read_only else tenant.omnidesk_api_key}


def error(message: str) -> dict[str, str]:
    return {"status": "error", "message": message}


def result(message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "result", "message": message, **extra}


def pattern_error(field: str, pattern: str) -> dict[str, str]:
    return error(f"Field '{field}' does not match the pattern {pattern}.")


async def item(client: httpx.AsyncClient, customer_id: int) -> dict[str, Any]:
    response = await client.get(f"{BASE}/{customer_id}", headers=key())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["item"]
    return body


async def by_primary(
    client: httpx.AsyncClient, primary_id: str, brand_id: int = ACME.omnidesk_brand_id
) -> dict[str, Any]:
    response = await client.post(
        f"{BASE}/SearchByPrimaryExternalID",
        headers=key(),
        files=multipart(primary_id=primary_id, brand_id=brand_id),
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["item"]
    return body


async def counters(client: httpx.AsyncClient) -> dict[str, int]:
    endpoints: dict[str, int] = (await client.get("/_sandbox/counters")).json()["endpoints"]
    return endpoints
