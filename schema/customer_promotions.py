"""The Customer fields about promotions (Talon.One):
promotion profile, audiences, coupons, referrals, loyalty.

A mixin of :class:`schema.customer.Customer`: fields resolve through loaders from
``self.key`` (the canonical customer id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry


@strawberry.type
class PromotionFields:
    if TYPE_CHECKING:
        key: str
