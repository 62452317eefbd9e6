"""Returning cart items of a closed session (docs/vendors/talon.md §5.8)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.demo_world import DemoTenant
from tests.sandbox.talon.helpers import (
    CART,
    effects_of,
    inventory,
    not_found,
    plain_400,
    put_session,
)


async def _return(
    client: httpx.AsyncClient,
    session_id: str,
    items: list[dict[str, Any]],
    *,
    dry: bool = False,
    content: list[str] | None = None,
) -> httpx.Response:
    return await client.post(
        f"/v2/customer_sessions/{session_id}/returns",
        params={"dry": "true"} if dry else None,
        json={"return": {"returnedCartItems": items}, "responseContent": content or []},
    )


async def _closed(client: httpx.AsyncClient, session_id: str, profile_id: str) -> None:
    response = await put_session(
        client, session_id, profileId=profile_id, cartItems=CART, state="closed"
    )
    assert response.status_code == 200


async def test_returning_a_line_rolls_back_its_discount_and_points(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[14].customer_id
    await _closed(client, "ret-1", customer)
    before = await inventory(client, customer, profile=True)

    response = await _return(
        client, "ret-1", [{"position": 0}], content=["customerSession", "event"]
    )
    after = await inventory(client, customer, profile=True)
    stored = (await client.get("/v2/customer_sessions/ret-1")).json()

    body = response.json()
    assert response.status_code == 200
    assert body["return"]["returnedCartItems"] == [{"position": 0, "quantity": 2}]
    assert body["return"]["sessionIntegrationId"] == "ret-1"
    assert body["return"]["profileIntegrationId"] == customer
    assert body["return"]["eventId"] == body["event"]["id"]
    assert body["event"]["type"] == "talon_session_partially_returned"
    session = body["customerSession"]
    assert session["state"] == "partially_returned"
    assert [(i["returnedQuantity"], i["remainingQuantity"]) for i in session["cartItems"]] == [
        (2, 0),
        (0, 1),
    ]
    assert effects_of(body, "rollbackDiscount")[0]["props"] == {
        "name": "20% off shoes",
        "value": 35.98,
        "cartItemPosition": 0,
    }
    points_back = effects_of(body, "rollbackAddedLoyaltyPoints")[0]["props"]
    assert (points_back["value"], points_back["cartItemPosition"]) == (
        179,
        0,
    )  # floor(198 * 179.9 / 198.9)
    assert after["profile"]["totalSales"] == pytest.approx(before["profile"]["totalSales"] - 179.9)
    assert "setDiscountPerItem" not in {e["effectType"] for e in stored["effects"]}
    kept_points = next(e for e in stored["effects"] if e["effectType"] == "addLoyaltyPoints")
    assert kept_points["props"]["value"] == 19


async def test_second_return_lists_the_previous_one_then_cancel_rolls_back_the_rest(
    client: httpx.AsyncClient,
) -> None:
    await _closed(client, "ret-2", "ret-customer")
    first = await _return(client, "ret-2", [{"position": 0}])

    second = await _return(client, "ret-2", [{"position": 1}], content=["previousReturns"])
    cancelled = await put_session(client, "ret-2", content=["event"], state="cancelled")

    assert second.json()["previousReturns"] == [first.json()["return"]]
    assert cancelled.json()["event"]["type"] == "talon_session_revoked"
    assert {e["effectType"] for e in cancelled.json()["effects"]} == {"rollbackDiscount"}


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            [{"position": 5}],
            plain_400("Invalid value", pointer="/return/returnedCartItems/0/position"),
        ),
        (
            [{"position": 0}, {"position": 0}],
            plain_400("Invalid value", pointer="/return/returnedCartItems/1/position"),
        ),
        ([{"position": -1}], plain_400("minimum", pointer="/return/returnedCartItems/0/position")),
        ([{"quantity": 1}], plain_400("required", pointer="/return/returnedCartItems/0/position")),
        (
            [{"position": 0, "quantity": 0}],
            plain_400("minimum", pointer="/return/returnedCartItems/0/quantity"),
        ),
    ],
)
async def test_bad_return_lines(
    client: httpx.AsyncClient, items: list[dict[str, Any]], expected: dict[str, Any]
) -> None:
    await _closed(client, "ret-bad", "ret-bad-customer")

    response = await _return(client, "ret-bad", items)

    assert response.status_code == 400
    assert response.json() == expected


async def test_only_closed_sessions_can_be_returned(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await put_session(client, "ret-open", profileId="x", cartItems=CART)

    open_session = await _return(client, "ret-open", [{"position": 0}])
    unknown = await _return(client, "ret-nothing", [{"position": 0}])
    await _closed(client, "ret-twice", "y")
    await _return(client, "ret-twice", [{"position": 0}])
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"allow_return_of_partially_returned": False}
    )
    again = await _return(client, "ret-twice", [{"position": 1}])

    assert open_session.status_code == 400
    assert open_session.json() == plain_400("Invalid session state", parameter="customerSessionId")
    assert unknown.status_code == 404
    assert unknown.json() == not_found("customerSession")
    assert again.json() == plain_400("Invalid session state", parameter="customerSessionId")


async def test_quantities_need_cart_item_flattening(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await _closed(client, "ret-q1", "q-customer")
    whole = await _return(client, "ret-q1", [{"position": 0, "quantity": 1}])
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"cart_item_flattening": True}
    )
    await _closed(client, "ret-q2", "q-customer")

    partial = await _return(
        client, "ret-q2", [{"position": 0, "quantity": 1}], content=["customerSession"]
    )
    too_many = await _return(client, "ret-q2", [{"position": 0, "quantity": 2}])

    assert whole.json()["return"]["returnedCartItems"] == [{"position": 0, "quantity": 2}]
    item = partial.json()["customerSession"]["cartItems"][0]
    assert (item["returnedQuantity"], item["remainingQuantity"]) == (1, 1)
    assert effects_of(partial.json(), "rollbackDiscount")[0]["props"]["value"] == 17.99
    assert too_many.json() == plain_400("maximum", pointer="/return/returnedCartItems/0/quantity")


async def test_dry_return_persists_nothing(client: httpx.AsyncClient) -> None:
    await _closed(client, "ret-dry", "dry-return-customer")
    before = (await client.get("/v2/customer_sessions/ret-dry")).json()

    response = await _return(client, "ret-dry", [{"position": 0}], dry=True)
    after = (await client.get("/v2/customer_sessions/ret-dry")).json()

    assert response.status_code == 200
    assert "return" in response.json()
    assert after == before
    real = await _return(client, "ret-dry", [{"position": 0}], content=["previousReturns"])
    assert real.json()["previousReturns"] == []
