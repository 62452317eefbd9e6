"""Request builders and exact error-body expectations for the Talon.One sandbox tests."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import httpx

INVALID = "The submitted data was invalid"

CART: list[dict[str, Any]] = [
    {
        "name": "Trail running shoes",
        "sku": "SHOE-RUN-01",
        "quantity": 2,
        "price": 89.95,
        "category": "shoes",
    },
    {"name": "Cap", "sku": "ACC-CAP-02", "quantity": 1, "price": 19.0, "category": "accessories"},
]
CART_TOTAL = 198.9

ALL_CONTENT = [
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "previousReturns",
]


def session_body(content: list[str] | None = None, **session: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"customerSession": session}
    if content is not None:
        body["responseContent"] = content
    return body


async def put_session(
    client: httpx.AsyncClient,
    session_id: str,
    *,
    content: list[str] | None = None,
    dry: bool | None = None,
    **session: Any,
) -> httpx.Response:
    params = {"dry": "true" if dry else "false"} if dry is not None else None
    return await client.put(
        f"/v2/customer_sessions/{session_id}", json=session_body(content, **session), params=params
    )


async def inventory(client: httpx.AsyncClient, profile_id: str, **flags: Any) -> dict[str, Any]:
    params = {k: ("true" if v is True else v) for k, v in flags.items()}
    response = await client.get(f"/v1/customer_profiles/{profile_id}/inventory", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def effects_of(body: dict[str, Any], effect_type: str) -> list[dict[str, Any]]:
    return [e for e in body["effects"] if e["effectType"] == effect_type]


def plain_400(
    title: str, *, pointer: str | None = None, parameter: str | None = None
) -> dict[str, Any]:
    """``ErrorResponse`` (updateCustomerSessionV2, getCustomerSession, returnCartItems, ...)."""
    source = {"pointer": pointer} if pointer is not None else {"parameter": parameter}
    return {"message": INVALID, "errors": [{"title": title, "details": ANY, "source": source}]}


def status_400(
    title: str, *, pointer: str | None = None, parameter: str | None = None
) -> dict[str, Any]:
    """``ErrorResponseWithStatus`` with a 400."""
    return {**plain_400(title, pointer=pointer, parameter=parameter), "StatusCode": 400}


def not_found(resource: str) -> dict[str, Any]:
    return {
        "message": "Not found",
        "errors": [{"title": "Not found", "details": ANY, "source": {"resource": resource}}],
        "StatusCode": 404,
    }


UNAUTHORIZED = {
    "message": "Invalid API key",
    "errors": [{"title": "Unauthorized", "details": ANY, "source": {"parameter": "Authorization"}}],
    "StatusCode": 401,
}

CONFLICT = {"message": ANY}
