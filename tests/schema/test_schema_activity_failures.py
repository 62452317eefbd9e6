"""A source whose vendor fails: the page still holds the other sources' events, the failed
source is reported (an error naming the vendor at the ``activity`` path, and
``sources[].complete`` false), its cursor
position is kept, and its events come later: nothing is lost or repeated over the walk.

The harness here caches no feed reads, so every page asks the vendors again (as it would
once the cache entries expire).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from gateway.settings import DEFAULT_TTLS, GatewaySettings, VendorHttpConfig
from tests.schema.activity_walk import expected_feed, feed_page, ids
from tests.schema.gateway_harness import Harness, harness
from vendors.resilience import BreakerConfig

UNAVAILABLE = {"code": "UPSTREAM_UNAVAILABLE", "retryable": True}
SOURCE_VENDOR = {"LOYALTY": "tallymarks", "SUPPORT": "omnidesk", "PROMOTIONS": "talon"}
#: the walks clear a fault and expect the vendor on the very next page: no circuit breaker
NO_BREAKER = VendorHttpConfig(breaker=BreakerConfig(enabled=False))


@pytest.fixture
async def gw() -> AsyncIterator[Harness]:
    ttls = {**DEFAULT_TTLS, "events": 0, "timeline": 0, "inventory": 0}
    http = dict.fromkeys(SOURCE_VENDOR.values(), NO_BREAKER)
    async with harness(GatewaySettings(cache_ttls=ttls, http=http)) as h:
        yield h


def _feed(body: dict[str, Any]) -> dict[str, Any]:
    feed: dict[str, Any] = body["data"]["customer"]["activity"]
    return feed


async def _customer(gw: Harness) -> str:
    """A customer with events in all three sources, its profile cached (so the customer
    itself resolves while a vendor is down)."""
    customer_id = str(gw.acme.customers[2].customer_id)
    assert {n["source"] for n in await expected_feed(gw, customer_id)} == set(SOURCE_VENDOR)
    return customer_id


@pytest.mark.parametrize("source", ["LOYALTY", "SUPPORT", "PROMOTIONS"])
async def test_a_failed_source_is_reported_and_the_rest_arrives(gw: Harness, source: str) -> None:
    customer_id = await _customer(gw)
    vendor = SOURCE_VENDOR[source]
    expected = [n for n in await expected_feed(gw, customer_id) if n["source"] != source]
    gw.fault(vendor, down=True)

    body = await feed_page(gw, customer_id, 6)

    feed = _feed(body)
    assert ids([e["node"] for e in feed["edges"]]) == ids(expected[:6])
    statuses = {s["source"]: s["complete"] for s in feed["sources"]}
    assert statuses == {s: s != source for s in SOURCE_VENDOR}
    (error,) = body["errors"]
    assert error["extensions"] == {**UNAVAILABLE, "vendor": vendor}
    assert error["path"] == ["customer", "activity"]
    assert feed["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("source", ["LOYALTY", "SUPPORT", "PROMOTIONS"])
async def test_a_source_down_mid_walk_loses_and_repeats_nothing(gw: Harness, source: str) -> None:
    customer_id = await _customer(gw)
    expected = await expected_feed(gw, customer_id)
    seen: list[str] = []
    after = None
    for page in range(100):
        if page == 1:
            gw.fault(SOURCE_VENDOR[source], down=True)
        if page == 3:
            gw.fault(SOURCE_VENDOR[source])
        feed = _feed(await feed_page(gw, customer_id, 3, after))
        seen += [e["node"]["id"] for e in feed["edges"]]
        if not feed["pageInfo"]["hasNextPage"]:
            break
        after = feed["pageInfo"]["endCursor"]

    assert Counter(seen) == Counter(ids(expected))


async def test_asking_the_page_again_once_the_vendor_is_back_gives_the_whole_page(
    gw: Harness,
) -> None:
    customer_id = await _customer(gw)
    first = _feed(await feed_page(gw, customer_id, 4))
    after = first["pageInfo"]["endCursor"]
    complete = _feed(await feed_page(gw, customer_id, 4, after))
    gw.fault("omnidesk", down=True)
    partial = await feed_page(gw, customer_id, 4, after)
    gw.fault("omnidesk")

    again = _feed(await feed_page(gw, customer_id, 4, after))

    assert "errors" in partial
    assert again == complete


async def test_with_every_vendor_down_the_feed_is_empty_with_three_errors(gw: Harness) -> None:
    customer_id = await _customer(gw)
    for vendor in SOURCE_VENDOR.values():
        gw.fault(vendor, down=True)

    body = await feed_page(gw, customer_id, 5)

    feed = _feed(body)
    assert feed["edges"] == []
    assert feed["pageInfo"]["hasNextPage"] is True
    assert feed["pageInfo"]["endCursor"] is not None  # continue (or retry) from here
    assert sorted(e["extensions"]["vendor"] for e in body["errors"]) == sorted(
        SOURCE_VENDOR.values()
    )
    for vendor in SOURCE_VENDOR.values():
        gw.fault(vendor)
    resumed = _feed(await feed_page(gw, customer_id, 5, feed["pageInfo"]["endCursor"]))
    assert ids([e["node"] for e in resumed["edges"]]) == ids(
        (await expected_feed(gw, customer_id))[:5]
    )


async def test_a_failed_source_is_an_error_even_when_sources_is_not_selected(
    gw: Harness,
) -> None:
    customer_id = await _customer(gw)
    gw.fault("talon", down=True)

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { activity(first: 3) { edges { cursor } } } }",
        {"id": customer_id},
    )

    assert len(body["data"]["customer"]["activity"]["edges"]) == 3
    (error,) = body["errors"]
    assert error["extensions"] == {**UNAVAILABLE, "vendor": "talon"}
    assert error["path"] == ["customer", "activity"]
