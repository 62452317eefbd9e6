"""The records the Tallymarks sandbox keeps (plain dataclasses; the API models live apart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.tallymarks.dates import format_instant

Attributes = list[tuple[str, str | None]]

EVENT_TYPES = ("action", "order", "transaction", "redemption", "points", "error", "anniversary")
SEGMENT_STATUSES = ("Configure", "Test", "Active", "Inactive", "Archived")
_SUB_OBJECTS = (
    "action",
    "order",
    "transaction",
    "transfer",
    "points",
    "basket",
    "errorAction",
    "redemption",
    "anniversary",
)
EXPIRY_MODES = (
    "None",
    "UntilAnniversaryDate",
    "UntilAnniversaryDatePlusOneYear",
    "SpecifiedPeriod",
    "SpecifiedDate",
)


@dataclass(slots=True)
class Customer:
    customer_id: str
    tenant_id: str
    created_at: datetime
    changed_at: datetime
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email_address: str | None = None
    is_account_locked: bool = False
    mobile_number: str | None = None
    optin_sms: bool = False
    optin_email: bool = False
    accept_terms: bool = False
    attributes: Attributes = field(default_factory=list)
    date_of_birth: datetime | None = None
    contact_phone: str | None = None
    external_reference: str | None = None
    external_status: str | None = None


@dataclass(slots=True)
class Event:
    """A stored event: the envelope plus the one typed sub-object (``detail``)."""

    event_id: str
    tenant_id: str
    customer_id: str
    created_at: datetime
    event_type: str
    name_space: str | None
    reference: str | None = None
    campaign: str | None = None
    description: str | None = None
    attributes: Attributes = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The stored-event shape of the Errors page: one sub-object filled, the rest null."""
        body: dict[str, Any] = dict.fromkeys(_SUB_OBJECTS)
        body["errorAction" if self.event_type == "error" else self.event_type] = self.detail
        body.update(
            eventId=self.event_id,
            tenantId=self.tenant_id,
            customerId=self.customer_id,
            createdAt=format_instant(self.created_at),
            nameSpace=self.name_space,
            reference=self.reference,
            description=self.description,
            campaign=self.campaign,
            attributes=[{"key": k, "value": v} for k, v in self.attributes],
        )
        return body


@dataclass(slots=True)
class Transaction:
    transaction_id: str
    tenant_id: str
    customer_id: str
    event_id: str | None
    event_type: str | None
    assessment_rule_id: str | None
    created_at: datetime
    check_sum: str
    name_space: str | None
    description: str | None
    amount: int
    external_reference: str | None = None


@dataclass(slots=True)
class Segment:
    """A catalogue entry (segments are defined in the Tallymarks console)."""

    segment_id: str
    tenant_id: str
    name: str
    display_name: str
    description: str
    status: str = "Active"
    expiry_mode: str = "None"
    period_value: int | None = None
    period_unit: str | None = None  # days | months | years
    expiry_date: datetime | None = None


@dataclass(slots=True)
class Membership:
    segment_id: str
    customer_id: str
    created_at: datetime
    changed_at: datetime
    source_event_id: str | None
    expiry_date_time: datetime | None

    def active_at(self, now: datetime) -> bool:
        return self.expiry_date_time is None or self.expiry_date_time > now
