"""The Omnidesk side of the demo world, derived deterministically from its seed.

Per tenant, one account (``DemoTenant.omnidesk_account``) with two brands:

- the main brand (``omnidesk_brand_id``, CRM lookup ``main_brand_crm_url``, search by
  channels off) holds every demo customer with ``external_primary_id`` = ``customer_id``,
  email and telephone channels, some twitter/facebook handles, custom fields (tier, city,
  crm_reference), 0 to 6 external events (orders, marketing mails) and 0 to 3 tickets, plus two
  unlinked tickets from walk-in addresses (for channel linking and ``noSync``);
- the other brand (``omnidesk_other_brand_id``, "… Outlet", search by channels on, no CRM)
  holds a few customers of its own; the first shares its email with the tenant's first
  customer, so brand scoping is visible.

The full key has CUSTOMER_READ + CUSTOMER_CUD, the read-only key only CUSTOMER_READ.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.demo_world import DEMO_EPOCH, DemoCustomer, DemoTenant, DemoWorld, stable_seed
from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.store import (
    CUSTOMER_CUD,
    CUSTOMER_READ,
    Account,
    Brand,
    Channel,
    Customer,
    OmnideskStore,
    Ticket,
    TimelineEntry,
)

OTHER_BRAND_CUSTOMERS = 5
WALK_IN_TICKETS = 2
_FIRST = ("Lotte", "Milan", "Noor", "Sem", "Julia", "Thijs")
_LAST = ("Kuiper", "Verhoeven", "Postma", "van Dijk", "Koster", "Prins")
_CAMPAIGNS = ("Autumn sale", "New arrivals", "Loyalty points update", "Winter collection")
_SUBJECTS = (
    "Where is my order?",
    "Return request",
    "Question about my points",
    "Invoice needed",
    "Damaged item",
)
_TICKET_STATUSES = ("open", "pending", "closed", "closed")


def build_store(world: DemoWorld, options: OmnideskSandboxOptions) -> OmnideskStore:
    store = OmnideskStore()
    for tenant in world.tenants:
        _build_account(store, world.seed, tenant, options)
    return store


def walk_in_address(tenant: DemoTenant, n: int) -> str:
    """The contact address of the tenant's n-th unlinked ticket (main brand)."""
    return f"walk-in.{tenant.key}.{n}@example.org"


def _build_account(
    store: OmnideskStore, seed: int, tenant: DemoTenant, options: OmnideskSandboxOptions
) -> None:
    account = Account(key=tenant.omnidesk_account, name=tenant.name)
    main = Brand(tenant.omnidesk_brand_id, tenant.name, crm_url=options.main_brand_crm_url)
    other = Brand(
        tenant.omnidesk_other_brand_id,
        f"{tenant.name} Outlet",
        enable_customer_search_by_channels=True,
    )
    account.brands = {main.id: main, other.id: other}
    store.add_account(account)
    store.grant(tenant.omnidesk_api_key, account.key, CUSTOMER_READ, CUSTOMER_CUD)
    store.grant(tenant.omnidesk_read_only_key, account.key, CUSTOMER_READ)
    types = _type_ids(options)
    for i, person in enumerate(tenant.customers):
        rng = random.Random(stable_seed(seed, "omnidesk", tenant.index, i))
        _main_customer(store, account, main, person, rng, types)
    for n in range(WALK_IN_TICKETS):
        subject = _SUBJECTS[n % len(_SUBJECTS)]
        _ticket(store, account, main.id, None, walk_in_address(tenant, n), DEMO_EPOCH, subject)
    rng = random.Random(stable_seed(seed, "omnidesk", tenant.index, "other-brand"))
    shared_email = tenant.customers[0].email if tenant.customers else None
    for n in range(OTHER_BRAND_CUSTOMERS):
        email = shared_email if n == 0 and shared_email else None
        _other_customer(store, account, other, tenant, n, email, rng, types)


