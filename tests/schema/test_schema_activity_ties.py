"""Events at the same instant in all three sources: ordered by source, then id, and paged
without gaps or repeats whatever the page size."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from sandbox.omnidesk.store import TimelineEntry as DeskEntry
from sandbox.tallymarks.records import Event as TallyEvent
from sandbox.talon.entities import Coupon
from tests.schema.activity_walk import expected_feed, ids, walk
from tests.schema.gateway_harness import Harness

#: a whole second (Omnidesk keeps seconds), inside the demo histories
TIE = datetime(2026, 9, 1, 12, 0, 0, tzinfo=UTC)


def _tie_everywhere(gw: Harness, customer_id: str) -> None:
    """Three loyalty events, two timeline entries and two coupons, all at ``TIE``."""
    tenant = gw.sandboxes["tallymarks"].state.store.tenant(gw.acme.tallymarks_tenant_id)
    tenant.events_of(customer_id)  # build the demo history first
    for _ in range(3):
        tenant.add_event(
            TallyEvent(
                event_id=str(uuid.uuid4()),
                tenant_id=tenant.tenant_id,
                customer_id=customer_id,
                created_at=TIE,
                event_type="action",
                name_space="Tie.Test",
            )
        )
    desk = gw.sandboxes["omnidesk"].state.store
    account = desk.brand_owner(gw.acme.omnidesk_brand_id)
    customer = account.customer_by_primary(gw.acme.omnidesk_brand_id, customer_id)
    for _ in range(2):
        entry = DeskEntry(desk.next_event_id(), customer.id, "Tie", "test", None, TIE)
        account.timeline.setdefault(customer.id, []).append(entry)
    talon = gw.sandboxes["talon"].state.talon.store
    app = talon.apps[gw.acme.talon_application_id]
    campaign_id = next(iter(app.coupons.values())).campaign_id
    for n in range(2):
        coupon = Coupon(talon.next_id("coupon"), TIE, campaign_id, f"TIE-{n}-{customer_id[:6]}")
        coupon.reserved_for.append(customer_id)
        app.coupons[coupon.value] = coupon


@pytest.mark.parametrize("first", [1, 2, 3, 4, 5])
async def test_ties_are_ordered_by_source_then_id_and_page_cleanly(gw: Harness, first: int) -> None:
    customer_id = gw.acme.customers[2].customer_id
    _tie_everywhere(gw, customer_id)
    expected = await expected_feed(gw, customer_id)

    walked = [n for page in await walk(gw, customer_id, first) for n in page]

    assert ids(walked) == ids(expected)
    at_tie = [n for n in walked if n["occurredAt"] == TIE.isoformat()]
    assert [n["source"] for n in at_tie] == ["LOYALTY"] * 3 + ["SUPPORT"] * 2 + ["PROMOTIONS"] * 2
    for source in ("LOYALTY", "SUPPORT", "PROMOTIONS"):
        same = [n["id"] for n in at_tie if n["source"] == source]
        assert same == sorted(same, reverse=True)
