"""The v1 (2020) profile and session updates and their ``IntegrationState``.

v1 sessions carry one ``coupon`` and one ``referral`` code instead of lists and a
``discounts`` map. No gateway code calls the v1 operations: these models are the client's
v1 contract as its tests pin it, not trimmed to readers (see docs/vendors/talon.md).
"""

from __future__ import annotations

from typing import Literal

from vendors.talon.models._base import Attributes, TalonModel, TalonRequest, Timestamp
from vendors.talon.models.coupons import Coupon
from vendors.talon.models.events import Event
from vendors.talon.models.loyalty import Loyalty
from vendors.talon.models.profiles import CustomerProfile
from vendors.talon.models.sessions import CartItem

__all__ = ["CustomerSession", "IntegrationState", "LegacySessionState", "NewCustomerSession"]

LegacySessionState = Literal["open", "closed", "cancelled"]


class NewCustomerSession(TalonRequest):
    """Every field optional; the v1 SDK closed a session by sending only ``state``."""

    profile_id: str | None = None
    #: at most 100 characters
    coupon: str | None = None
    #: at most 100 characters
    referral: str | None = None
    state: LegacySessionState | None = None
    cart_items: list[CartItem] | None = None
    #: at most 5
    identifiers: list[str] | None = None
    total: float | None = None
    attributes: Attributes | None = None


class CustomerSession(TalonModel):
    integration_id: str
    created: Timestamp
    application_id: int
    profile_id: str
    coupon: str
    referral: str
    state: str
    cart_items: list[CartItem]
    total: float
    attributes: Attributes
    first_session: bool
    #: discount label → amount (built from the session's ``setDiscount`` effects)
    discounts: dict[str, float]
    identifiers: list[str] | None = None
    #: 2022 spec only
    updated: Timestamp | None = None


class IntegrationState(TalonModel):
    session: CustomerSession
    profile: CustomerProfile
    event: Event
    loyalty: Loyalty | None = None
    coupon: Coupon | None = None
