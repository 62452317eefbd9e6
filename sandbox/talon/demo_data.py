"""Talon.One demo data, derived deterministically from the shared demo world.

Per tenant: one account and Application; a profile per customer (``integrationId`` =
``customer_id``) with Name/Email/City/Tier…; a few closed sessions each, whose points are in
the loyalty ledger (so balances, ``closedSessions`` and ``totalSales`` agree); some open carts
with tentative points; coupons (soft-reserved, hard-reserved, used, expired, and a few fixed
codes for tests); referral codes with referred friends; 5 audiences with memberships; a
giveaway pool with some codes awarded.
"""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from sandbox.demo_world import DEMO_EPOCH, DemoCustomer, DemoTenant, DemoWorld, stable_seed
from sandbox.talon.attributes import EVENT_TYPES
from sandbox.talon.campaigns import campaign_ids, default_campaigns
from sandbox.talon.codes import generate_code
from sandbox.talon.entities import (
    Audience,
    Coupon,
    Giveaway,
    GiveawayPool,
    LoyaltyProgram,
    LoyaltyTx,
    Profile,
    Referral,
    Session,
    TentativePoints,
)
from sandbox.talon.rules import effect
from sandbox.talon.store import Account, AppData, Store

_NS = uuid.UUID("0c6c3ad4-9f55-4d43-8d0d-6b1f7a3e2c10")

#: (sku, name, category, price)
CATALOG: tuple[tuple[str, str, str, float], ...] = (
    ("SHOE-RUN-01", "Trail running shoes", "shoes", 89.95),
    ("SHOE-HIK-02", "Hiking boots", "shoes", 139.0),
    ("SHOE-SND-03", "Sandals", "shoes", 34.5),
    ("JKT-RAIN-01", "Rain jacket", "jackets", 119.0),
    ("JKT-FLC-02", "Fleece jacket", "jackets", 64.9),
    ("BAG-DAY-01", "Day pack 20L", "bags", 49.0),
    ("BAG-TRK-02", "Trekking pack 45L", "bags", 159.0),
    ("ACC-BTL-01", "Water bottle", "accessories", 14.95),
    ("ACC-CAP-02", "Cap", "accessories", 19.0),
    ("ACC-SCK-03", "Hiking socks", "accessories", 12.5),
    ("TNT-2P-01", "Two-person tent", "tents", 249.0),
    ("LMP-HD-01", "Head lamp", "accessories", 29.9),
)

#: fixed coupon codes every Application has (handy for tests and demos)
FIXED_COUPONS = {
    "open": "WELCOME10",
    "used_up": "SINGLE-USE",
    "expired": "EXPIRED-2023",
    "future": "FUTURE-2030",
    "paused": "PAUSED-5OFF",
}

#: closed sessions of the demo history fall in this many days before the demo epoch (points
#: expire after a year, so some of them are expired and some still count)
HISTORY_DAYS = 540

AUDIENCES = (
    ("VIP customers", None, None, "Gold and platinum tier customers"),
    ("Newsletter subscribers", None, None, "Opted in to the newsletter"),
    ("Lapsed customers", None, None, "No purchase yet"),
    ("Amsterdam shoppers", None, None, "Customers living in Amsterdam"),
    ("High intent", "segment", "seg-high-intent", "Synced from Segment"),
)


def management_token(seed: int, tenant: DemoTenant) -> str:
    """The tenant's Management API token (accepted on the two audience DELETEs)."""
    digest = hashlib.sha256(f"talon-manager|{seed}|{tenant.index}".encode()).hexdigest()
    return f"mt-{digest[:40]}"


def build_store(world: DemoWorld) -> Store:
    store = Store()
    for tenant in world.tenants:
        store.add_app(_Builder(store, world.seed, tenant).build())
    return store


