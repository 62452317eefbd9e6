"""The Omnidesk Customer API v2 client: one typed async method per customer endpoint.

Encodings follow the vendor: POST bodies are ``multipart/form-data``, PUT bodies
``application/x-www-form-urlencoded``, DELETE parameters go in the query string and an
urlencoded body. Each endpoint gets its exact parameter casing (``brand_id`` here,
``brandID`` there). GET/PUT/DELETE and the two read-only search POSTs are retried on
transient failures; writing POSTs are not (Omnidesk has no idempotency key).

A ``"… not found."`` rejection becomes :class:`VendorNotFoundError` and a duplicate primary id
:class:`VendorConflictError`, although Omnidesk answers both with a plain 400.
"""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel, Field

from vendors.errors import (
    VendorConflictError,
    VendorError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorUnavailableError,
)
from vendors.http import (
    HeaderPairs,
    RetryPolicy,
    VendorHttp,
    VendorRequest,
    VendorResponse,
)
from vendors.omnidesk.auth import OmnideskAuth
from vendors.omnidesk.config import OmnideskConfig
from vendors.omnidesk.errors import DUPLICATE, NOT_FOUND, is_error_body, parse_error
from vendors.omnidesk.form_bodies import (
    URLENCODED,
    USUAL_MULTIPART,
    multipart_body,
    urlencoded_body,
)
from vendors.omnidesk.forms import Fields, changes_fields, custom_fields, fields
from vendors.omnidesk.models import (
    ActionResult,
    CrmChannel,
    Customer,
    CustomerChanges,
    CustomerList,
    CustomerPage,
    ExternalEvent,
    NewChannels,
    NewCustomer,
    Timeline,
)
from vendors.omnidesk.validation import QUERY_PATTERN, Checker
from vendors.path_segments import number_segment

__all__ = ["VENDOR", "OmnideskClient", "omnidesk_http"]

VENDOR = "omnidesk"
BASE = "/api/v2/customer"
DEFAULT_ITEM_LIMIT = 15

M = TypeVar("M", bound=BaseModel)


class _Item(BaseModel):
    """GET item's envelope: ``{"item": {…}}``."""

    item: Customer


class _Found(BaseModel):
    """SearchByPrimaryExternalID answers one ``item`` or a list of ``items``."""

    item: Customer | None = None
    items: list[Customer] = Field(default_factory=list)


def omnidesk_http(client: httpx.AsyncClient, retry: RetryPolicy | None = None) -> VendorHttp:
    """The shared HTTP edge wired with Omnidesk's error parser (and 200-with-error check)."""
    return VendorHttp(
        VENDOR,
        client,
        parse_error,
        retry=retry or RetryPolicy(),
        is_error_body=is_error_body,
    )


def _id(value: int, endpoint: str, param: str) -> str:
    """Omnidesk's internal ids are positive integers; nothing else goes into a path."""
    return number_segment(value, vendor=VENDOR, endpoint=endpoint, param=param)


