"""Coupons, reservations and referrals, and the wrapped list responses."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import Field

from vendors.talon.models._base import Attributes, TalonModel, TalonRequest, Timestamp
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

    data: list[T]


class _Code(TalonModel):
    """What Talon.One says of every code a campaign issues, coupon and referral alike."""

    id: int
    created: Timestamp
    campaign_id: int
    #: 0 = unlimited
    usage_limit: int
    usage_counter: int
    start_date: Timestamp | None = None
    expiry_date: Timestamp | None = None


class Coupon(_Code):
    #: the code
    value: str
    #: true = soft reservation, false = hard (absent means true)
    reservation: bool | None = None


class InventoryCoupon(Coupon):
    profile_redemption_count: int
    #: ``active`` | ``used`` | ``expired`` | ``pending`` | ``disabled``
    state: str


class CouponReservations(TalonRequest):
    #: profile integration ids (at most 1000); note the capital ``IDs``
    integration_ids: list[str] = Field(alias="integrationIDs")


class Referral(_Code):
    advocate_profile_integration_id: str
    code: str


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
    #: 3-100 characters, each ``#`` replaced by a random valid character (``REF-###-###``)
    referral_pattern: str | None = None


#: ``GetReservedCustomers``: every profile holding a soft or hard reservation
InlineResponse200 = ListResponse[CustomerProfile]
#: ``CreateReferralsForMultipleAdvocates``: one referral per advocate
InlineResponse201 = ListResponse[Referral]
