"""Case-insensitive paths, exact parameter casing, content types, vendor error bodies.

See docs/vendors/omnidesk.md §2, §3.
"""

from __future__ import annotations

import httpx
import pytest

from sandbox.omnidesk.rules import AccountRules
from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import (
    ACME,
    BASE,
    counters,
    error,
    key,
    multipart,
    result,
)

CUSTOMER = ACME.customers[0]
SEARCH_FORM = multipart(primary_id=CUSTOMER.customer_id, brand_id=ACME.omnidesk_brand_id)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/customer/SearchByPrimaryExternalID",
        "/api/v2/customer/searchbyprimaryexternalid",
        "/api/v2/customer/searchByPrimaryExternalId",
        "/API/V2/CUSTOMER/SEARCHBYPRIMARYEXTERNALID",
    ],
)
async def test_paths_are_routed_case_insensitively(client: httpx.AsyncClient, path: str) -> None:
    response = await client.post(path, headers=key(), files=SEARCH_FORM)

    assert response.status_code == 200
    assert response.json()["item"]["external_primary_id"] == CUSTOMER.customer_id


async def test_every_casing_is_counted_under_the_route_template(
    client: httpx.AsyncClient,
) -> None:
    await client.post(f"{BASE}/searchbyprimaryexternalid", headers=key(), files=SEARCH_FORM)
    await client.post(f"{BASE}/SearchByPrimaryExternalID", headers=key(), files=SEARCH_FORM)
    await client.put(f"{BASE}/UPDATECUSTOMER", headers=key(), data={"brandID": "1"})

    seen = await counters(client)

    assert seen["POST /api/v2/customer/SearchByPrimaryExternalID"] == 2
    assert seen["PUT /api/v2/customer/updateCustomer"] == 1


async def test_parameter_names_are_case_sensitive(client: httpx.AsyncClient) -> None:
    wrong = multipart(Primary_ID=CUSTOMER.customer_id, brandID=ACME.omnidesk_brand_id)

    response = await client.post(f"{BASE}/SearchByPrimaryExternalID", headers=key(), files=wrong)

    assert response.status_code == 400
    assert response.json() == error("Field 'primary_id' is required.")


async def test_each_endpoint_has_its_own_casing(client: httpx.AsyncClient) -> None:
    # updateCustomer takes externalPrimaryID/brandID, not the snake_case of POST index
    snake = {"primary_id": CUSTOMER.customer_id, "brand_id": str(ACME.omnidesk_brand_id)}

    response = await client.put(f"{BASE}/updateCustomer", headers=key(), data=snake)

    assert response.status_code == 400
    assert response.json() == error("Field 'externalPrimaryID' is required.")


async def test_an_unknown_route_answers_the_vendor_body(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/customers", headers=key())

    assert response.status_code == 404
    assert response.json() == error("This endpoint does not exist.")


@pytest.mark.parametrize("raw", ["abc", "%D9%A3", "%C2%B9"])  # "٣" and "¹" are no numbers
async def test_a_non_numeric_id_is_no_route(client: httpx.AsyncClient, raw: str) -> None:
    response = await client.get(f"{BASE}/{raw}", headers=key())

    assert response.status_code == 404
    assert response.json() == error("This endpoint does not exist.")


async def test_a_wrong_method_answers_the_vendor_body(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{BASE}/1", headers=key())

    assert response.status_code == 405
    assert response.json() == error("This method is not allowed on this endpoint.")


async def test_an_unexpected_failure_answers_the_vendor_500_body(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(self: AccountRules, query: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(AccountRules, "search", explode)

    response = await client.get(BASE, headers=key())

    assert response.status_code == 500
    assert response.json() == error("An internal error occurred.")


async def test_framework_validation_never_leaks_a_422(client: httpx.AsyncClient) -> None:
    response = await client.patch(
        f"/_sandbox/omnidesk/brands/{ACME.omnidesk_brand_id}", json={"crm_url": ["not", "text"]}
    )

    assert response.status_code == 400
    assert response.json() == error("Field 'crm_url' is invalid.")


# --- content types -------------------------------------------------------------------------


async def test_post_takes_multipart(client: httpx.AsyncClient) -> None:
    form = multipart(brand_id=ACME.omnidesk_brand_id, primary_id="mp-1", firstname="Anna")

    response = await client.post(BASE, headers=key(), files=form)

    assert response.status_code == 200
    assert response.json()["message"] == "User created and channel linked."


async def test_post_takes_urlencoded(client: httpx.AsyncClient) -> None:
    form = {"brand_id": str(ACME.omnidesk_brand_id), "primary_id": "ue-1"}

    response = await client.post(BASE, headers=key(), data=form)

    assert response.status_code == 200


async def test_json_bodies_are_refused(client: httpx.AsyncClient) -> None:
    body = {"brand_id": ACME.omnidesk_brand_id, "primary_id": "js-1"}

    response = await client.post(BASE, headers=key(), json=body)

    assert response.status_code == 400
    assert response.json() == error("Unsupported content type application/json for POST.")


async def test_json_bodies_can_be_accepted_by_option(client_with: MakeClient) -> None:
    client = client_with(accept_json_bodies=True)
    body = {"brand_id": ACME.omnidesk_brand_id, "primary_id": "js-1", "noSync": True}

    response = await client.post(BASE, headers=key(), json=body)

    assert response.status_code == 200
    assert response.json()["message"] == "User created and channel linked."


async def test_put_refuses_multipart(client: httpx.AsyncClient) -> None:
    response = await client.put(f"{BASE}/1", headers=key(), files=multipart(firstname="Anna"))

    assert response.status_code == 400
    assert response.json() == error("Unsupported content type multipart/form-data for PUT.")


async def test_put_takes_multipart_by_option(client_with: MakeClient) -> None:
    client = client_with(accept_multipart_on_put=True)

    response = await client.put(f"{BASE}/1", headers=key(), files=multipart(firstname="Anna"))

    assert response.status_code == 200
    assert response.json() == result("Customer updated.")


async def test_put_takes_urlencoded(client: httpx.AsyncClient) -> None:
    response = await client.put(f"{BASE}/1", headers=key(), data={"firstname": "Anna"})

    assert response.status_code == 200
    assert response.json() == result("Customer updated.")


async def test_delete_takes_its_parameters_from_the_query(client: httpx.AsyncClient) -> None:
    params = {"primary_id": CUSTOMER.customer_id, "brand_id": ACME.omnidesk_brand_id}

    response = await client.delete(f"{BASE}/purgeData", params=params, headers=key())

    assert response.status_code == 200
    assert response.json() == result("Customer data purged.")


async def test_delete_takes_its_parameters_from_an_urlencoded_body(
    client: httpx.AsyncClient,
) -> None:
    form = {"primary_id": CUSTOMER.customer_id, "brand_id": str(ACME.omnidesk_brand_id)}

    response = await client.request("DELETE", f"{BASE}/purgeData", data=form, headers=key())

    assert response.status_code == 200
    assert response.json() == result("Customer data purged.")


async def test_the_openapi_docs_list_the_vendor_paths(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    spec = (await client.get("/openapi.json")).json()

    assert docs.status_code == 200
    assert "/api/v2/customer/timelineByCustomerExternalID" in spec["paths"]
    assert "/api/v2/customer/{id}/channel/{channelId}" in spec["paths"]
