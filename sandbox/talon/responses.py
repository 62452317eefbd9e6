"""Building ``IntegrationStateV2`` and the v1 ``IntegrationState`` from one call's result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.talon.entities import Event, LoyaltyTx, Profile, Return, Session
from sandbox.talon.options import TalonSandboxOptions
from sandbox.talon.rules import Outcome
from sandbox.talon.settle import ledger_entry
from sandbox.talon.store import Tx
from sandbox.talon.wire import (
    campaign_json,
    coupon_json,
    event_json,
    giveaway_json,
    integration_coupon_json,
    inventory_referral_json,
    loyalty_json,
    profile_json,
    return_json,
    session_json,
    ts,
    v1_effect,
    v1_session_json,
)


@dataclass
class CallResult:
    """Everything one session/profile/event call produced (committed or, if dry, not)."""

    tx: Tx
    effects: list[dict[str, Any]] = field(default_factory=list)
    profile: Profile | None = None
    session: Session | None = None
    event: Event | None = None
    outcome: Outcome | None = None
    ret: Return | None = None

    def record_event(
        self,
        type_: str,
        *,
        attributes: dict[str, Any] | None = None,
        ledger: Iterable[LoyaltyTx] = (),
    ) -> Event:
        tx = self.tx
        event = Event(
            id=tx.new_id("event"),
            created=tx.now,
            application_id=tx.app.id,
            profile_id=self.profile.integration_id if self.profile else "",
            type=type_,
            attributes=attributes or {},
            session_id=self.session.integration_id if self.session else None,
            effects=self.effects,
            meta=(self.outcome.meta or None) if self.outcome else None,
        )
        pid = event.profile_id
        for ltx in ledger:
            ltx.event_id = event.id
            event.ledger_entries.append(ledger_entry(tx, pid, ltx))
        tx.add_event(event)
        self.event = event
        return event


def state_v2(
    res: CallResult, content: Iterable[str], options: TalonSandboxOptions
) -> dict[str, Any]:
    """``IntegrationStateV2``: effects, createdCoupons, createdReferrals; the rest on request."""
    wanted = set(content)
    tx = res.tx
    outcome = res.outcome
    body: dict[str, Any] = {
        "effects": res.effects,
        "createdCoupons": [coupon_json(c) for c in outcome.created_coupons] if outcome else [],
        "createdReferrals": [],
    }
    pid = res.profile.integration_id if res.profile else ""
    if "customerSession" in wanted and res.session is not None:
        body["customerSession"] = session_json(res.session, options)
    if "customerProfile" in wanted and res.profile is not None:
        body["customerProfile"] = profile_json(res.profile, tx)
    if "event" in wanted and res.event is not None:
        body["event"] = event_json(res.event)
    if "loyalty" in wanted and pid:
        body["loyalty"] = loyalty_json(tx, pid)
    if "coupons" in wanted and res.session is not None:
        coupons = [tx.coupon(code) for code in res.session.coupon_codes]
        body["coupons"] = [integration_coupon_json(c, pid) for c in coupons if c is not None]
    if "referral" in wanted and res.session is not None and res.session.referral_code:
        referral = tx.referral(res.session.referral_code)
        if referral is not None:
            body["referral"] = inventory_referral_json(referral)
    if "triggeredCampaigns" in wanted and outcome is not None:
        campaigns = [tx.app.campaign(cid) for cid in outcome.triggered]
        body["triggeredCampaigns"] = [
            campaign_json(c, tx.app.id, tx.now) for c in campaigns if c is not None
        ]
    if outcome is not None and (
        "ruleFailureReasons" in wanted or options.always_return_rule_failure_reasons
    ):
        body["ruleFailureReasons"] = outcome.failures
    if "awardedGiveaways" in wanted and outcome is not None:
        body["awardedGiveaways"] = [giveaway_json(g) for g in outcome.awarded]
    if res.ret is not None:
        body["return"] = return_json(res.ret)
    if "previousReturns" in wanted and res.session is not None:
        current = res.ret.id if res.ret else None
        previous = [
            tx.app.returns[r]
            for r in res.session.return_ids
            if r != current and r in tx.app.returns
        ]
        body["previousReturns"] = [return_json(r) for r in previous]
    return body


def _v1_event(event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    data = event_json(event)
    data["effects"] = [v1_effect(e) for e in event.effects]
    return data


def placeholder_profile(tx: Tx) -> dict[str, Any]:
    """[G] the v1 ``profile`` of an anonymous session (the field is required)."""
    return {
        "id": 0,
        "created": ts(tx.now),
        "integrationId": "",
        "attributes": {},
        "accountId": tx.app.account.id,
        "closedSessions": 0,
        "totalSales": 0.0,
        "audienceMemberships": [],
        "lastActivity": ts(tx.now),
    }


def placeholder_session(tx: Tx, profile: Profile) -> dict[str, Any]:
    """[G] the v1 ``session`` of a profile update (the field is required)."""
    return {
        "integrationId": "",
        "created": ts(tx.now),
        "applicationId": tx.app.id,
        "profileId": profile.integration_id,
        "coupon": "",
        "referral": "",
        "state": "open",
        "cartItems": [],
        "total": 0.0,
        "attributes": {},
        "firstSession": profile.closed_sessions == 0,
        "discounts": {},
        "updated": ts(tx.now),
    }


def state_v1(res: CallResult, options: TalonSandboxOptions) -> dict[str, Any]:
    """v1 ``IntegrationState``: session, profile, event (positional effects), loyalty, coupon."""
    tx = res.tx
    body: dict[str, Any] = {}
    if res.session is not None:
        body["session"] = v1_session_json(res.session, options)
    elif res.profile is not None:
        body["session"] = placeholder_session(tx, res.profile)
    body["profile"] = profile_json(res.profile, tx) if res.profile else placeholder_profile(tx)
    body["event"] = _v1_event(res.event)
    if res.profile is not None:
        loyalty = loyalty_json(tx, res.profile.integration_id)
        if loyalty["programs"]:
            body["loyalty"] = loyalty
    if res.outcome is not None and res.outcome.accepted_coupons:
        coupon = tx.coupon(res.outcome.accepted_coupons[0].value)
        if coupon is not None:
            body["coupon"] = coupon_json(coupon)
    return body
