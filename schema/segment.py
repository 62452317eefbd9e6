"""The Segment interface: a group a customer belongs to, whichever system keeps it.

Tallymarks segment memberships (``LoyaltySegment``) and Talon.One audiences (``Audience``)
implement it; ``source`` tells them apart, so a frontend can list all of a customer's
groups at once and still badge where each comes from.
"""

from __future__ import annotations

from enum import Enum

import strawberry

__all__ = ["Segment", "SegmentSource"]


@strawberry.enum(description="The system that keeps a segment.")
class SegmentSource(Enum):
    LOYALTY = strawberry.enum_value(
        "loyalty", description="A segment of the loyalty system (Tallymarks)."
    )
    PROMOTIONS = strawberry.enum_value(
        "promotions", description="An audience of the promotion engine (Talon.One)."
    )


@strawberry.interface(
    description=(
        "A group of customers, from the loyalty system (segments) or the promotion engine "
        "(audiences). Use `source` or the concrete type to tell them apart."
    )
)
class Segment:
    id: strawberry.ID = strawberry.field(
        description="The segment's id in its own system (unique within `source`)."
    )
    name: str | None = strawberry.field(description="The segment's name, as its system shows it.")
    source: SegmentSource = strawberry.field(description="The system that keeps this segment.")
