"""customersByChannel and customerBySupportId: finding customers through the support desk."""

from __future__ import annotations

from tests.schema.gateway_harness import Harness
from vendors.omnidesk.models import NewCustomer

BY_CHANNEL = """
query($value: String!) { customersByChannel(value: $value) { customerId firstName } }
"""
BY_SUPPORT_ID = """
query($id: Int!) {
  customerBySupportId(supportId: $id) {
    customerId supportProfile { supportId channels { address } }
  }
}
"""
CHANNEL_SEARCH = "POST /api/v2/customer/SearchByCustomerChannelValue"
GET_ITEM = "GET /api/v2/customer/{id}"


async def test_a_customer_is_found_by_an_email_channel(gw: Harness) -> None:
    person = gw.acme.customers[2]

    body = await gw.query(BY_CHANNEL, {"value": person.email})

    assert body["data"]["customersByChannel"] == [
        {"customerId": person.customer_id, "firstName": person.first_name}
    ]
    assert gw.endpoints("omnidesk") == {CHANNEL_SEARCH: 1}


async def test_a_channel_search_primes_the_support_profile(gw: Harness) -> None:
    person = gw.acme.customers[2]

    body = await gw.query(
        "query($v: String!) { customersByChannel(value: $v) { supportProfile { firstName } } }",
        {"v": person.mobile},
    )

    assert body["data"]["customersByChannel"] == [
        {"supportProfile": {"firstName": person.first_name}}
    ]
    assert gw.endpoints("omnidesk") == {CHANNEL_SEARCH: 1}


async def test_an_unknown_address_finds_nobody(gw: Harness) -> None:
    body = await gw.query(BY_CHANNEL, {"value": "nobody@example.org"})

    assert body == {"data": {"customersByChannel": []}}


async def test_support_customers_without_an_external_id_are_skipped(gw: Harness) -> None:
    services = gw.gateway.state.services
    clients = services.vendors.for_tenant(services.tenants["acme"])
    brand_id = gw.acme.omnidesk_brand_id
    store = gw.sandboxes["omnidesk"].state.store
    store.brand_owner(brand_id).brands[brand_id].enable_customer_search_by_channels = True
    address = "unlinked.person@example.org"
    await clients.omnidesk.create_customer(  # no primary id: not linked to any customer
        NewCustomer(
            search_customer_channel_value=address,
            channel_id="email",
            customer_link_channel=address,
            firstname="Walk",
        )
    )
    assert len(await clients.omnidesk.search_by_customer_channel_value(address)) == 1

    body = await gw.query(BY_CHANNEL, {"value": address})

    assert body == {"data": {"customersByChannel": []}}


async def test_a_blank_address_is_bad_input(gw: Harness) -> None:
    body = await gw.query(BY_CHANNEL, {"value": "  "})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "value"}
    assert gw.calls() == 0


async def test_a_customer_by_support_id_needs_one_call_for_the_profile_too(gw: Harness) -> None:
    person = gw.acme.customers[0]
    first = await gw.query(
        "query($id: ID!) { customer(id: $id) { supportProfile { supportId } } }",
        {"id": person.customer_id},
    )
    support_id = first["data"]["customer"]["supportProfile"]["supportId"]
    gw.reset_calls()

    body = await gw.query(BY_SUPPORT_ID, {"id": support_id})

    customer = body["data"]["customerBySupportId"]
    assert customer["customerId"] == person.customer_id
    assert customer["supportProfile"]["supportId"] == support_id
    assert gw.endpoints("omnidesk") == {GET_ITEM: 1}


async def test_an_unknown_support_id_is_null(gw: Harness) -> None:
    body = await gw.query(BY_SUPPORT_ID, {"id": 987654})

    assert body == {"data": {"customerBySupportId": None}}


async def test_a_customer_of_another_brand_is_not_a_tenant_customer(gw: Harness) -> None:
    # the other brand's customers come after the main brand's in the support desk
    other = len(gw.acme.customers) + 1

    body = await gw.query(BY_SUPPORT_ID, {"id": other})

    assert body == {"data": {"customerBySupportId": None}}
    assert gw.endpoints("omnidesk") == {GET_ITEM: 1}


async def test_another_tenants_support_id_is_not_visible(gw: Harness) -> None:
    mine = await gw.query(BY_SUPPORT_ID, {"id": 1})
    theirs = await gw.query(BY_SUPPORT_ID, {"id": 1}, key="key-globex")

    assert mine["data"]["customerBySupportId"]["customerId"] == gw.acme.customers[0].customer_id
    assert theirs == {"data": {"customerBySupportId": None}}


async def test_a_non_positive_support_id_is_bad_input(gw: Harness) -> None:
    body = await gw.query(BY_SUPPORT_ID, {"id": 0})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "supportId"}