class OmnideskClient:
    """One tenant's Omnidesk account, over a shared :class:`VendorHttp`."""

    def __init__(self, http: VendorHttp, config: OmnideskConfig) -> None:
        self._http = http
        self._config = config
        # the pooled client is shared by tenants: the key travels per request, in headers
        # built once per tenant client (one set per body encoding)
        signed = {"Accept": "application/json"} | OmnideskAuth(config.api_key).headers()
        self._signed = signed
        self._headers = http.headers(signed)
        self._urlencoded_headers = http.headers(signed | {"Content-Type": URLENCODED})
        self._multipart_headers: dict[str, HeaderPairs] = {}

    def __repr__(self) -> str:
        return (
            f"OmnideskClient(base_url={self._config.base_url!r}, brand_id={self._config.brand_id})"
        )

    @property
    def brand_id(self) -> int:
        """The tenant's brand: records of other brands are not its customers."""
        return self._config.brand_id

    # --- index and item ------------------------------------------------------------------

    async def list_customers(
        self, *, query: str = "", item_start: int = 0, item_limit: int = DEFAULT_ITEM_LIMIT
    ) -> CustomerPage:
        """GET index: one page of the account's customers (``item_limit`` ≤ 99)."""
        endpoint = f"GET {BASE}"
        check = Checker(VENDOR, endpoint)
        check.pattern("query", query, QUERY_PATTERN)
        check.paging(item_start, item_limit)
        params = fields(query=query or None, itemStart=item_start, itemLimit=item_limit)
        request = self._build("GET", BASE, params=params)
        return await self._call(CustomerPage, request, endpoint, idempotent=True)

    async def get_customer(self, customer_id: int) -> Customer:
        """GET item: one customer by internal id (:class:`VendorNotFoundError` if unknown)."""
        endpoint = f"GET {BASE}/{{id}}"
        request = self._build("GET", f"{BASE}/{_id(customer_id, endpoint, 'id')}")
        return (await self._call(_Item, request, endpoint, idempotent=True)).item

    async def create_customer(self, customer: NewCustomer) -> ActionResult:
        """POST index: create a customer, linking channels (and a ticket) at once."""
        endpoint = f"POST {BASE}"
        check = Checker(VENDOR, endpoint)
        check.name("firstname", customer.firstname)
        check.name("lastname", customer.lastname)
        check.telephone("extra_telephone", customer.extra_telephone)
        check.channel_type("channel_id", customer.channel_id)
        form = fields(
            channel_id=customer.channel_id,
            customer_link_channel=customer.customer_link_channel,
            search_customer_channel_value=customer.search_customer_channel_value,
            brand_id=self._config.brand_id,
            primary_id=customer.primary_id,
            firstname=customer.firstname,
            lastname=customer.lastname,
            extra_email=customer.extra_email,
            extra_telephone=customer.extra_telephone,
        ) | custom_fields(customer.custom_fields)
        request = self._build("POST", BASE, multipart=form)
        return await self._call(ActionResult, request, endpoint, idempotent=False)

    async def update_customer(
        self, customer_id: int, changes: CustomerChanges, *, brand_id: int | None = None
    ) -> ActionResult:
        """PUT item: any field of a customer, channels as type/value pairs."""
        endpoint = f"PUT {BASE}/{{id}}"
        form = fields(brandID=brand_id) | changes_fields(changes, Checker(VENDOR, endpoint))
        request = self._build("PUT", f"{BASE}/{_id(customer_id, endpoint, 'id')}", urlencoded=form)
        return await self._call(ActionResult, request, endpoint, idempotent=True)

    # --- searches --------------------------------------------------------------------------

    async def search_by_primary_external_id(
        self, primary_id: str, *, brand_id: int | None = None
    ) -> Customer | None:
        """The brand's customer with this external primary id, or ``None``."""
        endpoint = f"POST {BASE}/SearchByPrimaryExternalID"
        form = fields(primary_id=primary_id, brand_id=self._brand(brand_id))
        request = self._build("POST", f"{BASE}/SearchByPrimaryExternalID", multipart=form)
        try:
            found = await self._call(_Found, request, endpoint, idempotent=True)
        except VendorNotFoundError:
            return None
        if "item" in found.model_fields_set:
            if found.item is None:
                raise VendorUnavailableError(VENDOR, endpoint, None, "malformed body")
            return found.item
        return found.items[0] if found.items else None

    async def search_by_customer_channel_value(
        self, value: str, *, brand_id: int | None = None
    ) -> list[Customer]:
        """Every customer of the brand with a channel at this address."""
        endpoint = f"POST {BASE}/SearchByCustomerChannelValue"
        form = fields(customerChannelValue=value, brand_id=self._brand(brand_id))
        request = self._build("POST", f"{BASE}/SearchByCustomerChannelValue", multipart=form)
        found = await self._call(CustomerList, request, endpoint, idempotent=True)
        return found.items

    # --- CRUD-style changes ----------------------------------------------------------------

    async def add_channel_only(
        self,
        channels: NewChannels,
        *,
        customer_id: int | None = None,
        primary_id: str | None = None,
        brand_id: int | None = None,
        no_sync: bool = False,
    ) -> ActionResult:
        """addChannelOnly: link channels to a customer (by id, or primary id + brand)."""
        endpoint = f"POST {BASE}/addChannelOnly"
        check = Checker(VENDOR, endpoint)
        check.telephone("extra_telephone", channels.telephone)
        form = self._addressed(check, customer_id, primary_id, "primary_id", brand_id)
        form |= fields(
            extra_email=channels.email,
            extra_telephone=channels.telephone,
            extra_twitter=channels.twitter,
            extra_facebook=channels.facebook,
            noSync=no_sync,
        )
        request = self._build("POST", f"{BASE}/addChannelOnly", multipart=form)
        return await self._call(ActionResult, request, endpoint, idempotent=False)

    async def update_customer_by_external_id(
        self, primary_id: str, changes: CustomerChanges, *, brand_id: int | None = None
    ) -> ActionResult:
        """PUT updateCustomer: fields not sent are left unchanged."""
        endpoint = f"PUT {BASE}/updateCustomer"
        form = fields(externalPrimaryID=primary_id, brandID=self._brand(brand_id))
        form |= changes_fields(changes, Checker(VENDOR, endpoint))
        request = self._build("PUT", f"{BASE}/updateCustomer", urlencoded=form)
        return await self._call(ActionResult, request, endpoint, idempotent=True)

    async def delete_channel(self, customer_id: int, channel_id: int) -> ActionResult:
        """DELETE itemChannel: unlink one channel by its own id."""
        endpoint = f"DELETE {BASE}/{{id}}/channel/{{channelId}}"
        request = self._build(
            "DELETE",
            (
                f"{BASE}/{_id(customer_id, endpoint, 'id')}"
                f"/channel/{_id(channel_id, endpoint, 'channelId')}"
            ),
        )
        return await self._call(ActionResult, request, endpoint, idempotent=True)

    async def purge_customer_data(
        self,
        *,
        customer_id: int | None = None,
        primary_id: str | None = None,
        brand_id: int | None = None,
    ) -> ActionResult:
        """DELETE itemPurgeData: remove the customer and everything linked to it."""
        endpoint = f"DELETE {BASE}/purgeData"
        check = Checker(VENDOR, endpoint)
        form = self._addressed(check, customer_id, primary_id, "primary_id", brand_id)
        request = self._build("DELETE", f"{BASE}/purgeData", urlencoded=form)
        return await self._call(ActionResult, request, endpoint, idempotent=True)

    # --- timeline and CRM ------------------------------------------------------------------

    async def get_timeline(
        self, external_id: str, *, brand_id: int | None = None, include_tickets: bool = False
    ) -> Timeline:
        """timelineByCustomerExternalID; ``include_tickets`` sends ``getTicketHistory``."""
        endpoint = f"GET {BASE}/timelineByCustomerExternalID"
        params = fields(
            brand_id=self._brand(brand_id),
            external_id=external_id,
            getTicketHistory=include_tickets,
        )
        request = self._build("GET", f"{BASE}/timelineByCustomerExternalID", params=params)
        return await self._call(Timeline, request, endpoint, idempotent=True)

    async def add_external_event(
        self,
        event: ExternalEvent,
        *,
        customer_id: int | None = None,
        external_id: str | None = None,
        brand_id: int | None = None,
    ) -> ActionResult:
        """externalEvent: add an order, a marketing mail … to a customer's timeline."""
        endpoint = f"POST {BASE}/externalEvent"
        check = Checker(VENDOR, endpoint)
        form = self._addressed(check, customer_id, external_id, "external_id", brand_id)
        form |= fields(
            initiated_by=event.initiated_by,
            message=event.message,
            source_url=event.source_url,
        )
        request = self._build("POST", f"{BASE}/externalEvent", multipart=form)
        return await self._call(ActionResult, request, endpoint, idempotent=False)

    async def sync_with_crm(
        self, address: str, *, channel: CrmChannel = "email", brand_id: int | None = None
    ) -> ActionResult:
        """syncWithCRM: look the address up in the brand's CRM and apply the result.

        ``channel`` is ``"email"`` or ``"phoneNumber"`` (then ``address`` is E.164).
        """
        endpoint = f"POST {BASE}/syncWithCRM"
        if channel == "phoneNumber":
            Checker(VENDOR, endpoint).telephone("address", address)
        form = fields(brandID=self._brand(brand_id), channel=channel, address=address)
        request = self._build("POST", f"{BASE}/syncWithCRM", multipart=form)
        return await self._call(ActionResult, request, endpoint, idempotent=False)

    # --- plumbing --------------------------------------------------------------------------

    def _brand(self, brand_id: int | None) -> int:
        return self._config.brand_id if brand_id is None else brand_id

    def _addressed(
        self,
        check: Checker,
        customer_id: int | None,
        external_id: str | None,
        external_name: str,
        brand_id: int | None,
    ) -> Fields:
        """The fields naming the customer of a write that takes an Omnidesk id or the
        merchant's id (sent as ``external_name``): an external id is only unique within a
        brand, so it goes with the tenant's brand unless another is given; an Omnidesk id
        needs none. One of the two ids is required."""
        if customer_id is None and external_id is None:
            raise check.fail("customer_id", f"or {external_name!r} is required.")
        brand = self._brand(brand_id) if external_id is not None else brand_id
        return fields(customer_id=customer_id, **{external_name: external_id}, brand_id=brand)

    def _build(
        self,
        method: str,
        path: str,
        *,
        params: Fields | None = None,
        multipart: Fields | None = None,
        urlencoded: Fields | None = None,
    ) -> VendorRequest:
        """A signed request; DELETE parameters travel in the query string and the body.
        Form bodies are built as bytes at once (:mod:`.form_bodies`)."""
        if method == "DELETE" and urlencoded:
            params = {**(params or {}), **urlencoded}
        url = f"{self._config.base_url}{path}"
        if multipart:
            body, content_type = multipart_body(multipart)
            headers = self._multipart_headers.get(content_type)
            if headers is None:
                headers = self._http.headers(self._signed | {"Content-Type": content_type})
                # only the usual boundary's: a value that contains it gets a random one, and
                # a client lives as long as its tenant's configuration
                if content_type == USUAL_MULTIPART:
                    self._multipart_headers[content_type] = headers
            return self._http.request(method, url, headers, params=params, content=body)
        if urlencoded:
            body = urlencoded_body(urlencoded)
            return self._http.request(
                method, url, self._urlencoded_headers, params=params, content=body
            )
        return self._http.request(method, url, self._headers, params=params)

    async def _send(
        self, request: VendorRequest, endpoint: str, *, idempotent: bool
    ) -> VendorResponse:
        try:
            return await self._http.send(request, endpoint=endpoint, idempotent=idempotent)
        except VendorInvalidInputError as exc:
            raise _refined(exc) from None

    async def _call(
        self, model: type[M], request: VendorRequest, endpoint: str, *, idempotent: bool
    ) -> M:
        """The answer validated straight from its bytes (no dicts in between)."""
        response = await self._send(request, endpoint, idempotent=idempotent)
        return response.parsed(model, VENDOR, endpoint)


def _refined(exc: VendorInvalidInputError) -> VendorError:
    """Omnidesk says "not found" and "already exists" with a 400: give them their classes."""
    if exc.code == NOT_FOUND:
        return VendorNotFoundError(exc.vendor, exc.endpoint, exc.status, exc.message, code=exc.code)
    if exc.code == DUPLICATE:
        return VendorConflictError(exc.vendor, exc.endpoint, exc.status, exc.message, code=exc.code)
    return exc
