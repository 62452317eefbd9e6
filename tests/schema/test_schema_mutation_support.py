"""Support desk writes (Omnidesk): channels, timeline events, CRM sync."""

from __future__ import annotations

from typing import Any

import httpx

from tests.schema.gateway_harness import Harness

ADD = """
mutation($c: ID!, $type: SupportChannelType!, $address: String!) {
  addSupportChannel(customerId: $c, type: $type, address: $address) {
    customer { supportProfile { channels { id type address } } }
  }
}
"""
REMOVE = """
mutation($c: ID!, $channelId: Int, $address: String) {
  removeSupportChannel(customerId: $c, channelId: $channelId, address: $address) {
    removedChannelId
  }
}
"""
CHANNELS = "query($id: ID!) { customer(id: $id) { supportProfile { channels { id address } } } }"
RECORD = """
mutation($c: ID!, $message: String!, $url: String) {
  recordTimelineEvent(customerId: $c, message: $message, initiatedBy: "webshop", sourceUrl: $url) {
    timelineEntryId
  }
}
"""
TIMELINE = "query($id: ID!) { customer(id: $id) { timeline { message initiatedBy sourceUrl } } }"
SYNC = """
mutation($channel: CrmLookupChannel!, $address: String!) {
  syncCustomerWithCrm(channel: $channel, address: $address) {
    customers { customerId supportProfile { firstName } }
  }
}
"""


def addresses(body: dict[str, Any]) -> list[str]:
    profile = body["data"]["customer"]["supportProfile"]
    return [c["address"] for c in profile["channels"]]


async def test_an_added_channel_shows_at_once(gw: Harness) -> None:
    person = gw.acme.customers[37].customer_id
    await gw.query(CHANNELS, {"id": person})  # warm the cache
    gw.reset_calls()

    body = await gw.query(ADD, {"c": person, "type": "EMAIL", "address": "work@example.org"})

    channels = body["data"]["addSupportChannel"]["customer"]["supportProfile"]["channels"]
    assert {"type": "EMAIL", "address": "work@example.org"} in [
        {k: c[k] for k in ("type", "address")} for c in channels
    ]
    assert gw.calls("omnidesk", "POST /api/v2/customer/addChannelOnly") == 1
    assert gw.calls("omnidesk") == 2  # the write, then one fresh read of the customer


async def test_a_channel_is_removed_by_address_or_by_id(gw: Harness) -> None:
    person = gw.acme.customers[38].customer_id
    await gw.query(ADD, {"c": person, "type": "TELEPHONE", "address": "+31201234567"})
    await gw.query(ADD, {"c": person, "type": "TWITTER", "address": "hiker_38"})
    before = await gw.query(CHANNELS, {"id": person})
    twitter = next(
        c["id"]
        for c in before["data"]["customer"]["supportProfile"]["channels"]
        if c["address"] == "hiker_38"
    )

    gw.reset_calls()

    by_address = await gw.query(REMOVE, {"c": person, "address": "+31201234567"})
    by_id = await gw.query(REMOVE, {"c": person, "channelId": twitter})
    removals = gw.endpoints("omnidesk")
    after = await gw.query(CHANNELS, {"id": person})

    assert by_address["data"]["removeSupportChannel"]["removedChannelId"] > 0
    assert by_id["data"]["removeSupportChannel"]["removedChannelId"] == twitter
    # the first removal finds the channel in the warm cache; the second reads it fresh
    assert removals == {
        "DELETE /api/v2/customer/{id}/channel/{channelId}": 2,
        "POST /api/v2/customer/SearchByPrimaryExternalID": 1,
    }
    assert "+31201234567" not in addresses(after)
    assert "hiker_38" not in addresses(after)
    missing = await gw.query(REMOVE, {"c": person, "address": "nobody@example.org"})
    assert missing["errors"][0]["extensions"] == {"code": "NOT_FOUND", "argument": "address"}


async def test_bad_channels_name_the_argument(gw: Harness) -> None:
    person = gw.acme.customers[38].customer_id
    cases = [
        ({"type": "EMAIL", "address": "nope"}, "address"),
        ({"type": "TELEPHONE", "address": "0612345678"}, "address"),
        ({"type": "TWITTER", "address": "@bad!"}, "address"),
        ({"type": "OTHER", "address": "x"}, "type"),
    ]
    for args, argument in cases:
        body = await gw.query(ADD, {"c": person, **args})

        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    both = await gw.query(REMOVE, {"c": person})
    assert both["errors"][0]["extensions"]["argument"] == "channelId"
    assert gw.calls() == 0


async def test_a_timeline_event_shows_in_the_next_read(gw: Harness) -> None:
    person = gw.acme.customers[39].customer_id
    await gw.query(TIMELINE, {"id": person})  # warm the cache
    url = "https://shop.example.org/orders/1"
    gw.reset_calls()

    body = await gw.query(RECORD, {"c": person, "message": "Order 1 shipped", "url": url})
    assert gw.endpoints("omnidesk") == {"POST /api/v2/customer/externalEvent": 1}
    after = await gw.query(TIMELINE, {"id": person})

    assert body["data"]["recordTimelineEvent"]["timelineEntryId"] is not None
    entry = {"message": "Order 1 shipped", "initiatedBy": "webshop", "sourceUrl": url}
    assert entry in after["data"]["customer"]["timeline"]
    bad = await gw.query(RECORD, {"c": person, "message": "x", "url": "ftp://x"})
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "sourceUrl"}


async def test_a_crm_sync_updates_the_linked_customer(gw: Harness) -> None:
    person = gw.acme.customers[40]
    await gw.query(
        "query($id: ID!) { customer(id: $id) { supportProfile { firstName } } }",
        {"id": person.customer_id},
    )
    record = {
        "brand_id": gw.acme.omnidesk_brand_id,
        "primaryID": person.customer_id,
        "firstname": "Crmname",
        "email": "crm.sync@example.org",
    }
    transport = httpx.ASGITransport(app=gw.sandboxes["omnidesk"])
    async with httpx.AsyncClient(transport=transport, base_url="http://omnidesk.test") as admin:
        (await admin.post("/_sandbox/omnidesk/crm", json=record)).raise_for_status()

    gw.reset_calls()

    body = await gw.query(SYNC, {"channel": "EMAIL", "address": "crm.sync@example.org"})

    customers = body["data"]["syncCustomerWithCrm"]["customers"]
    assert customers == [
        {"customerId": person.customer_id, "supportProfile": {"firstName": "Crmname"}}
    ]
    assert gw.endpoints("omnidesk") == {
        "POST /api/v2/customer/syncWithCRM": 1,
        "POST /api/v2/customer/SearchByCustomerChannelValue": 1,  # also gives the profiles
    }
    bad = await gw.query(SYNC, {"channel": "PHONE", "address": "0612"})
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "address"}
