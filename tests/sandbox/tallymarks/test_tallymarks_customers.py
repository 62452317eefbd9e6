"""Customer profiles: get, create, PATCH, email uniqueness and balance
(docs/vendors/tallymarks.md §7.1 to §7.5, §9)."""

from __future__ import annotations

from tests.sandbox.tallymarks.tm_support import (
    ACME,
    client_for,
    create_customer,
    error,
    guid,
    invalid,
    new_app,
    set_clock,
    utc,
)

DEMO = ACME.customers[3]


def email_taken(code: str, message: str, email: str) -> dict[str, object]:
    return error(
        code,
        message,
        "The email address belongs to another customer of this tenant.",
        [{"message": message, "param": "emailAddress", "value": email}],
    )


def customer_not_found(customer_id: str) -> dict[str, object]:
    return error(
        "CustomerNotFound",
        "Customer Not Found",
        f"No customer {customer_id} in this tenant.",
        [{"message": "Customer Not Found", "param": "customerId", "value": customer_id}],
    )


async def test_get_returns_the_full_profile() -> None:
    async with client_for(new_app()) as client:
        response = await client.get(f"/api/v1/customers/{DEMO.customer_id}")
    body = response.json()
    assert response.status_code == 200
    assert body["customerId"] == DEMO.customer_id
    assert body["emailAddress"] == DEMO.email
    assert body["attributes"] == [
        {"name": "city", "value": DEMO.city},
        {"name": "tier", "value": DEMO.tier},
    ]
    assert body["createdAt"] == DEMO.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert set(body) == {
        "customerId", "tenantId", "firstName", "lastName", "displayName", "emailAddress",
        "isAccountLocked", "mobileNumber", "optinSms", "optinEmail", "acceptTerms", "attributes",
        "dateOfBirth", "createdAt", "changedAt", "contactPhone", "externalReference",
        "externalStatus",
    }  # fmt: skip


async def test_get_an_unknown_customer_is_404() -> None:
    missing = guid()
    async with client_for(new_app()) as client:
        response = await client.get(f"/api/v1/customers/{missing}")
    assert (response.status_code, response.json()) == (404, customer_not_found(missing))


async def test_a_non_guid_id_misses_the_route() -> None:
    async with client_for(new_app()) as client:
        response = await client.get("/api/v1/customers/not-a-guid")
    assert response.status_code == 404
    assert response.json() == error(
        "NotFound", "Not Found", "No resource at /api/v1/customers/not-a-guid."
    )


async def test_a_non_guid_id_can_be_a_400() -> None:
    async with client_for(new_app(non_guid_id_status=400)) as client:
        response = await client.get("/api/v1/customers/not-a-guid/balance")
    assert response.status_code == 400
    assert response.json() == invalid("customerId", "The value is not a valid GUID.", "not-a-guid")


async def test_create_registers_the_customer() -> None:
    app = new_app()
    set_clock(app, utc(2026, 3, 1, 9, 30))
    customer_id = guid()
    body = {
        "customerId": customer_id.upper(),
        "firstName": "Ada",
        "lastName": "Lovelace",
        "emailAddress": "ada@example.com",
        "optinEmail": True,
        "attributes": [{"name": "city", "value": "Delft"}, {"key": "tier", "value": "gold"}],
        "dateOfBirth": "1990-05-01T00:00:00+11:00",
    }
    async with client_for(app) as client:
        created = await client.post("/api/v1/customers", json=body)
        fetched = await client.get(f"/api/v1/customers/{customer_id}")
    assert created.status_code == 200
    assert created.json() == fetched.json()
    assert created.json() == {
        "customerId": customer_id,
        "tenantId": ACME.tallymarks_tenant_id,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "displayName": None,
        "emailAddress": "ada@example.com",
        "isAccountLocked": False,
        "mobileNumber": None,
        "optinSms": False,
        "optinEmail": True,
        "acceptTerms": False,
        "attributes": [{"name": "city", "value": "Delft"}, {"name": "tier", "value": "gold"}],
        "dateOfBirth": "1990-04-30T13:00:00.000Z",
        "createdAt": "2026-03-01T09:30:00.000Z",
        "changedAt": "2026-03-01T09:30:00.000Z",
        "contactPhone": None,
        "externalReference": None,
        "externalStatus": None,
    }


