"""Pydantic models of the Omnidesk Customer API v2: what the client sends and gets back.

Tolerant readers: a response model declares only the fields the gateway reads, a request
model only the fields it sends (the full payloads: docs/vendors/omnidesk.md §3, §6).
Responses are lenient (unknown keys ignored); vendor names are kept where they are the
vendor's (``firstname``, ``external_primary_id``) and aliased where they are camelCase
(``itemTotal`` → ``item_total``). Timestamps arrive as ``"YYYY-MM-DD HH:MM:SS"`` without a
timezone and are read as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vendors.lenient import LenientStr

__all__ = [
    "ActionResult",
    "Channel",
    "ChannelInput",
    "CrmChannel",
    "Customer",
    "CustomerChanges",
    "CustomerList",
    "CustomerPage",
    "CustomerSummary",
    "ExternalEvent",
    "NewChannels",
    "NewCustomer",
    "Timeline",
    "TimelineEntry",
]

CrmChannel = Literal["email", "phoneNumber"]
CUSTOM_PREFIX = "custom_"


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


# --- responses -----------------------------------------------------------------------------


class Channel(_Model):
    """A channel linked to a customer: its own ``id``, its type and its address."""

    id: int
    channel_id: int | str
    channel_name: str = ""
    address: str


class CustomerSummary(_Model):
    """A customer as the index lists it. The names clients write are read tolerantly (a
    bad one is kept as :class:`~vendors.lenient.Unparsed`)."""

    id: int
    external_primary_id: str | None = None
    brand_name: str = ""
    firstname: LenientStr = ""
    lastname: LenientStr = ""
    channels: list[Channel] = Field(default_factory=list)


class Customer(CustomerSummary):
    """A customer as an item: with its brand id and custom fields.

    Custom fields are read from a ``custom_fields`` map or from flat ``custom_<name>`` keys.
    """

    brand_id: int | None = None
    custom_fields: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _collect_flat_custom_fields(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        flat = {
            key[len(CUSTOM_PREFIX) :]: value
            for key, value in data.items()
            if key.startswith(CUSTOM_PREFIX) and key != "custom_fields" and value is not None
        }
        if not flat:
            return data
        merged = {**flat, **(data.get("custom_fields") or {})}
        return {**data, "custom_fields": {k: str(v) for k, v in merged.items()}}


class CustomerPage(_Model):
    """One page of the index, with ``itemTotal``: the paging reads where it ends."""

    item_total: int = Field(alias="itemTotal")
    items: list[CustomerSummary] = Field(default_factory=list)


class CustomerList(_Model):
    """A list of full customers (channel value search)."""

    items: list[Customer] = Field(default_factory=list)


class ActionResult(_Model):
    """A write's answer: ``id`` of a created or synced customer or event, when it names one
    (its ``message`` is for people)."""

    id: int | None = None


class TimelineEntry(_Model):
    """An external event or (with ticket history) a ticket on the customer timeline."""

    id: int
    type: str
    message: str = ""
    initiated_by: str | None = None
    source_url: str | None = None
    created: datetime
    ticket_id: int | None = None
    status: str | None = None

    @field_validator("created")
    @classmethod
    def _as_utc(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class Timeline(_Model):
    items: list[TimelineEntry] = Field(default_factory=list)


# --- requests ------------------------------------------------------------------------------


class ChannelInput(_Model):
    """A channel to add: its type (``email``, ``telephone``, ``facebook``, ``twitter`` or a
    numeric channel id) and its address."""

    type: str | int
    value: str


class CustomerChanges(_Model):
    """Fields to set; ``None`` means "not sent" (left unchanged by the vendor)."""

    firstname: str | None = None
    lastname: str | None = None
    custom_fields: dict[str, str] = Field(default_factory=dict)
    channels: list[ChannelInput] = Field(default_factory=list)


class NewCustomer(_Model):
    """POST index fields, sent with the configured brand. ``primary_id`` (or, on brands that
    search by channels, ``search_customer_channel_value``) identifies the customer."""

    primary_id: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    channel_id: str | int | None = None
    customer_link_channel: str | None = None
    search_customer_channel_value: str | None = None
    extra_email: str | None = None
    extra_telephone: str | None = None
    custom_fields: dict[str, str] = Field(default_factory=dict)


class NewChannels(_Model):
    """addChannelOnly's channels (at least one)."""

    email: str | None = None
    telephone: str | None = None
    twitter: str | None = None
    facebook: str | None = None


class ExternalEvent(_Model):
    """An entry for the customer timeline, e.g. an order or a marketing mail."""

    message: str
    initiated_by: str | None = None
    source_url: str | None = None
