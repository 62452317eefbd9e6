"""How each vendor's part of a cross-vendor write went."""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.writes.outcomes import OutcomeStatus
from resolvers.writes.outcomes import VendorOutcome as WriteOutcome

__all__ = ["Vendor", "VendorOutcome", "VendorOutcomeStatus", "all_completed"]


@strawberry.enum(description="A system behind the customer graph.")
class Vendor(Enum):
    TALLYMARKS = strawberry.enum_value(
        "tallymarks", description="The loyalty system (Tallymarks): profile, points, segments."
    )
    OMNIDESK = strawberry.enum_value(
        "omnidesk", description="The support desk (Omnidesk): channels, timeline."
    )
    TALON = strawberry.enum_value(
        "talon", description="The promotion engine (Talon.One): profile attributes, carts."
    )


@strawberry.enum(description="How one vendor's part of a write ended.")
class VendorOutcomeStatus(Enum):
    SUCCEEDED = strawberry.enum_value("SUCCEEDED", description="Written by this request.")
    FAILED = strawberry.enum_value(
        "FAILED", description="Not written; `code` and `retryable` say why and what to do."
    )
    SKIPPED = strawberry.enum_value(
        "SKIPPED",
        description="Nothing to do at this vendor (it keeps none of the fields given, or "
        "holds nothing to erase).",
    )
    ALREADY_DONE = strawberry.enum_value(
        "ALREADY_DONE",
        description="Written by an earlier request with the same idempotency key; not "
        "written again.",
    )


@strawberry.type(description="One vendor's part of a write that spans vendors.")
class VendorOutcome:
    vendor: Vendor = strawberry.field(description="The vendor.")
    status: VendorOutcomeStatus = strawberry.field(description="How its part ended.")
    code: str | None = strawberry.field(
        description="For FAILED: an error code such as UPSTREAM_UNAVAILABLE, CONFLICT or "
        "BAD_USER_INPUT."
    )
    retryable: bool = strawberry.field(
        description="For FAILED: whether retrying (with the same idempotency key) may help."
    )
    message: str | None = strawberry.field(description="A short explanation, safe to show.")

    @classmethod
    def from_write(cls, o: WriteOutcome) -> VendorOutcome:
        return cls(
            vendor=Vendor(o.vendor),
            status=VendorOutcomeStatus(o.status.value),
            code=o.code,
            retryable=o.retryable,
            message=o.message,
        )


def all_completed(outcomes: list[WriteOutcome]) -> bool:
    return all(o.status is not OutcomeStatus.FAILED for o in outcomes)
