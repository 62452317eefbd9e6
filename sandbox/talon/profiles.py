"""Customer profiles and custom events.

Rules: docs/vendors/talon.md §5.1, §5.5, §5.9 to §5.11, §5.16, §5.17.
"""

from __future__ import annotations

from typing import Any

from sandbox.talon.context import TalonContext
from sandbox.talon.entities import Profile, Session
from sandbox.talon.errors import bad_request, not_found
from sandbox.talon.models import ProfileAudiencesChanges
from sandbox.talon.responses import CallResult
from sandbox.talon.rules import EvalInput, evaluate
from sandbox.talon.sessions import ensure_profile
from sandbox.talon.settle import book_points
from sandbox.talon.store import AppData, Tx


def merge_attributes(profile: Profile, attributes: dict[str, Any]) -> None:
    """Sent attributes overwrite stored ones; ``null`` removes one."""
    for name, value in attributes.items():
        if value is None:
            profile.attributes.pop(name, None)
        else:
            profile.attributes[name] = value


def check_profile_attributes(
    ctx: TalonContext, app: AppData, attributes: dict[str, Any] | None, pointer: str
) -> None:
    if attributes:
        app.attributes.check(
            "CustomerProfile",
            attributes,
            pointer,
            reject_unknown=ctx.options.reject_undefined_attributes,
        )


def apply_audience_changes(tx: Tx, profile: Profile, changes: ProfileAudiencesChanges) -> None:
    for key, ids in (("adds", changes.adds), ("deletes", changes.deletes)):
        for i, audience_id in enumerate(ids):
            if tx.audience(audience_id) is None:
                raise bad_request(
                    "Not found",
                    f"Audience {audience_id} does not exist.",
                    pointer=f"/audiencesChanges/{key}/{i}",
                )
    for audience_id in changes.adds:
        if audience_id not in profile.audience_ids:
            profile.audience_ids.append(audience_id)
    profile.audience_ids = [a for a in profile.audience_ids if a not in set(changes.deletes)]


def run_profile_rules(
    tx: Tx, res: CallResult, profile: Profile, *, trigger: str, event_type: str
) -> list[Any]:
    """Evaluate profile/event rules (final: points booked, giveaways and coupons handed out)."""
    key = f"{trigger}/{profile.integration_id}/{tx.new_id('evaluation')}"
    outcome = evaluate(
        tx,
        EvalInput(
            trigger="event" if trigger == "event" else "profile",
            profile_id=profile.integration_id,
            profile=profile,
            final=True,
            event_type=event_type,
            key=key,
        ),
    )
    res.outcome = outcome
    res.effects = outcome.effects
    return book_points(tx, profile.integration_id, outcome.points)


def update_profile(
    ctx: TalonContext,
    app: AppData,
    integration_id: str,
    *,
    attributes: dict[str, Any] | None,
    audiences: ProfileAudiencesChanges | None,
    run_rules: bool,
    dry: bool,
) -> CallResult:
    """``PUT /v2/customer_profiles/{id}`` (and the v1 form, which always runs the rules)."""
    tx = Tx(ctx.store, app, dry=dry and run_rules)
    profile, created = ensure_profile(tx, integration_id)
    res = CallResult(tx=tx, profile=profile)
    if attributes:
        merge_attributes(profile, attributes)
    if audiences is not None:
        apply_audience_changes(tx, profile, audiences)
    if run_rules:
        profile.last_activity = tx.now
        event_type = "talon_profile_created" if created else "talon_profile_updated"
        booked = run_profile_rules(tx, res, profile, trigger="profile", event_type=event_type)
        res.record_event(event_type, attributes=attributes or {}, ledger=booked)
    tx.commit()
    return res


def track_event(
    ctx: TalonContext,
    app: AppData,
    *,
    profile_id: str,
    event_type: str,
    attributes: dict[str, Any],
    session_id: str | None,
    dry: bool,
) -> CallResult:
    """A custom event (v2: profile only; v1: also a session, created when missing)."""
    tx = Tx(ctx.store, app, dry=dry)
    res = CallResult(tx=tx)
    if session_id is not None:
        session = tx.session_for_update(session_id)
        if session is None:
            session = Session(
                id=tx.new_id("session"),
                integration_id=session_id,
                created=tx.now,
                application_id=app.id,
                profile_id=profile_id,
                state="open",
                updated=tx.now,
                first_session=not profile_id
                or not any(s.profile_id == profile_id for s in tx.sessions()),
            )
        elif session.profile_id != profile_id and ctx.options.reject_foreign_session_in_track_event:
            raise bad_request(
                "Invalid value",
                "The session belongs to another customer profile.",
                pointer="/sessionId",
            )
        else:
            session.updated = tx.now
        tx.put_session(session)
        res.session = session
    booked: list[Any] = []
    if profile_id:
        profile, _ = ensure_profile(tx, profile_id)
        profile.last_activity = tx.now
        res.profile = profile
        booked = run_profile_rules(tx, res, profile, trigger="event", event_type=event_type)
    res.record_event(event_type, attributes=attributes, ledger=booked)
    tx.commit()
    return res


def delete_customer_data(ctx: TalonContext, app: AppData, integration_id: str) -> None:
    """Clear the attributes of the profile and of everything referencing it.

    See docs/vendors/talon.md §5.17.
    """
    tx = Tx(ctx.store, app, dry=False)
    profile = tx.profile_for_update(integration_id)
    if profile is None:
        raise not_found(
            f"Customer profile {integration_id!r} does not exist.", resource="customerProfile"
        )
    if ctx.options.keep_profile_on_data_deletion:
        profile.attributes = {}
    else:
        tx.delete_profile(integration_id)
    for session in tx.sessions():
        if session.profile_id == integration_id:
            staged = tx.session_for_update(session.integration_id)
            assert staged is not None
            if ctx.options.keep_profile_on_data_deletion:
                staged.attributes = {}
                for item in staged.cart_items:
                    item.pop("attributes", None)
            else:
                tx.delete_session(staged.integration_id)
    for referral in list(app.referrals.values()):
        if integration_id in (
            referral.advocate_profile_integration_id,
            referral.friend_profile_integration_id,
        ):
            staged_ref = tx.referral_for_update(referral.code)
            assert staged_ref is not None
            staged_ref.attributes = {}
    for coupon in list(app.coupons.values()):
        if coupon.recipient_integration_id == integration_id:
            staged_coupon = tx.coupon_for_update(coupon.value)
            assert staged_coupon is not None
            staged_coupon.attributes = {}
    tx.commit()
    for event in app.events:
        if event.profile_id == integration_id:
            event.attributes = {}
