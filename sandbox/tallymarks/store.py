"""The Tallymarks sandbox's in-memory state: one :class:`TenantData` per tenant.

Demo histories (events, transactions, memberships) are built lazily per customer, the first
time anything touches that customer, so building the app stays fast for large worlds. The
store's lock guards every read-modify-write (the sandbox may serve from a server thread
while a test reads it).
"""

from __future__ import annotations

import hmac
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from sandbox.tallymarks.records import Customer, Event, Membership, Segment, Transaction
from sandbox.tallymarks.rules import Rule

Clock = Callable[[], datetime]
HistoryBuilder = Callable[["TenantData", str], None]


def system_clock() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def normalise_email(email: str | None) -> str | None:
    """Emails collide case-insensitively and trimmed; blank means none.

    See docs/vendors/tallymarks.md §9.2 [I].
    """
    if email is None:
        return None
    email = email.strip().lower()
    return email or None


class TenantData:
    """Everything one tenant owns."""

    def __init__(self, tenant_id: str, api_key: str, api_secret: str) -> None:
        self.tenant_id = tenant_id
        self._api_key = api_key
        self._api_secret = api_secret
        self.customers: dict[str, Customer] = {}
        self._emails: dict[str, str] = {}
        self.events: dict[str, Event] = {}
        self._events_by_customer: dict[str, list[Event]] = defaultdict(list)
        self._transactions_by_customer: dict[str, list[Transaction]] = defaultdict(list)
        self.check_sums: set[str] = set()
        self.segments: dict[str, Segment] = {}
        self._memberships: dict[str, dict[str, Membership]] = defaultdict(dict)
        self.rules: list[Rule] = []
        self.queue: deque[str] = deque()
        self._lazy: set[str] = set()
        self._history_builder: HistoryBuilder | None = None

    def __repr__(self) -> str:
        return f"TenantData({self.tenant_id!r}, customers={len(self.customers)})"

    # credentials
    def accepts(self, api_key: str, api_secret: str) -> bool:
        key_ok = hmac.compare_digest(api_key.encode(), self._api_key.encode())
        secret_ok = hmac.compare_digest(api_secret.encode(), self._api_secret.encode())
        return key_ok and secret_ok

    # lazy demo histories
    def defer_history(self, customer_id: str, builder: HistoryBuilder) -> None:
        self._history_builder = builder
        self._lazy.add(customer_id)

    def ensure(self, customer_id: str) -> None:
        """Build the demo history of ``customer_id`` if it has not been built yet."""
        if customer_id in self._lazy and self._history_builder is not None:
            self._lazy.discard(customer_id)
            self._history_builder(self, customer_id)

    def ensure_all(self) -> None:
        for customer_id in sorted(self._lazy):
            self.ensure(customer_id)

    # customers
    def add_customer(self, customer: Customer) -> None:
        self.customers[customer.customer_id] = customer
        email = normalise_email(customer.email_address)
        if email:
            self._emails[email] = customer.customer_id

    def email_owner(self, email: str | None) -> str | None:
        key = normalise_email(email)
        return self._emails.get(key) if key else None

    def change_email(self, customer: Customer, email: str | None) -> None:
        old = normalise_email(customer.email_address)
        if old and self._emails.get(old) == customer.customer_id:
            del self._emails[old]
        customer.email_address = email
        new = normalise_email(email)
        if new:
            self._emails[new] = customer.customer_id

    # events and transactions
    def add_event(self, event: Event) -> None:
        self.events[event.event_id] = event
        self._events_by_customer[event.customer_id].append(event)

    def events_of(self, customer_id: str | None) -> list[Event]:
        if customer_id is None:
            self.ensure_all()
            return list(self.events.values())
        self.ensure(customer_id)
        return list(self._events_by_customer.get(customer_id, ()))

    def add_transaction(self, transaction: Transaction) -> bool:
        """Write a transaction unless its checkSum was seen (the dedupe guard)."""
        if transaction.check_sum in self.check_sums:
            return False
        self.check_sums.add(transaction.check_sum)
        self._transactions_by_customer[transaction.customer_id].append(transaction)
        return True

    def transactions_of(self, customer_id: str | None) -> list[Transaction]:
        if customer_id is None:
            self.ensure_all()
            return [t for ts in self._transactions_by_customer.values() for t in ts]
        self.ensure(customer_id)
        return list(self._transactions_by_customer.get(customer_id, ()))

    def balance(self, customer_id: str) -> tuple[int, datetime]:
        """(points, changedAt): the sum of the ledger, and when it last moved.

        See docs/vendors/tallymarks.md §9.3.
        """
        transactions = self.transactions_of(customer_id)
        amount = sum(t.amount for t in transactions)
        if transactions:
            return amount, max(t.created_at for t in transactions)
        return amount, self.customers[customer_id].created_at

    def queued_redemptions(self, customer_id: str) -> int:
        """Points of redemptions accepted but not yet processed (deferred mode)."""
        total = 0
        for event_id in self.queue:
            event = self.events[event_id]
            if event.customer_id == customer_id and event.event_type == "redemption":
                total += int(event.detail.get("amount", 0))
        return total

    # memberships
    def memberships_of(self, customer_id: str) -> dict[str, Membership]:
        self.ensure(customer_id)
        return self._memberships[customer_id]

    def iter_memberships(self) -> Iterator[Membership]:
        self.ensure_all()
        for by_segment in self._memberships.values():
            yield from by_segment.values()


class TallymarksStore:
    """All tenants, a clock and the lock."""

    def __init__(self, clock: Clock = system_clock) -> None:
        self.tenants: dict[str, TenantData] = {}
        self.clock = clock
        self.lock = threading.RLock()

    def now(self) -> datetime:
        return self.clock()

    def tenant(self, tenant_id: str) -> TenantData | None:
        return self.tenants.get(tenant_id.strip().lower())
