"""The Talon.One records the sandbox keeps in memory (plain dataclasses, serialised by ``wire``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Profile:
    id: int
    integration_id: str
    created: datetime
    account_id: int
    last_activity: datetime
    attributes: dict[str, Any] = field(default_factory=dict)
    closed_sessions: int = 0
    total_sales: float = 0.0
    audience_ids: list[int] = field(default_factory=list)


@dataclass
class LoyaltyTx:
    """One ledger transaction of a profile (points > 0 added, < 0 deducted)."""

    id: int
    created: datetime
    program_id: int
    subledger_id: str
    amount: float
    reason: str
    transaction_uuid: str
    start_date: datetime
    expiry_date: datetime | None
    session_id: str = ""
    event_id: int = 0
    #: addition | subtraction | rollback_addition | rollback_subtraction
    kind: str = "addition"


@dataclass
class TentativePoints:
    """Points an open session would add (> 0) or deduct (< 0) once it closes."""

    program_id: int
    subledger_id: str
    amount: float
    transaction_uuid: str
    name: str
    start_date: datetime | None = None
    expiry_date: datetime | None = None


@dataclass
class Session:
    id: int
    integration_id: str
    created: datetime
    application_id: int
    profile_id: str
    state: str
    updated: datetime
    coupon_codes: list[str] = field(default_factory=list)
    referral_code: str = ""
    loyalty_cards: list[str] = field(default_factory=list)
    cart_items: list[dict[str, Any]] = field(default_factory=list)
    additional_costs: dict[str, dict[str, Any]] = field(default_factory=dict)
    identifiers: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    first_session: bool = True
    update_count: int = 1
    #: effects still in force (rolled-back ones removed)
    effects: list[dict[str, Any]] = field(default_factory=list)
    #: points this open session would add/deduct (they count in tentativeCurrentBalance)
    tentative: list[TentativePoints] = field(default_factory=list)
    #: {position: returned quantity}
    returned: dict[int, int] = field(default_factory=dict)
    #: total counted in the profile's totalSales when it closed (reduced by returns)
    counted_sales: float = 0.0
    return_ids: list[int] = field(default_factory=list)


@dataclass
class Coupon:
    id: int
    created: datetime
    campaign_id: int
    value: str
    usage_limit: int = 1
    usage_counter: int = 0
    discount_limit: float | None = None
    discount_counter: float = 0.0
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    recipient_integration_id: str | None = None
    #: true = soft reservations only; false = hard-reserved for ``recipient_integration_id``
    reservation: bool = True
    batch_id: str | None = None
    referral_id: int | None = None
    #: profiles holding a soft reservation (redeeming a coupon also reserves it)
    reserved_for: list[str] = field(default_factory=list)
    #: {profile integrationId: redemptions}
    redemptions: dict[str, int] = field(default_factory=dict)


@dataclass
class Referral:
    id: int
    created: datetime
    campaign_id: int
    advocate_profile_integration_id: str
    code: str
    usage_limit: int = 1
    usage_counter: int = 0
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    friend_profile_integration_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    batch_id: str | None = None
    referred_customers: list[str] = field(default_factory=list)


@dataclass
class Audience:
    id: int
    account_id: int
    created: datetime
    name: str
    description: str | None = None
    integration: str | None = None
    integration_id: str | None = None
    created_in_3rd_party: bool | None = None
    sandbox: bool = False
    last_update: datetime | None = None


@dataclass
class Giveaway:
    id: int
    created: datetime
    pool_id: int
    code: str
    start_date: datetime | None = None
    end_date: datetime | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    used: bool = False
    awarded_to: str | None = None


@dataclass
class GiveawayPool:
    id: int
    name: str


@dataclass
class LoyaltyProgram:
    id: int
    name: str
    title: str
    subledgers: list[str] = field(default_factory=list)
    #: points activate this many days after they are earned (0 = at once)
    pending_days: int = 0
    #: points expire this many days after activation (None = never)
    expiry_days: int | None = 365
    #: (tier id, name, minimum current balance), lowest first
    tiers: list[tuple[int, str, float]] = field(default_factory=list)


@dataclass
class Event:
    id: int
    created: datetime
    application_id: int
    profile_id: str
    type: str
    attributes: dict[str, Any]
    session_id: str | None
    effects: list[Any]
    ledger_entries: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] | None = None


@dataclass
class Return:
    id: int
    created: datetime
    application_id: int
    account_id: int
    returned_cart_items: list[dict[str, int]]
    event_id: int
    session_id: int
    session_integration_id: str
    profile_id: int | None
    profile_integration_id: str | None
