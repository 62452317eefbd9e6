"""Customer API through the client: profiles, search, balance, segments, and their errors."""

from __future__ import annotations

from datetime import UTC

import httpx
import pytest
from pydantic import SecretStr

from tests.clients.tallymarks.tmc_support import ACME, GLOBEX, config_for, guid, sandbox
from vendors.errors import (
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorUnauthorizedError,
)
from vendors.http import build_async_client
from vendors.tallymarks import (
    Attribute,
    CustomerCreate,
    CustomerUpdate,
    TallymarksClient,
    tallymarks_http,
)

DEMO = ACME.customers[2]


async def test_get_customer_returns_a_typed_profile() -> None:
    async with sandbox() as sb:
        customer = await sb.client.get_customer(DEMO.customer_id)
    assert customer.customer_id == DEMO.customer_id
    assert customer.email_address == DEMO.email
    assert customer.attributes == [
        Attribute(name="city", value=DEMO.city),
        Attribute(name="tier", value=DEMO.tier),
    ]
    assert customer.created_at == DEMO.created_at
    assert customer.created_at is not None
    assert customer.created_at.tzinfo is not None


async def test_an_unknown_customer_is_not_found() -> None:
    async with sandbox() as sb:
        with pytest.raises(VendorNotFoundError) as caught:
            await sb.client.get_customer(guid())
    assert (caught.value.status, caught.value.code) == (404, "CustomerNotFound")
    assert caught.value.endpoint == "GET /api/v1/customers/{customerId}"


async def test_wrong_credentials_are_unauthorized() -> None:
    config = config_for(ACME).model_copy(
        update={"api_secret": SecretStr(GLOBEX.tallymarks_api_secret)}
    )
    async with sandbox(config=config) as sb:
        with pytest.raises(VendorUnauthorizedError) as caught:
            await sb.client.get_customer(DEMO.customer_id)
    assert (caught.value.status, caught.value.code) == (401, "Unauthorized")


async def test_create_then_update_a_customer() -> None:
    customer_id = guid()
    async with sandbox() as sb:
        created = await sb.client.create_customer(
            CustomerCreate(
                customer_id=customer_id,
                first_name="Ada",
                email_address="ada@example.com",
                attributes=[Attribute(name="tier", value="gold")],
            )
        )
        updated = await sb.client.update_customer(customer_id, CustomerUpdate(last_name="King"))
    assert (created.first_name, created.is_account_locked) == ("Ada", False)
    assert (updated.first_name, updated.last_name) == ("Ada", "King")
    assert updated.attributes == [Attribute(name="tier", value="gold")]
    assert updated.created_at == created.created_at


async def test_create_with_a_registered_email_names_the_field() -> None:
    async with sandbox() as sb:
        with pytest.raises(VendorInvalidInputError) as caught:
            await sb.client.create_customer(
                CustomerCreate(customer_id=guid(), email_address=DEMO.email)
            )
    error = caught.value
    assert (error.status, error.code, error.field) == (
        400,
        "EmailAlreadyRegistered",
        "emailAddress",
    )


async def test_update_with_another_customers_email_is_invalid_input() -> None:
    async with sandbox() as sb:
        with pytest.raises(VendorInvalidInputError) as caught:
            await sb.client.update_customer(
                DEMO.customer_id, CustomerUpdate(email_address=ACME.customers[3].email)
            )
    assert (caught.value.code, caught.value.field) == ("EmailAlreadyExists", "emailAddress")


async def test_update_of_an_unknown_customer_is_not_found_despite_the_400() -> None:
    async with sandbox() as sb:
        with pytest.raises(VendorNotFoundError) as caught:
            await sb.client.update_customer(guid(), CustomerUpdate(first_name="X"))
    assert (caught.value.status, caught.value.code) == (400, "CustomerNotFound")


CUSTOMER = "0c8e5a52-4f2b-4b7a-9a51-1f0d2c3b4a59"


async def test_update_sends_only_the_fields_set() -> None:
    sent: list[httpx.Request] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"customerId": "c1", "firstName": "New"})

    async with build_async_client(transport=httpx.MockTransport(vendor)) as pooled:
        client = TallymarksClient(tallymarks_http(pooled), config_for(ACME, "http://customer.test"))
        await client.update_customer(CUSTOMER, CustomerUpdate(first_name="New", optin_sms=False))
    (request,) = sent
    assert request.method == "PATCH"
    assert request.url == f"http://customer.test/api/v1/customers/{CUSTOMER}"
    assert request.read() == b'{"firstName":"New","optinSms":false}'
    assert request.headers["x-tenant-id"] == ACME.tallymarks_tenant_id


async def test_the_create_path_can_be_overridden() -> None:
    seen: list[str] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json={"customerId": "c1"})

    config = config_for(ACME, create_customer_path="/api/v1/events/redemptions")
    async with build_async_client(transport=httpx.MockTransport(vendor)) as pooled:
        client = TallymarksClient(tallymarks_http(pooled), config)
        await client.create_customer(CustomerCreate(customer_id="c1"))
    assert seen == ["/api/v1/events/redemptions"]


async def test_search_customers_by_keyword() -> None:
    async with sandbox() as sb:
        page = await sb.client.search_customers(DEMO.external_reference, limit=10)
    assert [c.customer_id for c in page.customers] == [DEMO.customer_id]
    assert page.offset_key is None


async def test_get_balance() -> None:
    customer_id = guid()
    async with sandbox() as sb:
        await sb.client.create_customer(CustomerCreate(customer_id=customer_id))
        balance = await sb.client.get_balance(customer_id)
    assert (balance.amount, balance.points_segment) == (0, "base")
    assert balance.changed_at is not None
    assert balance.changed_at.tzinfo == UTC


async def test_segment_membership_round_trip() -> None:
    customer_id = guid()
    async with sandbox() as sb:
        segments = (
            await sb.admin.get(
                "/_sandbox/tallymarks/segments", params={"tenantId": ACME.tallymarks_tenant_id}
            )
        ).json()
        vip = next(s["segmentId"] for s in segments if s["name"] == "VIP")
        await sb.client.create_customer(CustomerCreate(customer_id=customer_id))
        added = await sb.client.add_segment(customer_id, vip)
        listed = await sb.client.get_segments(customer_id)
        await sb.client.remove_segment(customer_id, vip)
        with pytest.raises(VendorNotFoundError) as caught:
            await sb.client.remove_segment(customer_id, vip)
    assert (added.segment_id, added.name, added.source_event_id) == (vip, "VIP", None)
    assert added.expiry_date_time is not None
    assert listed.segments == [added]
    assert caught.value.code == "SegmentMembershipNotFound"
