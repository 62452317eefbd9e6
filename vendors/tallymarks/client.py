"""The Tallymarks client: one typed async method per Customer API and Event API operation.

Retries: GET, PUT and DELETE are idempotent and retried by :class:`VendorHttp`. Event POSTs
carry a client-chosen ``eventId`` and the vendor answers a repeat with 208 without
processing it again, so they are retried too; Create Customer and PATCH are not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypedDict, TypeVar, Unpack

import httpx
from pydantic import BaseModel

from vendors.errors import (
    VendorInvalidInputError,
    VendorNotFoundError,
)
from vendors.http import RetryPolicy, VendorHttp, VendorResponse
from vendors.path_segments import guid_segment
from vendors.tallymarks.auth import TallymarksAuth
from vendors.tallymarks.config import TallymarksConfig
from vendors.tallymarks.errors import NOT_FOUND_CODES, parse_error
from vendors.tallymarks.models import (
    ActionEvent,
    Balance,
    BasketAssessment,
    BasketEvent,
    Customer,
    CustomerCreate,
    CustomerPage,
    CustomerUpdate,
    EventAccepted,
    EventPage,
    OrderEvent,
    PointsEvent,
    RedemptionAccepted,
    RedemptionEvent,
    SegmentAdd,
    SegmentMembership,
    SegmentPage,
    TransactionEvent,
    TransactionPage,
)

VENDOR = "tallymarks"
MAX_LIMIT = 100
CUSTOMERS = "/api/v1/customers"
EVENTS = "/api/v1/events"

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
A = TypeVar("A", bound=EventAccepted)


def tallymarks_http(client: httpx.AsyncClient, retry: RetryPolicy | None = None) -> VendorHttp:
    """The shared HTTP edge wired with the Tallymarks error parser."""
    return VendorHttp(VENDOR, client, parse_error, retry or RetryPolicy())


def _iso(value: datetime) -> str:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def _guid(value: str, endpoint: str, param: str) -> str:
    """Customer and segment ids are GUIDs (the vendor's ``{id:guid}`` routes): anything
    else is refused before I/O, so no id can reach another route."""
    return guid_segment(value, vendor=VENDOR, endpoint=endpoint, param=param)


class HistoryFilters(TypedDict, total=False):
    """What the events and the transactions searches filter on (the same query parameters);
    ``from_at``/``to_at`` bound ``createdAt`` inclusively, ``limit`` defaults to 100."""

    customer_id: str | None
    event_id: str | None
    event_type: str | None
    keyword: str | None
    from_at: datetime | None
    to_at: datetime | None
    limit: int
    offset_key: str | None


def _history_params(filters: HistoryFilters) -> dict[str, str]:
    from_at, to_at = filters.get("from_at"), filters.get("to_at")
    params = {
        "customerId": filters.get("customer_id"),
        "eventId": filters.get("event_id"),
        "eventType": filters.get("event_type"),
        "keyword": filters.get("keyword"),
        "fromAt": _iso(from_at) if from_at else None,
        "toAt": _iso(to_at) if to_at else None,
        "limit": str(_check_limit(filters.get("limit", MAX_LIMIT))),
        "offsetKey": filters.get("offset_key") or None,
    }
    return {k: v for k, v in params.items() if v is not None}


async def _follow(
    fetch: Callable[[str | None], Awaitable[tuple[list[T], str | None]]],
) -> AsyncIterator[T]:
    """Yield items page after page until ``offsetKey`` is null/empty (or repeats)."""
    key: str | None = None
    seen: set[str] = set()
    while True:
        items, next_key = await fetch(key)
        for item in items:
            yield item
        if not next_key or next_key in seen:
            return
        seen.add(next_key)
        key = next_key


class TallymarksClient:
    """Typed access to one tenant's Tallymarks (Customer API and Event API)."""

    def __init__(self, http: VendorHttp, config: TallymarksConfig) -> None:
        self._http = http
        self._config = config
        auth = TallymarksAuth(config.tenant_id, config.api_key, config.api_secret)
        # the pooled client is shared by tenants: credentials travel per request, in
        # headers built once per tenant client
        self._headers = http.headers(auth.headers())

    def __repr__(self) -> str:
        return f"TallymarksClient(tenant_id={self._config.tenant_id!r})"

    # plumbing ------------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        url: str,
        endpoint: str,
        *,
        idempotent: bool,
        params: dict[str, str] | None = None,
        body: BaseModel | None = None,
        exclude_unset: bool = False,
    ) -> VendorResponse:
        payload: Any = None
        if body is not None:
            payload = body.model_dump(
                mode="json", by_alias=True, exclude_unset=exclude_unset, exclude_none=True
            )
        request = self._http.request(method, url, self._headers, params=params, json=payload)
        try:
            return await self._http.send(request, endpoint=endpoint, idempotent=idempotent)
        except VendorInvalidInputError as exc:
            # "400 Customer Not Found" (docs/vendors/tallymarks.md §7.2)
            if exc.code in NOT_FOUND_CODES:
                raise VendorNotFoundError(
                    VENDOR, endpoint, exc.status, exc.message, code=exc.code
                ) from None
            raise

    @staticmethod
    def _parse(model: type[M], response: VendorResponse, endpoint: str) -> M:
        return response.parsed(model, VENDOR, endpoint)

    def _customers(self, path: str = "") -> str:
        return f"{self._config.customer_base_url}{CUSTOMERS}{path}"

    async def _post_event(self, route: str, event: BaseModel, model: type[A]) -> A:
        endpoint = f"POST {EVENTS}/{route}"
        url = f"{self._config.event_base_url}{EVENTS}/{route}"
        # idempotent: the eventId is chosen here, and a repeat is answered 208, not re-run
        response = await self._call("POST", url, endpoint, idempotent=True, body=event)
        accepted = self._parse(model, response, endpoint)
        if response.status_code == 208:
            accepted.is_existing = True
        return accepted

    # Customer API --------------------------------------------------------------------------

    async def get_customer(self, customer_id: str) -> Customer:
        endpoint = f"GET {CUSTOMERS}/{{customerId}}"
        url = self._customers(f"/{_guid(customer_id, endpoint, 'customerId')}")
        response = await self._call("GET", url, endpoint, idempotent=True)
        return self._parse(Customer, response, endpoint)

    async def update_customer(self, customer_id: str, update: CustomerUpdate) -> Customer:
        """Partial update: only the fields set on ``update`` are sent. An unknown customer
        (the vendor's 400 "Customer Not Found") raises :class:`VendorNotFoundError`."""
        endpoint = f"PATCH {CUSTOMERS}/{{customerId}}"
        url = self._customers(f"/{_guid(customer_id, endpoint, 'customerId')}")
        response = await self._call(
            "PATCH", url, endpoint, idempotent=False, body=update, exclude_unset=True
        )
        return self._parse(Customer, response, endpoint)

    async def search_customers(
        self, keyword: str | None = None, *, limit: int = MAX_LIMIT, offset_key: str | None = None
    ) -> CustomerPage:
        endpoint = f"GET {CUSTOMERS}"
        params = {"keyword": keyword, "limit": str(_check_limit(limit)), "offsetKey": offset_key}
        query = {k: v for k, v in params.items() if v}
        response = await self._call(
            "GET", self._customers(), endpoint, idempotent=True, params=query
        )
        return self._parse(CustomerPage, response, endpoint)

    async def create_customer(self, customer: CustomerCreate) -> Customer:
        """Register a customer (not retried: a replay after a lost answer would be refused)."""
        endpoint = f"POST {self._config.create_customer_path}"
        url = f"{self._config.customer_base_url}{self._config.create_customer_path}"
        response = await self._call("POST", url, endpoint, idempotent=False, body=customer)
        return self._parse(Customer, response, endpoint)

    async def get_balance(self, customer_id: str) -> Balance:
        endpoint = f"GET {CUSTOMERS}/{{customerId}}/balance"
        url = self._customers(f"/{_guid(customer_id, endpoint, 'customerId')}/balance")
        response = await self._call("GET", url, endpoint, idempotent=True)
        return self._parse(Balance, response, endpoint)

    async def search_events(self, **filters: Unpack[HistoryFilters]) -> EventPage:
        """Events, newest first."""
        return await self._search_history("events", EventPage, filters)

    async def search_transactions(self, **filters: Unpack[HistoryFilters]) -> TransactionPage:
        """Points transactions, newest first."""
        return await self._search_history("transactions", TransactionPage, filters)

    async def _search_history(self, path: str, page: type[M], filters: HistoryFilters) -> M:
        endpoint = f"GET {CUSTOMERS}/{path}"
        params = _history_params(filters)
        url = self._customers(f"/{path}")
        response = await self._call("GET", url, endpoint, idempotent=True, params=params)
        return self._parse(page, response, endpoint)

    async def get_segments(
        self, customer_id: str, *, limit: int = MAX_LIMIT, offset_key: str | None = None
    ) -> SegmentPage:
        endpoint = f"GET {CUSTOMERS}/{{customerId}}/segments"
        params = {"limit": str(_check_limit(limit))}
        if offset_key:
            params["offsetKey"] = offset_key
        url = self._customers(f"/{_guid(customer_id, endpoint, 'customerId')}/segments")
        response = await self._call("GET", url, endpoint, idempotent=True, params=params)
        return self._parse(SegmentPage, response, endpoint)

    def iter_segments(
        self, customer_id: str, *, page_size: int = MAX_LIMIT
    ) -> AsyncIterator[SegmentMembership]:
        async def fetch(key: str | None) -> tuple[list[SegmentMembership], str | None]:
            page = await self.get_segments(customer_id, limit=page_size, offset_key=key)
            return page.segments, page.offset_key

        return _follow(fetch)

    async def add_segment(self, customer_id: str, segment_id: str) -> SegmentMembership:
        """Add to a segment (PUT; re-adding an active membership is a no-op on the vendor)."""
        endpoint = f"PUT {CUSTOMERS}/{{customerId}}/segments"
        url = self._customers(f"/{_guid(customer_id, endpoint, 'customerId')}/segments")
        body = SegmentAdd(segment_id=segment_id)
        response = await self._call("PUT", url, endpoint, idempotent=True, body=body)
        return self._parse(SegmentMembership, response, endpoint)

    async def remove_segment(self, customer_id: str, segment_id: str) -> None:
        """Remove from a segment; a membership that does not exist → VendorNotFoundError."""
        endpoint = f"DELETE {CUSTOMERS}/{{customerId}}/segments/{{segmentId}}"
        customer = _guid(customer_id, endpoint, "customerId")
        url = self._customers(f"/{customer}/segments/{_guid(segment_id, endpoint, 'segmentId')}")
        await self._call("DELETE", url, endpoint, idempotent=True)

    # Event API -----------------------------------------------------------------------------
    # Every event POST is safe to retry: the eventId is client-chosen and a repeat is
    # answered 208 ("Already Reported") without being processed twice.

    async def track_action(self, event: ActionEvent) -> EventAccepted:
        return await self._post_event("actions", event, EventAccepted)

    async def track_order(self, event: OrderEvent) -> EventAccepted:
        return await self._post_event("orders", event, EventAccepted)

    async def track_transaction(self, event: TransactionEvent) -> EventAccepted:
        return await self._post_event("transactions", event, EventAccepted)

    async def track_points(self, event: PointsEvent) -> EventAccepted:
        return await self._post_event("points", event, EventAccepted)

    async def redeem_points(self, event: RedemptionEvent) -> RedemptionAccepted:
        """Validated synchronously: a locked account or short balance → VendorInvalidInputError
        (codes ``AccountLocked`` / ``InsufficientBalance``)."""
        return await self._post_event("redemptions", event, RedemptionAccepted)

    async def assess_basket(self, event: BasketEvent) -> BasketAssessment:
        """Synchronous what-if assessment; nothing is stored (safe to retry)."""
        return await self._post_event("baskets", event, BasketAssessment)
