"""The demo's credentials: a full key and a read-only key per tenant, bearer tokens signed
with the run's secret, and ``python -m demo token`` (only with ``CG_DEMO_SEED``); ``python -m
gateway token`` signs only with a configured secret."""

from __future__ import annotations

import jwt
import pytest

from demo.__main__ import main
from demo.run_secrets import DemoSecrets
from demo.tenants import demo_api_keys, demo_auth_lines, demo_jwt_settings, demo_read_only_keys
from gateway.__main__ import main as gateway_main
from gateway.auth.jwt_tokens import JwtAuthenticator
from gateway.auth.scopes import Scope
from gateway.settings import GatewaySettings
from sandbox.demo_world import demo_world_from_env
from tests.schema.auth_harness import auth_harness
from tests.schema.gateway_harness import WORLD

EMAIL = "query($id: ID!) { customer(id: $id) { email } }"
FORGET = 'mutation($id: ID!) { forgetCustomer(id: $id, idempotencyKey: "k") { complete } }'
SECRETS = DemoSecrets.generate([t.key for t in WORLD.tenants])


async def test_the_read_only_demo_key_reads_and_is_refused_writes() -> None:
    keys = {**demo_api_keys(SECRETS), **demo_read_only_keys(SECRETS)}
    read_only = next(k for k, v in demo_read_only_keys(SECRETS).items() if v.tenant == "acme")

    async with auth_harness(api_keys=keys) as h:
        customer = h.acme.customers[0].customer_id
        read = await h.query(EMAIL, {"id": customer}, key=read_only)
        write = await h.query(FORGET, {"id": customer}, key=read_only)

    assert read == {"data": {"customer": {"email": h.acme.customers[0].email}}}
    assert write["data"] == {"forgetCustomer": None}
    assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_printed_demo_tokens_work_and_hold_every_scope() -> None:
    settings = demo_jwt_settings(SECRETS)
    lines = demo_auth_lines(SECRETS, settings, repeatable=False)
    tokens = [line.split("Bearer ")[1] for line in lines if "Bearer " in line]

    async with auth_harness(GatewaySettings(_env_file=None, jwt=settings)) as h:
        customer = h.acme.customers[0]
        response = await h.post_as(
            EMAIL, {"authorization": f"Bearer {tokens[0]}"}, id=customer.customer_id
        )
        principals = [await JwtAuthenticator(settings).authenticate(t) for t in tokens]

    assert response.json() == {"data": {"customer": {"email": customer.email}}}
    assert [p.tenant for p in principals] == [t.key for t in WORLD.tenants]
    assert all(p.scopes == frozenset(Scope) for p in principals)
    assert sum("read-only API key" in line for line in lines) == len(WORLD.tenants)
    assert "CG_DEMO_SEED" in lines[-1]  # how to get tokens another shell can mint


@pytest.fixture
def no_configured_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CG_TENANTS", "CG_TENANTS_FILE", "CG_JWT__SECRET", "CG_DEMO_SEED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir("/")  # no .env file


@pytest.mark.usefixtures("no_configured_secrets")
def test_python_m_demo_token_signs_with_the_demo_seeds_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CG_DEMO_SEED", "shared-by-two-shells")

    main(["token", "--tenant", "globex", "--scope", "customers:read", "--ttl", "60"])

    token = capsys.readouterr().out.strip()
    tenants = [t.key for t in demo_world_from_env().tenants]
    settings = demo_jwt_settings(DemoSecrets.generate(tenants, "shared-by-two-shells"))
    secret = settings.secret.get_secret_value() if settings.secret else ""
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience="customer-graph")
    assert (claims["tenant"], claims["scope"]) == ("globex", "customers:read")
    assert claims["exp"] - claims["iat"] == 60


@pytest.mark.usefixtures("no_configured_secrets")
def test_python_m_demo_token_refuses_without_the_seed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The run's secret is random: there is nothing another shell could sign with."""
    with pytest.raises(SystemExit, match="random on every run") as refused:
        main(["token", "--tenant", "globex"])

    assert refused.value.code != 0
    assert capsys.readouterr().out == ""


@pytest.mark.usefixtures("no_configured_secrets")
def test_python_m_gateway_token_signs_only_with_a_configured_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gateway knows nothing of the demo: without ``CG_JWT__SECRET`` it has no secret,
    even when ``CG_DEMO_SEED`` is set."""
    monkeypatch.setenv("CG_DEMO_SEED", "shared-by-two-shells")
    with pytest.raises(SystemExit, match="python -m demo token"):
        gateway_main(["token", "--tenant", "globex"])
    assert capsys.readouterr().out == ""

    monkeypatch.setenv("CG_JWT__SECRET", "s" * 40)
    gateway_main(["token", "--tenant", "globex", "--ttl", "60"])

    token = capsys.readouterr().out.strip()
    claims = jwt.decode(token, "s" * 40, algorithms=["HS256"])
    assert claims["tenant"] == "globex"
