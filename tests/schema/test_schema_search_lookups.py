"""Query.customerByEmail and Query.customerByExternalReference: exact lookups by search."""

from __future__ import annotations

from tests.schema.gateway_harness import Harness

SEARCH = "GET /api/v1/customers"
BY_EMAIL = """
query($email: String!) { customerByEmail(email: $email) { customerId firstName email } }
"""
BY_REFERENCE = """
query($ref: String!) {
  customerByExternalReference(reference: $ref) {
    customerId lastName loyaltyProfile { externalReference }
  }
}
"""


async def test_a_customer_by_email_ignores_case_and_costs_one_search(gw: Harness) -> None:
    person = gw.acme.customers[11]

    body = await gw.query(BY_EMAIL, {"email": f" {person.email.upper()} "})

    assert body == {
        "data": {
            "customerByEmail": {
                "customerId": person.customer_id,
                "firstName": person.first_name,
                "email": person.email,
            }
        }
    }
    assert gw.endpoints("tallymarks") == {SEARCH: 1}


async def test_a_partial_email_matches_nobody(gw: Harness) -> None:
    person = gw.acme.customers[11]

    body = await gw.query(BY_EMAIL, {"email": person.email.split("@")[0]})

    assert body == {"data": {"customerByEmail": None}}


async def test_a_customer_by_external_reference(gw: Harness) -> None:
    person = gw.acme.customers[4]

    body = await gw.query(BY_REFERENCE, {"ref": person.external_reference.lower()})

    assert "errors" not in body
    found = body["data"]["customerByExternalReference"]
    assert found["customerId"] == person.customer_id
    assert found["lastName"] == person.last_name
    assert found["loyaltyProfile"] == {"externalReference": person.external_reference}
    assert gw.endpoints("tallymarks") == {SEARCH: 1, "GET /api/v1/customers/{customerId}": 1}


async def test_an_unknown_reference_is_null_without_an_error(gw: Harness) -> None:
    body = await gw.query(BY_REFERENCE, {"ref": "CRM-nobody"})

    assert body == {"data": {"customerByExternalReference": None}}


async def test_lookups_never_cross_tenants(gw: Harness) -> None:
    person = gw.acme.customers[2]

    by_email = await gw.query(BY_EMAIL, {"email": person.email}, key="key-globex")
    by_reference = await gw.query(
        BY_REFERENCE, {"ref": person.external_reference}, key="key-globex"
    )

    assert by_email == {"data": {"customerByEmail": None}}
    assert by_reference == {"data": {"customerByExternalReference": None}}


async def test_aliases_of_one_lookup_share_one_search(gw: Harness) -> None:
    person = gw.acme.customers[5]

    body = await gw.query(
        """query($email: String!) {
             a: customerByEmail(email: $email) { email }
             b: customerByEmail(email: $email) { firstName }
           }""",
        {"email": person.email},
    )

    assert body["data"]["a"] == {"email": person.email}
    assert gw.endpoints("tallymarks") == {SEARCH: 1}


async def test_a_blank_lookup_is_bad_user_input(gw: Harness) -> None:
    body = await gw.query(BY_EMAIL, {"email": "  "})

    assert body["data"] == {"customerByEmail": None}
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "email"}
    assert gw.calls("tallymarks") == 0


async def test_tallymarks_down_is_a_null_lookup_with_the_vendor_named(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)

    body = await gw.query(BY_EMAIL, {"email": gw.acme.customers[0].email})

    assert body["data"] == {"customerByEmail": None}
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["vendor"] == "tallymarks"
