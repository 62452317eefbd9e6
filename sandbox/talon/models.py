"""Request bodies of the in-scope Talon.One operations (2022 spec; v1 ones from 2020).

Types are strict (a string is not a number, a number is not a boolean) and the documented
limits (docs/vendors/talon.md §5.12, §6) are schema constraints, so a violation becomes a
Talon 400 whose ``source.pointer`` names the field. Unknown keys are ignored, as Talon.One does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool
from pydantic_core import PydanticCustomError

MAX_ITEMS = 1000


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    return value


def _timestamp(value: Any) -> Any:
    if not isinstance(value, str | datetime):
        raise PydanticCustomError("datetime_type", "Input should be an RFC 3339 date-time")
    return value


Number = Annotated[float, BeforeValidator(_number)]
Int = Annotated[int, Field(strict=True)]
Str = Annotated[str, Field(strict=True)]
Id = Annotated[str, Field(strict=True, max_length=1000)]
Code = Annotated[str, Field(strict=True, max_length=100)]
Timestamp = Annotated[AwareDatetime, BeforeValidator(_timestamp)]
Attributes = dict[str, Any]

SessionContent = Literal[
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "previousReturns",
]
ProfileContent = Literal[
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
]
ReturnContent = Literal[
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "previousReturns",
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class AdditionalCostIn(_Body):
    price: Number


class CartItemIn(_Body):
    name: Annotated[str, Field(strict=True, min_length=1)]
    sku: Annotated[str, Field(strict=True, min_length=1)]
    quantity: Annotated[int, Field(strict=True, ge=1)]
    price: Number
    category: Str | None = None
    weight: Number | None = None
    height: Number | None = None
    width: Number | None = None
    length: Number | None = None
    attributes: Attributes | None = None
    additionalCosts: dict[str, AdditionalCostIn] | None = None
    catalogItemID: Int | None = None


class NewCustomerSessionV2(_Body):
    profileId: Id | None = None
    couponCodes: list[Code] | None = None
    referralCode: Code | None = None
    loyaltyCards: Annotated[list[Str], Field(max_length=1)] | None = None
    state: Literal["open", "closed", "partially_returned", "cancelled"] = "open"
    cartItems: Annotated[list[CartItemIn], Field(max_length=MAX_ITEMS)] | None = None
    additionalCosts: dict[str, AdditionalCostIn] | None = None
    identifiers: Annotated[list[Str], Field(max_length=5)] | None = None
    attributes: Attributes | None = None


class IntegrationRequest(_Body):
    customerSession: NewCustomerSessionV2
    responseContent: list[SessionContent] = Field(default_factory=list)


class ProfileAudiencesChanges(_Body):
    adds: list[Int]
    deletes: list[Int]


class CustomerProfileIntegrationRequestV2(_Body):
    attributes: Attributes | None = None
    audiencesChanges: ProfileAudiencesChanges | None = None
    responseContent: list[ProfileContent] = Field(default_factory=list)


class MultipleCustomerProfileIntegrationRequestItem(_Body):
    attributes: Attributes | None = None
    integrationId: Id


class MultipleCustomerProfileIntegrationRequest(_Body):
    #: may be left out (nothing to update) but not null: the spec's array is not nullable
    customerProfiles: Annotated[
        list[MultipleCustomerProfileIntegrationRequestItem], Field(max_length=MAX_ITEMS)
    ] = Field(default_factory=list)


class ReturnedCartItemIn(_Body):
    position: Annotated[int, Field(strict=True, ge=0)]
    quantity: Annotated[int, Field(strict=True, ge=1)] | None = None


class NewReturn(_Body):
    returnedCartItems: Annotated[list[ReturnedCartItemIn], Field(max_length=MAX_ITEMS)]


class ReturnIntegrationRequest(_Body):
    return_: NewReturn = Field(alias="return")
    responseContent: list[ReturnContent] = Field(default_factory=list)


class NewEvent(_Body):
    """v1 ``POST /v1/events``."""

    profileId: Id | None = None
    type: Annotated[str, Field(strict=True, min_length=1)]
    attributes: Attributes
    sessionId: Annotated[str, Field(strict=True, min_length=1, max_length=1000)]


class IntegrationEventV2Request(_Body):
    profileId: Id | None = None
    type: Annotated[str, Field(strict=True, min_length=1)]
    attributes: Attributes | None = None
    responseContent: list[ProfileContent] = Field(default_factory=list)


class CouponReservations(_Body):
    integrationIDs: Annotated[list[Id], Field(max_length=MAX_ITEMS)]


class NewReferral(_Body):
    startDate: Timestamp | None = None
    expiryDate: Timestamp | None = None
    usageLimit: Annotated[int, Field(strict=True, ge=0, le=999999)] | None = None
    campaignId: Int
    advocateProfileIntegrationId: Id
    friendProfileIntegrationId: Id | None = None
    attributes: Attributes | None = None


class NewReferralsForMultipleAdvocates(_Body):
    startDate: Timestamp | None = None
    expiryDate: Timestamp | None = None
    usageLimit: Annotated[int, Field(strict=True, ge=0, le=999999)]
    campaignId: Int
    advocateProfileIntegrationIds: Annotated[list[Id], Field(min_length=1, max_length=MAX_ITEMS)]
    attributes: Attributes | None = None
    validCharacters: Annotated[list[Str], Field(min_length=1)] | None = None
    referralPattern: Annotated[str, Field(strict=True, min_length=3, max_length=100)] | None = None


class NewAudience(_Body):
    name: Annotated[str, Field(strict=True, min_length=1)]
    sandbox: StrictBool | None = None
    description: Str | None = None
    integration: Str | None = None
    integrationId: Annotated[str, Field(strict=True, min_length=1, max_length=1000)] | None = None
    createdIn3rdParty: StrictBool | None = None


class UpdateAudience(_Body):
    name: Annotated[str, Field(strict=True, min_length=1)]


class CustomerProfileAudienceRequestItem(_Body):
    action: Literal["add", "delete"]
    profileIntegrationId: Id
    audienceId: Int


class CustomerProfileAudienceRequest(_Body):
    data: (
        Annotated[list[CustomerProfileAudienceRequestItem], Field(max_length=MAX_ITEMS)] | None
    ) = None


# --- v1 (2020) ---------------------------------------------------------------------------


class NewCustomerProfile(_Body):
    attributes: Attributes | None = None


class NewCustomerSession(_Body):
    profileId: Id | None = None
    coupon: Code | None = None
    referral: Code | None = None
    state: Literal["open", "closed", "cancelled"] = "open"
    cartItems: Annotated[list[CartItemIn], Field(max_length=MAX_ITEMS)] | None = None
    identifiers: Annotated[list[Str], Field(max_length=5)] | None = None
    total: Number | None = None
    attributes: Attributes | None = None