async def test_property_names_match_case_insensitively() -> None:
    async with client_for(new_app()) as client:
        created = await client.post(
            "/api/v1/customers",
            json={"CUSTOMERID": guid(), "FirstName": "Bo", "emailaddress": "bo@example.com"},
        )
    assert created.status_code == 200
    assert (created.json()["firstName"], created.json()["emailAddress"]) == ("Bo", "bo@example.com")


async def test_create_refuses_an_email_already_registered() -> None:
    # given an existing customer's email in another case and with spaces
    taken = f"  {DEMO.email.upper()} "
    async with client_for(new_app()) as client:
        response = await client.post(
            "/api/v1/customers", json={"customerId": guid(), "emailAddress": taken}
        )
    assert response.status_code == 400
    assert response.json() == email_taken(
        "EmailAlreadyRegistered", "Email Already Registered", taken.strip()
    )


async def test_create_refuses_an_existing_customer_id_by_default() -> None:
    async with client_for(new_app()) as client:
        response = await client.post(
            "/api/v1/customers", json={"customerId": DEMO.customer_id, "firstName": "X"}
        )
    assert response.status_code == 400
    assert response.json() == error(
        "CustomerAlreadyExists",
        "Customer Already Exists",
        "A customer with this customerId is already registered.",
        [{"message": "Customer Already Exists", "param": "customerId", "value": DEMO.customer_id}],
    )


async def test_create_can_upsert_an_existing_customer() -> None:
    async with client_for(new_app(existing_customer_on_create="upsert")) as client:
        before = (await client.get(f"/api/v1/customers/{DEMO.customer_id}")).json()
        response = await client.post(
            "/api/v1/customers", json={"customerId": DEMO.customer_id, "firstName": "Renamed"}
        )
    assert response.status_code == 200
    assert response.json()["firstName"] == "Renamed"
    assert response.json()["lastName"] == before["lastName"]
    assert response.json()["createdAt"] == before["createdAt"]


async def test_create_validates_each_field() -> None:
    async with client_for(new_app()) as client:
        no_id = await client.post("/api/v1/customers", json={"firstName": "X"})
        bad_email = await client.post(
            "/api/v1/customers", json={"customerId": guid(), "emailAddress": "nope"}
        )
        bad_flag = await client.post(
            "/api/v1/customers", json={"customerId": guid(), "optinSms": "yes"}
        )
        bad_attribute = await client.post(
            "/api/v1/customers", json={"customerId": guid(), "attributes": [{"value": "x"}]}
        )
    assert (no_id.status_code, no_id.json()) == (400, invalid("customerId", "Field required"))
    assert bad_email.json() == invalid(
        "emailAddress", "The value is not a valid email address.", "nope"
    )
    assert bad_flag.json() == invalid("optinSms", "Input should be a valid boolean", "yes")
    assert bad_attribute.json() == invalid("attributes[0].name", "Field required")


async def test_malformed_json_and_wrong_content_type() -> None:
    async with client_for(new_app()) as client:
        malformed = await client.post(
            "/api/v1/customers", content=b"{", headers={"content-type": "application/json"}
        )
        as_text = await client.post(
            "/api/v1/customers", content=b"{}", headers={"content-type": "text/plain"}
        )
    message = "The request body is not valid JSON."
    assert malformed.status_code == 400
    assert malformed.json() == error(
        "InvalidJson",
        "Invalid request body.",
        message,
        [{"message": message, "param": "body", "value": ""}],
    )
    assert as_text.status_code == 415
    assert as_text.json() == error(
        "UnsupportedMediaType",
        "Unsupported Media Type",
        "Send the request body as application/json.",
    )


async def test_patch_changes_only_the_fields_sent() -> None:
    app = new_app()
    clock = set_clock(app, utc(2026, 1, 1))
    async with client_for(app) as client:
        created = await create_customer(client, firstName="Cy", lastName="Twombly", optinSms=True)
        clock.advance(days=3)
        response = await client.patch(
            f"/api/v1/customers/{created['customerId']}",
            json={"firstName": "Cyrus", "lastName": None, "createdAt": "2000-01-01T00:00:00Z"},
        )
    patched = response.json()
    assert response.status_code == 200
    assert patched == {
        **created,
        "firstName": "Cyrus",
        "changedAt": "2026-01-04T00:00:00.000Z",
    }


