"""Customer profiles: the stored profile and the requests that create or update it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from vendors.lenient import LenientFloat, LenientInt, Tolerant, Unparsed
from vendors.talon.models._base import Attributes, TalonModel, TalonRequest, Timestamp

#: a profile's timestamp, read tolerantly (a bad one is kept as :class:`Unparsed`)
ReadTimestamp = Annotated[datetime | Unparsed, Tolerant(Timestamp)]

__all__ = [
    "AudienceMembership",
    "CustomerProfile",
    "CustomerProfileIntegrationRequestV2",
]


class AudienceMembership(TalonModel):
    #: the audience id
    id: int
    name: str


class CustomerProfile(TalonModel):
    """A profile as read; the figures the schema shows are read tolerantly, so one bad
    value costs that field, not the profile."""

    created: ReadTimestamp
    #: the client's profile id (the canonical customer id)
    integration_id: str
    attributes: Attributes
    #: number of closed sessions (purchases)
    closed_sessions: LenientInt
    total_sales: LenientFloat
    last_activity: ReadTimestamp
    audience_memberships: list[AudienceMembership] | None = None


class CustomerProfileIntegrationRequestV2(TalonRequest):
    attributes: Attributes | None = None
