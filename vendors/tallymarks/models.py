"""Pydantic models of every Tallymarks request and response (camelCase on the wire).

Tolerant readers: a response model declares only the fields the gateway reads, a request
model only the fields it sets (the full payloads: docs/vendors/tallymarks.md §6, §8). Models
are lenient (unknown keys ignored, optional where the vendor may send null) and every
datetime is timezone-aware: the vendor sends ``…Z`` or ``±hh:mm``; a naive value is taken
as UTC. Customer attributes are ``{name, value}`` and event attributes ``{key, value}``;
both accept either spelling on input (docs/vendors/tallymarks.md §6.7).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from vendors.lenient import LenientBool, Tolerant, Unparsed


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


UtcDatetime = Annotated[datetime, AfterValidator(_aware)]
#: a read model's datetime that clients wrote (a bad one is kept as :class:`Unparsed`)
ReadDatetime = Annotated[datetime | Unparsed | None, Tolerant(UtcDatetime | None)]


def new_event_id() -> str:
    """A fresh client-chosen eventId (what makes an event POST safe to retry)."""
    return str(uuid.uuid4())


class TallymarksModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class Attribute(TallymarksModel):
    """A customer attribute: ``{name, value}`` (``key`` accepted on input)."""

    name: str = Field(validation_alias=AliasChoices("name", "key"), serialization_alias="name")
    value: str | None = None


class EventAttribute(TallymarksModel):
    """An event attribute: ``{key, value}`` (``name`` accepted on input)."""

    key: str = Field(validation_alias=AliasChoices("key", "name"), serialization_alias="key")
    value: str | None = None


# Customers ---------------------------------------------------------------------------------


class CustomerSummary(TallymarksModel):
    """One search result (``GET /api/v1/customers``): what a search answers and the exact
    lookups compare without reading the full profile."""

    customer_id: str
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email_address: str | None = None
    created_at: UtcDatetime | None = None
    external_reference: str | None = None


class Customer(CustomerSummary):
    """The full profile (GET, create, update). ``email_address`` is null for customers
    auto-created by an event. The fields clients write are read tolerantly: one bad value
    is an :class:`Unparsed` marker, not a lost customer."""

    changed_at: UtcDatetime | None = None
    contact_phone: str | None = None
    external_status: str | None = None
    is_account_locked: LenientBool = False
    mobile_number: str | None = None
    optin_sms: LenientBool = False
    optin_email: LenientBool = False
    accept_terms: LenientBool = False
    attributes: list[Attribute] = Field(default_factory=list)
    date_of_birth: ReadDatetime = None


class CustomerPage(TallymarksModel):
    customers: list[CustomerSummary] = Field(default_factory=list)
    offset_key: str | None = None


class _CustomerFields(TallymarksModel):
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email_address: str | None = None
    mobile_number: str | None = None
    optin_sms: bool | None = None
    optin_email: bool | None = None
    accept_terms: bool | None = None
    attributes: list[Attribute] | None = None
    date_of_birth: UtcDatetime | None = None
    contact_phone: str | None = None
    external_reference: str | None = None
    external_status: str | None = None


class CustomerCreate(_CustomerFields):
    """Body of Create Customer; ``customer_id`` is chosen by the caller (a GUID)."""

    customer_id: str


class CustomerUpdate(_CustomerFields):
    """Body of Update a Customer: only the fields you set are sent (partial update)."""

    is_account_locked: bool | None = None


class Balance(TallymarksModel):
    points_segment: str = "base"
    amount: int
    changed_at: UtcDatetime | None = None


# History -----------------------------------------------------------------------------------


class CustomerEvent(TallymarksModel):
    """An event as the Customer API's event search returns it."""

    event_id: str
    created_at: UtcDatetime
    event_type: str
    name_space: str | None = None
    reference: str | None = None


class EventPage(TallymarksModel):
    events: list[CustomerEvent] = Field(default_factory=list)
    offset_key: str | None = None


class CustomerTransaction(TallymarksModel):
    transaction_id: str
    event_id: str | None = None
    assessment_rule_id: str | None = None
    created_at: UtcDatetime
    name_space: str | None = None
    description: str | None = None
    amount: int
    external_reference: str | None = None


class TransactionPage(TallymarksModel):
    customer_transactions: list[CustomerTransaction] = Field(default_factory=list)
    offset_key: str | None = None


# Segments ----------------------------------------------------------------------------------


class SegmentMembership(TallymarksModel):
    """A customer's membership of a segment (docs/vendors/tallymarks.md §6.6)."""

    segment_id: str
    name: str | None = None
    description: str | None = None
    display_name: str | None = None
    created_at: UtcDatetime | None = None
    source_event_id: str | None = None
    expiry_date_time: UtcDatetime | None = None


class SegmentPage(TallymarksModel):
    segments: list[SegmentMembership] = Field(default_factory=list)
    offset_key: str | None = None


class SegmentAdd(TallymarksModel):
    segment_id: str


# Event API ---------------------------------------------------------------------------------


class EventEnvelope(TallymarksModel):
    """Fields every event carries. ``event_id`` defaults to a fresh GUID; reuse it to retry."""

    event_id: str = Field(default_factory=new_event_id)
    customer_id: str
    name_space: str | None = None
    reference: str | None = None
    campaign: str | None = None
    description: str | None = None
    attributes: list[EventAttribute] | None = None
    created_at: UtcDatetime | None = None


class ActionDetails(TallymarksModel):
    amount: float = 0.0
    count: int = 0


class ActionEvent(EventEnvelope):
    name_space: str
    action: ActionDetails = Field(default_factory=ActionDetails)


class LineItem(TallymarksModel):
    sku: str | None = None
    quantity: int = 1
    price: float | None = None
    vendor: str | None = None
    product_category: str | None = None
    product_type: str | None = None


class OrderDetails(TallymarksModel):
    total: float
    order_number: str | None = None
    tax_total: float | None = None
    shipping_total: float | None = None
    currency: str | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    #: the gateway takes no payment details; the body has always carried the empty list
    payments: tuple[()] = ()


class OrderEvent(EventEnvelope):
    order: OrderDetails


class TransactionDetails(TallymarksModel):
    total: float
    currency: str | None = None
    type: str | None = None


class TransactionEvent(EventEnvelope):
    transaction: TransactionDetails


class PointsDetails(TallymarksModel):
    amount: int = Field(description="signed: positive earns, negative deducts")


class PointsEvent(EventEnvelope):
    points: PointsDetails


class RedemptionDetails(TallymarksModel):
    amount: int = Field(gt=0)


class RedemptionEvent(EventEnvelope):
    redemption: RedemptionDetails


class BasketDetails(TallymarksModel):
    total: float
    currency: str | None = None
    line_items: list[LineItem] = Field(default_factory=list)


class BasketEvent(EventEnvelope):
    basket: BasketDetails


class EventAccepted(TallymarksModel):
    """200 (new) or 208 (``is_existing``: the eventId was already received)."""

    event_id: str
    is_existing: bool = False


class RedemptionAccepted(EventAccepted):
    current_balance: int
    pending_balance: int


class BasketOutcome(TallymarksModel):
    assessment_rule_id: str | None = None
    fulfilment: str | None = None
    description: str | None = None
    points: int = 0
    segment_id: str | None = None


class BasketAssessment(EventAccepted):
    potential_points: int = 0
    outcomes: list[BasketOutcome] = Field(default_factory=list)
