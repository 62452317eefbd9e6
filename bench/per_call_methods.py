"""What the per-call benchmark (:mod:`bench.per_call`) calls: each vendor client method the
read declarations use (``vendors/*/reads.py``), plus two writes, paired with the
HTTP request that method sends, so bare aiohttp and raw httpx can send the same one.

A :class:`Wire` is that request as a bare client writes it: a URL string, the tenant's auth
headers, a JSON or form body. The parameters are those of the customer-360
(``bench/scenarios.py``): events and transactions pages of 10, the inventory's referrals,
coupons and loyalty parts, the search page of 50. The smoke test checks each wire against
the request the client really sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gateway.settings import TenantConfig
from vendors.tallymarks.models import PointsDetails, PointsEvent
from vendors.talon.models import CustomerProfileIntegrationRequestV2

if TYPE_CHECKING:
    from gateway.vendor_clients import TenantClients

__all__ = [
    "METHODS",
    "REQUEST_ID",
    "Method",
    "Sample",
    "Wire",
    "method_keys",
    "vendor_headers",
]

#: the request id every call carries (the gateway passes its request's id on to vendors)
REQUEST_ID = "bench-per-call"
#: the page sizes the customer-360 and the search page ask for
HISTORY_PAGE = 10
SEARCH_PAGE = 50
#: the write's event: what ``trackLoyaltyEvent`` sends in bench/scenarios.py
POINTS_NAMESPACE = "Bench"
PROFILE_ATTRIBUTES = {"City": "Bench"}


@dataclass(frozen=True)
class Sample:
    """One demo customer as the methods need it."""

    customer_id: str
    email: str
    #: Omnidesk's internal id of the customer's record (found at setup)
    support_id: int


@dataclass(frozen=True)
class Wire:
    """One HTTP request as a bare client sends it (``json`` or a multipart ``form``)."""

    method: str
    url: str
    headers: Mapping[str, str]
    json: object = None
    form: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Target:
    """A tenant's vendor base URLs and static headers, fixed for a run."""

    tenant: TenantConfig
    headers: Mapping[str, Mapping[str, str]]

    @classmethod
    def of(cls, tenant: TenantConfig) -> Target:
        return cls(tenant, vendor_headers(tenant))

    @property
    def customers(self) -> str:
        return f"{self.tenant.tallymarks.customer_base_url}/api/v1/customers"

    @property
    def events(self) -> str:
        return f"{self.tenant.tallymarks.event_base_url}/api/v1/events"

    @property
    def support(self) -> str:
        return f"{self.tenant.omnidesk.base_url}/api/v2/customer"

    @property
    def brand(self) -> int:
        return self.tenant.omnidesk.brand_id

    @property
    def talon(self) -> str:
        return self.tenant.talon.base_url


def vendor_headers(tenant: TenantConfig) -> dict[str, dict[str, str]]:
    """Each vendor's auth headers for ``tenant`` (docs/vendors/*.md), as the clients send
    them, plus the request id."""
    tm, od, tl = tenant.tallymarks, tenant.omnidesk, tenant.talon
    return {
        "tallymarks": {
            "x-tenant-id": tm.tenant_id,
            "x-api-key": tm.api_key.get_secret_value(),
            "x-api-secret": tm.api_secret.get_secret_value(),
            "x-request-id": REQUEST_ID,
        },
        "omnidesk": {
            "accept": "application/json",
            "apiKey": od.api_key.get_secret_value(),
            "x-request-id": REQUEST_ID,
        },
        "talon": {
            "accept": "application/json",
            "authorization": f"ApiKey-v1 {tl.api_key.get_secret_value()}",
            "x-request-id": REQUEST_ID,
        },
    }


ClientCall = Callable[["TenantClients", Sample], Awaitable[object]]
WireOf = Callable[[Target, Sample], Wire]


@dataclass(frozen=True)
class Method:
    """A client method, its route (the sandbox's counter name) and the same request bare."""

    key: str
    route: str
    call: ClientCall
    wire: WireOf
    write: bool = False

    @property
    def vendor(self) -> str:
        return self.key.split(".", 1)[0]


def _tm(t: Target, method: str, url: str, body: Any = None) -> Wire:
    return Wire(method, url, t.headers["tallymarks"], json=body)


def _od(t: Target, method: str, url: str, form: Mapping[str, str] | None = None) -> Wire:
    return Wire(method, url, t.headers["omnidesk"], form=form)


def _tl(t: Target, method: str, url: str, body: Any = None) -> Wire:
    return Wire(method, url, t.headers["talon"], json=body)


def _history(path: str) -> WireOf:
    def wire(t: Target, s: Sample) -> Wire:
        url = f"{t.customers}/{path}?customerId={s.customer_id}&limit={HISTORY_PAGE}"
        return _tm(t, "GET", url)

    return wire


async def _track_points(c: TenantClients, s: Sample) -> object:
    event = PointsEvent(
        customer_id=s.customer_id,
        name_space=POINTS_NAMESPACE,
        points=PointsDetails(amount=1),
    )
    return await c.tallymarks.track_points(event)


