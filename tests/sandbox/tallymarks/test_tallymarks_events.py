"""Event API: 208 on repeats, auto-created customers, the rule engine, redemptions, baskets
and deferred processing (docs/vendors/tallymarks.md §8)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox.tallymarks.rules import rule_id
from tests.sandbox.tallymarks.tm_support import (
    ACME,
    action,
    client_for,
    create_customer,
    error,
    guid,
    invalid,
    new_app,
    order,
)

TENANT = ACME.tallymarks_tenant_id
ADMIN = "/_sandbox/tallymarks"


async def ledger(client: httpx.AsyncClient, customer_id: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/customers/transactions", params={"customerId": customer_id, "limit": 100}
    )
    result: list[dict[str, Any]] = response.json()["customerTransactions"]
    return result


async def balance(client: httpx.AsyncClient, customer_id: str) -> int:
    response = await client.get(f"/api/v1/customers/{customer_id}/balance")
    amount: int = response.json()["amount"]
    return amount


async def events_of(client: httpx.AsyncClient, customer_id: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/customers/events", params={"customerId": customer_id, "limit": 100}
    )
    result: list[dict[str, Any]] = response.json()["events"]
    return result


async def test_an_action_is_accepted_and_a_repeat_is_208() -> None:
    customer_id = (ACME.customers[1]).customer_id
    body = action(customer_id, "Customer.Review.Submitted")
    async with client_for(new_app()) as client:
        before = len(await ledger(client, customer_id))
        first = await client.post("/api/v1/events/actions", json=body)
        again = await client.post("/api/v1/events/actions", json=body)
        after = await ledger(client, customer_id)
        events = [
            e for e in await events_of(client, customer_id) if e["eventId"] == body["eventId"]
        ]
    expected = {"eventId": body["eventId"], "customerId": customer_id, "tenantId": TENANT}
    assert (first.status_code, first.json()) == (200, {**expected, "isExisting": False})
    assert (again.status_code, again.json()) == (208, {**expected, "isExisting": True})
    assert len(after) == before + 1
    assert len(events) == 1


async def test_an_unknown_customer_is_auto_created_with_an_empty_profile() -> None:
    customer_id = guid()
    async with client_for(new_app()) as client:
        accepted = await client.post("/api/v1/events/actions", json=action(customer_id))
        profile = (await client.get(f"/api/v1/customers/{customer_id}")).json()
    assert accepted.status_code == 200
    assert profile["customerId"] == customer_id
    assert {k: profile[k] for k in ("firstName", "lastName", "emailAddress", "attributes")} == {
        "firstName": None,
        "lastName": None,
        "emailAddress": None,
        "attributes": [],
    }


async def test_an_order_earns_points_per_dollar() -> None:
    customer_id = guid()
    body = order(customer_id, 123.45)
    async with client_for(new_app()) as client:
        await client.post("/api/v1/events/orders", json=body)
        transactions = await ledger(client, customer_id)
        points = await balance(client, customer_id)
    (transaction,) = transactions
    assert transaction["eventId"] == body["eventId"]
    assert transaction["assessmentRuleId"] == rule_id(TENANT, "order-points")
    assert (transaction["amount"], transaction["nameSpace"]) == (123, "Order.Completed")
    assert transaction["description"] == "1 point per $1 spent online"
    assert transaction["externalReference"] == body["reference"]
    assert len(transaction["checkSum"]) == 32
    assert points == 123


@pytest.mark.parametrize(
    ("name_space", "points"),
    [("Customer.Registration", 100), ("customer.review.photo", 25), ("App.Login", 0)],
)
async def test_actions_earn_flat_points_by_name_space(name_space: str, points: int) -> None:
    customer_id = guid()
    async with client_for(new_app()) as client:
        await client.post("/api/v1/events/actions", json=action(customer_id, name_space))
        assert await balance(client, customer_id) == points


async def test_transactions_and_points_events_write_the_ledger() -> None:
    customer_id = guid()
    async with client_for(new_app()) as client:
        await client.post(
            "/api/v1/events/transactions",
            json={"eventId": guid(), "customerId": customer_id, "transaction": {"total": 99.99}},
        )
        await client.post(
            "/api/v1/events/points",
            json={"eventId": guid(), "customerId": customer_id, "points": {"amount": -20}},
        )
        amounts = sorted(t["amount"] for t in await ledger(client, customer_id))
        points = await balance(client, customer_id)
    assert amounts == [-20, 49]
    assert points == 29


async def test_a_big_order_adds_the_customer_to_high_value_with_the_source_event() -> None:
    customer_id = guid()
    body = order(customer_id, 650.0)
    async with client_for(new_app()) as client:
        await client.post("/api/v1/events/orders", json=body)
        segments = (await client.get(f"/api/v1/customers/{customer_id}/segments")).json()
    (membership,) = segments["segments"]
    assert (membership["name"], membership["sourceEventId"]) == ("High Value", body["eventId"])


async def test_an_undeliverable_email_fulfilment_writes_an_error_event() -> None:
    # given an auto-created customer (no email) and an order that triggers the email rule
    customer_id = guid()
    body = order(customer_id, 300.0)
    async with client_for(new_app()) as client:
        await client.post("/api/v1/events/orders", json=body)
        errors = [e for e in await events_of(client, customer_id) if e["eventType"] == "error"]
        stored = await client.get(
            f"{ADMIN}/events/{errors[0]['eventId']}", params={"tenantId": TENANT}
        )
    assert [e["nameSpace"] for e in errors] == ["Error.FulfilmentStategy.Fulfil"]
    error_action = stored.json()["errorAction"]
    assert error_action["source"] == "TallyMarks.Core"
    assert error_action["event"]["eventId"] == body["eventId"]
    assert error_action["event"]["order"]["total"] == 300.0
    assert stored.json()["order"] is None


async def test_a_redemption_reports_current_and_pending_balance() -> None:
    customer_id = guid()
    async with client_for(new_app()) as client:
        await client.post("/api/v1/events/orders", json=order(customer_id, 200.0))
        body = {"eventId": guid(), "customerId": customer_id, "redemption": {"amount": 150}}
        response = await client.post("/api/v1/events/redemptions", json=body)
        repeat = await client.post("/api/v1/events/redemptions", json=body)
        amounts = sorted(t["amount"] for t in await ledger(client, customer_id))
    assert response.status_code == 200
    assert response.json() == {
        "eventId": body["eventId"],
        "customerId": customer_id,
        "tenantId": TENANT,
        "isExisting": False,
        "currentBalance": 200,
        "pendingBalance": 50,
    }
    assert repeat.status_code == 208
    assert (repeat.json()["isExisting"], repeat.json()["currentBalance"]) == (True, 50)
    assert amounts == [-150, 200]


async def test_a_redemption_beyond_the_balance_is_refused() -> None:
    customer_id = guid()
    async with client_for(new_app()) as client:
        await client.post("/api/v1/events/orders", json=order(customer_id, 40.0))
        body = {"eventId": guid(), "customerId": customer_id, "redemption": {"amount": 41}}
        response = await client.post("/api/v1/events/redemptions", json=body)
        stored = await client.get("/api/v1/customers/events", params={"eventId": body["eventId"]})
    assert response.status_code == 400
    assert response.json() == error(
        "InsufficientBalance",
        "Insufficient Balance",
        "Insufficient Balance.",
        [{"message": "Insufficient Balance", "param": "redemption.amount", "value": "41"}],
    )
    assert stored.json()["events"] == []


async def test_a_redemption_for_an_unknown_customer_creates_nobody() -> None:
    customer_id = guid()
    body = {"eventId": guid(), "customerId": customer_id, "redemption": {"amount": 1}}
    async with client_for(new_app()) as client:
        response = await client.post("/api/v1/events/redemptions", json=body)
        profile = await client.get(f"/api/v1/customers/{customer_id}")
    assert (response.status_code, response.json()["code"]) == (400, "InsufficientBalance")
    assert profile.status_code == 404


async def test_a_locked_account_cannot_redeem() -> None:
    async with client_for(new_app()) as client:
        customer = await create_customer(client)
        cid = customer["customerId"]
        await client.post("/api/v1/events/orders", json=order(cid, 500.0))
        await client.patch(f"/api/v1/customers/{cid}", json={"isAccountLocked": True})
        body = {"eventId": guid(), "customerId": cid, "redemption": {"amount": 10}}
        response = await client.post("/api/v1/events/redemptions", json=body)
    assert response.status_code == 400
    assert response.json() == error(
        "AccountLocked",
        "Account Is Locked",
        "Account Is Locked.",
        [{"message": "Account Is Locked", "param": "customerId", "value": cid}],
    )


async def test_a_basket_is_assessed_synchronously_and_not_stored() -> None:
    customer_id = guid()
    body = {
        "eventId": guid(),
        "customerId": customer_id,
        "basket": {"total": 520.5, "lineItems": [{"sku": "TENT-2P", "quantity": 1}]},
    }
    async with client_for(new_app()) as client:
        response = await client.post("/api/v1/events/baskets", json=body)
        stored = await client.get("/api/v1/customers/events", params={"eventId": body["eventId"]})
        profile = await client.get(f"/api/v1/customers/{customer_id}")
    result = response.json()
    assert response.status_code == 200
    assert result["potentialPoints"] == 520
    assert {o["fulfilment"] for o in result["outcomes"]} == {
        "pointsPerDollar",
        "addToSegment",
        "sendEmail",
    }
    assert stored.json()["events"] == []
    assert profile.status_code == 404


async def test_deferred_processing_waits_for_flush() -> None:
    customer_id = guid()
    async with client_for(new_app(processing="deferred")) as client:
        await client.post("/api/v1/events/orders", json=order(customer_id, 80.0))
        await client.post("/api/v1/events/orders", json=order(customer_id, 20.0))
        queued_events = len(await events_of(client, customer_id))
        queued_points = await balance(client, customer_id)
        flushed = await client.post(f"{ADMIN}/flush")
        points = await balance(client, customer_id)
        again = await client.post(f"{ADMIN}/flush")
    assert (queued_events, queued_points) == (2, 0)
    assert flushed.json() == {"processed": 2, "transactionsWritten": 2}
    assert points == 100
    assert again.json() == {"processed": 0, "transactionsWritten": 0}


async def test_deferred_redemptions_count_against_the_balance_before_flush() -> None:
    customer_id = guid()
    async with client_for(new_app(processing="deferred")) as client:
        await client.post("/api/v1/events/orders", json=order(customer_id, 100.0))
        await client.post(f"{ADMIN}/flush")

        def redeem(amount: int) -> dict[str, Any]:
            return {"eventId": guid(), "customerId": customer_id, "redemption": {"amount": amount}}

        first = await client.post("/api/v1/events/redemptions", json=redeem(60))
        second = await client.post("/api/v1/events/redemptions", json=redeem(60))
        await client.post(f"{ADMIN}/flush")
        points = await balance(client, customer_id)
    assert (first.json()["currentBalance"], first.json()["pendingBalance"]) == (100, 40)
    assert second.json()["code"] == "InsufficientBalance"
    assert points == 40


async def test_rules_can_be_replaced_per_tenant() -> None:
    new_rule = {
        "ruleId": guid(),
        "name": "Seven for custom actions",
        "eventType": "action",
        "nameSpace": "Custom.*",
        "fulfilment": "flatPoints",
        "points": 7,
    }
    customer_id = guid()
    async with client_for(new_app()) as client:
        replaced = await client.put(f"{ADMIN}/rules", params={"tenantId": TENANT}, json=[new_rule])
        listed = await client.get(f"{ADMIN}/rules", params={"tenantId": TENANT})
        await client.post("/api/v1/events/actions", json=action(customer_id, "Custom.Thing"))
        await client.post("/api/v1/events/orders", json=order(customer_id, 100.0))
        transactions = await ledger(client, customer_id)
    assert replaced.status_code == 200
    assert [r["ruleId"] for r in listed.json()] == [new_rule["ruleId"]]
    assert [(t["amount"], t["assessmentRuleId"]) for t in transactions] == [(7, new_rule["ruleId"])]


async def test_event_input_is_case_insensitive_and_accepts_offsets() -> None:
    customer_id = guid()
    body = {
        "EVENTID": guid(),
        "customerid": customer_id,
        "NameSpace": "App.Login",
        "Action": {"Count": 2},
        "attributes": [{"key": "channel", "value": "app"}, {"name": "device", "value": "ios"}],
        "createdAt": "2026-02-01T10:00:00+11:00",
    }
    async with client_for(new_app()) as client:
        response = await client.post("/api/v1/events/actions", json=body)
        (stored,) = await events_of(client, customer_id)
    assert response.status_code == 200
    assert stored["createdAt"] == "2026-01-31T23:00:00.000Z"


@pytest.mark.parametrize(
    ("route", "body", "expected"),
    [
        (
            "actions",
            {"eventId": "x", "customerId": guid(), "nameSpace": "A", "action": {}},
            invalid("eventId", "The value is not a valid GUID.", "x"),
        ),
        (
            "actions",
            {"eventId": guid(), "customerId": guid(), "nameSpace": "A"},
            invalid("action", "Field required"),
        ),
        (
            "actions",
            {"eventId": guid(), "customerId": guid(), "nameSpace": " ", "action": {}},
            invalid("nameSpace", "The value is required.", " "),
        ),
        (
            "points",
            {"eventId": guid(), "customerId": guid(), "points": {"amount": 0}},
            invalid("points.amount", "The amount must not be zero.", "0"),
        ),
        (
            "redemptions",
            {"eventId": guid(), "customerId": guid(), "redemption": {"amount": -5}},
            invalid("redemption.amount", "Input should be greater than 0", "-5"),
        ),
        (
            "orders",
            {"eventId": guid(), "customerId": guid(), "order": {"total": "12.50"}},
            invalid("order.total", "Input should be a valid number", "12.50"),
        ),
    ],
)
async def test_event_validation(route: str, body: dict[str, Any], expected: dict[str, Any]) -> None:
    async with client_for(new_app()) as client:
        response = await client.post(f"/api/v1/events/{route}", json=body)
    assert (response.status_code, response.json()) == (400, expected)


async def test_an_event_must_be_sent_as_json() -> None:
    async with client_for(new_app()) as client:
        response = await client.post(
            "/api/v1/events/actions", content=b"{}", headers={"content-type": "text/plain"}
        )
    assert (response.status_code, response.json()["code"]) == (415, "UnsupportedMediaType")
