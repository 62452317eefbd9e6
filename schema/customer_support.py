"""The Customer fields about customer service (Omnidesk):
support profile, channels, custom fields, timeline.

A mixin of :class:`schema.customer.Customer`: fields resolve through loaders from
``self.key`` (the canonical customer id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry


@strawberry.type
class SupportFields:
    if TYPE_CHECKING:
        key: str
