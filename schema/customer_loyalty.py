"""The Customer fields about loyalty (Tallymarks): points balance, segments, transactions.

A mixin of :class:`schema.customer.Customer`: fields resolve through loaders from
``self.key`` (the canonical customer id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry


@strawberry.type
class LoyaltyFields:
    if TYPE_CHECKING:
        key: str
