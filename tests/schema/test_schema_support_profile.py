"""Customer.supportProfile and Customer.timeline (Omnidesk) through the real ASGI app."""

from __future__ import annotations

import uuid
from typing import Any

from tests.schema.gateway_harness import Harness
from vendors.tallymarks.models import CustomerCreate

SEARCH = "POST /api/v2/customer/SearchByPrimaryExternalID"
TIMELINE = "GET /api/v2/customer/timelineByCustomerExternalID"

PROFILE = """
query($id: ID!) {
  customer(id: $id) {
    supportProfile {
      supportId brand { id name } firstName lastName
      channels { id type typeName address }
      customFields { name value }
    }
    again: supportProfile { channels { address } }
  }
}
"""

TIMELINE_QUERY = """
query($id: ID!, $tickets: Boolean!) {
  customer(id: $id) {
    timeline(includeTickets: $tickets) {
      id kind entryKind message initiatedBy sourceUrl occurredAt source summary
      ticketId ticketStatus
    }
  }
}
"""


async def _tallymarks_only_customer(gw: Harness) -> str:
    """A customer the loyalty system has but the support desk and promotion engine don't."""
    services = gw.gateway.state.services
    clients = services.vendors.for_tenant(services.tenants["acme"])
    customer_id = str(uuid.uuid4())
    await clients.tallymarks.create_customer(
        CustomerCreate(customer_id=customer_id, first_name="Nova", last_name="Nieuw")
    )
    gw.reset_calls()
    return customer_id


async def test_the_support_profile_comes_from_one_omnidesk_search(gw: Harness) -> None:
    person = gw.acme.customers[1]

    body = await gw.query(PROFILE, {"id": person.customer_id})

    assert "errors" not in body
    profile = body["data"]["customer"]["supportProfile"]
    assert profile["brand"] == {"id": gw.acme.omnidesk_brand_id, "name": gw.acme.name}
    assert (profile["firstName"], profile["lastName"]) == (person.first_name, person.last_name)
    assert {"type": "EMAIL", "typeName": "email", "address": person.email} in [
        {k: c[k] for k in ("type", "typeName", "address")} for c in profile["channels"]
    ]
    assert {"type": "TELEPHONE", "address": person.mobile} in [
        {k: c[k] for k in ("type", "address")} for c in profile["channels"]
    ]
    assert {"name": "tier", "value": person.tier} in profile["customFields"]
    assert [f["name"] for f in profile["customFields"]] == sorted(
        f["name"] for f in profile["customFields"]
    )
    assert gw.endpoints("omnidesk") == {SEARCH: 1}


async def test_a_customer_the_support_desk_does_not_know_has_no_support_profile(
    gw: Harness,
) -> None:
    customer_id = await _tallymarks_only_customer(gw)

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { firstName supportProfile { supportId } "
        "timeline { id } } }",
        {"id": customer_id},
    )

    assert body == {
        "data": {"customer": {"firstName": "Nova", "supportProfile": None, "timeline": None}}
    }


async def test_the_timeline_is_one_call_newest_first(gw: Harness) -> None:
    person = gw.acme.customers[3]

    body = await gw.query(TIMELINE_QUERY, {"id": person.customer_id, "tickets": False})

    entries = body["data"]["customer"]["timeline"]
    assert entries, "customer 3 has external events in the demo world"
    assert {e["entryKind"] for e in entries} == {"EXTERNAL_EVENT"}
    assert {(e["kind"], e["source"]) for e in entries} == {("external_event", "SUPPORT")}
    assert [e["occurredAt"] for e in entries] == sorted(
        (e["occurredAt"] for e in entries), reverse=True
    )
    assert all(e["summary"] == e["message"] and e["ticketId"] is None for e in entries)
    assert gw.endpoints("omnidesk") == {TIMELINE: 1}


async def test_the_timeline_lists_tickets_when_asked(gw: Harness) -> None:
    person = gw.acme.customers[5]

    body = await gw.query(TIMELINE_QUERY, {"id": person.customer_id, "tickets": True})

    tickets = [e for e in body["data"]["customer"]["timeline"] if e["entryKind"] == "TICKET"]
    assert tickets
    ticket = tickets[0]
    assert ticket["id"] == f"support:ticket:{ticket['ticketId']}"
    assert ticket["ticketStatus"]
    assert ticket["summary"].startswith("Ticket: ")
    assert gw.endpoints("omnidesk") == {TIMELINE: 1}


async def test_aliases_of_the_same_timeline_share_one_call(gw: Harness) -> None:
    person = gw.acme.customers[3]

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { a: timeline { id } b: timeline { message } "
        "c: timeline(includeTickets: true) { id } } }",
        {"id": person.customer_id},
    )

    assert "errors" not in body
    assert gw.endpoints("omnidesk") == {TIMELINE: 2}  # with and without tickets


async def test_another_tenant_sees_its_own_support_desk(gw: Harness) -> None:
    person = gw.globex.customers[0]

    body = await gw.query(PROFILE, {"id": person.customer_id}, key="key-globex")

    brand = body["data"]["customer"]["supportProfile"]["brand"]
    assert brand == {"id": gw.globex.omnidesk_brand_id, "name": gw.globex.name}


async def test_omnidesk_down_nulls_only_the_support_fields(gw: Harness) -> None:
    gw.fault("omnidesk", down=True)
    person = gw.acme.customers[1]

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { firstName supportProfile { supportId } "
        "timeline { id } coupons { value } } }",
        {"id": person.customer_id},
    )

    customer: dict[str, Any] = body["data"]["customer"]
    assert customer["firstName"] == person.first_name
    assert customer["coupons"] is not None
    assert (customer["supportProfile"], customer["timeline"]) == (None, None)
    assert sorted(tuple(e["path"]) for e in body["errors"]) == [
        ("customer", "supportProfile"),
        ("customer", "timeline"),
    ]
    for error in body["errors"]:
        assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
        assert error["extensions"]["vendor"] == "omnidesk"
