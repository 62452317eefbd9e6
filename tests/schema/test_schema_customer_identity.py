"""``customer(id:)`` survives the loyalty system: while Tallymarks cannot answer, a customer
the support desk or the promotion engine knows is answered unconfirmed (loyalty fields null
with coded errors); an id nobody knows stays null; a Tallymarks 404 stays final."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.settings import GatewaySettings, VendorHttpConfig
from tests.schema.gateway_harness import URLS, VENDORS, Harness, harness
from tests.schema.test_schema_customer_prefetch import CUSTOMER_360
from tests.schema.test_schema_customer_prefetch import EXPECTED as HEALTHY_360_CALLS
from vendors.resilience.config import BreakerConfig

NOBODY = "00000000-0000-4000-8000-000000000000"

IDENTITY = "identity { confirmed confirmedBy unconfirmed }"
ONLY_IDENTITY = f"query($id: ID!) {{ customer(id: $id) {{ customerId {IDENTITY} }} }}"

IDENTITY_360 = CUSTOMER_360.replace(
    "customer(id: $customerId) {",
    f"customer(id: $customerId) {{ {IDENTITY}",
)
assert IDENTITY_360 != CUSTOMER_360

LOYALTY_FIELDS = ("displayName", "email", "pointsBalance", "transactions")
UNCONFIRMED = {
    "confirmed": False,
    "confirmedBy": ["OMNIDESK", "TALON"],
    "unconfirmed": ["TALLYMARKS"],
}


def calls(gw: Harness) -> dict[str, dict[str, int]]:
    return {v: gw.endpoints(v) for v in VENDORS}


def identity_error(body: dict[str, Any]) -> dict[str, Any]:
    """The one error at the customer itself."""
    (error,) = [e for e in body.get("errors", []) if e["path"] == ["customer"]]
    found: dict[str, Any] = error
    return found


async def test_the_360_with_tallymarks_down_keeps_support_and_promotions(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)
    person = gw.acme.customers[1]

    body = await gw.query(IDENTITY_360, {"customerId": person.customer_id})

    customer = body["data"]["customer"]
    assert customer["customerId"] == person.customer_id
    assert customer["identity"] == UNCONFIRMED
    assert person.email in {c["address"] for c in customer["supportProfile"]["channels"]}
    assert customer["timeline"] is not None
    assert customer["coupons"] is not None
    assert customer["promotionLoyalty"] is not None
    for field in LOYALTY_FIELDS:
        assert customer[field] is None
    by_field = {e["path"][1]: e["extensions"] for e in body["errors"] if len(e["path"]) == 2}
    for field in LOYALTY_FIELDS:
        assert by_field[field]["code"] == "UPSTREAM_UNAVAILABLE"
        assert by_field[field]["vendor"] == "tallymarks"
    assert {e["extensions"]["vendor"] for e in body["errors"]} == {"tallymarks"}
    marker = identity_error(body)["extensions"]
    assert marker["identity"] == "UNCONFIRMED"
    assert (marker["code"], marker["vendor"], marker["retryable"]) == (
        "UPSTREAM_UNAVAILABLE",
        "tallymarks",
        True,
    )


async def test_the_confirmation_shares_the_reads_of_the_selected_fields(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)

    await gw.query(IDENTITY_360, {"customerId": gw.acme.customers[2].customer_id})

    # exactly the healthy 360's support and promotion calls: the check added none
    assert gw.endpoints("omnidesk") == HEALTHY_360_CALLS["omnidesk"]
    assert gw.endpoints("talon") == HEALTHY_360_CALLS["talon"]


async def test_without_such_fields_the_confirmation_costs_one_call_per_vendor(
    gw: Harness,
) -> None:
    gw.fault("tallymarks", down=True)

    body = await gw.query(ONLY_IDENTITY, {"id": gw.acme.customers[3].customer_id})

    assert body["data"]["customer"]["identity"] == UNCONFIRMED
    assert calls(gw)["omnidesk"] == {"POST /api/v2/customer/SearchByPrimaryExternalID": 1}
    assert calls(gw)["talon"] == {"GET /v1/customer_profiles/{integrationId}/inventory": 1}


async def test_a_timeline_only_query_adds_just_the_support_lookup(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)
    query = """query($id: ID!) { customer(id: $id) {
        identity { confirmed } timeline { message } coupons { value } } }"""

    body = await gw.query(query, {"id": gw.acme.customers[4].customer_id})

    assert body["data"]["customer"]["identity"] == {"confirmed": False}
    assert calls(gw)["omnidesk"] == {
        "GET /api/v2/customer/timelineByCustomerExternalID": 1,
        "POST /api/v2/customer/SearchByPrimaryExternalID": 1,
    }
    assert calls(gw)["talon"] == {"GET /v1/customer_profiles/{integrationId}/inventory": 1}


async def test_an_id_no_vendor_knows_is_null_with_the_tallymarks_error(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)

    body = await gw.query(IDENTITY_360, {"customerId": NOBODY})

    assert body["data"] == {"customer": None}
    (error,) = body["errors"]
    assert error["path"] == ["customer"]
    assert error["extensions"] == {
        "code": "UPSTREAM_UNAVAILABLE",
        "vendor": "tallymarks",
        "retryable": True,
    }
    # both were asked, and said no
    assert gw.calls("omnidesk", "POST /api/v2/customer/SearchByPrimaryExternalID") == 1
    assert gw.calls("talon", "GET /v1/customer_profiles/{integrationId}/inventory") == 1


async def test_one_vouching_vendor_is_enough_and_a_failed_one_is_listed(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)
    gw.fault("omnidesk", down=True)

    body = await gw.query(ONLY_IDENTITY, {"id": gw.acme.customers[0].customer_id})

    assert body["data"]["customer"]["identity"] == {
        "confirmed": False,
        "confirmedBy": ["TALON"],
        "unconfirmed": ["TALLYMARKS", "OMNIDESK"],
    }
    assert identity_error(body)["extensions"]["identity"] == "UNCONFIRMED"


async def test_an_id_only_a_failing_vendor_might_know_is_not_invented(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)
    gw.fault("omnidesk", down=True)

    body = await gw.query(ONLY_IDENTITY, {"id": NOBODY})

    assert body["data"] == {"customer": None}
    assert [e["extensions"]["vendor"] for e in body["errors"]] == ["tallymarks"]


async def test_a_tallymarks_timeout_answers_unconfirmed_too() -> None:
    quick = VendorHttpConfig(attempt_timeout=0.2, call_timeout=0.5, retry_attempts=1)
    async with harness(GatewaySettings(http={"tallymarks": quick})) as gw:
        gw.fault("tallymarks", hang=True, hang_seconds=2)

        body = await gw.query(ONLY_IDENTITY, {"id": gw.acme.customers[1].customer_id})

    assert body["data"]["customer"]["identity"] == UNCONFIRMED
    assert identity_error(body)["extensions"]["code"] == "UPSTREAM_TIMEOUT"


@pytest.fixture
async def tripping() -> AsyncIterator[Harness]:
    """Tallymarks' circuit opens after two failures and stays open for the test."""
    breaker = BreakerConfig(failure_threshold=2, cooldown=600)
    async with harness(
        GatewaySettings(http={"tallymarks": VendorHttpConfig(breaker=breaker)})
    ) as h:
        yield h


