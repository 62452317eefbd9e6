"""Tallymarks demo data derived from the shared :class:`DemoWorld` (deterministic).

Profiles are built eagerly (cheap); each customer's history — 0-25 events of mixed types
over the two years before the demo epoch, anniversaries included, the transactions the
seeded rules produce from them, and a few manual segment memberships — is built the first
time the customer is touched (see :meth:`TenantData.ensure`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sandbox.demo_world import DEMO_EPOCH, DemoCustomer, DemoWorld, seeded_uuid, stable_seed
from sandbox.tallymarks import engine
from sandbox.tallymarks.dates import add_years, to_utc_ms
from sandbox.tallymarks.memberships import CLOSED_STATUSES, add_membership
from sandbox.tallymarks.records import Customer, Event
from sandbox.tallymarks.rules import Rule, default_rules
from sandbox.tallymarks.segments import default_segments
from sandbox.tallymarks.store import Clock, TallymarksStore, TenantData, system_clock

HISTORY_DAYS = 730
_ACTIONS = (
    ("Customer.Review.Submitted", 3),
    ("Customer.Newsletter.Subscribe", 1),
    ("App.Login", 4),
    ("Customer.Referral", 1),
)
_TYPES = (("order", 35), ("action", 25), ("transaction", 15), ("points", 8), ("redemption", 10))
_CAMPAIGNS = (None, None, None, "SPRING2026", "BLACKFRIDAY", "SUMMER2025")
_CHANNELS = ("web", "store", "app")
_PRODUCTS = (
    ("TENT-2P", "Tents", "Camping"),
    ("BOOT-TRAIL", "Footwear", "Hiking"),
    ("JACKET-RAIN", "Apparel", "Outerwear"),
    ("STOVE-GAS", "Cooking", "Camping"),
    ("PACK-45L", "Bags", "Hiking"),
)


def build_store(world: DemoWorld, clock: Clock = system_clock) -> TallymarksStore:
    store = TallymarksStore(clock)
    for tenant in world.tenants:
        tenant_id = tenant.tallymarks_tenant_id.lower()
        data = TenantData(tenant_id, tenant.tallymarks_api_key, tenant.tallymarks_api_secret)
        for segment in default_segments(tenant_id, DEMO_EPOCH):
            data.segments[segment.segment_id] = segment
        data.rules = default_rules(
            tenant_id, {s.name: s.segment_id for s in data.segments.values()}
        )
        open_segments = tuple(
            s.segment_id for s in data.segments.values() if s.status not in CLOSED_STATUSES
        )
        history = _HistoryBuilder(world.seed, tenant.index, tuple(data.rules), open_segments)
        for i, demo in enumerate(tenant.customers):
            data.add_customer(_customer(world.seed, tenant.index, i, demo, tenant_id))
            data.defer_history(demo.customer_id, history)
        store.tenants[tenant_id] = data
    return store


def _customer(seed: int, tenant_index: int, i: int, demo: DemoCustomer, tenant_id: str) -> Customer:
    rng = random.Random(stable_seed(seed, "tallymarks-customer", tenant_index, i))
    locked = rng.random() < 0.04
    created = to_utc_ms(demo.created_at)
    changed = min(DEMO_EPOCH, created + timedelta(days=rng.randint(0, 400)))
    return Customer(
        customer_id=demo.customer_id,
        tenant_id=tenant_id,
        created_at=created,
        changed_at=to_utc_ms(changed),
        first_name=demo.first_name,
        last_name=demo.last_name,
        display_name=demo.display_name,
        email_address=demo.email,
        is_account_locked=locked,
        mobile_number=demo.mobile,
        optin_sms=rng.random() < 0.4,
        optin_email=rng.random() < 0.7,
        accept_terms=rng.random() < 0.9,
        attributes=[("city", demo.city), ("tier", demo.tier)],
        date_of_birth=demo.date_of_birth,
        contact_phone=demo.mobile if rng.random() < 0.5 else None,
        external_reference=demo.external_reference,
        external_status="delinquent" if locked else rng.choice(("active", "active", "inactive")),
    )


class _HistoryBuilder:
    """Builds one customer's history with the tenant's *seeded* rules (not later edits)."""

    def __init__(
        self, seed: int, tenant_index: int, rules: Sequence[Rule], segment_ids: Sequence[str]
    ) -> None:
        self.seed = seed
        self.tenant_index = tenant_index
        self.rules = rules
        self.segment_ids = segment_ids

    def __call__(self, tenant: TenantData, customer_id: str) -> None:
        rng = random.Random(
            stable_seed(self.seed, "tallymarks-history", self.tenant_index, customer_id)
        )
        customer = tenant.customers[customer_id]
        start = max(customer.created_at, DEMO_EPOCH - timedelta(days=HISTORY_DAYS))
        span = max(1, int((DEMO_EPOCH - start).total_seconds()))
        plans: list[tuple[datetime, str, str | None]] = []
        if customer.created_at >= start:
            plans.append((customer.created_at, "action", "Customer.Registration"))
        for years in range(1, 6):
            anniversary = add_years(customer.created_at, years)
            if start <= anniversary <= DEMO_EPOCH:
                plans.append((anniversary + timedelta(hours=2), "anniversary", None))
        for _ in range(rng.randint(0, 22)):
            when = start + timedelta(seconds=rng.randint(0, span))
            kind = rng.choices([t for t, _ in _TYPES], weights=[w for _, w in _TYPES])[0]
            plans.append((when, kind, None))
        open_segments = [s for s in tenant.segments.values() if s.status not in CLOSED_STATUSES]
        for segment in rng.sample(open_segments, k=rng.randint(0, 2)):
            plans.append(
                (start + timedelta(seconds=rng.randint(0, span)), "segment", segment.segment_id)
            )
        for when, kind, name in sorted(plans, key=lambda p: p[0])[:25]:
            if kind == "segment":
                add_membership(tenant, customer, tenant.segments[name or ""], to_utc_ms(when))
                continue
            event = self._event(rng, tenant, customer, to_utc_ms(when), kind, name)
            if event is not None:
                tenant.add_event(event)
                engine.process(tenant, event, self.rules)

    def _event(
        self,
        rng: random.Random,
        tenant: TenantData,
        customer: Customer,
        when: datetime,
        kind: str,
        name_space: str | None,
    ) -> Event | None:
        detail: dict[str, Any]
        reference = None
        if kind == "order":
            detail = _order(rng)
            name_space, reference = "Order.Completed", detail["orderNumber"]
        elif kind == "transaction":
            total = round(rng.uniform(4, 300), 2)
            detail = {"total": total, "currency": "USD", "type": "purchase"}
            name_space, reference = "Transaction.Purchase", f"POS-{rng.randint(100000, 999999)}"
        elif kind == "action":
            if name_space is None:
                names = [n for n, _ in _ACTIONS]
                name_space = rng.choices(names, weights=[w for _, w in _ACTIONS])[0]
            detail = {"amount": 0.0, "count": 1}
        elif kind == "points":
            balance = tenant.balance(customer.customer_id)[0]
            amount = (
                rng.choice((50, 100, 200)) if balance < 50 else -rng.randint(1, min(balance, 50))
            )
            detail = {"amount": amount}
            name_space = "Points.Adjustment." + ("Goodwill" if amount > 0 else "Correction")
        elif kind == "redemption":
            balance = tenant.balance(customer.customer_id)[0]
            options = [a for a in (100, 200, 500) if a <= balance]
            if customer.is_account_locked or not options:
                return None
            detail = {"amount": rng.choice(options)}
            name_space, reference = "Rewards.Redeem", f"RWD-{rng.randint(10000, 99999)}"
        else:  # anniversary
            years = when.year - customer.created_at.year
            detail = {"years": years, "anniversaryDate": when.isoformat()}
            name_space = "Customer.Anniversary"
        return Event(
            event_id=seeded_uuid(rng),
            tenant_id=tenant.tenant_id,
            customer_id=customer.customer_id,
            created_at=when,
            event_type=kind,
            name_space=name_space,
            reference=reference,
            campaign=rng.choice(_CAMPAIGNS),
            attributes=[("channel", rng.choice(_CHANNELS))],
            detail=detail,
        )


def _order(rng: random.Random) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for sku, category, product_type in rng.sample(_PRODUCTS, k=rng.randint(1, 3)):
        quantity = rng.randint(1, 3)
        price = round(rng.uniform(5, 250), 2)
        items.append(
            {
                "sku": sku,
                "quantity": quantity,
                "price": price,
                "vendor": "Acme",
                "productCategory": category,
                "productType": product_type,
            }
        )
    shipping = rng.choice((0.0, 4.95))
    total = round(sum(i["quantity"] * i["price"] for i in items) + shipping, 2)
    return {
        "orderNumber": f"ORD-{rng.randint(100000, 999999)}",
        "total": total,
        "taxTotal": round(total * 0.21 / 1.21, 2),
        "shippingTotal": shipping,
        "currency": "USD",
        "lineItems": items,
        "payments": [{"amount": total, "bin": "411111", "bank": "Demo Bank", "scheme": "visa"}],
    }