def _type_ids(options: OmnideskSandboxOptions) -> dict[str, int]:
    names = ("email", "telephone", "facebook", "twitter")
    return {n: i for n in names if (i := options.channel_type_id(n)) is not None}


def _channel(store: OmnideskStore, types: dict[str, int], kind: str, address: str) -> list[Channel]:
    return [Channel(store.next_channel_id(), types[kind], address)] if kind in types else []


def _main_customer(
    store: OmnideskStore,
    account: Account,
    brand: Brand,
    person: DemoCustomer,
    rng: random.Random,
    types: dict[str, int],
) -> None:
    handle = f"{person.first_name}_{person.last_name}".encode("ascii", "ignore").decode()
    handle = "".join(ch for ch in handle if ch.isalnum() or ch == "_")
    channels = _channel(store, types, "email", person.email)
    channels += _channel(store, types, "telephone", person.mobile)
    if rng.random() < 0.2:
        channels += _channel(store, types, "twitter", handle)
    if rng.random() < 0.1:
        channels += _channel(store, types, "facebook", handle.replace("_", " "))
    customer = Customer(
        id=store.next_customer_id(),
        brand_id=brand.id,
        external_primary_id=person.customer_id,
        firstname=person.first_name,
        lastname=person.last_name,
        channels=channels,
        custom_fields={
            "tier": person.tier,
            "city": person.city,
            "crm_reference": person.external_reference,
        },
    )
    account.add_customer(customer)
    _timeline(store, account, customer, person.created_at, rng)
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        created = _after(person.created_at, rng)
        subject, status = rng.choice(_SUBJECTS), rng.choice(_TICKET_STATUSES)
        _ticket(store, account, brand.id, customer.id, person.email, created, subject, status)


def _timeline(
    store: OmnideskStore,
    account: Account,
    customer: Customer,
    since: datetime,
    rng: random.Random,
) -> None:
    entries = []
    for _ in range(rng.randint(0, 6)):
        created = _after(since, rng)
        if rng.random() < 0.6:
            order = rng.randint(100_000, 999_999)
            amount = rng.randint(1_000, 25_000) / 100
            message, by = f"Order #{order} placed (EUR {amount:.2f})", "webshop"
            url: str | None = f"https://shop.example.com/orders/{order}"
        else:
            message, by = f"Marketing mail '{rng.choice(_CAMPAIGNS)}' sent", "mailer"
            url = None
        entry = TimelineEntry(store.next_event_id(), customer.id, message, by, url, created)
        entries.append(entry)
    if entries:
        account.timeline[customer.id] = sorted(entries, key=lambda e: e.created)


def _ticket(
    store: OmnideskStore,
    account: Account,
    brand_id: int,
    customer_id: int | None,
    address: str,
    created: datetime,
    subject: str,
    status: str = "open",
) -> None:
    ticket = Ticket(
        store.next_ticket_id(), brand_id, customer_id, subject, status, address, created
    )
    account.tickets[ticket.id] = ticket


def _other_customer(
    store: OmnideskStore,
    account: Account,
    brand: Brand,
    tenant: DemoTenant,
    n: int,
    email: str | None,
    rng: random.Random,
    types: dict[str, int],
) -> None:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    address = email or f"outlet.{tenant.key}.{n}@example.net"
    customer = Customer(
        id=store.next_customer_id(),
        brand_id=brand.id,
        external_primary_id=f"OUT-{tenant.index}-{n:04d}",
        firstname=first,
        lastname=last,
        channels=_channel(store, types, "email", address)
        + _channel(store, types, "telephone", f"+3120{rng.randint(1_000_000, 9_999_999)}"),
        custom_fields={"city": "Amsterdam"},
    )
    account.add_customer(customer)


def _after(since: datetime, rng: random.Random) -> datetime:
    """A moment between ``since`` and the demo epoch (whole seconds)."""
    span = max(1, int((DEMO_EPOCH - since).total_seconds()))
    return since + timedelta(seconds=rng.randint(0, span))
