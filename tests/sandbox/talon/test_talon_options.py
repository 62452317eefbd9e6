"""The remaining switches of ``TalonSandboxOptions`` (the defaults are tested elsewhere)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.talon.options import TalonSandboxOptions
from tests.sandbox.talon.helpers import CART, inventory, put_session


def _set(app: FastAPI, **changes: Any) -> None:
    app.state.talon.options = app.state.talon.options.model_copy(update=changes)


async def test_collections_can_be_merged_instead_of_replaced(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    _set(app, replace_session_collections=False)
    await put_session(client, "merge-opt", cartItems=CART[:1], attributes={"Channel": "web"})

    response = await put_session(
        client,
        "merge-opt",
        content=["customerSession"],
        cartItems=CART[1:],
        attributes={"GiftWrap": True},
    )

    session = response.json()["customerSession"]
    assert [(i["sku"], i["position"]) for i in session["cartItems"]] == [
        ("SHOE-RUN-01", 0),
        ("ACC-CAP-02", 1),
    ]
    assert session["attributes"] == {"Channel": "web", "GiftWrap": True}


async def test_total_sales_can_count_cart_items_only(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    _set(app, total_sales_uses_session_total=False)

    await put_session(
        client,
        "sales-opt",
        profileId="sales-customer",
        cartItems=CART,
        additionalCosts={"shipping": {"price": 5.0}},
        state="closed",
    )

    profile = (await inventory(client, "sales-customer", profile=True))["profile"]
    assert profile["totalSales"] == 198.9


async def test_foreign_sessions_and_undefined_events_can_be_allowed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    _set(app, reject_foreign_session_in_track_event=False, reject_undefined_event_types=False)
    await put_session(client, "owned-opt", profileId="owner")

    response = await client.post(
        "/v1/events",
        json={
            "profileId": "intruder",
            "type": "anything_goes",
            "attributes": {},
            "sessionId": "owned-opt",
        },
    )

    assert response.status_code == 201
    assert response.json()["event"]["type"] == "anything_goes"


async def test_cart_unit_cap_with_flattening(client: httpx.AsyncClient, app: FastAPI) -> None:
    _set(app, cart_item_flattening=True)
    item = {"name": "Sock", "sku": "ACC-SCK-03", "quantity": 5001, "price": 1.0}

    response = await put_session(client, "flat-opt", cartItems=[item, item])

    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"pointer": "/customerSession/cartItems"}
    assert response.json()["errors"][0]["title"] == "maxItems"


def test_options_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "SANDBOX_TALON_OPTIONS", '{"processing_delay_ms": 25, "session_relink": "never"}'
    )

    options = TalonSandboxOptions.from_env()

    assert (options.processing_delay_ms, options.session_relink) == (25, "never")
    assert options.conflict_on_overlap is True
