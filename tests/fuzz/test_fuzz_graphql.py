"""Schemathesis fuzzes every query and mutation of the schema through the real ASGI app
(on the in-process sandboxes, with the demo API key so operations reach the resolvers):
whatever it sends, the gateway answers without a 5xx and without an
``INTERNAL_SERVER_ERROR``. Seeded and bounded, so it is reproducible and takes about a
minute on two cores."""

from __future__ import annotations

import graphql
import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from starlette.types import ASGIApp, Receive, Scope, Send

from demo.tenants import demo_tenants
from gateway.app import create_app
from gateway.settings import GatewaySettings
from sandbox.common import FaultConfig
from sandbox.registry import VENDOR_APPS
from tests.schema.gateway_harness import API_KEYS, URLS, VENDORS, WORLD

KEY = {"x-api-key": "key-acme"}


def _json_values() -> st.SearchStrategy[graphql.ValueNode]:
    """The ``JSON`` scalar's literals: nested objects and lists of plain values."""
    leaves = st.one_of(
        st.text(max_size=20).map(nodes.String),
        st.integers(min_value=-(2**31), max_value=2**31 - 1).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.booleans().map(nodes.Boolean),
        st.just(nodes.Null),
    )

    def field(value: graphql.ValueNode, name: str) -> graphql.ObjectFieldNode:
        return graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)

    names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(nodes.List),
            st.lists(st.builds(field, inner, names), max_size=3).map(nodes.Object),
        ),
        max_leaves=8,
    )


schemathesis.graphql.scalar("JSON", _json_values())
#: generated cases per operation (the schema has about 50)
EXAMPLES = 30


class _WithoutLifespan:
    """The gateway minus its lifespan: Schemathesis's ASGI client starts and stops the app
    around every call, and stopping it would close the vendor clients for good."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def _gateway() -> ASGIApp:
    sandboxes = {vendor: VENDOR_APPS[vendor](WORLD) for vendor in VENDORS}
    for app in sandboxes.values():
        app.state.runtime.faults.set(FaultConfig())
    gateway = create_app(
        GatewaySettings(),
        tenants=demo_tenants(WORLD, URLS),
        api_keys=API_KEYS,
        transports={v: httpx.ASGITransport(app=a) for v, a in sandboxes.items()},
    )
    return _WithoutLifespan(gateway)


schema = schemathesis.graphql.from_asgi("/graphql", _gateway(), headers=KEY)


#: codes that mean the gateway (or a vendor, on input the gateway let through) failed
SERVER_FAULTS = frozenset({"INTERNAL_SERVER_ERROR", "UPSTREAM_ERROR"})


def no_server_error(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """No 5xx, and every error is coded and none is a fault of the gateway's. (Schemathesis's
    own GraphQL check counts any error with a ``path`` as the server's, a NOT_FOUND for a
    made-up id included, so it is not used.)"""
    del ctx, case
    assert response.status_code < 500, f"HTTP {response.status_code}: {response.text[:500]}"
    payload = response.json()
    assert isinstance(payload, dict), payload
    for error in payload.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code is not None, f"an error without extensions.code: {error}"
        assert code not in SERVER_FAULTS, f"{code}: {payload}"
    return None


@schema.parametrize()
@seed(20261204)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=KEY, checks=[no_server_error])
