"""Loyalty balances and cards, giveaways, and the customer inventory that bundles them."""

from __future__ import annotations

from pydantic import Field

from vendors.talon.models._base import Attributes, TalonModel, Timestamp
from vendors.talon.models.coupons import InventoryCoupon, InventoryReferral
from vendors.talon.models.profiles import CustomerProfile

__all__ = [
    "CustomerInventory",
    "Giveaway",
    "LedgerInfo",
    "Loyalty",
    "LoyaltyCard",
    "LoyaltyCardProfileRegistration",
    "LoyaltyLedgerPage",
    "LoyaltyLedgerTransaction",
    "LoyaltyProgramLedgers",
    "LoyaltyProjection",
    "LoyaltyProjectionData",
    "Tier",
]


class Tier(TalonModel):
    id: int
    name: str


class LoyaltyProjectionData(TalonModel):
    date: Timestamp
    expiring_points: float
    activating_points: float
    projected_balance: float


class LoyaltyProjection(TalonModel):
    total_expiring_points: float
    total_activating_points: float
    #: at most 31 days
    projections: list[LoyaltyProjectionData] | None = None


class LedgerInfo(TalonModel):
    current_balance: float
    pending_balance: float
    expired_balance: float
    spent_balance: float
    #: includes points added or deducted in open sessions
    tentative_current_balance: float
    current_tier: Tier | None = None
    points_to_next_tier: float | None = None
    #: present when ``loyaltyProjectionEndDate`` was asked for
    projection: LoyaltyProjection | None = None


class LoyaltyProgramLedgers(TalonModel):
    id: int
    title: str
    name: str
    ledger: LedgerInfo
    sub_ledgers: dict[str, LedgerInfo] | None = None


class LoyaltyCardProfileRegistration(TalonModel):
    integration_id: str
    timestamp: Timestamp


class LoyaltyCard(TalonModel):
    id: int
    created: Timestamp
    program_id: int = Field(alias="programID")
    #: ``active`` | ``disabled``
    status: str
    identifier: str
    #: 0 = unlimited
    users_per_card_limit: int
    profiles: list[LoyaltyCardProfileRegistration] | None = None
    ledger: LedgerInfo | None = None
    #: spelled ``subledgers`` here (``subLedgers`` on programs)
    subledgers: dict[str, LedgerInfo] | None = Field(default=None, alias="subledgers")
    modified: Timestamp | None = None


class Loyalty(TalonModel):
    #: program id (as text) → that program's ledgers
    programs: dict[str, LoyaltyProgramLedgers]
    cards: list[LoyaltyCard] | None = None


class Giveaway(TalonModel):
    id: int
    created: Timestamp
    code: str
    pool_id: int
    start_date: Timestamp | None = None
    end_date: Timestamp | None = None
    attributes: Attributes | None = None
    used: bool | None = None
    import_id: int | None = None


class CustomerInventory(TalonModel):
    """Each key is present only when its query flag was true."""

    profile: CustomerProfile | None = None
    loyalty: Loyalty | None = None
    referrals: list[InventoryReferral] | None = None
    #: soft and hard reservations, and redeemed coupons
    coupons: list[InventoryCoupon] | None = None
    giveaways: list[Giveaway] | None = None


class LoyaltyLedgerTransaction(TalonModel):
    """One row of a profile's ledger in one program (``getLoyaltyTransactions``)."""

    id: int
    created: Timestamp
    program_id: int
    customer_session_id: str
    #: ``addition`` | ``subtraction``
    type: str
    name: str
    #: ``immediate`` or an RFC 3339 timestamp
    start_date: str
    #: ``unlimited`` or an RFC 3339 timestamp
    expiry_date: str
    subledger_id: str
    amount: float
    ruleset_id: int | None = None
    rule_name: str | None = None


class LoyaltyLedgerPage(TalonModel):
    has_more: bool
    data: list[LoyaltyLedgerTransaction]
