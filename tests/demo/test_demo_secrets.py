"""The demo's secrets (``python -m demo``): random on every run, repeatable only with
``CG_DEMO_SEED``, none a piece of another, and nothing the public seed derives opens the demo
any more."""

from __future__ import annotations

import hashlib

import httpx
import jwt
import pytest

from demo.run_secrets import DemoSecrets
from demo.serving import DEMO_SECRETS_HANDOVER, DemoRun, DemoSettings
from demo.tenants import demo_jwt_settings
from gateway.auth.demo_tokens import mint_token
from gateway.auth.scopes import Scope
from gateway.settings import GatewaySettings
from sandbox.demo_world import DEFAULT_SEED, demo_world
from sandbox.registry import VENDOR_APPS

TENANTS = ["acme", "globex"]
CUSTOMERS = 20


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CG_DEMO_SEED", "CG_TENANTS", "CG_TENANTS_FILE", "CG_JWT__SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv(DEMO_SECRETS_HANDOVER, raising=False)
    monkeypatch.delenv("SANDBOX_SEED", raising=False)
    monkeypatch.delenv("SANDBOX_TENANTS", raising=False)
    monkeypatch.setenv("SANDBOX_CUSTOMERS", str(CUSTOMERS))
    monkeypatch.chdir("/")  # no .env file


def demo_settings(**values: object) -> DemoSettings:
    return DemoSettings(_env_file=None, **values)  # type: ignore[call-arg]


def test_two_runs_draw_different_secrets() -> None:
    first, second = DemoSecrets.generate(TENANTS), DemoSecrets.generate(TENANTS)

    assert not set(first.values()) & set(second.values())


def test_the_same_seed_gives_the_same_secrets_and_another_seed_others() -> None:
    one = DemoSecrets.generate(TENANTS, "bench")

    assert DemoSecrets.generate(TENANTS, "bench") == one
    assert not set(DemoSecrets.generate(TENANTS, "bench2").values()) & set(one.values())


@pytest.mark.parametrize("seed", [None, "bench"])
def test_no_secret_is_a_piece_of_another(seed: str | None) -> None:
    values = DemoSecrets.generate(TENANTS, seed).values()
    tails = [v[-8:] for v in values]

    assert len(values) == 1 + 7 * len(TENANTS)  # the signing secret, 7 per tenant
    assert not [(a, b) for a in values for b in values if a != b and a in b]
    assert len(set(tails)) == len(tails)  # the old gateway key carried the vendor key's tail


@pytest.mark.usefixtures("demo_env")
def test_each_start_has_its_own_secrets_unless_cg_demo_seed_is_set() -> None:
    runs = [DemoRun.from_env(demo_settings()) for _ in range(2)]
    seeded = [DemoRun.from_env(demo_settings(demo_seed="reproducible")) for _ in range(2)]

    assert runs[0].secrets != runs[1].secrets
    assert runs[0].world != runs[1].world  # the sandboxes' credentials too
    assert seeded[0].secrets == seeded[1].secrets
    assert (runs[0].seeded, seeded[0].seeded) == (False, True)


def test_the_secrets_reach_the_worker_processes_unchanged(
    demo_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    supervisor = DemoRun.from_env(demo_settings())
    monkeypatch.setenv(DEMO_SECRETS_HANDOVER, supervisor.secrets.to_json())

    worker = DemoRun.from_env(demo_settings())

    assert worker.secrets == supervisor.secrets
    assert worker.world == supervisor.world


@pytest.mark.usefixtures("demo_env")
async def test_the_sandboxes_take_the_runs_vendor_credentials_not_the_seeds() -> None:
    demo = DemoRun.from_env(demo_settings())
    public = demo_world(DEFAULT_SEED, len(TENANTS), CUSTOMERS).tenants[0]
    own = demo.secrets.tenants["acme"]
    transport = httpx.ASGITransport(app=VENDOR_APPS["omnidesk"](demo.world))

    async with httpx.AsyncClient(transport=transport, base_url="http://omnidesk") as client:
        path = "/api/v2/customer?itemLimit=1"
        accepted = await client.get(path, headers={"apiKey": own.omnidesk_api_key})
        refused = await client.get(path, headers={"apiKey": public.omnidesk_api_key})

    assert demo.world.tenants[0].omnidesk_api_key == own.omnidesk_api_key
    assert demo.world.tenants[0].customers == public.customers  # the data stays the seed's
    assert accepted.status_code == 200
    assert refused.status_code == 401


def public_seed_credentials() -> tuple[str, str]:
    """What anyone could work out from the public seed before: a token for tenant globex
    (signed with the seed's demo secret) and acme's gateway key (the vendor key's tail)."""
    digest = hashlib.sha256(f"cg-demo-jwt|{DEFAULT_SEED}".encode()).hexdigest()
    settings = demo_jwt_settings(DemoSecrets(f"cg-demo-jwt-{digest[:32]}", {}))
    token = mint_token(settings, "globex", list(Scope))
    tallymarks_key = demo_world(DEFAULT_SEED, len(TENANTS), CUSTOMERS).tenants[0].tallymarks_api_key
    return token, f"cg-demo-acme-{tallymarks_key[-8:]}"


@pytest.mark.usefixtures("demo_env")
async def test_credentials_from_the_public_seed_are_refused() -> None:
    demo = DemoRun.from_env(demo_settings())
    token, old_key = public_seed_credentials()
    app = demo.app(GatewaySettings(_env_file=None))
    query = {"query": "{ __typename }"}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        by_token = await client.post(
            "/graphql", json=query, headers={"authorization": f"Bearer {token}"}
        )
        by_key = await client.post("/graphql", json=query, headers={"x-api-key": old_key})
        by_printed_key = await client.post(
            "/graphql", json=query, headers={"x-api-key": demo.secrets.tenants["acme"].gateway_key}
        )

    assert jwt.decode(token, options={"verify_signature": False})["tenant"] == "globex"
    assert (by_token.status_code, by_key.status_code) == (401, 401)
    codes = {e["extensions"]["code"] for r in (by_token, by_key) for e in r.json()["errors"]}
    assert codes == {"UNAUTHENTICATED"}
    assert by_printed_key.json() == {"data": {"__typename": "Query"}}
