"""API keys: 401 before any execution without a valid one; each key's scopes decide which
root fields answer, field by field."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import ValidationError

from gateway.auth.api_keys import ApiKeyGrant
from gateway.auth.authenticator import Authenticator
from gateway.auth.jwt_settings import JwtSettings
from gateway.auth.middleware import AuthMiddleware
from gateway.auth.scopes import Scope
from gateway.settings import GatewaySettings
from tests.schema.auth_harness import AuthHarness, auth_harness

CUSTOMER = "query($id: ID!) { customer(id: $id) { customerId email } }"


@pytest.fixture
async def ah() -> AsyncIterator[AuthHarness]:
    async with auth_harness() as h:
        yield h


def _only_error(response_body: dict[str, Any]) -> dict[str, Any]:
    (error,) = response_body["errors"]
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "MISSING_CREDENTIALS"),
        ({"x-api-key": ""}, "MISSING_CREDENTIALS"),
        ({"x-api-key": "key-nobody"}, "INVALID_API_KEY"),
        ({"x-api-key": "key-initech"}, "INVALID_API_KEY"),  # its tenant is not served here
        ({"authorization": "Basic a2V5LWFjbWU6"}, "MISSING_CREDENTIALS"),
    ],
)
async def test_without_a_valid_key_the_answer_is_401_before_any_upstream_call(
    ah: AuthHarness, headers: dict[str, str], reason: str
) -> None:
    response = await ah.post_as(CUSTOMER, headers, id=ah.acme.customers[0].customer_id)

    assert response.status_code == 401
    assert _only_error(response.json())["extensions"] == {
        "code": "UNAUTHENTICATED",
        "reason": reason,
    }
    assert response.headers["www-authenticate"] == 'ApiKey header="X-API-Key"'
    assert response.headers["cache-control"] == "no-store"
    assert ah.upstream == []


async def test_a_get_with_a_query_needs_a_key_too(ah: AuthHarness) -> None:
    response = await ah.client.get("/graphql", params={"query": "{ __typename }"})

    assert response.status_code == 401


async def test_the_401_speaks_graphql_response_json_when_asked(ah: AuthHarness) -> None:
    response = await ah.client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"accept": "application/graphql-response+json"},
    )

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/graphql-response+json; charset=utf-8"


async def test_the_playground_page_and_preflights_need_no_key(ah: AuthHarness) -> None:
    page = await ah.client.get("/graphql", headers={"accept": "text/html"})
    preflight = await ah.client.options("/graphql")

    assert page.status_code == 200
    assert preflight.status_code != 401


async def test_a_websocket_handshake_without_a_key_is_refused() -> None:
    reached: list[object] = []

    async def app(scope: object, receive: object, send: object) -> None:
        reached.append(scope)

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    middleware = AuthMiddleware(
        app, Authenticator.build({"k": "acme"}, JwtSettings(), ["acme"]), "/graphql"
    )
    await middleware({"type": "websocket", "path": "/graphql", "headers": []}, receive, send)

    assert sent == [{"type": "websocket.close", "code": 1008}]
    assert reached == []


async def test_a_key_in_the_old_form_holds_every_scope(ah: AuthHarness) -> None:
    principal = await ah.gateway.state.services.authenticator.authenticate(
        {"x-api-key": "key-acme"}
    )

    assert principal.tenant == "acme"
    assert principal.scopes == frozenset(Scope)
    assert "key-acme" not in principal.name


async def test_a_missing_scope_nulls_that_field_only(ah: AuthHarness) -> None:
    customer = ah.acme.customers[0]
    query = """query($id: ID!) {
      customer(id: $id) { email }
      cartSession(id: "no-such-cart") { id }
    }"""

    body = await ah.query(query, {"id": customer.customer_id}, key="key-acme-promotions")

    assert body["data"] == {"customer": None, "cartSession": None}
    error = _only_error(body)
    assert error["path"] == ["customer"]
    assert error["extensions"] == {"code": "FORBIDDEN", "requiredScopes": ["customers:read"]}
    assert error["message"] == "This needs the `customers:read` scope."
    assert ah.endpoints("tallymarks") == {}
    assert ah.endpoints("talon") == {"GET /v2/customer_sessions/{customerSessionId}": 1}


async def test_a_forbidden_mutation_does_nothing_and_the_next_one_still_runs(
    ah: AuthHarness,
) -> None:
    customer = ah.acme.customers[0]
    mutation = """mutation($id: ID!) {
      createCustomer(input: {email: "new.one@example.com"}, idempotencyKey: "k1") {
        customerId
      }
      assessBasket(input: {customerId: $id, total: 50}) { potentialPoints }
    }"""

    body = await ah.query(mutation, {"id": customer.customer_id}, key="key-acme-read")

    assert body["data"]["createCustomer"] is None
    assert isinstance(body["data"]["assessBasket"]["potentialPoints"], int)
    error = _only_error(body)
    assert error["path"] == ["createCustomer"]
    assert error["extensions"]["requiredScopes"] == ["customers:write"]
    assert ah.calls("omnidesk") == 0
    assert ah.calls("talon") == 0
    assert ah.endpoints("tallymarks") == {"POST /api/v1/events/baskets": 1}


SUPPORT_NOTE = """mutation($id: ID!) {
  recordTimelineEvent(customerId: $id, message: "Called about an order") { timelineEntryId }
}"""
AUDIENCE = 'mutation { createAudience(input: {name: "Runners"}) { audience { audienceId } } }'
RENAME = """mutation($id: ID!) {
  updateCustomer(id: $id, input: {firstName: "Renamed"}, idempotencyKey: "r1") { complete }
}"""
FORGET = """mutation($id: ID!) {
  forgetCustomer(id: $id, idempotencyKey: "f1") { complete }
}"""


@pytest.mark.parametrize(
    ("key", "allowed", "refused"),
    [
        ("key-acme-support", SUPPORT_NOTE, AUDIENCE),
        ("key-acme-promotions", AUDIENCE, SUPPORT_NOTE),
        ("key-acme-write", RENAME, FORGET),
        ("key-acme-gdpr", FORGET, RENAME),
        ("key-acme-nothing", None, CUSTOMER),
    ],
)
async def test_each_scope_grants_its_own_fields(
    ah: AuthHarness, key: str, allowed: str | None, refused: str
) -> None:
    variables = {"id": ah.acme.customers[3].customer_id}

    refused_body = await ah.query(refused, variables, key=key)
    assert [e["extensions"]["code"] for e in refused_body["errors"]] == ["FORBIDDEN"]
    assert ah.upstream == []
    if allowed is not None:
        allowed_body = await ah.query(allowed, variables, key=key)
        assert "errors" not in allowed_body
        assert all(v is not None for v in allowed_body["data"].values())


def test_api_keys_come_from_the_environment_in_both_forms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = {
        "gw-all": "acme",
        "gw-read": {"tenant": "acme", "scopes": ["customers:read"], "name": "dashboard"},
    }
    monkeypatch.setenv("CG_API_KEYS", json.dumps(keys))

    settings = GatewaySettings(_env_file=None)

    assert settings.api_keys == {
        "gw-all": "acme",
        "gw-read": ApiKeyGrant(tenant="acme", scopes=[Scope.CUSTOMERS_READ], name="dashboard"),
    }


@pytest.mark.parametrize(
    "grant",
    [
        {"tenant": "acme", "scopes": ["customers:delete"]},  # no such scope
        {"tenant": "acme"},  # scopes must be explicit in this form
        {"tenant": "", "scopes": []},
    ],
)
def test_a_mistyped_key_grant_stops_the_gateway_at_start(
    monkeypatch: pytest.MonkeyPatch, grant: dict[str, object]
) -> None:
    monkeypatch.setenv("CG_API_KEYS", json.dumps({"gw-key": grant}))

    with pytest.raises(ValidationError):
        GatewaySettings(_env_file=None)
