"""The client's operations against the sandbox in process: typed results, right effects."""

from __future__ import annotations

import pytest

from tests.clients.omnidesk.support import ACCOUNT_SIZE, ACME
from vendors.errors import VendorNotFoundError
from vendors.omnidesk import (
    ChannelInput,
    Customer,
    CustomerChanges,
    ExternalEvent,
    NewChannels,
    NewCustomer,
    OmnideskClient,
)

PERSON = ACME.customers[0]
OTHER_BRAND = ACME.omnidesk_other_brand_id


async def found(omnidesk: OmnideskClient, primary_id: str) -> Customer:
    customer = await omnidesk.search_by_primary_external_id(primary_id)
    assert customer is not None
    return customer


async def test_list_customers_returns_a_typed_page(omnidesk: OmnideskClient) -> None:
    page = await omnidesk.list_customers(item_limit=5)

    assert page.item_total == ACCOUNT_SIZE
    assert len(page.items) == 5
    assert page.items[0].brand_name == ACME.name


async def test_get_customer_reads_custom_fields_and_channels(omnidesk: OmnideskClient) -> None:
    summary = await found(omnidesk, PERSON.customer_id)

    customer = await omnidesk.get_customer(summary.id)

    assert customer.external_primary_id == PERSON.customer_id
    assert customer.brand_id == ACME.omnidesk_brand_id
    assert customer.custom_fields["tier"] == PERSON.tier
    assert {(c.channel_name, c.address) for c in customer.channels} >= {
        ("email", PERSON.email),
        ("telephone", PERSON.mobile),
    }


async def test_get_customer_of_an_unknown_id_is_not_found(omnidesk: OmnideskClient) -> None:
    with pytest.raises(VendorNotFoundError) as caught:
        await omnidesk.get_customer(999_999)

    assert (caught.value.status, caught.value.message) == (400, "Customer not found.")


async def test_search_by_primary_external_id_misses_as_none(omnidesk: OmnideskClient) -> None:
    assert await omnidesk.search_by_primary_external_id("nobody") is None


async def test_search_by_channel_value_lists_the_brands_matches(
    omnidesk: OmnideskClient,
) -> None:
    main = await omnidesk.search_by_customer_channel_value(PERSON.email)
    other = await omnidesk.search_by_customer_channel_value(PERSON.email, brand_id=OTHER_BRAND)

    assert [c.external_primary_id for c in main] == [PERSON.customer_id]
    assert [c.brand_id for c in other] == [OTHER_BRAND]


async def test_create_customer_then_read_it(omnidesk: OmnideskClient) -> None:
    created = await omnidesk.create_customer(
        NewCustomer(
            primary_id="cli-1",
            firstname="Zoë",
            lastname="de Wit",
            channel_id="email",
            customer_link_channel="zoe@example.com",
            extra_telephone="+31611112222",
            custom_fields={"tier": "gold"},
        )
    )

    assert created.id is not None
    customer = await omnidesk.get_customer(created.id)
    assert (customer.firstname, customer.custom_fields) == ("Zoë", {"tier": "gold"})
    assert [c.address for c in customer.channels] == ["zoe@example.com", "+31611112222"]


async def test_update_customer_adds_channels(omnidesk: OmnideskClient) -> None:
    customer = await found(omnidesk, PERSON.customer_id)

    await omnidesk.update_customer(
        customer.id, CustomerChanges(channels=[ChannelInput(type="twitter", value="anna_t")])
    )

    after = await omnidesk.get_customer(customer.id)
    assert after.channels[-1].channel_name == "twitter"
    assert after.channels[:-1] == customer.channels


async def test_update_by_external_id_leaves_unsent_fields(omnidesk: OmnideskClient) -> None:
    before = await found(omnidesk, PERSON.customer_id)

    await omnidesk.update_customer_by_external_id(
        PERSON.customer_id, CustomerChanges(lastname="Bos")
    )

    after = await found(omnidesk, PERSON.customer_id)
    assert after == before.model_copy(update={"lastname": "Bos"})


async def test_add_channel_only(omnidesk: OmnideskClient) -> None:
    await omnidesk.add_channel_only(
        NewChannels(email="second@example.com", twitter="anna_t"), primary_id=PERSON.customer_id
    )

    customer = await found(omnidesk, PERSON.customer_id)
    assert [c.address for c in customer.channels][-2:] == ["second@example.com", "anna_t"]


async def test_delete_channel(omnidesk: OmnideskClient) -> None:
    customer = await found(omnidesk, PERSON.customer_id)

    await omnidesk.delete_channel(customer.id, customer.channels[0].id)

    assert (await omnidesk.get_customer(customer.id)).channels == customer.channels[1:]


async def test_purge_customer_data(omnidesk: OmnideskClient) -> None:
    await omnidesk.purge_customer_data(primary_id=PERSON.customer_id)
    other = await found(omnidesk, ACME.customers[1].customer_id)
    await omnidesk.purge_customer_data(customer_id=other.id)

    with pytest.raises(VendorNotFoundError):
        await omnidesk.get_timeline(PERSON.customer_id)
    with pytest.raises(VendorNotFoundError):
        await omnidesk.get_customer(other.id)


async def test_timeline_with_an_external_event_and_tickets(omnidesk: OmnideskClient) -> None:
    event = ExternalEvent(
        message="Order #7 placed", initiated_by="webshop", source_url="https://s.example/7"
    )

    added = await omnidesk.add_external_event(event, external_id=PERSON.customer_id)
    plain = await omnidesk.get_timeline(PERSON.customer_id)
    with_tickets = await omnidesk.get_timeline(PERSON.customer_id, include_tickets=True)

    newest = plain.items[0]
    assert (newest.id, newest.type, newest.message) == (
        added.id,
        "external_event",
        "Order #7 placed",
    )
    assert newest.created.tzinfo is not None
    assert {e.type for e in plain.items} == {"external_event"}
    tickets = [e for e in with_tickets.items if e.type == "ticket"]
    assert len(with_tickets.items) == len(plain.items) + len(tickets)
    assert all(t.ticket_id is not None for t in tickets)


async def test_add_external_event_by_customer_id(omnidesk: OmnideskClient) -> None:
    customer = await found(omnidesk, PERSON.customer_id)

    added = await omnidesk.add_external_event(
        ExternalEvent(message="Mail"), customer_id=customer.id
    )

    assert (await omnidesk.get_timeline(PERSON.customer_id)).items[0].id == added.id


async def test_sync_with_crm_by_email_and_phone(omnidesk: OmnideskClient) -> None:
    person = ACME.customers[2]

    by_email = await omnidesk.sync_with_crm(person.email)
    by_phone = await omnidesk.sync_with_crm(person.mobile, channel="phoneNumber")
    missing = await omnidesk.sync_with_crm("nobody@example.com")

    assert by_email.id is not None
    assert by_email.id == by_phone.id
    assert missing.id is None
