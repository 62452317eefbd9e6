"""In-memory state of the Talon.One sandbox, and the unit of work every call writes through.

One :class:`Account` and one :class:`AppData` (Application) per demo tenant. Every write goes
through a :class:`Tx`: reads see staged copies first, nothing reaches the store until
``commit()``, and a dry run simply never commits — so ``dry=true`` persists nothing (no
profile, session, counter, id, lastActivity, event or return).
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sandbox.talon.attributes import AttributeRegistry
from sandbox.talon.campaigns import CampaignSpec
from sandbox.talon.entities import (
    Audience,
    Coupon,
    Event,
    Giveaway,
    GiveawayPool,
    LoyaltyProgram,
    LoyaltyTx,
    Profile,
    Referral,
    Return,
    Session,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Account:
    id: int
    management_token: str
    audiences: dict[int, Audience] = field(default_factory=dict)


@dataclass
class AppData:
    """One Talon.One Application and everything it owns."""

    id: int
    account: Account
    api_key: str
    tenant_key: str
    profiles: dict[str, Profile] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    coupons: dict[str, Coupon] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    campaigns: list[CampaignSpec] = field(default_factory=list)
    programs: dict[int, LoyaltyProgram] = field(default_factory=dict)
    ledger: dict[str, list[LoyaltyTx]] = field(default_factory=dict)
    pools: dict[int, GiveawayPool] = field(default_factory=dict)
    giveaways: dict[int, Giveaway] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    returns: dict[int, Return] = field(default_factory=dict)
    attributes: AttributeRegistry = field(default_factory=AttributeRegistry)
    event_types: set[str] = field(default_factory=set)
    rng: random.Random = field(default_factory=random.Random)

    def campaign(self, campaign_id: int) -> CampaignSpec | None:
        return next((c for c in self.campaigns if c.id == campaign_id), None)


class Store:
    """All Applications, by id and by API key, plus the global id counters."""

    def __init__(self) -> None:
        self.apps: dict[int, AppData] = {}
        self.by_key: dict[str, AppData] = {}
        self.by_token: dict[str, Account] = {}
        self.counters: Counter[str] = Counter()

    def add_app(self, app: AppData) -> None:
        self.apps[app.id] = app
        self.by_key[app.api_key] = app
        self.by_token[app.account.management_token] = app.account

    def next_id(self, kind: str) -> int:
        """An id outside any transaction (demo data, admin routes)."""
        self.counters[kind] += 1
        return self.counters[kind]


class Tx:
    """Copy-on-write view of one Application for the duration of one call."""

    def __init__(self, store: Store, app: AppData, *, dry: bool, now: datetime | None = None):
        self.store = store
        self.app = app
        self.dry = dry
        self.now = now or utcnow()
        self._ids: Counter[str] = Counter()
        self._profiles: dict[str, Profile | None] = {}
        self._sessions: dict[str, Session | None] = {}
        self._coupons: dict[str, Coupon] = {}
        self._referrals: dict[str, Referral] = {}
        self._giveaways: dict[int, Giveaway] = {}
        self._audiences: dict[int, Audience | None] = {}
        self.ledger: list[tuple[str, LoyaltyTx]] = []
        self.events: list[Event] = []
        self.returns: list[Return] = []
        self.committed = False

    # ids --------------------------------------------------------------------------------
    def new_id(self, kind: str) -> int:
        self._ids[kind] += 1
        return self.store.counters[kind] + self._ids[kind]

    # reads (staged first) ---------------------------------------------------------------
    def profile(self, integration_id: str) -> Profile | None:
        if integration_id in self._profiles:
            return self._profiles[integration_id]
        return self.app.profiles.get(integration_id)

    def profile_for_update(self, integration_id: str) -> Profile | None:
        if integration_id not in self._profiles:
            stored = self.app.profiles.get(integration_id)
            self._profiles[integration_id] = copy.deepcopy(stored) if stored else None
        return self._profiles[integration_id]

    def put_profile(self, profile: Profile) -> None:
        self._profiles[profile.integration_id] = profile

    def delete_profile(self, integration_id: str) -> None:
        self._profiles[integration_id] = None

    def session(self, integration_id: str) -> Session | None:
        if integration_id in self._sessions:
            return self._sessions[integration_id]
        return self.app.sessions.get(integration_id)

    def session_for_update(self, integration_id: str) -> Session | None:
        if integration_id not in self._sessions:
            stored = self.app.sessions.get(integration_id)
            self._sessions[integration_id] = copy.deepcopy(stored) if stored else None
        return self._sessions[integration_id]

    def put_session(self, session: Session) -> None:
        self._sessions[session.integration_id] = session

    def delete_session(self, integration_id: str) -> None:
        self._sessions[integration_id] = None

    def sessions(self) -> list[Session]:
        merged = dict(self.app.sessions)
        for key, value in self._sessions.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return list(merged.values())

    def coupon(self, value: str) -> Coupon | None:
        return self._coupons.get(value) or self.app.coupons.get(value)

    def coupon_for_update(self, value: str) -> Coupon | None:
        if value not in self._coupons:
            stored = self.app.coupons.get(value)
            if stored is None:
                return None
            self._coupons[value] = copy.deepcopy(stored)
        return self._coupons[value]

    def put_coupon(self, coupon: Coupon) -> None:
        self._coupons[coupon.value] = coupon

    def referral(self, code: str) -> Referral | None:
        return self._referrals.get(code) or self.app.referrals.get(code)

    def referral_for_update(self, code: str) -> Referral | None:
        if code not in self._referrals:
            stored = self.app.referrals.get(code)
            if stored is None:
                return None
            self._referrals[code] = copy.deepcopy(stored)
        return self._referrals[code]

    def put_referral(self, referral: Referral) -> None:
        self._referrals[referral.code] = referral

    def giveaway_for_update(self, giveaway_id: int) -> Giveaway:
        if giveaway_id not in self._giveaways:
            self._giveaways[giveaway_id] = copy.deepcopy(self.app.giveaways[giveaway_id])
        return self._giveaways[giveaway_id]

    def giveaways(self) -> list[Giveaway]:
        merged = dict(self.app.giveaways)
        merged.update(self._giveaways)
        return list(merged.values())

    def audience(self, audience_id: int) -> Audience | None:
        if audience_id in self._audiences:
            return self._audiences[audience_id]
        return self.app.account.audiences.get(audience_id)

    def put_audience(self, audience: Audience) -> None:
        self._audiences[audience.id] = audience

    def delete_audience(self, audience_id: int) -> None:
        self._audiences[audience_id] = None

    def ledger_of(self, integration_id: str) -> list[LoyaltyTx]:
        stored = self.app.ledger.get(integration_id, [])
        return stored + [tx for pid, tx in self.ledger if pid == integration_id]

    def add_ledger(self, integration_id: str, tx: LoyaltyTx) -> None:
        self.ledger.append((integration_id, tx))

    def add_event(self, event: Event) -> None:
        self.events.append(event)

    # commit -----------------------------------------------------------------------------
    def commit(self) -> None:
        """Write every staged change to the store (never called for a dry run)."""
        if self.dry or self.committed:
            return
        self.committed = True
        app = self.app
        for kind, n in self._ids.items():
            self.store.counters[kind] += n
        _apply(app.profiles, self._profiles)
        _apply(app.sessions, self._sessions)
        app.coupons.update(self._coupons)
        app.referrals.update(self._referrals)
        app.giveaways.update(self._giveaways)
        _apply(app.account.audiences, self._audiences)
        for integration_id, tx in self.ledger:
            app.ledger.setdefault(integration_id, []).append(tx)
        self.ledger = []  # now part of the store (ledger_of must not count them twice)
        app.events.extend(self.events)
        for ret in self.returns:
            app.returns[ret.id] = ret


def _apply(target: dict[Any, Any], staged: dict[Any, Any]) -> None:
    for key, value in staged.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
