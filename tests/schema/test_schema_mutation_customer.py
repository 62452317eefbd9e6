"""createCustomer / updateCustomer: three vendors, each outcome reported, safe to retry."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.schema.gateway_harness import Harness

CREATE = """
mutation($input: CreateCustomerInput!, $key: String!) {
  createCustomer(input: $input, idempotencyKey: $key) {
    customerId complete
    outcomes { vendor status code retryable message }
    customer { customerId firstName email }
  }
}
"""

UPDATE = """
mutation($id: ID!, $input: UpdateCustomerInput!, $key: String!) {
  updateCustomer(id: $id, input: $input, idempotencyKey: $key) {
    customerId complete
    outcomes { vendor status code retryable }
    customer { firstName }
  }
}
"""

READ = "query($id: ID!) { customer(id: $id) { firstName lastName email } }"

NEW_ID = "0b8e5a4c-1d2e-4f60-8a7b-9c0d1e2f3a4b"
PERSON = {
    "customerId": NEW_ID,
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": "ada.lovelace@example.org",
    "mobileNumber": "+31612345678",
    "promotionAttributes": {"City": "Utrecht"},
}
PATCH = "PATCH /api/v1/customers/{customerId}"
TALON_PUT = "PUT /v2/customer_profiles/{integrationId}"
OMNIDESK_UPDATE = "PUT /api/v2/customer/updateCustomer"


def statuses(payload: dict[str, Any]) -> dict[str, str]:
    return {o["vendor"]: o["status"] for o in payload["outcomes"]}


async def test_create_writes_the_person_to_all_three_vendors(gw: Harness) -> None:
    body = await gw.query(CREATE, {"input": PERSON, "key": "create-1"})

    payload = body["data"]["createCustomer"]
    assert statuses(payload) == {
        "TALLYMARKS": "SUCCEEDED",
        "OMNIDESK": "SUCCEEDED",
        "TALON": "SUCCEEDED",
    }
    assert payload["complete"] is True
    assert payload["customer"] == {
        "customerId": NEW_ID,
        "firstName": "Ada",
        "email": "ada.lovelace@example.org",
    }
    assert gw.endpoints("tallymarks") == {
        "POST /api/v1/customers": 1,
        "GET /api/v1/customers/{customerId}": 1,  # the payload's customer, read fresh
    }
    assert gw.endpoints("omnidesk") == {"POST /api/v2/customer": 1}
    assert gw.endpoints("talon") == {TALON_PUT: 1}


async def test_create_without_an_id_derives_it_from_the_key_and_a_retry_writes_nothing(
    gw: Harness,
) -> None:
    person = {k: v for k, v in PERSON.items() if k != "customerId"}
    first = await gw.query(CREATE, {"input": person, "key": "create-2"})
    gw.reset_calls()

    again = await gw.query(CREATE, {"input": person, "key": "create-2"})

    payload = again["data"]["createCustomer"]
    assert payload["customerId"] == first["data"]["createCustomer"]["customerId"]
    assert set(statuses(payload).values()) == {"ALREADY_DONE"}
    assert gw.endpoints("omnidesk") == {}
    assert gw.endpoints("talon") == {}
    assert "POST /api/v1/customers" not in gw.endpoints("tallymarks")


async def test_create_with_a_taken_email_fails_only_at_the_loyalty_system(gw: Harness) -> None:
    taken = {**PERSON, "email": gw.acme.customers[0].email}

    body = await gw.query(CREATE, {"input": taken, "key": "create-3"})

    payload = body["data"]["createCustomer"]
    assert payload["complete"] is False
    assert payload["customer"] is None
    tallymarks = payload["outcomes"][0]
    assert (tallymarks["vendor"], tallymarks["status"], tallymarks["code"]) == (
        "TALLYMARKS",
        "FAILED",
        "BAD_USER_INPUT",
    )
    assert tallymarks["retryable"] is False


async def test_update_changes_every_vendor_that_keeps_the_fields(gw: Harness) -> None:
    person = gw.acme.customers[2]

    body = await gw.query(
        UPDATE,
        {"id": person.customer_id, "input": {"firstName": "Grace"}, "key": "update-1"},
    )

    payload = body["data"]["updateCustomer"]
    assert set(statuses(payload).values()) == {"SUCCEEDED"}
    assert payload["customer"] == {"firstName": "Grace"}
    assert gw.endpoints("tallymarks") == {
        "GET /api/v1/customers/{customerId}": 2,  # the existence check; the fresh payload read
        PATCH: 1,
    }
    assert gw.endpoints("omnidesk") == {OMNIDESK_UPDATE: 1}
    assert gw.endpoints("talon") == {TALON_PUT: 1}


async def test_a_vendor_that_keeps_none_of_the_fields_is_skipped(gw: Harness) -> None:
    person = gw.acme.customers[2]

    body = await gw.query(
        UPDATE, {"id": person.customer_id, "input": {"optinSms": True}, "key": "update-2"}
    )

    payload = body["data"]["updateCustomer"]
    assert statuses(payload) == {
        "TALLYMARKS": "SUCCEEDED",
        "OMNIDESK": "SKIPPED",
        "TALON": "SKIPPED",
    }
    assert payload["complete"] is True
    assert gw.endpoints("omnidesk") == {}
    assert gw.endpoints("talon") == {}


async def test_a_failing_vendor_is_reported_and_a_retry_finishes_without_writing_twice(
    gw: Harness,
) -> None:
    person = gw.acme.customers[4]
    variables = {
        "id": person.customer_id,
        "input": {"firstName": "Hedy", "email": "hedy@example.org"},
        "key": "update-3",
    }
    gw.fault("omnidesk", error_rate=1.0)

    failed = (await gw.query(UPDATE, variables))["data"]["updateCustomer"]

    assert failed["complete"] is False
    omnidesk = failed["outcomes"][1]
    assert omnidesk == {
        "vendor": "OMNIDESK",
        "status": "FAILED",
        "code": "UPSTREAM_UNAVAILABLE",
        "retryable": True,
    }
    assert statuses(failed)["TALLYMARKS"] == statuses(failed)["TALON"] == "SUCCEEDED"

    gw.fault("omnidesk")
    retried = (await gw.query(UPDATE, variables))["data"]["updateCustomer"]

    assert statuses(retried) == {
        "TALLYMARKS": "ALREADY_DONE",
        "OMNIDESK": "SUCCEEDED",
        "TALON": "ALREADY_DONE",
    }
    assert retried["complete"] is True
    # nothing written twice over both requests
    assert gw.calls("tallymarks", PATCH) == 1
    assert gw.calls("talon", TALON_PUT) == 1
    support = await gw.query(
        "query($id: ID!) { customer(id: $id) { supportProfile { firstName } } }",
        {"id": person.customer_id},
    )
    assert support["data"]["customer"]["supportProfile"] == {"firstName": "Hedy"}


async def test_the_same_key_with_another_input_is_refused(gw: Harness) -> None:
    person = gw.acme.customers[5]
    await gw.query(UPDATE, {"id": person.customer_id, "input": {"firstName": "Ann"}, "key": "k"})
    gw.reset_calls()

    body = await gw.query(
        UPDATE, {"id": person.customer_id, "input": {"firstName": "Bob"}, "key": "k"}
    )

    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "idempotencyKey",
    }
    assert gw.calls("omnidesk") == gw.calls("talon") == 0


async def test_a_second_request_with_a_running_key_is_refused(gw: Harness) -> None:
    person = gw.acme.customers[6]
    variables = {"id": person.customer_id, "input": {"lastName": "Hopper"}, "key": "busy"}
    await gw.query(READ, {"id": person.customer_id})  # the existence check is cached
    gw.fault("tallymarks", latency_ms=200)

    first, second = await asyncio.gather(gw.query(UPDATE, variables), gw.query(UPDATE, variables))

    refused = [b for b in (first, second) if "errors" in b]
    done = [b for b in (first, second) if "errors" not in b]
    assert len(refused) == len(done) == 1
    assert refused[0]["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "argument": "idempotencyKey",
        "retryable": True,
    }
    assert gw.calls("tallymarks", PATCH) == 1


async def test_an_unknown_customer_is_not_found_and_nothing_is_written(gw: Harness) -> None:
    body = await gw.query(
        UPDATE,
        {"id": "00000000-0000-4000-8000-000000000000", "input": {"firstName": "X"}, "key": "u"},
    )

    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "argument": "id"}
    assert gw.calls("omnidesk") == gw.calls("talon") == 0
    assert PATCH not in gw.endpoints("tallymarks")


async def test_bad_input_names_the_argument_before_any_call(gw: Harness) -> None:
    cases = [
        ({"email": "not-an-email"}, "input.email"),
        ({"mobileNumber": "06 1234 5678"}, "input.mobileNumber"),
        ({"firstName": "R2D2"}, "input.firstName"),
        ({"customerId": "not-a-guid"}, "input.customerId"),
        ({"promotionAttributes": [1, 2]}, "input.promotionAttributes"),
    ]
    for fields, argument in cases:
        body = await gw.query(CREATE, {"input": fields, "key": f"bad-{argument}"})

        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    empty = await gw.query(UPDATE, {"id": NEW_ID, "input": {}, "key": "bad-empty"})
    assert empty["errors"][0]["extensions"]["argument"] == "input"
    assert gw.calls() == 0


async def test_no_stale_read_after_your_own_write(gw: Harness) -> None:
    person = gw.acme.customers[7]
    before = await gw.query(READ, {"id": person.customer_id})
    assert before["data"]["customer"]["firstName"] == person.first_name
    warm = await gw.query(READ, {"id": person.customer_id})
    assert warm == before
    gw.reset_calls()

    await gw.query(
        'mutation($id: ID!) { updateCustomer(id: $id, input: {firstName: "Katherine"}, '
        'idempotencyKey: "fresh") { complete } }',
        {"id": person.customer_id},
    )
    writes = gw.endpoints("tallymarks")
    gw.reset_calls()
    after = await gw.query(READ, {"id": person.customer_id})

    assert writes == {PATCH: 1}  # the existence check was served by the cache
    assert after["data"]["customer"]["firstName"] == "Katherine"
    assert gw.endpoints("tallymarks") == {"GET /api/v1/customers/{customerId}": 1}
    assert gw.calls("omnidesk") == gw.calls("talon") == 0


async def test_overlapping_talon_profile_updates_are_queued_not_conflicts(gw: Harness) -> None:
    person = gw.acme.customers[8]
    await set_talon_options(gw, processing_delay_ms=300)

    mutation = (
        "mutation($id: ID!, $key: String!) { updateCustomer(id: $id, "
        'input: {promotionAttributes: {City: "Delft"}}, idempotencyKey: $key) '
        "{ outcomes { vendor status code retryable } } }"
    )
    first, second = await asyncio.gather(
        gw.query(mutation, {"id": person.customer_id, "key": "a"}),
        gw.query(mutation, {"id": person.customer_id, "key": "b"}),
    )

    talon = [
        o
        for body in (first, second)
        for o in body["data"]["updateCustomer"]["outcomes"]
        if o["vendor"] == "TALON"
    ]
    succeeded = {"vendor": "TALON", "status": "SUCCEEDED", "code": None, "retryable": False}
    assert talon == [succeeded, succeeded]


async def set_talon_options(gw: Harness, **options: Any) -> None:
    import httpx

    transport = httpx.ASGITransport(app=gw.sandboxes["talon"])
    async with httpx.AsyncClient(transport=transport, base_url="http://talon.test") as admin:
        response = await admin.put("/_sandbox/talon/settings", json=options)
        response.raise_for_status()


READ_ACROSS = """
query($id: ID!) {
  customer(id: $id) {
    firstName
    pointsBalance { points }
    supportProfile { firstName }
    promotionProfile { attributes { name value } }
  }
}
"""


async def test_after_an_update_only_the_changed_resources_are_fetched_again(gw: Harness) -> None:
    person = gw.acme.customers[9]
    await gw.query(READ_ACROSS, {"id": person.customer_id})
    gw.reset_calls()
    await gw.query(
        'mutation($id: ID!) { updateCustomer(id: $id, input: {firstName: "Mary"}, '
        'idempotencyKey: "across") { complete } }',
        {"id": person.customer_id},
    )
    gw.reset_calls()

    body = await gw.query(READ_ACROSS, {"id": person.customer_id})

    customer = body["data"]["customer"]
    assert customer["firstName"] == customer["supportProfile"]["firstName"] == "Mary"
    assert {"name": "FirstName", "value": "Mary"} in customer["promotionProfile"]["attributes"]
    # the balance is served from the cache; each changed profile is read once
    assert gw.endpoints("tallymarks") == {"GET /api/v1/customers/{customerId}": 1}
    assert sum(gw.endpoints("omnidesk").values()) == 1
    assert gw.endpoints("talon") == {"GET /v1/customer_profiles/{integrationId}/inventory": 1}


async def test_a_refused_create_is_redone_under_a_new_key_without_duplicates(
    gw: Harness,
) -> None:
    person = {k: v for k, v in PERSON.items() if k != "customerId"}
    taken = {**person, "email": gw.acme.customers[0].email}
    refused = (await gw.query(CREATE, {"input": taken, "key": "redo-1"}))["data"]
    customer_id = refused["createCustomer"]["customerId"]

    redone = await gw.query(
        CREATE, {"input": {**person, "customerId": customer_id}, "key": "redo-2"}
    )

    payload = redone["data"]["createCustomer"]
    assert set(statuses(payload).values()) == {"SUCCEEDED"}
    assert payload["customer"]["email"] == person["email"]
    assert gw.calls("omnidesk", "POST /api/v2/customer") == 2  # the second found it there
    assert gw.calls("omnidesk", OMNIDESK_UPDATE) == 1
    support = await gw.query(
        "query($id: ID!) { customer(id: $id) { supportProfile { firstName } } }",
        {"id": customer_id},
    )
    assert support["data"]["customer"]["supportProfile"] == {"firstName": "Ada"}