async def test_with_the_circuit_open_the_answer_is_the_same_without_tallymarks_calls(
    tripping: Harness,
) -> None:
    gw = tripping
    gw.fault("tallymarks", down=True)
    for person in gw.acme.customers[:3]:  # enough failures to open the circuit
        await gw.query(ONLY_IDENTITY, {"id": person.customer_id})
    gw.reset_calls()

    body = await gw.query(IDENTITY_360, {"customerId": gw.acme.customers[3].customer_id})

    assert gw.calls("tallymarks") == 0  # refused by the open circuit
    # the check fails at once, before the support and promotion reads answer: it waits for
    # them and shares their calls
    assert gw.endpoints("omnidesk") == HEALTHY_360_CALLS["omnidesk"]
    assert gw.endpoints("talon") == HEALTHY_360_CALLS["talon"]
    customer = body["data"]["customer"]
    assert customer["identity"] == UNCONFIRMED
    assert customer["supportProfile"] is not None
    assert customer["coupons"] is not None
    assert customer["pointsBalance"] is None
    marker = identity_error(body)["extensions"]
    assert (marker["identity"], marker["code"], marker["circuit"]) == (
        "UNCONFIRMED",
        "UPSTREAM_UNAVAILABLE",
        "open",
    )


async def test_with_the_circuit_open_an_id_nobody_knows_is_null(tripping: Harness) -> None:
    gw = tripping
    gw.fault("tallymarks", down=True)
    for person in gw.acme.customers[:3]:  # enough failures to open the circuit
        await gw.query(ONLY_IDENTITY, {"id": person.customer_id})
    gw.reset_calls()

    body = await gw.query(ONLY_IDENTITY, {"id": NOBODY})

    assert body["data"] == {"customer": None}
    (error,) = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["circuit"]) == (
        "UPSTREAM_UNAVAILABLE",
        "open",
    )
    assert gw.calls("tallymarks") == 0


