"""When a promotion code can be used: coupons and referral codes (Talon.One) carry the same
two optional dates with the same meaning, so both types take them from here."""

from __future__ import annotations

from datetime import datetime

import strawberry

__all__ = ["CodeValidity"]


@strawberry.type
class CodeValidity:
    """The validity window of a coupon or referral code (not a GraphQL type of its own)."""

    starts_at: datetime | None = strawberry.field(
        description="From when it can be used; null when from its creation."
    )
    expires_at: datetime | None = strawberry.field(
        description="Until when it can be used; null when it does not expire."
    )
