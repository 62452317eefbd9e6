"""The Customer's promotion fields (Talon.One inventory) through the real ASGI app: each
field, and one inventory call per customer per request whatever fields ask for it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.schema.gateway_harness import Harness
from vendors.tallymarks.models import CustomerCreate
from vendors.talon.client import TalonClient

INVENTORY = "GET /v1/customer_profiles/{integrationId}/inventory"

EVERYTHING = """
fragment promotions on Customer {
  promotionProfile { closedSessions totalSales lastActivity createdAt attributes { name value } }
  audiences { id name source audienceId }
  coupons {
    value state usageLimit usageCounter redemptionsByCustomer startsAt expiresAt reservation
    campaignId
  }
  referrals { code campaignId createdAt startsAt expiresAt usageLimit usageCounter
              referredCustomers { customerId } }
  promotionLoyalty { programs { id name title currentBalance pendingBalance expiredBalance
                                spentBalance tentativeCurrentBalance tier { id name }
                                pointsToNextTier } }
  giveaways { id code poolId createdAt startsAt endsAt used }
}
"""

ONE = EVERYTHING + "query($id: ID!) { customer(id: $id) { ...promotions } }"


async def _customer(gw: Harness, index: int) -> dict[str, Any]:
    body = await gw.query(ONE, {"id": gw.acme.customers[index].customer_id})
    assert "errors" not in body
    customer: dict[str, Any] = body["data"]["customer"]
    return customer


async def test_every_promotion_field_of_a_customer_comes_from_one_inventory_call(
    gw: Harness,
) -> None:
    customer = await _customer(gw, 0)

    assert gw.endpoints("talon") == {INVENTORY: 1}
    assert customer["coupons"]
    assert customer["referrals"]
    assert customer["audiences"]


async def test_the_promotion_profile(gw: Harness) -> None:
    person = gw.acme.customers[1]

    profile = (await _customer(gw, 1))["promotionProfile"]

    attributes = {a["name"]: a["value"] for a in profile["attributes"]}
    assert attributes["Email"] == person.email
    assert [a["name"] for a in profile["attributes"]] == sorted(attributes)
    assert profile["closedSessions"] >= 1
    assert profile["totalSales"] > 0
    assert profile["createdAt"] <= profile["lastActivity"]


async def test_attributes_keep_their_json_types(gw: Harness) -> None:
    profile = (await _customer(gw, 4))["promotionProfile"]

    assert {"name": "Newsletter", "value": True} in profile["attributes"]


async def test_audiences_are_promotion_segments(gw: Harness) -> None:
    audiences = (await _customer(gw, 0))["audiences"]

    assert {"id": "1", "name": "VIP customers", "source": "PROMOTIONS", "audienceId": 1} in (
        audiences
    )


async def test_coupons_carry_their_state_and_reservation(gw: Harness) -> None:
    soft = (await _customer(gw, 1))["coupons"][0]
    hard = (await _customer(gw, 2))["coupons"][0]
    used = (await _customer(gw, 0))["coupons"][0]

    assert (soft["state"], soft["reservation"], soft["redemptionsByCustomer"]) == (
        "ACTIVE",
        "SOFT",
        0,
    )
    assert (hard["state"], hard["reservation"]) == ("ACTIVE", "HARD")
    assert (used["value"], used["state"], used["usageCounter"]) == ("SINGLE-USE", "USED", 1)
    assert isinstance(soft["campaignId"], int)
    assert soft["expiresAt"]


async def test_referrals_name_the_customers_they_brought(gw: Harness) -> None:
    referral = (await _customer(gw, 12))["referrals"][0]

    assert referral["code"].startswith("REF-")
    assert len(referral["referredCustomers"]) == 2
    assert referral["usageLimit"] >= referral["usageCounter"]


async def test_promotion_loyalty_shows_each_program_ledger(gw: Harness) -> None:
    programs = (await _customer(gw, 1))["promotionLoyalty"]["programs"]

    assert len(programs) == 1
    program = programs[0]
    assert program["currentBalance"] > 0
    assert program["tier"]["name"]
    assert program["tentativeCurrentBalance"] >= program["currentBalance"]


async def test_giveaways(gw: Harness) -> None:
    giveaways = (await _customer(gw, 8))["giveaways"]

    assert [g["code"][:5] for g in giveaways] == ["GIFT-"]
    assert isinstance(giveaways[0]["poolId"], int)


async def test_ten_customers_make_ten_inventory_calls(gw: Harness) -> None:
    ids = [c.customer_id for c in gw.acme.customers[:10]]
    fields = "coupons { value } referrals { code } promotionLoyalty { programs { id } } "
    fields += "promotionProfile { totalSales } audiences { name } giveaways { code }"
    query = "{ " + " ".join(
        f'c{i}: customer(id: "{cid}") {{ {fields} }}' for i, cid in enumerate(ids)
    )
    query += " }"

    body = await gw.query(query)

    assert "errors" not in body
    assert len(body["data"]) == 10
    assert gw.endpoints("talon") == {INVENTORY: 10}


async def test_aliases_and_repeats_share_the_call(gw: Harness) -> None:
    cid = gw.acme.customers[0].customer_id

    body = await gw.query(
        "query($id: ID!) { a: customer(id: $id) { coupons { value } } "
        "b: customer(id: $id) { referrals { code } c2: coupons { state } } }",
        {"id": cid},
    )

    assert "errors" not in body
    assert gw.endpoints("talon") == {INVENTORY: 1}


async def test_a_cached_larger_inventory_serves_a_smaller_ask(gw: Harness) -> None:
    await _customer(gw, 0)
    gw.reset_calls()

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { coupons { value } } }",
        {"id": gw.acme.customers[0].customer_id},
    )

    assert body["data"]["customer"]["coupons"]
    assert gw.calls("talon") == 0


async def test_a_customer_the_promotion_engine_does_not_know_has_null_promotions(
    gw: Harness,
) -> None:
    services = gw.gateway.state.services
    clients = services.vendors.for_tenant(services.tenants["acme"])
    customer_id = str(uuid.uuid4())
    await clients.tallymarks.create_customer(CustomerCreate(customer_id=customer_id))

    body = await gw.query(ONE, {"id": customer_id})

    assert "errors" not in body
    assert set(body["data"]["customer"].values()) == {None}


async def test_another_tenant_reads_its_own_promotion_engine(gw: Harness) -> None:
    person = gw.globex.customers[0]

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { promotionProfile { attributes { name value } } } }",
        {"id": person.customer_id},
        key="key-globex",
    )

    attributes = body["data"]["customer"]["promotionProfile"]["attributes"]
    assert {"name": "Email", "value": person.email} in attributes


async def test_talon_down_nulls_only_the_promotion_fields(gw: Harness) -> None:
    gw.fault("talon", down=True)
    person = gw.acme.customers[1]

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { firstName pointsBalance { points } "
        "supportProfile { supportId } coupons { value } referrals { code } "
        "promotionLoyalty { programs { id } } } }",
        {"id": person.customer_id},
    )

    customer = body["data"]["customer"]
    assert customer["firstName"] == person.first_name
    assert customer["pointsBalance"] is not None
    assert customer["supportProfile"] is not None
    assert (customer["coupons"], customer["referrals"], customer["promotionLoyalty"]) == (
        None,
        None,
        None,
    )
    assert sorted(e["path"][-1] for e in body["errors"]) == [
        "coupons",
        "promotionLoyalty",
        "referrals",
    ]
    for error in body["errors"]:
        assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
        assert error["extensions"]["vendor"] == "talon"


async def test_the_one_call_asks_for_the_union_of_the_parts_the_fields_need(
    gw: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[set[str]] = []
    real = TalonClient.get_customer_inventory

    async def spy(self: TalonClient, integration_id: str, **flags: Any) -> Any:
        asked.append({name for name, on in flags.items() if on})
        return await real(self, integration_id, **flags)

    monkeypatch.setattr(TalonClient, "get_customer_inventory", spy)

    await gw.query(
        "query($id: ID!) { customer(id: $id) { coupons { value } audiences { id } "
        "promotionLoyalty { programs { id } } } }",
        {"id": gw.acme.customers[0].customer_id},
    )

    assert asked == [{"coupons", "profile", "loyalty"}]
