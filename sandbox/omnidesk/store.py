"""In-memory state of the simulated Omnidesk: accounts, brands, customers, timelines, tickets.

One :class:`OmnideskStore` per app (on ``app.state.store``). Every account is isolated: a
request resolves its account from the API key and only ever looks inside that account.
Mutations run under the store's lock (the app may be served from a server thread while a
test reads the store).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

CUSTOMER_READ = "CUSTOMER_READ"
CUSTOMER_CUD = "CUSTOMER_CUD"

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def timestamp(moment: datetime) -> str:
    """Omnidesk's timestamp format: ``"2019-09-28 22:06:16"``, no timezone.

    See docs/vendors/omnidesk.md §1.4.
    """
    return moment.strftime(TIMESTAMP_FORMAT)


@dataclass
class Brand:
    id: int
    name: str
    enable_customer_search_by_channels: bool = False
    #: CRM lookup URL: ``None`` (not configured), ``"stub:"`` or an http(s) URL
    crm_url: str | None = None


@dataclass
class Channel:
    id: int
    type_id: int
    address: str


@dataclass
class Customer:
    id: int
    brand_id: int
    external_primary_id: str | None
    firstname: str = ""
    lastname: str = ""
    channels: list[Channel] = field(default_factory=list)
    custom_fields: dict[str, str] = field(default_factory=dict)


@dataclass
class TimelineEntry:
    id: int
    customer_id: int
    message: str
    initiated_by: str
    source_url: str | None
    created: datetime
    type: str = "external_event"


@dataclass
class Ticket:
    id: int
    brand_id: int
    customer_id: int | None
    subject: str
    status: str
    contact_address: str
    created: datetime


@dataclass
class Account:
    """One Omnidesk account (``{account}.omnidesk.io``): its brands and everything in them."""

    key: str
    name: str
    brands: dict[int, Brand] = field(default_factory=dict)
    customers: dict[int, Customer] = field(default_factory=dict)
    timeline: dict[int, list[TimelineEntry]] = field(default_factory=dict)
    tickets: dict[int, Ticket] = field(default_factory=dict)
    _by_primary: dict[tuple[int, str], int] = field(default_factory=dict, repr=False)

    def customer_by_primary(self, brand_id: int, primary_id: str) -> Customer | None:
        customer_id = self._by_primary.get((brand_id, primary_id))
        return self.customers.get(customer_id) if customer_id is not None else None

    def add_customer(self, customer: Customer) -> None:
        self.customers[customer.id] = customer
        self.index_primary(customer)

    def index_primary(self, customer: Customer) -> None:
        if customer.external_primary_id is not None:
            self._by_primary[(customer.brand_id, customer.external_primary_id)] = customer.id

    def remove_customer(self, customer: Customer) -> None:
        self.customers.pop(customer.id, None)
        self.timeline.pop(customer.id, None)
        if customer.external_primary_id is not None:
            self._by_primary.pop((customer.brand_id, customer.external_primary_id), None)

    def customers_in(self, brand_id: int) -> Iterator[Customer]:
        return (c for c in self.customers.values() if c.brand_id == brand_id)


@dataclass(frozen=True)
class KeyGrant:
    """What an API key opens: one account, with some permissions."""

    account: str
    permissions: frozenset[str]


class OmnideskStore:
    """Every account of the sandbox, the API keys, and the id sequences."""

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.keys: dict[str, KeyGrant] = {}
        self.lock = threading.RLock()
        self._customer_ids = itertools.count(1)
        self._channel_ids = itertools.count(1)
        self._event_ids = itertools.count(1)
        self._ticket_ids = itertools.count(1001)

    def add_account(self, account: Account) -> None:
        self.accounts[account.key] = account

    def grant(self, api_key: str, account: str, *permissions: str) -> None:
        self.keys[api_key] = KeyGrant(account, frozenset(permissions))

    def brand_owner(self, brand_id: int) -> Account | None:
        return next((a for a in self.accounts.values() if brand_id in a.brands), None)

    def next_customer_id(self) -> int:
        return next(self._customer_ids)

    def next_channel_id(self) -> int:
        return next(self._channel_ids)

    def next_event_id(self) -> int:
        return next(self._event_ids)

    def next_ticket_id(self) -> int:
        return next(self._ticket_ids)
