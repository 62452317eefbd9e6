"""Request bodies of the Tallymarks API, validated the way the .NET service binds them.

- Property names match case-insensitively ([I], switchable), unknown properties are ignored.
- GUIDs are accepted in any .NET format and normalised to lower-case ``D`` form.
- Datetimes accept ``Z`` and ``±hh:mm`` offsets; they are kept in UTC at millisecond precision.
- Attributes are accepted as ``{name, value}`` or ``{key, value}``
  (docs/vendors/tallymarks.md §6.7).
- JSON types are strict (a string is not a number, a number is not a bool), as in
  System.Text.Json.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sandbox.tallymarks.context import current_options
from sandbox.tallymarks.dates import to_utc_ms

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_guid(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except (ValueError, AttributeError):
        raise PydanticCustomError("guid", "The value is not a valid GUID.") from None


def _email(value: str) -> str:
    value = value.strip()
    if not _EMAIL.match(value):
        raise PydanticCustomError("email", "The value is not a valid email address.")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("required", "The value is required.")
    return value


#: documented as a GUID (``format: uuid``), checked by hand so a bad one is the vendor's 400
Guid = Annotated[
    StrictStr, AfterValidator(parse_guid), WithJsonSchema({"type": "string", "format": "uuid"})
]
Email = Annotated[StrictStr, AfterValidator(_email)]
Instant = Annotated[datetime, AfterValidator(to_utc_ms)]
Required = Annotated[StrictStr, AfterValidator(_not_blank)]
Amount = StrictFloat  # a JSON number (.NET decimal); a string is refused


class InputModel(BaseModel):
    """Base of every request body: case-insensitive property names, extras ignored."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _match_names(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not current_options.get().case_insensitive_input:
            return data
        canonical = {name.lower(): name for name in cls.model_fields}
        matched: dict[str, Any] = {}
        for key, value in data.items():
            name = canonical.get(key.lower(), key) if isinstance(key, str) else key
            if name not in matched or key == name:
                matched[name] = value
        return matched


class AttributeIn(InputModel):
    """``{name, value}``; ``key`` is accepted for ``name`` (docs/vendors/tallymarks.md §6.7)."""

    name: Required
    value: StrictStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _key_is_name(cls, data: Any) -> Any:
        if isinstance(data, dict):
            lowered = {k.lower() if isinstance(k, str) else k: k for k in data}
            if "name" not in lowered and "key" in lowered:
                data = dict(data)
                data["name"] = data.pop(lowered["key"])
        return data


class CustomerFields(InputModel):
    firstName: StrictStr | None = None
    lastName: StrictStr | None = None
    displayName: StrictStr | None = None
    emailAddress: Email | None = None
    mobileNumber: StrictStr | None = None
    optinSms: StrictBool | None = None
    optinEmail: StrictBool | None = None
    acceptTerms: StrictBool | None = None
    attributes: list[AttributeIn] | None = None
    dateOfBirth: Instant | None = None
    contactPhone: StrictStr | None = None
    externalReference: StrictStr | None = None
    externalStatus: StrictStr | None = None


class CustomerCreateIn(CustomerFields):
    """POST /api/v1/customers (docs/vendors/tallymarks.md §7.4)."""

    customerId: Guid


class CustomerPatchIn(CustomerFields):
    """PATCH /api/v1/customers/{customerId}; ``tenantId`` in the body is ignored.

    See docs/vendors/tallymarks.md §7.2.
    """

    customerId: Guid | None = None
    isAccountLocked: StrictBool | None = None


class SegmentAddIn(InputModel):
    """PUT /api/v1/customers/{customerId}/segments (docs/vendors/tallymarks.md §7.9)."""

    segmentId: Guid


# Event API -------------------------------------------------------------------------------


class EventEnvelopeIn(InputModel):
    """The common envelope of every event (docs/vendors/tallymarks.md §8.1)."""

    eventId: Guid
    customerId: Guid
    nameSpace: StrictStr | None = None
    reference: StrictStr | None = None
    campaign: StrictStr | None = None
    description: StrictStr | None = None
    attributes: list[AttributeIn] | None = None
    createdAt: Instant | None = Field(
        default=None, description="when the event happened; the time of receipt when left out"
    )


class ActionIn(InputModel):
    amount: Amount = 0.0
    count: StrictInt = 0


class LineItemIn(InputModel):
    sku: StrictStr | None = None
    quantity: StrictInt = Field(default=1, ge=0)
    price: Amount | None = None
    vendor: StrictStr | None = None
    productCategory: StrictStr | None = None
    productType: StrictStr | None = None


class PaymentIn(InputModel):
    amount: Amount | None = None
    bin: StrictStr | None = None
    bank: StrictStr | None = None
    scheme: StrictStr | None = None


class OrderIn(InputModel):
    orderNumber: StrictStr | None = None
    total: Amount = Field(ge=0)
    taxTotal: Amount | None = None
    shippingTotal: Amount | None = None
    currency: StrictStr | None = None
    lineItems: list[LineItemIn] = Field(default_factory=list)
    payments: list[PaymentIn] = Field(default_factory=list)


class TransactionIn(InputModel):
    total: Amount = Field(ge=0)
    currency: StrictStr | None = None
    type: StrictStr | None = None


def _non_zero(value: int) -> int:
    if value == 0:
        raise PydanticCustomError("non_zero", "The amount must not be zero.")
    return value


class PointsIn(InputModel):
    amount: Annotated[StrictInt, AfterValidator(_non_zero)] = Field(
        description="signed: positive earns, negative takes away"
    )


class RedemptionIn(InputModel):
    amount: StrictInt = Field(gt=0, description="points to redeem")


class BasketIn(InputModel):
    total: Amount = Field(ge=0)
    currency: StrictStr | None = None
    lineItems: list[LineItemIn] = Field(default_factory=list)


class ActionEventIn(EventEnvelopeIn):
    nameSpace: Required
    action: ActionIn


class OrderEventIn(EventEnvelopeIn):
    order: OrderIn


class TransactionEventIn(EventEnvelopeIn):
    transaction: TransactionIn


class PointsEventIn(EventEnvelopeIn):
    points: PointsIn


class RedemptionEventIn(EventEnvelopeIn):
    redemption: RedemptionIn


class BasketEventIn(EventEnvelopeIn):
    basket: BasketIn