def _ts(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


class _Builder:
    def __init__(self, store: Store, seed: int, tenant: DemoTenant) -> None:
        self.store = store
        self.tenant = tenant
        self.rng = random.Random(stable_seed(seed, "talon", tenant.index))
        account = Account(
            id=tenant.talon_account_id, management_token=management_token(seed, tenant)
        )
        self.app = AppData(
            id=tenant.talon_application_id,
            account=account,
            api_key=tenant.talon_api_key,
            tenant_key=tenant.key,
            rng=random.Random(stable_seed(seed, "talon-codes", tenant.index)),
        )
        self.app.event_types = set(EVENT_TYPES)
        app_id = self.app.id
        self.program = LoyaltyProgram(
            id=app_id * 10 + 1,
            name=f"{tenant.key}_points",
            title=f"{tenant.name} points",
            tiers=[
                (app_id * 10 + 1, "Bronze", 0),
                (app_id * 10 + 2, "Silver", 500),
                (app_id * 10 + 3, "Gold", 1500),
            ],
        )
        self.app.programs[self.program.id] = self.program
        self.pool = GiveawayPool(id=app_id * 10 + 2, name="Gift cards")
        self.app.pools[self.pool.id] = self.pool
        self.ids = campaign_ids(app_id)
        self.app.campaigns = default_campaigns(
            app_id, self.program.id, self.pool.id, DEMO_EPOCH - timedelta(days=400), tenant.name
        )

    def build(self) -> AppData:
        customers = self.tenant.customers
        audiences = self._audiences()
        for i, customer in enumerate(customers):
            profile = self._profile(i, customer)
            self._history(i, customer, profile)
            self._memberships(i, customer, profile, audiences)
        self._coupons(customers)
        self._referrals(customers)
        self._giveaways(customers)
        return self.app

    # profiles and sessions ------------------------------------------------------------------
    def _profile(self, i: int, c: DemoCustomer) -> Profile:
        attributes: dict[str, Any] = {
            "Name": c.display_name,
            "FirstName": c.first_name,
            "LastName": c.last_name,
            "Email": c.email,
            "Mobile": c.mobile,
            "City": c.city,
            "Tier": c.tier,
            "BirthDate": _ts(c.date_of_birth),
            "ExternalReference": c.external_reference,
        }
        profile = Profile(
            id=self.store.next_id("profile"),
            integration_id=c.customer_id,
            created=c.created_at,
            account_id=self.app.account.id,
            last_activity=c.created_at,
            attributes=attributes,
        )
        self.app.profiles[c.customer_id] = profile
        return profile

    def _cart(self) -> list[dict[str, Any]]:
        items = []
        for position, (sku, name, category, price) in enumerate(
            self.rng.sample(CATALOG, self.rng.randint(1, 3))
        ):
            items.append(
                {
                    "name": name,
                    "sku": sku,
                    "quantity": self.rng.randint(1, 2),
                    "price": price,
                    "category": category,
                    "position": position,
                }
            )
        return items

    def _points_effect(
        self, cid: str, session_key: str, points: float
    ) -> tuple[dict[str, Any], str]:
        tx_uuid = str(uuid.uuid5(_NS, f"{self.app.id}/{session_key}"))
        props = {
            "name": "Points for purchase",
            "programId": self.program.id,
            "subLedgerId": "",
            "value": int(points),
            "recipientIntegrationId": cid,
            "transactionUUID": tx_uuid,
        }
        return effect(
            self.ids.loyalty, self.ids.loyalty * 10 + 1, 0, "Earn points", "addLoyaltyPoints", props
        ), tx_uuid

    def _history(self, i: int, c: DemoCustomer, profile: Profile) -> None:
        n = self.rng.choice((0, 1, 1, 2, 2, 3))
        first = max(c.created_at, DEMO_EPOCH - timedelta(days=HISTORY_DAYS))
        span = max(1, int((DEMO_EPOCH - first).total_seconds()) - 86400)
        dates = sorted(first + timedelta(seconds=self.rng.randint(0, span)) for _ in range(n))
        ledger: list[LoyaltyTx] = []
        for k, when in enumerate(dates):
            items = self._cart()
            total = round(sum(it["price"] * it["quantity"] for it in items), 2)
            key = f"{self.tenant.key}-{i:05d}-{k}"
            points = float(math.floor(total))
            eff, tx_uuid = self._points_effect(c.customer_id, key, points)
            session = Session(
                id=self.store.next_id("session"),
                integration_id=f"{self.tenant.key}-order-{i:05d}-{k}",
                created=when,
                application_id=self.app.id,
                profile_id=c.customer_id,
                state="closed",
                updated=when + timedelta(minutes=5),
                cart_items=items,
                first_session=k == 0,
                update_count=2,
                effects=[eff],
                counted_sales=total,
            )
            self.app.sessions[session.integration_id] = session
            profile.closed_sessions += 1
            profile.total_sales = round(profile.total_sales + total, 2)
            profile.last_activity = session.updated
            ledger.append(
                LoyaltyTx(
                    id=self.store.next_id("ledger"),
                    created=when,
                    program_id=self.program.id,
                    subledger_id="",
                    amount=points,
                    reason="Points for purchase",
                    transaction_uuid=tx_uuid,
                    start_date=when,
                    expiry_date=when + timedelta(days=365),
                    session_id=session.integration_id,
                )
            )
        if i % 10 == 3:
            self._open_cart(i, c, profile)
        if ledger:
            self.app.ledger[c.customer_id] = ledger

    def _open_cart(self, i: int, c: DemoCustomer, profile: Profile) -> None:
        items = self._cart()
        total = round(sum(it["price"] * it["quantity"] for it in items), 2)
        key = f"{self.tenant.key}-{i:05d}-open"
        points = float(math.floor(total))
        eff, tx_uuid = self._points_effect(c.customer_id, key, points)
        when = DEMO_EPOCH - timedelta(hours=self.rng.randint(1, 48))
        session = Session(
            id=self.store.next_id("session"),
            integration_id=f"{self.tenant.key}-cart-{i:05d}",
            created=when,
            application_id=self.app.id,
            profile_id=c.customer_id,
            state="open",
            updated=when,
            cart_items=items,
            first_session=profile.closed_sessions == 0,
            effects=[eff],
            tentative=[
                TentativePoints(
                    self.program.id,
                    "",
                    points,
                    tx_uuid,
                    "Points for purchase",
                    when,
                    when + timedelta(days=365),
                )
            ],
        )
        self.app.sessions[session.integration_id] = session

    # audiences -------------------------------------------------------------------------------
    def _audiences(self) -> list[Audience]:
        created = DEMO_EPOCH - timedelta(days=200)
        result = []
        for name, integration, integration_id, description in AUDIENCES:
            audience = Audience(
                id=self.store.next_id("audience"),
                account_id=self.app.account.id,
                created=created,
                name=name,
                description=description,
                integration=integration,
                integration_id=integration_id,
                created_in_3rd_party=bool(integration),
                last_update=created,
            )
            self.app.account.audiences[audience.id] = audience
            result.append(audience)
        return result

    def _memberships(
        self, i: int, c: DemoCustomer, profile: Profile, audiences: list[Audience]
    ) -> None:
        vip, newsletter, lapsed, amsterdam, intent = audiences
        if c.tier in ("gold", "platinum"):
            profile.audience_ids.append(vip.id)
        if self.rng.random() < 0.4:
            profile.audience_ids.append(newsletter.id)
            profile.attributes["Newsletter"] = True
        if profile.closed_sessions == 0:
            profile.audience_ids.append(lapsed.id)
        if c.city == "Amsterdam":
            profile.audience_ids.append(amsterdam.id)
        if self.rng.random() < 0.1:
            profile.audience_ids.append(intent.id)

    # coupons, referrals, giveaways -----------------------------------------------------------
    def _coupon(self, campaign_id: int, value: str, **kw: Any) -> Coupon:
        coupon = Coupon(
            id=self.store.next_id("coupon"),
            created=DEMO_EPOCH - timedelta(days=300),
            campaign_id=campaign_id,
            value=value,
            **kw,
        )
        self.app.coupons[value] = coupon
        return coupon

    def _code(self, pattern: str) -> str:
        return generate_code(self.rng, pattern, None, taken=lambda v: v in self.app.coupons)

    def _coupons(self, customers: tuple[DemoCustomer, ...]) -> None:
        ids = self.ids
        far = DEMO_EPOCH + timedelta(days=3 * 365)
        past = DEMO_EPOCH - timedelta(days=3 * 365)
        self._coupon(ids.coupon, FIXED_COUPONS["open"], usage_limit=0, expiry_date=far)
        used = self._coupon(ids.coupon, FIXED_COUPONS["used_up"], usage_limit=1, usage_counter=1)
        if customers:
            used.redemptions[customers[0].customer_id] = 1
            used.reserved_for.append(customers[0].customer_id)
        self._coupon(ids.coupon, FIXED_COUPONS["expired"], usage_limit=1, expiry_date=past)
        self._coupon(ids.coupon, FIXED_COUPONS["future"], usage_limit=1, start_date=far)
        self._coupon(ids.paused, FIXED_COUPONS["paused"], usage_limit=0)
        for _ in range(20):
            self._coupon(ids.coupon, self._code("WELCOME-####"), usage_limit=1, expiry_date=far)
        for i, c in enumerate(customers):
            cid = c.customer_id
            if i % 5 == 1:
                coupon = self._coupon(
                    ids.coupon, self._code("WELCOME-####"), usage_limit=1, expiry_date=far
                )
                coupon.reserved_for.append(cid)
            if i % 7 == 2:
                self._coupon(
                    ids.coupon,
                    self._code("VIP-######"),
                    usage_limit=1,
                    expiry_date=far,
                    recipient_integration_id=cid,
                    reservation=False,
                )
            if i % 11 == 4:
                coupon = self._coupon(
                    ids.coupon, self._code("WELCOME-####"), usage_limit=1, usage_counter=1
                )
                coupon.redemptions[cid] = 1
                coupon.reserved_for.append(cid)
            if i % 13 == 5:
                coupon = self._coupon(
                    ids.coupon, self._code("OLD-####"), usage_limit=1, expiry_date=past
                )
                coupon.reserved_for.append(cid)

    def _referrals(self, customers: tuple[DemoCustomer, ...]) -> None:
        campaign = self.app.campaign(self.ids.referral)
        assert campaign is not None
        assert campaign.referralSettings is not None
        settings = campaign.referralSettings
        n = len(customers)
        for i, c in enumerate(customers):
            if i % 6 != 0:
                continue
            code = generate_code(
                self.rng,
                settings.couponPattern,
                settings.validCharacters,
                taken=lambda v: v in self.app.referrals,
            )
            friends = []
            if n > 1:
                for _ in range(self.rng.randint(0, 2)):
                    j = self.rng.randrange(n)
                    if j != i and customers[j].customer_id not in friends:
                        friends.append(customers[j].customer_id)
            referral = Referral(
                id=self.store.next_id("referral"),
                created=DEMO_EPOCH - timedelta(days=120),
                campaign_id=campaign.id,
                advocate_profile_integration_id=c.customer_id,
                code=code,
                usage_limit=5,
                usage_counter=len(friends),
                referred_customers=friends,
            )
            self.app.referrals[code] = referral

    def _giveaways(self, customers: tuple[DemoCustomer, ...]) -> None:
        created = DEMO_EPOCH - timedelta(days=90)
        winners = [c.customer_id for i, c in enumerate(customers) if i % 17 == 8]
        for k in range(max(40, len(winners) + 20)):
            giveaway = Giveaway(
                id=self.store.next_id("giveaway"),
                created=created,
                pool_id=self.pool.id,
                code=f"GIFT-{self.rng.getrandbits(40):010X}",
                start_date=created,
                end_date=DEMO_EPOCH + timedelta(days=3 * 365),
                attributes={"amount": 25},
            )
            if k < len(winners):
                giveaway.awarded_to = winners[k]
                giveaway.used = k % 2 == 0
            self.app.giveaways[giveaway.id] = giveaway
