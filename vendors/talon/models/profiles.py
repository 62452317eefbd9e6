"""Customer profiles: the stored profile and the requests that create or update it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from vendors.lenient import LenientFloat, LenientInt, Tolerant, Unparsed
from vendors.talon.models._base import Attributes, TalonModel, TalonRequest, Timestamp
from vendors.talon.models.events import EventResponseContent

#: a profile's timestamp, read tolerantly (a bad one is kept as :class:`Unparsed`)
ReadTimestamp = Annotated[datetime | Unparsed, Tolerant(Timestamp)]

__all__ = [
    "AudienceMembership",
    "CustomerProfile",
    "CustomerProfileIntegrationRequestV2",
    "LoyaltyMembership",
    "MultipleCustomerProfileIntegrationRequest",
    "MultipleCustomerProfileIntegrationRequestItem",
    "NewCustomerProfile",
    "ProfileAudiencesChanges",
    "ProfileResponseContent",
]


class LoyaltyMembership(TalonModel):
    loyalty_program_id: int
    joined: Timestamp | None = None


class AudienceMembership(TalonModel):
    #: the audience id
    id: int
    name: str


class CustomerProfile(TalonModel):
    """A profile as read; the figures the schema shows are read tolerantly, so one bad
    value costs that field, not the profile."""

    id: int
    created: ReadTimestamp
    #: the client's profile id (the canonical customer id)
    integration_id: str
    attributes: Attributes
    account_id: int
    #: number of closed sessions (purchases)
    closed_sessions: LenientInt
    total_sales: LenientFloat
    last_activity: ReadTimestamp
    loyalty_memberships: list[LoyaltyMembership] | None = None
    audience_memberships: list[AudienceMembership] | None = None
    sandbox: bool | None = None


#: a profile update runs the rules as an event does, and can ask for the same parts back
ProfileResponseContent = EventResponseContent


class ProfileAudiencesChanges(TalonRequest):
    #: audience ids to join
    adds: list[int]
    #: audience ids to leave
    deletes: list[int]


class CustomerProfileIntegrationRequestV2(TalonRequest):
    attributes: Attributes | None = None
    audiences_changes: ProfileAudiencesChanges | None = None
    response_content: list[ProfileResponseContent] | None = None


class MultipleCustomerProfileIntegrationRequestItem(TalonRequest):
    integration_id: str
    attributes: Attributes | None = None


class MultipleCustomerProfileIntegrationRequest(TalonRequest):
    #: at most 1000 profiles per request
    customer_profiles: list[MultipleCustomerProfileIntegrationRequestItem] | None = None


class NewCustomerProfile(TalonRequest):
    """The v1 (2020) profile update body."""

    attributes: Attributes | None = None
