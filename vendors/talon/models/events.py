"""Events: the stored event as answered, and the track requests."""

from __future__ import annotations

from typing import Literal

from vendors.talon.models._base import Attributes, TalonModel, TalonRequest

__all__ = [
    "Event",
    "EventResponseContent",
    "IntegrationEventV2Request",
]


class Event(TalonModel):
    """The stored event: the gateway passes on its id (its effects come in the state's
    ``effects``)."""

    id: int


EventResponseContent = Literal[
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
]


class IntegrationEventV2Request(TalonRequest):
    type: str
    #: documented as effectively required: an event V2 belongs to a profile
    profile_id: str | None = None
    attributes: Attributes | None = None
    response_content: list[EventResponseContent] | None = None
