"""Base classes and field types shared by every Talon.One model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["Attributes", "TalonModel", "TalonRequest", "Timestamp"]


def _aware(value: datetime) -> datetime:
    """Talon.One sends RFC 3339 with a zone; a stray naive value is read as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


#: a timezone-aware ``date-time``
Timestamp = Annotated[datetime, AfterValidator(_aware)]

#: free-form custom attributes (``{attributeName: value}``)
Attributes = dict[str, Any]


class TalonModel(BaseModel):
    """snake_case attributes over Talon.One's camelCase keys; unknown keys are ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
    )


class TalonRequest(TalonModel):
    """A request body. Only the fields you set are sent, so "left out" and "empty" differ
    (``couponCodes: []`` clears a session's coupons; leaving it out keeps them)."""

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