def _track_points_wire(t: Target, s: Sample) -> Wire:
    body = {
        "eventId": str(uuid.uuid4()),
        "customerId": s.customer_id,
        "nameSpace": POINTS_NAMESPACE,
        "points": {"amount": 1},
    }
    return _tm(t, "POST", f"{t.events}/points", body)


async def _update_profile(c: TenantClients, s: Sample) -> object:
    body = CustomerProfileIntegrationRequestV2(attributes=PROFILE_ATTRIBUTES)
    return await c.talon.update_customer_profile_v2(s.customer_id, body)


METHODS: tuple[Method, ...] = (
    Method(
        "tallymarks.get_customer",
        "GET /api/v1/customers/{customerId}",
        lambda c, s: c.tallymarks.get_customer(s.customer_id),
        lambda t, s: _tm(t, "GET", f"{t.customers}/{s.customer_id}"),
    ),
    Method(
        "tallymarks.get_balance",
        "GET /api/v1/customers/{customerId}/balance",
        lambda c, s: c.tallymarks.get_balance(s.customer_id),
        lambda t, s: _tm(t, "GET", f"{t.customers}/{s.customer_id}/balance"),
    ),
    Method(
        "tallymarks.get_segments",
        "GET /api/v1/customers/{customerId}/segments",
        lambda c, s: c.tallymarks.get_segments(s.customer_id),
        lambda t, s: _tm(t, "GET", f"{t.customers}/{s.customer_id}/segments?limit=100"),
    ),
    Method(
        "tallymarks.search_events",
        "GET /api/v1/customers/events",
        lambda c, s: c.tallymarks.search_events(customer_id=s.customer_id, limit=HISTORY_PAGE),
        _history("events"),
    ),
    Method(
        "tallymarks.search_transactions",
        "GET /api/v1/customers/transactions",
        lambda c, s: c.tallymarks.search_transactions(
            customer_id=s.customer_id, limit=HISTORY_PAGE
        ),
        _history("transactions"),
    ),
    Method(
        "tallymarks.search_customers",
        "GET /api/v1/customers",
        lambda c, s: c.tallymarks.search_customers(limit=SEARCH_PAGE),
        lambda t, s: _tm(t, "GET", f"{t.customers}?limit={SEARCH_PAGE}"),
    ),
    Method(
        "omnidesk.search_by_primary_external_id",
        "POST /api/v2/customer/SearchByPrimaryExternalID",
        lambda c, s: c.omnidesk.search_by_primary_external_id(s.customer_id),
        lambda t, s: _od(
            t,
            "POST",
            f"{t.support}/SearchByPrimaryExternalID",
            {"primary_id": s.customer_id, "brand_id": str(t.brand)},
        ),
    ),
    Method(
        "omnidesk.get_timeline",
        "GET /api/v2/customer/timelineByCustomerExternalID",
        lambda c, s: c.omnidesk.get_timeline(s.customer_id),
        lambda t, s: _od(
            t,
            "GET",
            f"{t.support}/timelineByCustomerExternalID?brand_id={t.brand}"
            f"&external_id={s.customer_id}",
        ),
    ),
    Method(
        "omnidesk.get_customer",
        "GET /api/v2/customer/{id}",
        lambda c, s: c.omnidesk.get_customer(s.support_id),
        lambda t, s: _od(t, "GET", f"{t.support}/{s.support_id}"),
    ),
    Method(
        "omnidesk.search_by_customer_channel_value",
        "POST /api/v2/customer/SearchByCustomerChannelValue",
        lambda c, s: c.omnidesk.search_by_customer_channel_value(s.email),
        lambda t, s: _od(
            t,
            "POST",
            f"{t.support}/SearchByCustomerChannelValue",
            {"customerChannelValue": s.email, "brand_id": str(t.brand)},
        ),
    ),
    Method(
        "talon.get_customer_inventory",
        "GET /v1/customer_profiles/{integrationId}/inventory",
        lambda c, s: c.talon.get_customer_inventory(
            s.customer_id, referrals=True, coupons=True, loyalty=True
        ),
        lambda t, s: _tl(
            t,
            "GET",
            f"{t.talon}/v1/customer_profiles/{s.customer_id}/inventory"
            "?referrals=true&coupons=true&loyalty=true",
        ),
    ),
    Method(
        "tallymarks.track_points",
        "POST /api/v1/events/points",
        _track_points,
        _track_points_wire,
        write=True,
    ),
    Method(
        "talon.update_customer_profile_v2",
        "PUT /v2/customer_profiles/{integrationId}",
        _update_profile,
        lambda t, s: _tl(
            t,
            "PUT",
            f"{t.talon}/v2/customer_profiles/{s.customer_id}",
            {"attributes": PROFILE_ATTRIBUTES},
        ),
        write=True,
    ),
)


def method_keys() -> list[str]:
    return [m.key for m in METHODS]
