"""The embedded demo's credentials: a full key and a read-only key per tenant, and bearer
tokens signed with a demo secret (``python -m gateway token``)."""

from __future__ import annotations

import jwt
import pytest

from gateway.__main__ import main
from gateway.auth import JwtAuthenticator, Scope
from gateway.embedded import demo_api_keys, demo_auth_lines, demo_jwt_settings, demo_read_only_keys
from gateway.settings import GatewaySettings
from sandbox.demo_world import demo_world_from_env
from tests.schema.auth_harness import auth_harness
from tests.schema.gateway_harness import WORLD

EMAIL = "query($id: ID!) { customer(id: $id) { email } }"
FORGET = 'mutation($id: ID!) { forgetCustomer(id: $id, idempotencyKey: "k") { complete } }'


async def test_the_read_only_demo_key_reads_and_is_refused_writes() -> None:
    keys = {**demo_api_keys(WORLD), **demo_read_only_keys(WORLD)}
    read_only = next(k for k, v in demo_read_only_keys(WORLD).items() if v.tenant == "acme")

    async with auth_harness(api_keys=keys) as h:
        customer = h.acme.customers[0].customer_id
        read = await h.query(EMAIL, {"id": customer}, key=read_only)
        write = await h.query(FORGET, {"id": customer}, key=read_only)

    assert read == {"data": {"customer": {"email": h.acme.customers[0].email}}}
    assert write["data"] == {"forgetCustomer": None}
    assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_printed_demo_token_works_and_holds_every_scope() -> None:
    settings = demo_jwt_settings(WORLD)
    lines = demo_auth_lines(WORLD, settings)
    token = next(line.split("Bearer ")[1] for line in lines if "Bearer " in line)

    async with auth_harness(GatewaySettings(_env_file=None, jwt=settings)) as h:
        customer = h.acme.customers[0]
        response = await h.post_as(
            EMAIL, {"authorization": f"Bearer {token}"}, id=customer.customer_id
        )
        principal = await JwtAuthenticator(settings).authenticate(token)

    assert response.json() == {"data": {"customer": {"email": customer.email}}}
    assert principal.scopes == frozenset(Scope)
    assert sum("read-only API key" in line for line in lines) == len(WORLD.tenants)


def test_python_m_gateway_token_signs_with_the_demo_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CG_TENANTS", "CG_TENANTS_FILE", "CG_JWT__SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir("/")  # no .env file

    main(["token", "--tenant", "globex", "--scope", "customers:read", "--ttl", "60"])

    token = capsys.readouterr().out.strip()
    settings = demo_jwt_settings(demo_world_from_env())
    secret = settings.secret.get_secret_value() if settings.secret else ""
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience="customer-graph")
    assert (claims["tenant"], claims["scope"]) == ("globex", "customers:read")
    assert claims["exp"] - claims["iat"] == 60
