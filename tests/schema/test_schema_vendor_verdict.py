"""A hung vendor costs an operation one call budget, not two in sequence.

Before the per-operation verdict (vendors.resilience.vendor_verdict), a call to a vendor that
only started once another call to it had timed out waited a whole budget of its own: with
Tallymarks hung, the fields' loyalty reads not started ahead (a filtered ``events``, an
``activity`` naming its sources) waited for the customer's identity check, then for Tallymarks
again; with Tallymarks down and Omnidesk or Talon.One hung, the identity fallback asked the
hung vendor after the fields' reads to it had timed out. Now such a call is refused at once
with the same code.

The hung vendor gets a short budget (the production one is 8 s); the assertions count the
vendor's requests per operation, and the only clock bound is the generous one that tells one
budget from two: everything ends within two budgets of the hung vendor's first request.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from gateway.settings import GatewaySettings, VendorHttpConfig
from tests.schema.gateway_harness import VENDORS, Harness, harness
from tests.schema.vendor_hits import HitLog, TimedAnswer

ROOT = Path(__file__).resolve().parents[2]
CUSTOMER_360 = (ROOT / "gateway/playground/examples/1_customer_360.graphql").read_text()
FEED = """query Feed($customerId: ID!) {
  customer(id: $customerId) {
    customerId
    activity(first: 10) { edges { node { source summary } } pageInfo { hasNextPage } }
  }
}"""
#: an activity feed naming its sources: not started ahead, it waits for the identity check
FEED_WITH_SOURCES = FEED.replace("activity(first: 10)", "activity(first: 10, sources: [LOYALTY])")
FILTERED_EVENTS = """query Events($customerId: ID!) {
  customer(id: $customerId) {
    customerId
    events(first: 5, filter: {keyword: "a"}) { edges { node { eventType } } }
  }
}"""
TIMELINE = """query Timeline($customerId: ID!) {
  customer(id: $customerId) { customerId timeline { entryKind } }
}"""

#: the hung vendor's budget: one attempt of 1.5 s and one retry
HUNG = VendorHttpConfig(attempt_timeout=1.5, call_timeout=3, retry_attempts=2)
BUDGET = HUNG.call_timeout
#: the healthy vendors: as patient as the event loop their sandboxes share with the test
PATIENT = VendorHttpConfig(attempt_timeout=15, call_timeout=18)
#: a vendor's fields in the customer-360 and the feed
OWN_FIELDS = {
    "tallymarks": ("pointsBalance", "events", "transactions"),
    "omnidesk": ("supportProfile", "timeline"),
    "talon": ("coupons", "referrals", "promotionLoyalty"),
}
IDENTITY = "GET /api/v1/customers/{customerId}"
EVENTS = "GET /api/v1/customers/events"
SUPPORT_PROFILE = "POST /api/v2/customer/SearchByPrimaryExternalID"
TIMELINE_READ = "GET /api/v2/customer/timelineByCustomerExternalID"
INVENTORY = "GET /v1/customer_profiles/{integrationId}/inventory"


def settings(hung: str) -> GatewaySettings:
    return GatewaySettings(http={v: HUNG if v == hung else PATIENT for v in VENDORS})


def codes_at(body: dict[str, Any], path: list[object]) -> set[str]:
    return {e["extensions"]["code"] for e in body.get("errors", []) if e.get("path") == path}


async def run(
    gw: Harness, hung: str, query: str, *, count: int = 1, down: str | None = None
) -> tuple[HitLog, list[TimedAnswer]]:
    """``count`` operations at once, one customer each, with ``hung`` hanging (and ``down``
    unreachable)."""
    gw.fault(hung, hang=True)
    if down is not None:
        gw.fault(down, down=True)
    log = HitLog(gw)
    ids = [c.customer_id for c in gw.acme.customers[:count]]
    answers = await asyncio.gather(*(log.query(query, {"customerId": i}) for i in ids))
    return log, list(answers)


def within_one_budget(log: HitLog, answer: TimedAnswer, hung: str) -> None:
    """The hung vendor was asked only within its first call's budget (the call and its
    retry), and the answer came before a second budget could have run out."""
    hits = log.of(answer.operation, hung)
    assert hits, "the hung vendor was never asked"
    first = hits[0].at
    late = [h.endpoint for h in hits if h.at >= first + BUDGET]
    assert not late, f"{hung} asked again after a budget ran out: {late}"
    assert answer.ended - first < 2 * BUDGET, f"{answer.ended - first:.1f} s after the first"


@pytest.mark.parametrize("query", [FEED_WITH_SOURCES, FILTERED_EVENTS], ids=["feed", "events"])
async def test_tallymarks_hung_a_read_waiting_for_the_identity_check_is_not_sent(
    query: str,
) -> None:
    async with harness(settings("tallymarks")) as gw:
        log, (answer,) = await run(gw, "tallymarks", query)

    field = "activity" if query is FEED_WITH_SOURCES else "events"
    customer = answer.body["data"]["customer"]
    assert customer is not None  # Omnidesk and Talon.One vouch for the customer
    # the feed answers what it has (nothing: its one source failed), events nothing
    assert customer[field] == (
        {"edges": [], "pageInfo": {"hasNextPage": True}} if field == "activity" else None
    )
    assert codes_at(answer.body, ["customer", field]) == {"UPSTREAM_TIMEOUT"}
    asked = log.endpoints(answer.operation, "tallymarks")
    assert EVENTS not in asked  # before: one more budget, after the identity check's
    assert set(asked) == {IDENTITY}
    within_one_budget(log, answer, "tallymarks")


async def test_omnidesk_hung_the_identity_fallback_does_not_ask_it_again() -> None:
    async with harness(settings("omnidesk")) as gw:
        log, (answer,) = await run(gw, "omnidesk", TIMELINE, down="tallymarks")

    customer = answer.body["data"]["customer"]
    assert customer is not None  # Talon.One vouches for the customer
    assert customer["timeline"] is None
    assert codes_at(answer.body, ["customer", "timeline"]) == {"UPSTREAM_TIMEOUT"}
    asked = log.endpoints(answer.operation, "omnidesk")
    assert SUPPORT_PROFILE not in asked  # before: asked once the timeline had timed out
    assert set(asked) == {TIMELINE_READ}
    within_one_budget(log, answer, "omnidesk")


async def test_talon_hung_the_identity_fallback_of_a_customer_360_does_not_ask_it_again() -> None:
    async with harness(settings("talon")) as gw:
        log, (answer,) = await run(gw, "talon", CUSTOMER_360, down="tallymarks")

    customer = answer.body["data"]["customer"]
    assert customer is not None  # Omnidesk vouches for the customer
    for field in OWN_FIELDS["talon"]:
        assert customer[field] is None
        assert codes_at(answer.body, ["customer", field]) == {"UPSTREAM_TIMEOUT"}
    # the fields' one inventory call and its retry; before, a second call for the check
    assert log.endpoints(answer.operation, "talon") == {INVENTORY: HUNG.retry_attempts}
    within_one_budget(log, answer, "talon")


@pytest.mark.parametrize("hung", sorted(OWN_FIELDS))
@pytest.mark.parametrize("query", [CUSTOMER_360, FEED], ids=["customer-360", "feed"])
async def test_a_hung_vendor_is_asked_within_one_budget_per_operation(
    hung: str, query: str
) -> None:
    async with harness(settings(hung)) as gw:
        log, answers = await run(gw, hung, query, count=3)

    for answer in answers:
        assert {e["extensions"]["code"] for e in answer.body["errors"]} == {"UPSTREAM_TIMEOUT"}
        customer = answer.body["data"]["customer"]
        if customer is not None:  # (Tallymarks hung: null, or vouched for by the others)
            fields = OWN_FIELDS[hung] if query is CUSTOMER_360 else ()
            for field in fields:
                assert customer[field] is None
                assert codes_at(answer.body, ["customer", field]) == {"UPSTREAM_TIMEOUT"}
            assert customer["activity"] is not None  # the other sources' items
            assert codes_at(answer.body, ["customer", "activity"]) == {"UPSTREAM_TIMEOUT"}
        # each read of the hung vendor: one call, its attempts only
        attempts = log.endpoints(answer.operation, hung)
        assert attempts
        assert max(attempts.values()) <= HUNG.retry_attempts, attempts
        within_one_budget(log, answer, hung)
