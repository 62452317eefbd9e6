"""Customer.segments: loyalty segments and promotion audiences under one interface, with
partial results when one system fails."""

from __future__ import annotations

from tests.schema.gateway_harness import Harness

SEGMENTS = """
query($id: ID!, $sources: [SegmentSource!]) {
  customer(id: $id) {
    segments(sources: $sources) {
      __typename id name source
      ... on Audience { audienceId }
      ... on LoyaltySegment { expiresAt }
    }
  }
}
"""
INVENTORY = "GET /v1/customer_profiles/{integrationId}/inventory"
TM_SEGMENTS = "GET /api/v1/customers/{customerId}/segments"


async def test_segments_merge_both_systems_loyalty_first(gw: Harness) -> None:
    body = await gw.query(SEGMENTS, {"id": gw.acme.customers[0].customer_id})

    segments = body["data"]["customer"]["segments"]
    sources = [s["source"] for s in segments]
    assert sources == sorted(sources, key=["LOYALTY", "PROMOTIONS"].index)
    assert {"LOYALTY", "PROMOTIONS"} <= set(sources)
    assert {(s["__typename"], s["source"]) for s in segments} == {
        ("LoyaltySegment", "LOYALTY"),
        ("Audience", "PROMOTIONS"),
    }
    assert gw.endpoints("talon") == {INVENTORY: 1}
    assert gw.calls("tallymarks", TM_SEGMENTS) == 1


async def test_segments_and_audiences_share_the_inventory_call(gw: Harness) -> None:
    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { audiences { id } segments { id } "
        "promotionProfile { totalSales } } }",
        {"id": gw.acme.customers[0].customer_id},
    )

    assert "errors" not in body
    assert gw.endpoints("talon") == {INVENTORY: 1}


async def test_asking_for_one_source_calls_only_that_system(gw: Harness) -> None:
    body = await gw.query(
        SEGMENTS, {"id": gw.acme.customers[0].customer_id, "sources": ["PROMOTIONS"]}
    )

    assert {s["source"] for s in body["data"]["customer"]["segments"]} == {"PROMOTIONS"}
    assert gw.calls("tallymarks", TM_SEGMENTS) == 0


async def test_talon_down_keeps_the_loyalty_segments(gw: Harness) -> None:
    gw.fault("talon", down=True)

    body = await gw.query(SEGMENTS, {"id": gw.acme.customers[0].customer_id})

    segments = body["data"]["customer"]["segments"]
    assert segments[-1] is None
    assert segments[:-1]
    assert {s["source"] for s in segments[:-1]} == {"LOYALTY"}
    [error] = body["errors"]
    assert error["path"] == ["customer", "segments", len(segments) - 1]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["vendor"] == "talon"


async def test_tallymarks_segments_failing_keeps_the_audiences(gw: Harness) -> None:
    customer_id = gw.acme.customers[0].customer_id
    await gw.query(  # the customer itself is read (and cached) while Tallymarks is up
        "query($id: ID!) { customer(id: $id) { customerId } }", {"id": customer_id}
    )
    gw.fault("tallymarks", down=True)

    body = await gw.query(SEGMENTS, {"id": customer_id})

    segments = body["data"]["customer"]["segments"]
    assert segments[-1] is None
    assert {s["source"] for s in segments[:-1]} == {"PROMOTIONS"}
    [error] = body["errors"]
    assert error["extensions"]["vendor"] == "tallymarks"
