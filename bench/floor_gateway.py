"""The floor: the least a Python GraphQL gateway can do for a customer-360.

One root field, ``customer(id: ID!)``, whose resolver makes the customer-360's 8 upstream
calls with ``asyncio.gather`` (:mod:`bench.customer_360_calls`) and maps the JSON onto
minimal Strawberry types with the gateway's field names, so the bench's ``CUSTOMER_360``
query text runs unchanged. Strawberry's aiohttp view, its parser and validation caches,
uvloop; no limits, cache, retries or breaker. Not product code: it is what
``bench.cold_vs_floor`` measures the gateway against.

``python -m bench.floor_gateway --port P [--tenants-file F --api-keys JSON]`` (default: the
gateway's ``CG_TENANTS_FILE`` and ``CG_API_KEYS``).
"""

from __future__ import annotations

import sys
from typing import Any

import strawberry
from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.extensions import ParserCache, ValidationCache

from bench.customer_360_calls import TenantRoutes, Tenants, fetch_customer_360
from bench.floor_server import (
    SESSION,
    TENANTS,
    build_app,
    count_operation,
    parse_args,
    serve,
    tenants_of,
)


@strawberry.type
class PointsBalance:
    points: int
    changed_at: str | None


@strawberry.type
class LoyaltySegment:
    id: str
    name: str
    expires_at: str | None


@strawberry.type
class Event:
    event_id: str
    event_type: str
    occurred_at: str


@strawberry.type
class EventEdge:
    node: Event


@strawberry.type
class EventConnection:
    edges: list[EventEdge]


@strawberry.type
class Transaction:
    transaction_id: str
    amount: int
    created_at: str


@strawberry.type
class TransactionEdge:
    node: Transaction


@strawberry.type
class TransactionConnection:
    edges: list[TransactionEdge]
    balance: PointsBalance | None


@strawberry.type
class Coupon:
    value: str
    state: str


@strawberry.type
class Referral:
    code: str
    usage_counter: int


@strawberry.type
class LoyaltyProgram:
    name: str
    current_balance: float


@strawberry.type
class PromotionLoyalty:
    programs: list[LoyaltyProgram]


@strawberry.type
class Brand:
    name: str | None


@strawberry.type
class Channel:
    type: str
    address: str


@strawberry.type
class SupportProfile:
    brand: Brand
    channels: list[Channel]


@strawberry.type
class TimelineEntry:
    entry_kind: str
    message: str | None
    occurred_at: str | None


@strawberry.type
class Customer:
    customer_id: strawberry.ID
    first_name: str | None
    display_name: str | None
    email: str | None
    points_balance: PointsBalance | None
    loyalty_segments: list[LoyaltySegment]
    coupons: list[Coupon]
    referrals: list[Referral]
    promotion_loyalty: PromotionLoyalty | None
    support_profile: SupportProfile | None
    timeline: list[TimelineEntry]
    _events: strawberry.Private[list[Event]]
    _transactions: strawberry.Private[TransactionConnection]

    @strawberry.field
    def events(self, first: int = 10) -> EventConnection:
        return EventConnection(edges=[EventEdge(node=e) for e in self._events[:first]])

    @strawberry.field
    def transactions(self, first: int = 10) -> TransactionConnection:
        page = self._transactions
        return TransactionConnection(edges=page.edges[:first], balance=page.balance)


def _balance(raw: dict[str, Any] | None) -> PointsBalance | None:
    return PointsBalance(points=raw["amount"], changed_at=raw.get("changedAt")) if raw else None


def to_customer(raw: dict[str, Any]) -> Customer | None:
    """The 8 answers as the schema's types (``None`` when Tallymarks has no such customer)."""
    profile = raw["customer"]
    if profile is None:
        return None
    balance = _balance(raw["balance"])
    inventory = raw["inventory"] or {}
    support = (raw["support_customer"] or {}).get("item")
    programs = (inventory.get("loyalty") or {}).get("programs") or {}
    return Customer(
        customer_id=strawberry.ID(profile["customerId"]),
        first_name=profile.get("firstName"),
        display_name=profile.get("displayName"),
        email=profile.get("emailAddress"),
        points_balance=balance,
        loyalty_segments=[
            LoyaltySegment(id=s["segmentId"], name=s["name"], expires_at=s.get("expiryDateTime"))
            for s in (raw["segments"] or {}).get("segments", [])
        ],
        coupons=[
            Coupon(value=c["value"], state=str(c.get("state", "")).upper())
            for c in inventory.get("coupons") or []
        ],
        referrals=[
            Referral(code=r["code"], usage_counter=r.get("usageCounter", 0))
            for r in inventory.get("referrals") or []
        ],
        promotion_loyalty=PromotionLoyalty(
            programs=[
                LoyaltyProgram(
                    name=p.get("name", key),
                    current_balance=(p.get("ledger") or {}).get("currentBalance", 0.0),
                )
                for key, p in programs.items()
            ]
        ),
        support_profile=SupportProfile(
            brand=Brand(name=support.get("brand_name")),
            channels=[
                Channel(type=str(c["channel_name"]).upper(), address=c["address"])
                for c in support.get("channels") or []
            ],
        )
        if support
        else None,
        timeline=[
            TimelineEntry(
                entry_kind=str(t.get("type", "")).upper(),
                message=t.get("message"),
                occurred_at=t.get("created"),
            )
            for t in (raw["timeline"] or {}).get("items", [])
        ],
        _events=[
            Event(
                event_id=e["eventId"], event_type=e["eventType"].upper(), occurred_at=e["createdAt"]
            )
            for e in (raw["events"] or {}).get("events", [])
        ],
        _transactions=TransactionConnection(
            edges=[
                TransactionEdge(
                    node=Transaction(
                        transaction_id=t["transactionId"],
                        amount=t["amount"],
                        created_at=t["createdAt"],
                    )
                )
                for t in (raw["transactions"] or {}).get("customerTransactions", [])
            ],
            balance=balance,
        ),
    )


@strawberry.type
class Query:
    @strawberry.field
    async def customer(self, info: strawberry.Info, id: strawberry.ID) -> Customer | None:
        context = info.context
        raw = await fetch_customer_360(context["session"], context["tenant"], str(id))
        return to_customer(raw)


SCHEMA = strawberry.Schema(query=Query, extensions=[ParserCache, ValidationCache])


class FloorView(GraphQLView[dict[str, Any], None]):
    """The tenant from ``X-API-Key`` (401 without a known one), the vendor session."""

    async def get_context(self, request: web.Request, response: Any) -> dict[str, Any]:
        tenant: TenantRoutes | None = request.app[TENANTS].by_api_key.get(
            request.headers.get("X-API-Key", "")
        )
        if tenant is None:
            raise web.HTTPUnauthorized(text='{"errors":[{"message":"unknown API key"}]}')
        return {"tenant": tenant, "session": request.app[SESSION]}


def create_app(tenants: Tenants) -> web.Application:
    view = FloorView(schema=SCHEMA, graphql_ide=None, allow_queries_via_get=False)

    async def graphql(request: web.Request) -> web.Response:
        response = await view(request)
        count_operation(request)
        return response  # type: ignore[return-value]

    return build_app(tenants, graphql)


def main(argv: list[str] | None = None) -> int:
    args = parse_args("python -m bench.floor_gateway", __doc__ or "", argv)
    serve(create_app(tenants_of(args)), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
