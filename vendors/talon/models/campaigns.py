"""Campaigns as they appear in ``triggeredCampaigns``, and the pieces they share with coupons."""

from __future__ import annotations

from vendors.talon.models._base import Attributes, TalonModel, Timestamp

__all__ = ["Campaign", "CodeGeneratorSettings", "LimitConfig"]


class LimitConfig(TalonModel):
    action: str
    limit: float
    entities: list[str]
    period: str | None = None


class CodeGeneratorSettings(TalonModel):
    valid_characters: list[str]
    coupon_pattern: str


class Campaign(TalonModel):
    """The campaign's required fields plus its schedule; analytics counters are not kept."""

    id: int
    created: Timestamp
    application_id: int
    user_id: int
    name: str
    description: str
    #: ``enabled`` | ``disabled`` | ``archived`` (kept as text so new states still parse)
    state: str
    tags: list[str]
    features: list[str]
    limits: list[LimitConfig]
    start_time: Timestamp | None = None
    end_time: Timestamp | None = None
    attributes: Attributes | None = None
    active_ruleset_id: int | None = None
    coupon_settings: CodeGeneratorSettings | None = None
    referral_settings: CodeGeneratorSettings | None = None
    campaign_groups: list[int] | None = None
