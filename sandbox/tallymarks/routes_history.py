"""Customer API: event and transaction search (docs/vendors/tallymarks.md §7.6, §7.7).

These literal routes are registered before ``/api/v1/customers/{customerId}`` — the routing
trap of docs/vendors/tallymarks.md §7.11 (.NET separates them with a ``{customerId:guid}``
constraint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter

from sandbox.tallymarks.dates import to_utc_ms
from sandbox.tallymarks.deps import Options, Store, Tenant, query_guid
from sandbox.tallymarks.errors import invalid
from sandbox.tallymarks.paging import effective_limit, page
from sandbox.tallymarks.records import EVENT_TYPES, Event, Transaction
from sandbox.tallymarks.schemas_out import (
    EventOut,
    EventPageOut,
    TransactionOut,
    TransactionPageOut,
)

router = APIRouter(prefix="/api/v1/customers", tags=["Customer API"])


@dataclass(frozen=True)
class HistoryFilter:
    """The filters both searches share; every one is optional, bounds are inclusive."""

    customer_id: str | None
    event_id: str | None
    event_type: str | None
    keyword: str | None
    from_at: datetime | None
    to_at: datetime | None

    @classmethod
    def parse(
        cls,
        customerId: str | None,
        eventId: str | None,
        eventType: str | None,
        keyword: str | None,
        fromAt: datetime | None,
        toAt: datetime | None,
    ) -> HistoryFilter:
        event_type = eventType.strip().lower() if eventType else None
        if event_type is not None and event_type not in EVENT_TYPES:
            allowed = ", ".join(EVENT_TYPES)
            raise invalid("eventType", f"The eventType must be one of: {allowed}.", eventType)
        return cls(
            customer_id=query_guid(customerId, "customerId"),
            event_id=query_guid(eventId, "eventId"),
            event_type=event_type,
            keyword=keyword.strip().lower() if keyword and keyword.strip() else None,
            from_at=to_utc_ms(fromAt) if fromAt else None,
            to_at=to_utc_ms(toAt) if toAt else None,
        )

    def in_window(self, at: datetime) -> bool:
        return (self.from_at is None or at >= self.from_at) and (
            self.to_at is None or at <= self.to_at
        )

    def has_keyword(self, *values: str | None) -> bool:
        return self.keyword is None or any(self.keyword in v.lower() for v in values if v)

    def events(self, events: Iterable[Event]) -> list[Event]:
        return [
            e
            for e in events
            if (self.event_id is None or e.event_id == self.event_id)
            and (self.event_type is None or e.event_type == self.event_type)
            and self.in_window(e.created_at)
            and self.has_keyword(e.name_space, e.reference)
        ]

    def transactions(self, transactions: Iterable[Transaction]) -> list[Transaction]:
        return [
            t
            for t in transactions
            if (self.event_id is None or t.event_id == self.event_id)
            and (self.event_type is None or t.event_type == self.event_type)
            and self.in_window(t.created_at)
            and self.has_keyword(t.name_space, t.description, t.external_reference)
        ]


@router.get("/events", summary="Search for a Customer's Events")
async def search_events(
    tenant: Tenant,
    options: Options,
    store: Store,
    customerId: str | None = None,
    eventId: str | None = None,
    eventType: str | None = None,
    keyword: str | None = None,
    fromAt: datetime | None = None,
    toAt: datetime | None = None,
    limit: int | None = None,
    offsetKey: str | None = None,
) -> EventPageOut:
    size = effective_limit(limit, options)
    where = HistoryFilter.parse(customerId, eventId, eventType, keyword, fromAt, toAt)
    with store.lock:
        found = where.events(tenant.events_of(where.customer_id))
    items, next_key = page(found, lambda e: (e.created_at, e.event_id), size, offsetKey)
    return EventPageOut(events=[EventOut.of(e) for e in items], offsetKey=next_key)


@router.get("/transactions", summary="Search for a Customer's Transactions")
async def search_transactions(
    tenant: Tenant,
    options: Options,
    store: Store,
    customerId: str | None = None,
    eventId: str | None = None,
    eventType: str | None = None,
    keyword: str | None = None,
    fromAt: datetime | None = None,
    toAt: datetime | None = None,
    limit: int | None = None,
    offsetKey: str | None = None,
) -> TransactionPageOut:
    size = effective_limit(limit, options)
    where = HistoryFilter.parse(customerId, eventId, eventType, keyword, fromAt, toAt)
    with store.lock:
        found = where.transactions(tenant.transactions_of(where.customer_id))
    items, next_key = page(found, lambda t: (t.created_at, t.transaction_id), size, offsetKey)
    return TransactionPageOut(
        customerTransactions=[TransactionOut.of(t) for t in items], offsetKey=next_key
    )
