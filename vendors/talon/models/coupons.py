"""Coupons, reservations and referrals, and the wrapped list responses."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import Field

from vendors.talon.models._base import Attributes, TalonModel, TalonRequest, Timestamp
from vendors.talon.models.campaigns import LimitConfig
from vendors.talon.models.profiles import CustomerProfile

__all__ = [
    "Coupon",
    "CouponReservations",
    "InlineResponse200",
    "InlineResponse201",
    "InventoryCoupon",
    "InventoryReferral",
    "ListResponse",
    "NewReferral",
    "NewReferralsForMultipleAdvocates",
    "Referral",
]

T = TypeVar("T")


class ListResponse(TalonModel, Generic[T]):
    """``{totalResultSize, data}``: the whole list (these endpoints do not page)."""

    total_result_size: int
    data: list[T]


class Coupon(TalonModel):
    id: int
    created: Timestamp
    campaign_id: int
    #: the code
    value: str
    #: 0 = unlimited
    usage_limit: int
    usage_counter: int
    discount_limit: float | None = None
    start_date: Timestamp | None = None
    expiry_date: Timestamp | None = None
    limits: list[LimitConfig] | None = None
    discount_counter: float | None = None
    discount_remainder: float | None = None
    attributes: Attributes | None = None
    referral_id: int | None = None
    #: the owner of a hard reservation
    recipient_integration_id: str | None = None
    import_id: int | None = None
    #: true = soft reservation, false = hard (absent means true)
    reservation: bool | None = None
    batch_id: str | None = None


class InventoryCoupon(Coupon):
    profile_redemption_count: int
    #: ``active`` | ``used`` | ``expired`` | ``pending`` | ``disabled``
    state: str


class CouponReservations(TalonRequest):
    #: profile integration ids (at most 1000); note the capital ``IDs``
    integration_ids: list[str] = Field(alias="integrationIDs")


class Referral(TalonModel):
    id: int
    created: Timestamp
    campaign_id: int
    advocate_profile_integration_id: str
    code: str
    usage_limit: int
    usage_counter: int
    start_date: Timestamp | None = None
    expiry_date: Timestamp | None = None
    friend_profile_integration_id: str | None = None
    attributes: Attributes | None = None
    import_id: int | None = None
    batch_id: str | None = None


class InventoryReferral(Referral):
    referred_customers: list[str]


class NewReferral(TalonRequest):
    campaign_id: int
    advocate_profile_integration_id: str
    start_date: Timestamp | None = None
    expiry_date: Timestamp | None = None
    usage_limit: int | None = None
    friend_profile_integration_id: str | None = None
    attributes: Attributes | None = None


class NewReferralsForMultipleAdvocates(TalonRequest):
    campaign_id: int
    #: 1-1000 advocates
    advocate_profile_integration_ids: list[str]
    usage_limit: int
    start_date: Timestamp | None = None
    expiry_date: Timestamp | None = None
    attributes: Attributes | None = None
    #: defaults to ``[A-Z0-9]`` on the server
    valid_characters: list[str] | None = None
    #: 3-100 characters, each ``#`` replaced by a random valid character (``REF-###-###``)
    referral_pattern: str | None = None


#: ``GetReservedCustomers``: every profile holding a soft or hard reservation
InlineResponse200 = ListResponse[CustomerProfile]
#: ``CreateReferralsForMultipleAdvocates``: one referral per advocate
InlineResponse201 = ListResponse[Referral]
