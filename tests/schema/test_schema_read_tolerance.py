"""A vendor value the gateway cannot read costs that field, never the customer.

Bad values are put where the vendors keep or send them: straight into the Tallymarks
sandbox's store (a year-999 birth date, as a write that got through once left it), or
rewritten in a vendor's answer on its way to the gateway. The customer must still arrive,
the field must be null with a ``VENDOR_DATA_INVALID`` error at its path, and its sibling
fields must be there.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from demo.tenants import demo_tenants
from gateway.app import create_app
from gateway.settings import GatewaySettings
from sandbox.common import FaultConfig
from sandbox.registry import VENDOR_APPS
from tests.schema.gateway_harness import API_KEYS, URLS, VENDORS, WORLD, Harness

CUSTOMER = WORLD.tenants[0].customers[0].customer_id


@dataclass(frozen=True)
class Corruption:
    """Set ``key`` to ``value`` wherever it appears in ``vendor``'s JSON answers."""

    vendor: str
    key: str
    value: Any


class CorruptingTransport(httpx.AsyncBaseTransport):
    """The sandbox's answers, with one field of their JSON bodies replaced."""

    def __init__(self, inner: httpx.AsyncBaseTransport, key: str, value: Any) -> None:
        self.inner = inner
        self.key = key
        self.value = value

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        raw = await response.aread()
        try:
            body = json.loads(raw)
        except ValueError:
            return httpx.Response(response.status_code, headers=response.headers, content=raw)
        content = json.dumps(self._replace(body)).encode()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=content)

    def _replace(self, node: Any) -> Any:
        if isinstance(node, dict):
            return {k: self.value if k == self.key else self._replace(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self._replace(v) for v in node]
        return node


@asynccontextmanager
async def corrupted(corruption: Corruption | None = None) -> AsyncIterator[Harness]:
    """The gateway on the sandboxes, with ``corruption`` applied to one vendor's answers."""
    sandboxes = {v: VENDOR_APPS[v](WORLD) for v in VENDORS}
    transports: dict[str, httpx.AsyncBaseTransport] = {}
    for vendor, app in sandboxes.items():
        app.state.runtime.faults.set(FaultConfig())
        app.state.runtime.counters.reset()
        transports[vendor] = httpx.ASGITransport(app=app)
    if corruption is not None:
        inner = transports[corruption.vendor]
        transports[corruption.vendor] = CorruptingTransport(inner, corruption.key, corruption.value)
    gateway = create_app(
        GatewaySettings(),
        tenants=demo_tenants(WORLD, URLS),
        api_keys=API_KEYS,
        transports=transports,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://gateway.test"
    ) as client:
        yield Harness(WORLD, gateway, sandboxes, client)


QUERY = """
query($id: ID!) {
  customer(id: $id) {
    customerId displayName
    loyaltyProfile {
      firstName email isAccountLocked optinSms optinEmail acceptTerms dateOfBirth
    }
    supportProfile { supportId firstName lastName }
    promotionProfile { closedSessions totalSales lastActivity createdAt }
  }
}
"""

#: (corruption, the object holding the field, the field, sibling fields that must be there)
CASES: list[tuple[Corruption, str, str, tuple[str, ...]]] = [
    (
        Corruption("tallymarks", "dateOfBirth", "999-01-01T00:00:00.000Z"),
        "loyaltyProfile",
        "dateOfBirth",
        ("firstName", "email", "optinSms"),
    ),
    (
        Corruption("tallymarks", "isAccountLocked", "sometimes"),
        "loyaltyProfile",
        "isAccountLocked",
        ("firstName", "dateOfBirth"),
    ),
    (
        Corruption("tallymarks", "optinSms", {"yes": 1}),
        "loyaltyProfile",
        "optinSms",
        ("firstName", "optinEmail"),
    ),
    (
        Corruption("tallymarks", "optinEmail", "n/a"),
        "loyaltyProfile",
        "optinEmail",
        ("firstName", "optinSms"),
    ),
    (
        Corruption("tallymarks", "acceptTerms", [True]),
        "loyaltyProfile",
        "acceptTerms",
        ("firstName", "isAccountLocked"),
    ),
    (
        Corruption("omnidesk", "firstname", 12345),
        "supportProfile",
        "firstName",
        ("supportId", "lastName"),
    ),
    (
        Corruption("omnidesk", "lastname", {"family": "x"}),
        "supportProfile",
        "lastName",
        ("supportId", "firstName"),
    ),
    (
        Corruption("talon", "closedSessions", "three"),
        "promotionProfile",
        "closedSessions",
        ("totalSales", "lastActivity"),
    ),
    (
        Corruption("talon", "totalSales", "a lot"),
        "promotionProfile",
        "totalSales",
        ("closedSessions", "createdAt"),
    ),
    (
        Corruption("talon", "lastActivity", "yesterday"),
        "promotionProfile",
        "lastActivity",
        ("closedSessions", "createdAt"),
    ),
    (
        Corruption("talon", "created", "0-0-0"),
        "promotionProfile",
        "createdAt",
        ("closedSessions", "lastActivity"),
    ),
]


def _check_only_the_field_is_lost(
    body: dict[str, Any], holder: str, field: str, siblings: tuple[str, ...], vendor: str
) -> None:
    customer = body["data"]["customer"]
    assert customer is not None, body
    assert customer["customerId"] == CUSTOMER
    assert customer["displayName"]
    record = customer[holder]
    assert record is not None, body
    assert record[field] is None
    for sibling in siblings:
        assert record[sibling] is not None, (sibling, record)
    [error] = body["errors"]
    assert error["path"] == ["customer", holder, field]
    assert error["extensions"] == {
        "code": "VENDOR_DATA_INVALID",
        "vendor": vendor,
        "retryable": False,
    }


@pytest.mark.parametrize(
    ("corruption", "holder", "field", "siblings"),
    CASES,
    ids=[f"{c[0].vendor}.{c[2]}" for c in CASES],
)
async def test_a_malformed_vendor_value_nulls_only_its_field(
    corruption: Corruption, holder: str, field: str, siblings: tuple[str, ...]
) -> None:
    async with corrupted(corruption) as gw:
        body = await gw.query(QUERY, {"id": CUSTOMER})

    _check_only_the_field_is_lost(body, holder, field, siblings, corruption.vendor)


async def test_a_year_999_birth_date_stored_at_the_loyalty_system_nulls_only_that_field() -> None:
    """The finding's aftermath: the vendor kept the date and writes it back as ``999-…``."""
    async with corrupted() as gw:
        store = gw.sandboxes["tallymarks"].state.store
        tenant = store.tenant(gw.acme.tallymarks_tenant_id)
        tenant.ensure(CUSTOMER)
        tenant.customers[CUSTOMER].date_of_birth = datetime(999, 1, 1, tzinfo=UTC)

        body = await gw.query(QUERY, {"id": CUSTOMER})

    _check_only_the_field_is_lost(
        body, "loyaltyProfile", "dateOfBirth", ("firstName", "email", "optinSms"), "tallymarks"
    )
    assert body["data"]["customer"]["supportProfile"] is not None
    assert body["data"]["customer"]["promotionProfile"] is not None


async def test_a_clean_customer_reads_without_errors() -> None:
    """The control: nothing corrupted, every field read."""
    async with corrupted() as gw:
        body = await gw.query(QUERY, {"id": CUSTOMER})

    assert "errors" not in body, body
    customer = body["data"]["customer"]
    assert customer["loyaltyProfile"]["dateOfBirth"] is not None
    assert customer["promotionProfile"]["lastActivity"] is not None
    assert customer["supportProfile"]["firstName"] is not None


def test_an_unreadable_value_survives_the_shared_cache_round_trip() -> None:
    """Cached reads are stored as JSON and rebuilt: the marker must come back as a marker."""
    from cache.shared import codec
    from vendors.lenient import Unparsed
    from vendors.tallymarks.models import Customer

    read = Customer.model_validate_json(
        json.dumps(
            {
                "customerId": CUSTOMER,
                "dateOfBirth": "999-01-01T00:00:00.000Z",
                "optinSms": "n/a",
                "optinEmail": True,
            }
        )
    )
    assert isinstance(read.date_of_birth, Unparsed)

    again = codec.loads(codec.dumps(read))

    assert isinstance(again, Customer)
    assert again.date_of_birth == read.date_of_birth
    assert again.optin_sms == Unparsed(raw="n/a", problem=read.optin_sms.problem)  # type: ignore[union-attr]
    assert again.optin_email is True