async def test_an_unconfirmed_answer_is_not_kept_once_tallymarks_is_back(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    gw.fault("tallymarks", down=True)
    degraded = await gw.query(ONLY_IDENTITY, {"id": customer_id})
    gw.fault("tallymarks")

    healthy = await gw.query(ONLY_IDENTITY, {"id": customer_id})

    assert degraded["data"]["customer"]["identity"]["confirmed"] is False
    assert healthy == {
        "data": {
            "customer": {
                "customerId": customer_id,
                "identity": {"confirmed": True, "confirmedBy": ["TALLYMARKS"], "unconfirmed": []},
            }
        }
    }


async def talon_only_profile(gw: Harness, integration_id: str) -> None:
    """A profile only the promotion engine has (as after a cart session of a guest)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gw.sandboxes["talon"]), base_url=URLS.talon
    ) as talon:
        response = await talon.put(
            f"/v2/customer_profiles/{integration_id}",
            json={"attributes": {}},
            headers={"Authorization": f"ApiKey-v1 {gw.acme.talon_api_key}"},
        )
    assert response.status_code == 200, response.text
    gw.reset_calls()


async def test_a_customer_only_talon_knows_is_answered_while_tallymarks_is_down(
    gw: Harness,
) -> None:
    await talon_only_profile(gw, "00000000-0000-4000-8000-000000004711")
    gw.fault("tallymarks", down=True)

    body = await gw.query(ONLY_IDENTITY, {"id": "00000000-0000-4000-8000-000000004711"})

    assert body["data"]["customer"] == {
        "customerId": "00000000-0000-4000-8000-000000004711",
        "identity": {"confirmed": False, "confirmedBy": ["TALON"], "unconfirmed": ["TALLYMARKS"]},
    }


async def test_a_tallymarks_404_is_final_and_asks_no_other_vendor(gw: Harness) -> None:
    await talon_only_profile(gw, "00000000-0000-4000-8000-000000004712")

    body = await gw.query(ONLY_IDENTITY, {"id": "00000000-0000-4000-8000-000000004712"})

    assert body == {"data": {"customer": None}}
    assert calls(gw) == {
        "tallymarks": {"GET /api/v1/customers/{customerId}": 1},
        "omnidesk": {},
        "talon": {},
    }


async def test_the_healthy_360_is_confirmed_with_unchanged_calls(gw: Harness) -> None:
    body = await gw.query(IDENTITY_360, {"customerId": gw.acme.customers[0].customer_id})

    assert "errors" not in body
    assert body["data"]["customer"]["identity"] == {
        "confirmed": True,
        "confirmedBy": ["TALLYMARKS"],
        "unconfirmed": [],
    }
    assert calls(gw) == HEALTHY_360_CALLS


async def test_a_customer_reached_through_a_search_names_no_confirming_vendor(
    gw: Harness,
) -> None:
    body = await gw.query(f"{{ customers(first: 1) {{ edges {{ node {{ {IDENTITY} }} }} }} }}")

    (edge,) = body["data"]["customers"]["edges"]
    assert edge["node"]["identity"] == {"confirmed": True, "confirmedBy": [], "unconfirmed": []}
