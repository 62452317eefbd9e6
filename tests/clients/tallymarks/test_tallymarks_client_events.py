"""Event API through the client: 208 as success, redemptions, baskets, the two hosts."""

from __future__ import annotations

import httpx
import pytest

from tests.clients.tallymarks.tmc_support import ACME, guid, new_app, sandbox
from vendors.errors import VendorInvalidInputError
from vendors.http import build_async_client
from vendors.tallymarks import (
    ActionEvent,
    BasketDetails,
    BasketEvent,
    OrderDetails,
    OrderEvent,
    PointsDetails,
    PointsEvent,
    RedemptionDetails,
    RedemptionEvent,
    TallymarksClient,
    TallymarksConfig,
    TransactionDetails,
    TransactionEvent,
    tallymarks_http,
)


async def test_a_repeated_event_is_success_with_is_existing() -> None:
    event = ActionEvent(customer_id=guid(), name_space="Customer.Registration")
    async with sandbox() as sb:
        first = await sb.client.track_action(event)
        again = await sb.client.track_action(event)
        balance = await sb.client.get_balance(event.customer_id)
    assert (first.event_id, first.is_existing) == (event.event_id, False)
    assert (again.event_id, again.is_existing) == (event.event_id, True)
    assert balance.amount == 100


async def test_orders_transactions_and_points_move_the_balance() -> None:
    customer_id = guid()
    async with sandbox() as sb:
        await sb.client.track_order(
            OrderEvent(customer_id=customer_id, order=OrderDetails(total=150.0))
        )
        await sb.client.track_transaction(
            TransactionEvent(customer_id=customer_id, transaction=TransactionDetails(total=10.0))
        )
        await sb.client.track_points(
            PointsEvent(customer_id=customer_id, points=PointsDetails(amount=-15))
        )
        balance = await sb.client.get_balance(customer_id)
        ledger = await sb.client.search_transactions(customer_id=customer_id)
    assert balance.amount == 150 + 5 - 15
    assert sorted(t.amount for t in ledger.customer_transactions) == [-15, 5, 150]


async def test_redeem_points_reports_the_balances() -> None:
    customer_id = guid()
    async with sandbox() as sb:
        await sb.client.track_order(
            OrderEvent(customer_id=customer_id, order=OrderDetails(total=90.0))
        )
        result = await sb.client.redeem_points(
            RedemptionEvent(customer_id=customer_id, redemption=RedemptionDetails(amount=40))
        )
        with pytest.raises(VendorInvalidInputError) as caught:
            await sb.client.redeem_points(
                RedemptionEvent(customer_id=customer_id, redemption=RedemptionDetails(amount=51))
            )
    assert (result.current_balance, result.pending_balance, result.is_existing) == (90, 50, False)
    assert (caught.value.code, caught.value.field) == ("InsufficientBalance", "redemption.amount")


async def test_assess_basket_returns_the_potential_points() -> None:
    async with sandbox() as sb:
        result = await sb.client.assess_basket(
            BasketEvent(customer_id=guid(), basket=BasketDetails(total=42.9))
        )
    assert result.potential_points == 42
    assert [o.fulfilment for o in result.outcomes] == ["pointsPerDollar"]


async def test_each_api_goes_to_its_own_host() -> None:
    hosts: list[str] = []
    app_transport = httpx.ASGITransport(app=new_app())

    async def route(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return await app_transport.handle_async_request(request)

    config = TallymarksConfig(
        customer_base_url="http://api-customer.test/",
        event_base_url="http://api-event.test",
        tenant_id=ACME.tallymarks_tenant_id,
        api_key=ACME.tallymarks_api_key,
        api_secret=ACME.tallymarks_api_secret,
    )
    async with build_async_client(transport=httpx.MockTransport(route)) as pooled:
        client = TallymarksClient(tallymarks_http(pooled), config)
        event = ActionEvent(customer_id=guid(), name_space="App.Login")
        await client.track_action(event)
        await client.get_customer(event.customer_id)
    assert hosts == ["api-event.test", "api-customer.test"]
