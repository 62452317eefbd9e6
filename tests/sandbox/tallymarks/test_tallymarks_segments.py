"""Segment memberships and their expiry modes.

See docs/vendors/tallymarks.md §7.8 to §7.10, §9.5.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.sandbox.tallymarks.tm_support import (
    ACME,
    client_for,
    create_customer,
    error,
    guid,
    invalid,
    new_app,
    set_clock,
    utc,
)

ADMIN = "/_sandbox/tallymarks/segments"


async def catalogue(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    response = await client.get(ADMIN, params={"tenantId": ACME.tallymarks_tenant_id})
    return {s["name"]: s for s in response.json()}


async def add(client: httpx.AsyncClient, customer_id: str, segment_id: str) -> httpx.Response:
    return await client.put(
        f"/api/v1/customers/{customer_id}/segments", json={"segmentId": segment_id}
    )


async def joined_31_may_2020(app: FastAPI, client: httpx.AsyncClient) -> str:
    """The documented example customer: joined 31 May 2020, added on 23 Dec 2020."""
    clock = set_clock(app, utc(2020, 5, 31, 10, 0))
    customer = await create_customer(client)
    clock.now = utc(2020, 12, 23, 15, 45)
    return str(customer["customerId"])


async def test_the_seeded_catalogue_covers_every_expiry_mode_and_closed_statuses() -> None:
    async with client_for(new_app()) as client:
        segments = await catalogue(client)
    assert {s["expiryMode"] for s in segments.values()} == {
        "None",
        "UntilAnniversaryDate",
        "UntilAnniversaryDatePlusOneYear",
        "SpecifiedPeriod",
        "SpecifiedDate",
    }
    assert {"Active", "Inactive", "Archived", "Test"} <= {s["status"] for s in segments.values()}


@pytest.mark.parametrize(
    ("segment", "expiry"),
    [
        ("Newsletter", None),
        ("Birthday Club", "2021-05-31T10:00:00.000Z"),
        ("VIP", "2022-05-31T10:00:00.000Z"),
        ("Welcome Offer", "2021-01-22T15:45:00.000Z"),
        ("High Value", "2021-12-23T15:45:00.000Z"),
        ("Holiday Campaign", "2028-11-01T12:00:00.000Z"),
    ],
)
async def test_add_computes_the_expiry_by_mode(segment: str, expiry: str | None) -> None:
    app = new_app()
    async with client_for(app) as client:
        customer_id = await joined_31_may_2020(app, client)
        seg = (await catalogue(client))[segment]
        response = await add(client, customer_id, seg["segmentId"])
    assert response.status_code == 200
    assert response.json() == {
        "segmentId": seg["segmentId"],
        "tenantId": ACME.tallymarks_tenant_id,
        "name": segment,
        "description": seg["description"],
        "displayName": seg["displayName"],
        "createdAt": "2020-12-23T15:45:00.000Z",
        "changedAt": "2020-12-23T15:45:00.000Z",
        "sourceEventId": None,
        "expiryDateTime": expiry,
    }


async def test_anniversary_of_29_february_falls_on_28_february() -> None:
    app = new_app()
    clock = set_clock(app, utc(2020, 2, 29, 8, 0))
    async with client_for(app) as client:
        customer = await create_customer(client)
        clock.now = utc(2021, 1, 10)
        birthday = (await catalogue(client))["Birthday Club"]["segmentId"]
        response = await add(client, customer["customerId"], birthday)
    assert response.json()["expiryDateTime"] == "2021-02-28T08:00:00.000Z"


async def test_a_period_in_months_is_clamped_to_the_month_end() -> None:
    app = new_app()
    set_clock(app, utc(2027, 1, 31, 12, 0))
    async with client_for(app) as client:
        created = await client.post(
            ADMIN,
            params={"tenantId": ACME.tallymarks_tenant_id},
            json={
                "name": "Monthly",
                "expiryMode": "SpecifiedPeriod",
                "periodValue": 1,
                "periodUnit": "months",
            },
        )
        customer = await create_customer(client)
        response = await add(client, customer["customerId"], created.json()["segmentId"])
    assert response.json()["expiryDateTime"] == "2027-02-28T12:00:00.000Z"


@pytest.mark.parametrize(
    ("definition", "param", "message"),
    [
        (
            {"expiryMode": "SpecifiedPeriod", "periodValue": 61, "periodUnit": "months"},
            "periodValue",
            "The period must not exceed 5 years.",
        ),
        (
            {"expiryMode": "SpecifiedDate", "expiryDate": "2040-01-01T00:00:00Z"},
            "expiryDate",
            "The date must be set and within 5 years.",
        ),
    ],
)
async def test_catalogue_periods_are_limited_to_five_years(
    definition: dict[str, Any], param: str, message: str
) -> None:
    async with client_for(new_app()) as client:
        response = await client.post(
            ADMIN, params={"tenantId": ACME.tallymarks_tenant_id}, json={"name": "X", **definition}
        )
    assert (response.status_code, response.json()) == (400, invalid(param, message))


async def test_re_adding_is_idempotent_and_refreshes_changed_at() -> None:
    app = new_app()
    async with client_for(app) as client:
        customer_id = await joined_31_may_2020(app, client)
        vip = (await catalogue(client))["VIP"]["segmentId"]
        first = (await add(client, customer_id, vip)).json()
        app.state.store.clock.advance(days=10)
        again = await add(client, customer_id, vip)
        listed = (await client.get(f"/api/v1/customers/{customer_id}/segments")).json()
    assert again.status_code == 200
    assert again.json() == {**first, "changedAt": "2021-01-02T15:45:00.000Z"}
    assert listed == {"segments": [again.json()], "offsetKey": None}


async def test_re_adding_can_extend_the_expiry() -> None:
    app = new_app(readd_extends_expiry=True)
    async with client_for(app) as client:
        customer_id = await joined_31_may_2020(app, client)
        welcome = (await catalogue(client))["Welcome Offer"]["segmentId"]
        await add(client, customer_id, welcome)
        app.state.store.clock.advance(days=10)
        again = (await add(client, customer_id, welcome)).json()
    assert (again["createdAt"], again["expiryDateTime"]) == (
        "2020-12-23T15:45:00.000Z",
        "2021-02-01T15:45:00.000Z",
    )


@pytest.mark.parametrize(
    ("segment", "status"), [("Spring Promo", "Inactive"), ("Legacy Members", "Archived")]
)
async def test_closed_segments_refuse_new_members(segment: str, status: str) -> None:
    customer_id = ACME.customers[0].customer_id
    async with client_for(new_app()) as client:
        segment_id = (await catalogue(client))[segment]["segmentId"]
        response = await add(client, customer_id, segment_id)
    message = f"Segment Is {status}"
    assert response.status_code == 400
    assert response.json() == error(
        "SegmentNotActive",
        message,
        message + ".",
        [{"message": message, "param": "segmentId", "value": segment_id}],
    )


async def test_a_test_status_segment_accepts_members() -> None:
    async with client_for(new_app()) as client:
        beta = (await catalogue(client))["Beta Testers"]["segmentId"]
        response = await add(client, ACME.customers[0].customer_id, beta)
    assert response.status_code == 200


@pytest.mark.parametrize("status", [404, 400])
async def test_an_unknown_segment_is_refused(status: int) -> None:
    missing = guid()
    async with client_for(new_app(unknown_segment_status=status)) as client:
        response = await add(client, ACME.customers[0].customer_id, missing)
    assert response.status_code == status
    assert response.json() == error(
        "SegmentNotFound",
        "Segment Not Found",
        "Segment Not Found.",
        [{"message": "Segment Not Found", "param": "segmentId", "value": missing}],
    )


async def test_add_validates_the_body_and_the_customer() -> None:
    missing = guid()
    async with client_for(new_app()) as client:
        newsletter = (await catalogue(client))["Newsletter"]["segmentId"]
        bad_body = await add(client, ACME.customers[0].customer_id, "not-a-guid")
        no_customer = await add(client, missing, newsletter)
    assert bad_body.json() == invalid("segmentId", "The value is not a valid GUID.", "not-a-guid")
    assert no_customer.status_code == 404
    assert no_customer.json()["code"] == "CustomerNotFound"


async def test_delete_removes_a_membership_and_a_second_delete_is_404() -> None:
    async with client_for(new_app()) as client:
        customer = await create_customer(client)
        cid = customer["customerId"]
        newsletter = (await catalogue(client))["Newsletter"]["segmentId"]
        await add(client, cid, newsletter)
        removed = await client.delete(f"/api/v1/customers/{cid}/segments/{newsletter}")
        listed = (await client.get(f"/api/v1/customers/{cid}/segments")).json()
        again = await client.delete(f"/api/v1/customers/{cid}/segments/{newsletter}")
    assert (removed.status_code, removed.content) == (200, b"")
    assert listed == {"segments": [], "offsetKey": None}
    assert again.status_code == 404
    assert again.json() == error(
        "SegmentMembershipNotFound",
        "Segment Membership Not Found",
        "Segment Membership Not Found.",
        [{"message": "Segment Membership Not Found", "param": "segmentId", "value": newsletter}],
    )


async def test_expired_memberships_are_hidden_and_can_be_added_again() -> None:
    app = new_app()
    async with client_for(app) as client:
        customer_id = await joined_31_may_2020(app, client)
        welcome = (await catalogue(client))["Welcome Offer"]["segmentId"]
        await add(client, customer_id, welcome)
        app.state.store.clock.advance(days=31)
        listed = (await client.get(f"/api/v1/customers/{customer_id}/segments")).json()
        delete = await client.delete(f"/api/v1/customers/{customer_id}/segments/{welcome}")
        again = (await add(client, customer_id, welcome)).json()
    assert listed["segments"] == []
    assert delete.status_code == 404
    assert again["createdAt"] == "2021-01-23T15:45:00.000Z"


async def test_expired_memberships_can_be_shown() -> None:
    app = new_app(hide_expired_memberships=False)
    async with client_for(app) as client:
        customer_id = await joined_31_may_2020(app, client)
        welcome = (await catalogue(client))["Welcome Offer"]["segmentId"]
        await add(client, customer_id, welcome)
        app.state.store.clock.advance(days=31)
        listed = (await client.get(f"/api/v1/customers/{customer_id}/segments")).json()
    assert [s["segmentId"] for s in listed["segments"]] == [welcome]


async def test_segments_page_newest_first() -> None:
    app = new_app()
    clock = set_clock(app, utc(2026, 1, 1))
    async with client_for(app) as client:
        customer = await create_customer(client)
        cid = customer["customerId"]
        names = ["Newsletter", "VIP", "Birthday Club", "Beta Testers", "High Value"]
        segments = await catalogue(client)
        for name in names:
            clock.advance(hours=1)
            await add(client, cid, segments[name]["segmentId"])
        first = (await client.get(f"/api/v1/customers/{cid}/segments", params={"limit": 3})).json()
        second = (
            await client.get(
                f"/api/v1/customers/{cid}/segments",
                params={"limit": 3, "offsetKey": first["offsetKey"]},
            )
        ).json()
    assert [s["name"] for s in first["segments"] + second["segments"]] == names[::-1]
    assert second["offsetKey"] is None
