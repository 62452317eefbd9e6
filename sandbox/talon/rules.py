"""A small, real rule engine: running campaigns' rules → Talon.One effects.

Evaluation of one call (session update, custom event or profile update):

1. coupon codes and the referral code are checked (``rejectCoupon``/``rejectReferral`` with
   the documented reasons, ``campaignId -1`` for an unknown code);
2. every running campaign's rules are tried in order; a rule fires when its trigger matches
   and every predicate of its condition holds, else a ``RuleFailureReason`` is recorded;
3. a firing rule's effects are produced with the exact ``props`` of docs/vendors/talon.md
   §6.4 (a coupon or referral rule first emits ``acceptCoupon``/``acceptReferral``).

Giveaways and created coupons are only handed out when the evaluation is *final* (a closing
session, an event, a profile update); an open session gets ``willAwardGiveaway``. Nothing is
committed here: staged changes live in the caller's :class:`~sandbox.talon.store.Tx`.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from sandbox.talon.campaigns import CampaignSpec, Condition, EffectSpec, Rule
from sandbox.talon.cart import money
from sandbox.talon.codes import generate_code
from sandbox.talon.entities import Coupon, Giveaway, Profile, Referral, Session, TentativePoints
from sandbox.talon.loyalty import current_balance
from sandbox.talon.store import Tx

_NS = uuid.UUID("6f1c1d7e-2b8a-4c39-9a57-3d1f0c2b9e41")

TriggerKind = Literal["session", "event", "profile"]


@dataclass
class EvalInput:
    trigger: TriggerKind
    profile_id: str
    profile: Profile | None
    session: Session | None = None
    #: the session closes with this update (or: an event / profile update, always final)
    final: bool = False
    event_type: str | None = None
    #: stable key of the evaluated entity, used for loyalty transaction UUIDs
    key: str = ""
    cart_total: float = 0.0
    session_total: float = 0.0


@dataclass
class Outcome:
    effects: list[dict[str, Any]] = field(default_factory=list)
    triggered: list[int] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    accepted_coupons: list[Coupon] = field(default_factory=list)
    accepted_referral: Referral | None = None
    points: list[TentativePoints] = field(default_factory=list)
    awarded: list[Giveaway] = field(default_factory=list)
    created_coupons: list[Coupon] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def effect(
    campaign_id: int,
    ruleset_id: int,
    rule_index: int,
    rule_name: str,
    effect_type: str,
    props: dict[str, Any],
    coupon_id: int | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "campaignId": campaign_id,
        "rulesetId": ruleset_id,
        "ruleIndex": rule_index,
        "ruleName": rule_name,
        "effectType": effect_type,
        "props": props,
    }
    if coupon_id is not None:
        data["triggeredByCoupon"] = coupon_id
    return data


class _Run:
    """State of one evaluation."""

    def __init__(self, tx: Tx, inp: EvalInput) -> None:
        self.tx = tx
        self.inp = inp
        self.now = tx.now
        self.out = Outcome()
        self.discounted = 0.0
        self.coupons: dict[int, Coupon] = {}
        self.referral: Referral | None = None
        self.coupon_done: set[int] = set()

    # codes --------------------------------------------------------------------------------
    def check_codes(self) -> None:
        session = self.inp.session
        if session is None:
            return
        for code in session.coupon_codes:
            self._check_coupon(code)
        if session.referral_code:
            self._check_referral(session.referral_code)

    def _coupon_rule(self, campaign: CampaignSpec | None) -> tuple[int, int, str]:
        if campaign is None:
            return -1, -1, ""
        for index, rule in enumerate(campaign.rules):
            if rule.condition.couponRequired:
                return campaign.rulesetId, index, rule.title
        return campaign.rulesetId, 0, campaign.rules[0].title if campaign.rules else ""

    def reject_coupon(
        self,
        code: str,
        reason: str,
        coupon: Coupon | None,
        campaign: CampaignSpec | None,
        **extra: Any,
    ) -> None:
        ruleset, index, name = self._coupon_rule(campaign)
        cid = campaign.id if campaign else -1
        props = {"value": code, "rejectionReason": reason, **extra}
        self.out.effects.append(effect(cid, ruleset, index, name, "rejectCoupon", props))
        self.out.meta.setdefault(
            "couponRejectionReason",
            {"campaignId": cid, "couponId": coupon.id if coupon else 0, "reason": reason},
        )

    def _check_coupon(self, code: str) -> None:
        coupon = self.tx.coupon(code)
        if coupon is None:
            self.reject_coupon(code, "CouponNotFound", None, None)
            return
        campaign = self.tx.app.campaign(coupon.campaign_id)
        reason = None
        if campaign is None or not campaign.is_running(self.now):
            reason = "CouponPartOfNotRunningCampaign"
        elif coupon.start_date is not None and coupon.start_date > self.now:
            reason = "CouponStartDateInFuture"
        elif coupon.expiry_date is not None and coupon.expiry_date <= self.now:
            reason = "CouponExpired"
        elif coupon.usage_limit and coupon.usage_counter >= coupon.usage_limit:
            reason = "CouponLimitReached"
        elif (
            not coupon.reservation
            and coupon.recipient_integration_id
            and coupon.recipient_integration_id != self.inp.profile_id
        ):
            reason = "CouponRecipientDoesNotMatch"
        elif campaign.id in self.coupons:
            reason = "CouponRejectedByCondition"
        if reason is not None:
            self.reject_coupon(code, reason, coupon, campaign)
            return
        self.coupons[coupon.campaign_id] = coupon

    def reject_referral(
        self, code: str, reason: str, referral: Referral | None, campaign: CampaignSpec | None
    ) -> None:
        cid = campaign.id if campaign else -1
        ruleset, index, name = (
            (campaign.rulesetId, 0, campaign.rules[0].title)
            if (campaign and campaign.rules)
            else (-1, -1, "")
        )
        props = {"value": code, "rejectionReason": reason}
        self.out.effects.append(effect(cid, ruleset, index, name, "rejectReferral", props))
        self.out.meta.setdefault(
            "referralRejectionReason",
            {"campaignId": cid, "referralId": referral.id if referral else 0, "reason": reason},
        )

    def _check_referral(self, code: str) -> None:
        referral = self.tx.referral(code)
        if referral is None:
            self.reject_referral(code, "ReferralNotFound", None, None)
            return
        campaign = self.tx.app.campaign(referral.campaign_id)
        reason = None
        if campaign is None or not campaign.is_running(self.now):
            reason = "ReferralPartOfNotRunningCampaign"
        elif referral.start_date is not None and referral.start_date > self.now:
            reason = "ReferralStartDateInFuture"
        elif referral.expiry_date is not None and referral.expiry_date <= self.now:
            reason = "ReferralExpired"
        elif referral.usage_limit and referral.usage_counter >= referral.usage_limit:
            reason = "ReferralLimitReached"
        elif referral.advocate_profile_integration_id == self.inp.profile_id:
            reason = "ReferralRecipientIdSameAsAdvocate"
        elif (
            referral.friend_profile_integration_id
            and referral.friend_profile_integration_id != self.inp.profile_id
        ):
            reason = "ReferralRecipientDoesNotMatch"
        if reason is not None:
            self.reject_referral(code, reason, referral, campaign)
            return
        self.referral = referral

    # conditions ---------------------------------------------------------------------------
    def _trigger_matches(self, cond: Condition) -> bool:
        inp = self.inp
        if cond.trigger == "session":
            return inp.trigger == "session"
        if cond.trigger == "session_closed":
            return inp.trigger == "session" and inp.final
        if cond.trigger == "event":
            return inp.trigger == "event" and (
                not cond.eventTypes or inp.event_type in cond.eventTypes
            )
        return inp.trigger == "profile"

    def _failed_predicate(self, campaign: CampaignSpec, cond: Condition) -> tuple[int, str] | None:
        """(conditionIndex, details) of the first predicate that does not hold."""
        inp = self.inp
        items = inp.session.cart_items if inp.session else []
        checks: list[tuple[bool, bool, str]] = [
            (cond.couponRequired, campaign.id in self.coupons, "no valid coupon of the campaign"),
            (
                cond.referralRequired,
                self.referral is not None and self.referral.campaign_id == campaign.id,
                "no valid referral code of the campaign",
            ),
            (cond.identified, bool(inp.profile_id), "the session is anonymous"),
            (
                cond.minCartTotal is not None,
                inp.cart_total >= (cond.minCartTotal or 0),
                f"cart total below {cond.minCartTotal}",
            ),
            (
                bool(cond.skus or cond.categories),
                any(_item_matches(i, cond.skus, cond.categories) for i in items),
                "no matching cart item",
            ),
            (
                bool(cond.profileAttributes),
                inp.profile is not None
                and all(
                    inp.profile.attributes.get(k) == v for k, v in cond.profileAttributes.items()
                ),
                "profile attributes do not match",
            ),
            (
                bool(cond.audienceIds),
                inp.profile is not None
                and any(a in inp.profile.audience_ids for a in cond.audienceIds),
                "profile is not in the audience",
            ),
            (
                cond.firstSession is not None,
                inp.session is not None and inp.session.first_session == cond.firstSession,
                "first-session condition not met",
            ),
        ]
        index = 0
        for applies, holds, details in checks:
            if applies:
                if not holds:
                    return index, details
                index += 1
        return None

    def _failure(
        self, campaign: CampaignSpec, index: int, rule: Rule, cond_index: int | None, details: str
    ) -> dict[str, Any]:
        reason: dict[str, Any] = {
            "campaignID": campaign.id,
            "campaignName": campaign.name,
            "rulesetID": campaign.rulesetId,
            "ruleIndex": index,
            "ruleName": rule.title,
        }
        coupon = self.coupons.get(campaign.id)
        if coupon is not None:
            reason["couponID"] = coupon.id
            reason["couponValue"] = coupon.value
        if self.referral is not None and self.referral.campaign_id == campaign.id:
            reason["referralID"] = self.referral.id
            reason["referralValue"] = self.referral.code
        if cond_index is not None:
            reason["conditionIndex"] = cond_index
        reason["details"] = details
        return reason

    # rules --------------------------------------------------------------------------------
    def run_campaigns(self) -> None:
        for campaign in sorted(self.tx.app.campaigns, key=lambda c: c.id):
            if not campaign.is_running(self.now):
                continue
            fired = False
            for index, rule in enumerate(campaign.rules):
                if not self._trigger_matches(rule.condition):
                    continue
                failed = self._failed_predicate(campaign, rule.condition)
                if failed is not None:
                    self.out.failures.append(self._failure(campaign, index, rule, *failed))
                    continue
                produced = self._fire(campaign, index, rule)
                fired = fired or produced
            if fired:
                self.out.triggered.append(campaign.id)
        for campaign_id, coupon in self.coupons.items():
            if campaign_id not in self.coupon_done:
                owner = self.tx.app.campaign(campaign_id)
                self.reject_coupon(coupon.value, "CouponRejectedByCondition", coupon, owner)
        if self.referral is not None and self.out.accepted_referral is None:
            owner = self.tx.app.campaign(self.referral.campaign_id)
            self.reject_referral(
                self.referral.code, "ReferralRejectedByCondition", self.referral, owner
            )

    def _fire(self, campaign: CampaignSpec, index: int, rule: Rule) -> bool:
        coupon_id = None
        before = len(self.out.effects)
        if rule.condition.couponRequired:
            coupon = self.coupons[campaign.id]
            coupon_id = coupon.id
            if campaign.id not in self.coupon_done:
                self.coupon_done.add(campaign.id)
                self.out.accepted_coupons.append(coupon)
                self._add(campaign, index, rule, "acceptCoupon", {"value": coupon.value}, coupon_id)
        if rule.condition.referralRequired and self.out.accepted_referral is None:
            assert self.referral is not None
            self.out.accepted_referral = self.referral
            self._add(campaign, index, rule, "acceptReferral", {"value": self.referral.code})
        for n, spec in enumerate(rule.effects):
            self._apply(campaign, index, rule, n, spec, coupon_id)
        return len(self.out.effects) > before

    def _add(
        self,
        campaign: CampaignSpec,
        index: int,
        rule: Rule,
        effect_type: str,
        props: dict[str, Any],
        coupon_id: int | None = None,
    ) -> None:
        self.out.effects.append(
            effect(
                campaign.id, campaign.rulesetId, index, rule.title, effect_type, props, coupon_id
            )
        )

    def _remaining(self) -> float:
        return max(0.0, money(self.inp.session_total - self.discounted))

    def _apply(
        self,
        campaign: CampaignSpec,
        index: int,
        rule: Rule,
        n: int,
        spec: EffectSpec,
        coupon_id: int | None,
    ) -> None:
        kind = spec.type
        if kind == "setDiscount":
            desired = (
                money(self.inp.cart_total * spec.percent / 100)
                if spec.percent is not None
                else money(spec.amount or 0)
            )
            self._discount(campaign, index, rule, spec, desired, coupon_id)
        elif kind == "setDiscountPerItem":
            self._per_item(campaign, index, rule, spec, coupon_id)
        elif kind == "addLoyaltyPoints":
            self._add_points(campaign, index, rule, n, spec, coupon_id)
        elif kind == "redeemLoyaltyPoints":
            self._redeem_points(campaign, index, rule, n, spec, coupon_id)
        elif kind == "addFreeItem":
            self._add(
                campaign,
                index,
                rule,
                "addFreeItem",
                {"sku": spec.sku, "name": spec.name},
                coupon_id,
            )
        elif kind == "showNotification":
            props = {
                "notificationType": spec.notificationType,
                "title": spec.title,
                "body": spec.body,
            }
            self._add(campaign, index, rule, "showNotification", props, coupon_id)
        elif kind == "awardGiveaway":
            self._giveaway(campaign, index, rule, spec)
        elif kind == "createCoupon":
            self._create_coupon(campaign, index, rule, spec)

    def _discount(
        self,
        campaign: CampaignSpec,
        index: int,
        rule: Rule,
        spec: EffectSpec,
        desired: float,
        coupon_id: int | None,
    ) -> None:
        value = min(desired, self._remaining())
        if value <= 0:
            return
        self.discounted += value
        props: dict[str, Any] = {"name": spec.name, "value": value}
        if spec.scope:
            props["scope"] = spec.scope
        if value < desired:
            props["desiredValue"] = desired
        self._add(campaign, index, rule, "setDiscount", props, coupon_id)

    def _per_item(
        self,
        campaign: CampaignSpec,
        index: int,
        rule: Rule,
        spec: EffectSpec,
        coupon_id: int | None,
    ) -> None:
        session = self.inp.session
        if session is None:
            return
        for item in session.cart_items:
            if not _item_matches(item, spec.skus, spec.categories):
                continue
            line = float(item["price"]) * int(item["quantity"])
            desired = (
                money(line * spec.percent / 100)
                if spec.percent is not None
                else money((spec.amount or 0) * int(item["quantity"]))
            )
            value = min(desired, money(line), self._remaining())
            if value <= 0:
                continue
            self.discounted += value
            props: dict[str, Any] = {
                "name": spec.name,
                "value": value,
                "position": item["position"],
            }
            if value < desired:
                props["desiredValue"] = desired
            self._add(campaign, index, rule, "setDiscountPerItem", props, coupon_id)

    def _points_dates(self, program_id: int) -> tuple[Any, Any]:
        program = self.tx.app.programs.get(program_id)
        pending = program.pending_days if program else 0
        expiry_days = program.expiry_days if program else None
        start = self.now + timedelta(days=pending)
        expiry = start + timedelta(days=expiry_days) if expiry_days else None
        return start, expiry

    def _tx_uuid(self, campaign: CampaignSpec, index: int, n: int) -> str:
        return str(uuid.uuid5(_NS, f"{self.tx.app.id}/{self.inp.key}/{campaign.id}/{index}/{n}"))

    def _add_points(
        self,
        campaign: CampaignSpec,
        index: int,
        rule: Rule,
        n: int,
        spec: EffectSpec,
        coupon_id: int | None,
    ) -> None:
        if not self.inp.profile_id or spec.programId is None:
            return
        if spec.points is not None:
            value = float(spec.points)
        else:
            value = float(math.floor(self.inp.cart_total * (spec.pointsPerUnit or 0)))
        if value <= 0:
            return
        start, expiry = self._points_dates(spec.programId)
        tx_uuid = self._tx_uuid(campaign, index, n)
        props: dict[str, Any] = {
            "name": spec.name,
            "programId": spec.programId,
            "subLedgerId": spec.subLedgerId,
            "value": _points(value),
            "recipientIntegrationId": self.inp.profile_id,
            "transactionUUID": tx_uuid,
            "startDate": _ts(start),
        }
        if expiry is not None:
            props["expiryDate"] = _ts(expiry)
        self._add(campaign, index, rule, "addLoyaltyPoints", props, coupon_id)
        self.out.points.append(
            TentativePoints(
                spec.programId, spec.subLedgerId, value, tx_uuid, spec.name, start, expiry
            )
        )

    def _redeem_points(
        self,
        campaign: CampaignSpec,
        index: int,
        rule: Rule,
        n: int,
        spec: EffectSpec,
        coupon_id: int | None,
    ) -> None:
        session = self.inp.session
        if session is None or spec.programId is None or not self.inp.profile_id:
            return
        wanted = session.attributes.get(spec.pointsAttribute)
        if not isinstance(wanted, int | float) or isinstance(wanted, bool) or wanted <= 0:
            return
        points = float(math.floor(wanted))
        available = current_balance(
            self.tx.ledger_of(self.inp.profile_id), spec.programId, spec.subLedgerId, self.now
        )
        for other in self.tx.sessions():
            if (
                other.profile_id == self.inp.profile_id
                and other.state == "open"
                and other.integration_id != session.integration_id
            ):
                available += sum(p.amount for p in other.tentative if p.amount < 0)
        if available < points:
            self.out.failures.append(
                self._failure(campaign, index, rule, None, "not enough loyalty points")
            )
            return
        tx_uuid = self._tx_uuid(campaign, index, n)
        props = {
            "ruleTitle": rule.title,
            "programId": spec.programId,
            "subLedgerId": spec.subLedgerId,
            "value": _points(points),
            "transactionUUID": tx_uuid,
            "name": spec.name,
        }
        self._add(campaign, index, rule, "deductLoyaltyPoints", props, coupon_id)
        self.out.points.append(
            TentativePoints(spec.programId, spec.subLedgerId, -points, tx_uuid, spec.name)
        )
        desired = money(points * spec.pointValue)
        self._discount(campaign, index, rule, spec, desired, coupon_id)

    def _giveaway(self, campaign: CampaignSpec, index: int, rule: Rule, spec: EffectSpec) -> None:
        pool = self.tx.app.pools.get(spec.poolId or -1)
        if pool is None or not self.inp.profile_id:
            return
        base = {
            "poolId": pool.id,
            "poolName": pool.name,
            "recipientIntegrationId": self.inp.profile_id,
        }
        if not self.inp.final:
            self._add(campaign, index, rule, "willAwardGiveaway", base)
            return
        free = sorted(
            (
                g
                for g in self.tx.giveaways()
                if g.pool_id == pool.id
                and g.awarded_to is None
                and (g.end_date is None or g.end_date > self.now)
            ),
            key=lambda g: g.id,
        )
        if not free:
            self.out.failures.append(
                self._failure(campaign, index, rule, None, "giveaway pool is empty")
            )
            return
        giveaway = self.tx.giveaway_for_update(free[0].id)
        giveaway.awarded_to = self.inp.profile_id
        self.out.awarded.append(giveaway)
        self._add(
            campaign,
            index,
            rule,
            "awardGiveaway",
            {**base, "giveawayId": giveaway.id, "code": giveaway.code},
        )

    def _create_coupon(
        self, campaign: CampaignSpec, index: int, rule: Rule, spec: EffectSpec
    ) -> None:
        if not self.inp.final or not self.inp.profile_id:
            return
        settings = campaign.couponSettings
        pattern = settings.couponPattern if settings else "####-####"
        chars = settings.validCharacters if settings else None
        code = generate_code(
            self.tx.app.rng, pattern, chars, taken=lambda c: self.tx.coupon(c) is not None
        )
        coupon = Coupon(
            id=self.tx.new_id("coupon"),
            created=self.now,
            campaign_id=campaign.id,
            value=code,
            usage_limit=spec.couponUsageLimit,
            recipient_integration_id=self.inp.profile_id,
            reservation=False,
        )
        self.tx.put_coupon(coupon)
        self.out.created_coupons.append(coupon)
        self._add(
            campaign,
            index,
            rule,
            "couponCreated",
            {"value": code, "profileId": self.inp.profile_id},
        )


def _item_matches(item: dict[str, Any], skus: list[str], categories: list[str]) -> bool:
    if not skus and not categories:
        return True
    return item.get("sku") in skus or item.get("category") in categories


def _points(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 2)


def _ts(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


def evaluate(tx: Tx, inp: EvalInput) -> Outcome:
    """Run the Application's campaigns for one call (see module docstring)."""
    run = _Run(tx, inp)
    run.check_codes()
    run.run_campaigns()
    out = run.out
    campaigns = {c.id: c for c in tx.app.campaigns}
    meta_campaigns = {
        str(cid): campaigns[cid].attributes for cid in out.triggered if cid in campaigns
    }
    if meta_campaigns:
        out.meta["campaigns"] = meta_campaigns
    if out.accepted_coupons:
        out.meta["coupons"] = {c.value: c.attributes for c in out.accepted_coupons}
    return out