async def test_patch_can_clear_with_null_when_enabled() -> None:
    async with client_for(new_app(patch_null_clears=True)) as client:
        created = await create_customer(client, firstName="Di", emailAddress="di@example.com")
        response = await client.patch(
            f"/api/v1/customers/{created['customerId']}",
            json={"firstName": None, "emailAddress": None},
        )
        reuse = await create_customer(client, emailAddress="di@example.com")
    assert (response.json()["firstName"], response.json()["emailAddress"]) == (None, None)
    assert reuse["emailAddress"] == "di@example.com"


async def test_patch_refuses_another_customers_email() -> None:
    other = ACME.customers[4].email
    async with client_for(new_app()) as client:
        taken = await client.patch(
            f"/api/v1/customers/{DEMO.customer_id}", json={"emailAddress": other}
        )
        own = await client.patch(
            f"/api/v1/customers/{DEMO.customer_id}", json={"emailAddress": DEMO.email.upper()}
        )
    assert taken.status_code == 400
    assert taken.json() == email_taken("EmailAlreadyExists", "Email Already Exists", other)
    assert own.status_code == 200


async def test_patch_frees_the_old_email() -> None:
    async with client_for(new_app()) as client:
        moved = await client.patch(
            f"/api/v1/customers/{DEMO.customer_id}", json={"emailAddress": "new@example.com"}
        )
        reuse = await create_customer(client, emailAddress=DEMO.email)
    assert moved.status_code == 200
    assert reuse["emailAddress"] == DEMO.email


async def test_patch_of_an_unknown_customer_is_the_documented_400() -> None:
    missing = guid()
    async with client_for(new_app()) as client:
        response = await client.patch(f"/api/v1/customers/{missing}", json={"firstName": "X"})
    assert (response.status_code, response.json()) == (400, customer_not_found(missing))


async def test_patch_refuses_a_mismatched_customer_id() -> None:
    other = guid()
    async with client_for(new_app()) as client:
        response = await client.patch(
            f"/api/v1/customers/{DEMO.customer_id}", json={"customerId": other}
        )
    assert response.json() == invalid(
        "customerId", "The customerId does not match the route.", other
    )


async def test_patch_replaces_attributes_by_default() -> None:
    async with client_for(new_app()) as client:
        response = await client.patch(
            f"/api/v1/customers/{DEMO.customer_id}",
            json={"attributes": [{"key": "tier", "value": "platinum"}]},
        )
    assert response.json()["attributes"] == [{"name": "tier", "value": "platinum"}]


async def test_patch_can_merge_attributes() -> None:
    async with client_for(new_app(patch_attributes="merge")) as client:
        response = await client.patch(
            f"/api/v1/customers/{DEMO.customer_id}",
            json={
                "attributes": [{"name": "tier", "value": "platinum"}, {"name": "x", "value": "1"}]
            },
        )
    assert response.json()["attributes"] == [
        {"name": "city", "value": DEMO.city},
        {"name": "tier", "value": "platinum"},
        {"name": "x", "value": "1"},
    ]


async def test_a_new_customer_has_a_zero_balance() -> None:
    app = new_app()
    set_clock(app, utc(2026, 5, 5))
    async with client_for(app) as client:
        created = await create_customer(client)
        response = await client.get(f"/api/v1/customers/{created['customerId']}/balance")
    assert response.json() == {
        "tenantId": ACME.tallymarks_tenant_id,
        "customerId": created["customerId"],
        "pointsSegment": "base",
        "amount": 0,
        "changedAt": "2026-05-05T00:00:00.000Z",
    }


async def test_customer_search_matches_a_keyword_case_insensitively() -> None:
    target = ACME.customers[5]
    async with client_for(new_app()) as client:
        by_reference = await client.get(
            "/api/v1/customers", params={"keyword": target.external_reference.lower()}
        )
        by_name = await client.get("/api/v1/customers", params={"keyword": target.last_name})
    assert [c["customerId"] for c in by_reference.json()["customers"]] == [target.customer_id]
    expected = {c.customer_id for c in ACME.customers if target.last_name in c.display_name}
    assert {c["customerId"] for c in by_name.json()["customers"]} == expected
