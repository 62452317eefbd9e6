"""The benchmark's scenarios: which GraphQL operations, on which gateway configuration, under
which vendor faults, and the two numbers each is judged against.

- the **upstream lower bound**: distinct vendor resources one operation needs (read from the
  query's fields; ``tests/schema/test_schema_customer_360.py`` pins the same counts);
- the **critical path**: injected latency along the longest chain of upstream calls that
  depend on each other. Every customer-360 read needs only the id, so its chain is one call
  deep; a search page needs the search before the per-customer reads, so two.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.loadgen import Request
from sandbox.demo_world import DemoWorld

#: the latency every vendor call gets (the issue's default: 50 ms ± 10 ms)
BASE_FAULTS: dict[str, float] = {"latency_ms": 50.0, "jitter_ms": 10.0}

CUSTOMER_360_FIELDS = """
fragment Customer360 on Customer {
  customerId firstName displayName email
  pointsBalance { points changedAt }
  loyaltySegments { id name expiresAt }
  events(first: 10) { edges { node { eventId eventType occurredAt } } }
  transactions(first: 10) { edges { node { transactionId amount createdAt } } balance { points } }
  coupons { value state }
  referrals { code usageCounter }
  promotionLoyalty { programs { name currentBalance } }
  supportProfile { brand { name } channels { type address } }
  timeline { entryKind message occurredAt }
}
"""
CUSTOMER_360 = (
    CUSTOMER_360_FIELDS + "query Customer360($id: ID!) { customer(id: $id) { ...Customer360 } }"
)
#: the customer record plus one resource per vendor read (the loyalty balance serves both
#: ``pointsBalance`` and ``transactions.balance``; one Talon.One inventory serves coupons,
#: referrals and loyalty): cache kind of each, for the cache-hot bound
CUSTOMER_360_KINDS = (
    "customer",  # GET /api/v1/customers/{customerId}
    "balance",  # GET /api/v1/customers/{customerId}/balance
    "segments",  # GET /api/v1/customers/{customerId}/segments
    "events",  # GET /api/v1/customers/events
    "transactions",  # GET /api/v1/customers/transactions
    "support_customer",  # POST /api/v2/customer/SearchByPrimaryExternalID
    "timeline",  # GET /api/v2/customer/timelineByCustomerExternalID
    "inventory",  # GET /v1/customer_profiles/{integrationId}/inventory
)

PAGE_SIZE = 50
SEARCH_PAGE = """
query SearchPage($first: Int!, $after: String) {
  customers(first: $first, after: $after) {
    edges { node { customerId displayName email
      pointsBalance { points }
      segments { __typename id name source } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
#: the search, then per customer: balance, loyalty segments, Talon.One inventory (audiences)
SEARCH_PAGE_KINDS_PER_CUSTOMER = ("balance", "segments", "inventory")
SEARCH_PAGE_CALLS = 1 + PAGE_SIZE * len(SEARCH_PAGE_KINDS_PER_CUSTOMER)

CURSOR_WALK = """
query Walk($first: Int!, $after: String) {
  customers(first: $first, after: $after) { pageInfo { hasNextPage endCursor } }
}
"""

TRACK_POINTS = """
mutation TrackPoints($c: ID!) {
  trackLoyaltyEvent(input: {customerId: $c, nameSpace: "Bench", points: {amount: 1}}) {
    eventId alreadyRecorded
  }
}
"""
#: one POST /api/v1/events/points
TRACK_POINTS_CALLS = 1
#: reads per write in the mixed workload
MIX_READS_PER_WRITE = 9


def body(query: str, variables: dict[str, Any]) -> str:
    return json.dumps({"query": query, "variables": variables}, separators=(",", ":"))


@dataclass(frozen=True)
class Setup:
    """What the scenarios need to know about the world and the gateway in front of it."""

    world: DemoWorld
    #: ``{tenant key: gateway API key}``
    keys: dict[str, str]
    #: ``{tenant key: [after-cursor of each search page]}`` (``None`` for the first page)
    page_cursors: dict[str, list[str | None]] = field(default_factory=dict)

    def customers(self, limit: int | None = None) -> list[tuple[str, str]]:
        """``(api key, customer id)``, tenants interleaved so rotation alternates them."""
        per_tenant = [
            [(self.keys[t.key], c.customer_id) for c in t.customers[:limit]]
            for t in self.world.tenants
        ]
        return [row for group in zip(*per_tenant, strict=False) for row in group]


def _interleave(groups: Sequence[Sequence[Request]]) -> list[Request]:
    """Round-robin over the tenants, so a rotation alternates them."""
    out: list[Request] = []
    for i in range(max((len(g) for g in groups), default=0)):
        out.extend(g[i] for g in groups if i < len(g))
    return out


def customer_360_requests(setup: Setup, limit: int | None = None) -> list[Request]:
    return [Request(k, body(CUSTOMER_360, {"id": c})) for k, c in setup.customers(limit)]


def search_page_requests(setup: Setup, pages: int | None = None) -> list[Request]:
    return _interleave(
        [
            [
                Request(setup.keys[tenant], body(SEARCH_PAGE, {"first": PAGE_SIZE, "after": c}))
                for c in cursors[:pages]
            ]
            for tenant, cursors in setup.page_cursors.items()
        ]
    )


def mixed_requests(setup: Setup) -> list[Request]:
    """Reads rotate over every customer; after every ``MIX_READS_PER_WRITE`` reads, a points
    event for the last customer read."""
    out: list[Request] = []
    for i, (key, customer) in enumerate(setup.customers()):
        out.append(Request(key, body(CUSTOMER_360, {"id": customer})))
        if i % MIX_READS_PER_WRITE == MIX_READS_PER_WRITE - 1:
            out.append(Request(key, body(TRACK_POINTS, {"c": customer})))
    return out


@dataclass(frozen=True)
class Scenario:
    """One load scenario; ``gateway`` is ``cold`` (cache TTLs 0, dataloaders on) or ``hot``
    (default TTLs, every request pre-warmed)."""

    key: str
    title: str
    gateway: str
    connections: int
    requests: Callable[[Setup], list[Request]]
    #: distinct upstream resources of each operation (by name), cold
    calls_by_operation: dict[str, int]
    #: cache kinds per operation (for the cache-hot bound: refreshes when a TTL expires)
    kinds_per_op: tuple[str, ...] = ()
    #: the critical path, in units of the injected latency, and extra ms on it
    chain: int = 1
    extra_ms: float = 0.0
    faults: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: GraphQL errors are expected (a vendor failing on purpose)
    errors_expected: bool = False

    def critical_path_ms(self, latency_ms: float) -> float:
        return self.chain * latency_ms + self.extra_ms if self.gateway != "hot" else 0.0


HOT_SET = 20
HOT_PAGES = 2


def all_scenarios(connections: int | None = None) -> list[Scenario]:
    """The suite, in run order; ``connections`` overrides every scenario's (smoke runs)."""

    def c(n: int) -> int:
        return connections or n

    slow = {"talon": {**BASE_FAULTS, "latency_ms": BASE_FAULTS["latency_ms"] + 500}}
    failing = {"talon": {**BASE_FAULTS, "error_rate": 0.2, "error_status": 503, "seed": 7}}
    n360 = len(CUSTOMER_360_KINDS)
    return [
        Scenario(
            "a",
            "customer-360, one customer (cold)",
            "cold",
            c(50),
            customer_360_requests,
            {"Customer360": n360},
        ),
        Scenario(
            "b",
            f"search page of {PAGE_SIZE} with balances and segments (cold)",
            "cold",
            c(4),
            search_page_requests,
            {"SearchPage": SEARCH_PAGE_CALLS},
            chain=2,
        ),
        Scenario(
            "d",
            f"mixed: {MIX_READS_PER_WRITE} customer-360 reads per loyalty write (cold)",
            "cold",
            c(50),
            mixed_requests,
            {"Customer360": n360, "TrackPoints": TRACK_POINTS_CALLS},
        ),
        Scenario(
            "e-slow",
            "customer-360, Talon.One +500 ms (cold)",
            "cold",
            c(50),
            customer_360_requests,
            {"Customer360": n360},
            extra_ms=500.0,
            faults=slow,
        ),
        Scenario(
            "e-errors",
            "customer-360, Talon.One 20% 503 (cold)",
            "cold",
            c(50),
            customer_360_requests,
            {"Customer360": n360},
            faults=failing,
            errors_expected=True,
        ),
        Scenario(
            "c-360",
            f"customer-360, cache-hot ({HOT_SET} warm customers)",
            "hot",
            c(50),
            lambda s: customer_360_requests(s, HOT_SET // max(1, len(s.world.tenants))),
            {"Customer360": n360},
            kinds_per_op=CUSTOMER_360_KINDS,
        ),
        Scenario(
            "c-page",
            f"search page of {PAGE_SIZE}, cache-hot ({HOT_PAGES} warm pages per tenant)",
            "hot",
            c(10),
            lambda s: search_page_requests(s, HOT_PAGES),
            {"SearchPage": SEARCH_PAGE_CALLS},
            kinds_per_op=("search", *SEARCH_PAGE_KINDS_PER_CUSTOMER * PAGE_SIZE),
            chain=2,
        ),
    ]
