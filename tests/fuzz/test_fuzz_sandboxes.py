"""Schemathesis checks each vendor sandbox against its own OpenAPI document, in process: every
status it answers is declared, with the declared content type and a body matching the declared
schema (the error bodies included). Seeded and bounded: the three sandboxes together take well
under a minute and a half on two cores.

The ``/_sandbox`` admin routes are left out: they are test machinery (and one of them can take
the vendor down for the rest of the run).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sandbox.common import VendorRuntime
from sandbox.demo_world import DemoTenant, demo_world
from sandbox.omnidesk.app import create_app as create_omnidesk
from sandbox.tallymarks.app import create_app as create_tallymarks
from sandbox.talon.app import create_app as create_talon

WORLD = demo_world(7, 2, 25)
TENANT: DemoTenant = WORLD.tenants[0]
#: generated cases per operation (about 60 operations over the three sandboxes)
EXAMPLES = 20
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]

TALLYMARKS_AUTH = {
    "x-tenant-id": TENANT.tallymarks_tenant_id,
    "x-api-key": TENANT.tallymarks_api_key,
    "x-api-secret": TENANT.tallymarks_api_secret,
}
OMNIDESK_AUTH = {"apiKey": TENANT.omnidesk_api_key}
TALON_AUTH = {"Authorization": f"ApiKey-v1 {TENANT.talon_api_key}"}


Known = Mapping[str, Sequence[object]]


def _sometimes_known(known: Known) -> Callable[[Any, Any], st.SearchStrategy[Any]]:
    """Half the cases swap the generated values of these names for ones that exist in the
    sandbox, so success answers (and their schemas) get checked too, not only the errors.
    DELETEs draw from the second half of each pool and everything else from the first, so a
    deletion never takes away the ids the reads rely on."""

    def flatmap(context: Any, values: Any) -> st.SearchStrategy[Any]:
        names = [name for name in values or () if name in known] if isinstance(values, dict) else []
        if not names:
            return st.just(values)
        deleting = str(getattr(context.operation, "method", "")).upper() == "DELETE"
        pools = {name: _half(known[name], second=deleting) for name in names}
        real = st.fixed_dictionaries({name: st.sampled_from(pool) for name, pool in pools.items()})
        return st.one_of(st.just(values), real.map(lambda chosen: {**values, **chosen}))

    return flatmap


def _half(pool: Sequence[object], *, second: bool) -> Sequence[object]:
    if len(pool) < 2:
        return pool
    middle = len(pool) // 2
    return pool[middle:] if second else pool[:middle]


def _schema(app: FastAPI, known: Known) -> BaseSchema:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex="^/_sandbox")
    schema.hook("flatmap_path_parameters")(_sometimes_known(known))
    schema.hook("flatmap_body")(_sometimes_known(known))
    return schema


def _tallymarks() -> BaseSchema:
    app = create_tallymarks(WORLD, runtime=VendorRuntime("tallymarks"))
    tenant = app.state.store.tenant(TENANT.tallymarks_tenant_id)
    known = {"customerId": list(tenant.customers), "segmentId": list(tenant.segments)}
    return _schema(app, known)


def _omnidesk() -> BaseSchema:
    app = create_omnidesk(WORLD, runtime=VendorRuntime("omnidesk"))
    account = app.state.store.accounts[TENANT.omnidesk_account]
    customers = [c for c in account.customers.values() if c.brand_id == TENANT.omnidesk_brand_id]
    ids = [str(c.id) for c in customers]
    primary = [c.external_primary_id for c in customers if c.external_primary_id]
    brand = [str(TENANT.omnidesk_brand_id)]
    known = {
        "id": ids,
        "customer_id": ids,
        "customerID": ids,
        "channelId": [str(ch.id) for c in customers for ch in c.channels],
        "brand_id": brand,
        "brandID": brand,
        "primary_id": primary,
        "primaryID": primary,
        "externalPrimaryID": primary,
        "external_id": primary,
    }
    return _schema(app, known)


def _talon() -> BaseSchema:
    app = create_talon(WORLD, runtime=VendorRuntime("talon"))
    data = app.state.talon.store.apps[TENANT.talon_application_id]
    profiles = [c.customer_id for c in TENANT.customers]
    known = {
        "integrationId": profiles,
        "profileId": profiles,
        "advocateProfileIntegrationId": profiles,
        "customerSessionId": list(data.sessions)[:10],
        "couponValue": list(data.coupons)[:10],
        "audienceId": list(data.account.audiences),
    }
    return _schema(app, known)


tallymarks = _tallymarks()
omnidesk = _omnidesk()
talon = _talon()

TestFunction = Callable[..., None]


def _parametrize(schema: BaseSchema) -> Callable[[TestFunction], TestFunction]:
    """``schema.parametrize()``, typed (schemathesis declares a bare ``Callable``)."""
    decorator: Callable[[TestFunction], TestFunction] = schema.parametrize()
    return decorator


BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@_parametrize(tallymarks)
@seed(20261204)
@BOUNDED
def test_tallymarks_matches_its_openapi(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers=TALLYMARKS_AUTH, checks=CHECKS)


@_parametrize(omnidesk)
@seed(20261204)
@BOUNDED
def test_omnidesk_matches_its_openapi(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers=OMNIDESK_AUTH, checks=CHECKS)


@_parametrize(talon)
@seed(20261204)
@BOUNDED
def test_talon_matches_its_openapi(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers=TALON_AUTH, checks=CHECKS)
