"""The Customer fields about activity: loyalty events and the merged activity feed
(three vendors).

A mixin of :class:`schema.customer.Customer`: fields resolve through loaders from
``self.key`` (the canonical customer id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry


@strawberry.type
class ActivityFields:
    if TYPE_CHECKING:
        key: str
