"""forgetCustomer: erase at every vendor, each outcome reported, retry-safe, cache dropped."""

from __future__ import annotations

from typing import Any

from tests.schema.gateway_harness import Harness

FORGET = """
mutation($id: ID!, $key: String!) {
  forgetCustomer(id: $id, idempotencyKey: $key) {
    customerId complete outcomes { vendor status code retryable }
  }
}
"""

PROFILE = """
query($id: ID!) {
  customer(id: $id) {
    firstName email
    loyaltyProfile { lastName mobileNumber isAccountLocked attributes { name } }
    supportProfile { firstName }
  }
}
"""

PATCH = "PATCH /api/v1/customers/{customerId}"
PURGE = "DELETE /api/v2/customer/purgeData"
DELETE_DATA = "DELETE /v1/customer_data/{integrationId}"


def statuses(payload: dict[str, Any]) -> dict[str, str]:
    return {o["vendor"]: o["status"] for o in payload["outcomes"]}


async def test_forget_erases_at_every_vendor_and_drops_the_cache(gw: Harness) -> None:
    person = gw.acme.customers[10]
    before = await gw.query(PROFILE, {"id": person.customer_id})
    assert before["data"]["customer"]["supportProfile"] is not None
    gw.reset_calls()

    body = await gw.query(FORGET, {"id": person.customer_id, "key": "forget-1"})

    payload = body["data"]["forgetCustomer"]
    assert statuses(payload) == {
        "TALLYMARKS": "SUCCEEDED",
        "OMNIDESK": "SUCCEEDED",
        "TALON": "SUCCEEDED",
    }
    assert payload["complete"] is True
    assert gw.endpoints("tallymarks") == {PATCH: 1}
    assert gw.endpoints("omnidesk") == {PURGE: 1}
    assert gw.endpoints("talon") == {DELETE_DATA: 1}

    after = (await gw.query(PROFILE, {"id": person.customer_id}))["data"]["customer"]
    assert after["firstName"] == ""
    assert after["email"] == f"erased-{person.customer_id}@erased.invalid"
    assert after["loyaltyProfile"] == {
        "lastName": "",
        "mobileNumber": "",
        "isAccountLocked": True,
        "attributes": [],
    }
    assert after["supportProfile"] is None


async def test_a_vendor_that_holds_nothing_is_skipped(gw: Harness) -> None:
    person = gw.acme.customers[11]
    await gw.query(FORGET, {"id": person.customer_id, "key": "forget-2a"})

    body = await gw.query(FORGET, {"id": person.customer_id, "key": "forget-2b"})

    assert statuses(body["data"]["forgetCustomer"])["OMNIDESK"] == "SKIPPED"


async def test_a_failed_erasure_is_finished_by_a_retry_with_the_same_key(gw: Harness) -> None:
    person = gw.acme.customers[12]
    gw.fault("talon", down=True)

    failed = (await gw.query(FORGET, {"id": person.customer_id, "key": "forget-3"}))["data"]
    talon = failed["forgetCustomer"]["outcomes"][2]
    assert talon == {
        "vendor": "TALON",
        "status": "FAILED",
        "code": "UPSTREAM_UNAVAILABLE",
        "retryable": True,
    }

    gw.fault("talon")
    retried = (await gw.query(FORGET, {"id": person.customer_id, "key": "forget-3"}))["data"]

    assert statuses(retried["forgetCustomer"]) == {
        "TALLYMARKS": "ALREADY_DONE",
        "OMNIDESK": "ALREADY_DONE",
        "TALON": "SUCCEEDED",
    }
    assert gw.calls("tallymarks", PATCH) == 1
    assert gw.calls("omnidesk", PURGE) == 1


async def test_forgetting_an_unknown_customer_skips_every_vendor(gw: Harness) -> None:
    body = await gw.query(FORGET, {"id": "00000000-0000-4000-8000-000000000000", "key": "forget-4"})

    payload = body["data"]["forgetCustomer"]
    assert set(statuses(payload).values()) == {"SKIPPED"}
    assert payload["complete"] is True
