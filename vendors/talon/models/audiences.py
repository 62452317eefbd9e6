"""Audiences and audience membership changes."""

from __future__ import annotations

from typing import Literal

from vendors.talon.models._base import TalonModel, TalonRequest, Timestamp

__all__ = [
    "Audience",
    "CustomerProfileAudienceRequest",
    "CustomerProfileAudienceRequestItem",
    "NewAudience",
    "UpdateAudience",
]


class _AudienceFields(TalonModel):
    """What describes an audience, whether sent to create it or read back."""

    name: str
    description: str | None = None
    #: a third-party platform such as ``mparticle`` or ``segment``
    integration: str | None = None
    #: the audience's id in that platform
    integration_id: str | None = None


class Audience(_AudienceFields):
    id: int
    created: Timestamp


class NewAudience(_AudienceFields, TalonRequest):
    """Create from scratch with ``name`` alone, or mirror a third-party audience."""


class UpdateAudience(TalonRequest):
    name: str


class CustomerProfileAudienceRequestItem(TalonRequest):
    action: Literal["add", "delete"]
    profile_integration_id: str
    audience_id: int


class CustomerProfileAudienceRequest(TalonRequest):
    #: at most 1000 items per request
    data: list[CustomerProfileAudienceRequestItem] | None = None
