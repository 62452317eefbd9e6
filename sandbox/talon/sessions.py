"""Customer sessions: update (v2 and v1), return cart items, read
(docs/vendors/talon.md §5.1 to §5.9, §5.18).

State machine (docs/vendors/talon.md §5.4); anything else is 400 with ``source.pointer``
``…/state``::

    (new) → open | closed
    open → open (update) | closed | cancelled
    closed → cancelled            (talon_session_revoked)
    closed → partially_returned   (only via POST …/returns)
    partially_returned → cancelled | partially_returned (another return)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.talon.cart import cart_items_from, costs_from, money, renumber
from sandbox.talon.context import TalonContext
from sandbox.talon.entities import Profile, Return, Session
from sandbox.talon.errors import TalonError, bad_request, not_found
from sandbox.talon.models import AdditionalCostIn, CartItemIn, NewReturn
from sandbox.talon.responses import CallResult
from sandbox.talon.rules import EvalInput, evaluate
from sandbox.talon.settle import redeem, return_items, revoke
from sandbox.talon.store import AppData, Tx
from sandbox.talon.wire import session_totals

ALLOWED = {
    ("open", "open"),
    ("open", "closed"),
    ("open", "cancelled"),
    ("closed", "cancelled"),
    ("partially_returned", "cancelled"),
}
EVENT_FOR = {
    ("open", "open"): "talon_session_updated",
    ("open", "closed"): "talon_session_closed",
    ("open", "cancelled"): "talon_session_cancelled",
    ("closed", "cancelled"): "talon_session_revoked",
    ("partially_returned", "cancelled"): "talon_session_revoked",
}
MAX_FLATTENED_UNITS = 10_000


@dataclass
class SessionChange:
    """A session update, from either API version; ``sent`` lists the keys the client sent."""

    sent: set[str]
    profile_id: str | None = None
    coupon_codes: list[str] | None = None
    referral_code: str | None = None
    loyalty_cards: list[str] | None = None
    state: str = "open"
    cart_items: list[CartItemIn] | None = None
    additional_costs: dict[str, AdditionalCostIn] | None = None
    identifiers: list[str] | None = None
    attributes: dict[str, Any] | None = None
    #: pointer prefix of the session in the request body ("/customerSession" or "" for v1)
    pointer: str = "/customerSession"


def _state_error(pointer: str, details: str) -> TalonError:
    return bad_request("Invalid session state", details, pointer=f"{pointer}/state")


def ensure_profile(tx: Tx, integration_id: str) -> tuple[Profile, bool]:
    """The profile for update, created empty when unknown. Returns (profile, created).

    See docs/vendors/talon.md §5.1.
    """
    profile = tx.profile_for_update(integration_id)
    if profile is not None:
        return profile, False
    profile = Profile(
        id=tx.new_id("profile"),
        integration_id=integration_id,
        created=tx.now,
        account_id=tx.app.account.id,
        last_activity=tx.now,
    )
    tx.put_profile(profile)
    return profile, True


def _is_first_session(tx: Tx, profile_id: str, session_id: str) -> bool:
    if not profile_id:
        return True
    return not any(
        s.profile_id == profile_id and s.integration_id != session_id for s in tx.sessions()
    )


def _merge(ctx: TalonContext, session: Session, change: SessionChange) -> None:
    sent = change.sent
    replace = ctx.options.replace_session_collections
    if "couponCodes" in sent:
        session.coupon_codes = [c for c in change.coupon_codes or [] if c]
    if "referralCode" in sent:
        session.referral_code = change.referral_code or ""
    if "loyaltyCards" in sent:
        session.loyalty_cards = list(change.loyalty_cards or [])
    if "identifiers" in sent:
        session.identifiers = list(change.identifiers or [])
    if "cartItems" in sent:
        items = cart_items_from(change.cart_items or [])
        session.cart_items = items if replace else renumber(session.cart_items + items)
    if "additionalCosts" in sent:
        costs = costs_from(change.additional_costs or {})
        session.additional_costs = costs if replace else {**session.additional_costs, **costs}
    if "attributes" in sent:
        attrs = dict(change.attributes or {})
        session.attributes = attrs if replace else {**session.attributes, **attrs}


def _check_limits(ctx: TalonContext, session: Session, pointer: str) -> None:
    if ctx.options.cart_item_flattening:
        units = sum(int(i["quantity"]) for i in session.cart_items)
        if units > MAX_FLATTENED_UNITS:
            raise bad_request(
                "maxItems",
                f"With cart item flattening the cart holds at most {MAX_FLATTENED_UNITS} units.",
                pointer=f"{pointer}/cartItems",
            )


def update_session(
    ctx: TalonContext, app: AppData, session_id: str, change: SessionChange, *, dry: bool
) -> CallResult:
    """Create or update a session, run the rules, settle a close or a cancel."""
    tx = Tx(ctx.store, app, dry=dry)
    p = change.pointer
    if change.attributes:
        app.attributes.check(
            "CustomerSession",
            change.attributes,
            f"{p}/attributes",
            reject_unknown=ctx.options.reject_undefined_attributes,
        )
    session = tx.session_for_update(session_id)
    if session is None:
        state = change.state if "state" in change.sent else "open"
        if state not in ("open", "closed"):
            raise _state_error(p, f"A session cannot be created in state {state}.")
        pid = change.profile_id or ""
        session = Session(
            id=tx.new_id("session"),
            integration_id=session_id,
            created=tx.now,
            application_id=app.id,
            profile_id=pid,
            state="open",
            updated=tx.now,
            first_session=_is_first_session(tx, pid, session_id),
        )
        old = "open"
        event_type = "talon_session_closed" if state == "closed" else "talon_session_created"
    else:
        old = session.state
        state = change.state if "state" in change.sent else old
        if (old, state) not in ALLOWED:
            if old == state:
                raise _state_error(p, f"A {old} session cannot be modified.")
            raise _state_error(p, f"A session cannot go from {old} to {state}.")
        event_type = EVENT_FOR[(old, state)]
        session.update_count += 1
        session.updated = tx.now
        if old == "open" and "profileId" in change.sent:
            new_pid = change.profile_id or ""
            if new_pid != session.profile_id:
                if ctx.options.session_relink == "never":
                    raise bad_request(
                        "Invalid value",
                        "The session belongs to another customer profile.",
                        pointer=f"{p}/profileId",
                    )
                session.profile_id = new_pid
                session.first_session = _is_first_session(tx, new_pid, session_id)
        elif old != "open" and "profileId" in change.sent:
            new_pid = change.profile_id or ""
            if new_pid != session.profile_id and ctx.options.session_relink != "always":
                raise bad_request(
                    "Invalid value",
                    f"The profile of a {old} session cannot change.",
                    pointer=f"{p}/profileId",
                )
    res = CallResult(tx=tx, session=session)
    pid = session.profile_id
    profile: Profile | None = None
    if pid:
        profile, _ = ensure_profile(tx, pid)
        profile.last_activity = tx.now
    res.profile = profile
    booked = []
    if old == "open" and state in ("open", "closed"):
        _merge(ctx, session, change)
        _check_limits(ctx, session, p)
        session.state = state
        cart, _, total = session_totals(session, ctx.options)
        outcome = evaluate(
            tx,
            EvalInput(
                trigger="session",
                profile_id=pid,
                profile=profile,
                session=session,
                final=state == "closed",
                key=f"session/{session.integration_id}",
                cart_total=cart,
                session_total=total,
            ),
        )
        res.outcome = outcome
        res.effects = outcome.effects
        session.effects = [e for e in outcome.effects if not e["effectType"].startswith("reject")]
        if state == "closed":
            sales = total if ctx.options.total_sales_uses_session_total else cart
            booked = redeem(tx, session, profile, outcome, money(sales))
        else:
            session.tentative = outcome.points if pid else []
    elif state == "cancelled" and old == "open":
        session.state = state
        session.effects = []
        session.tentative = []
    else:
        session.state = state
        res.effects, booked = revoke(tx, session, profile)
    tx.put_session(session)
    res.record_event(event_type, ledger=booked)
    tx.commit()
    return res


def find_session(ctx: TalonContext, tx: Tx, session_id: str, *, for_update: bool) -> Session:
    session = tx.session_for_update(session_id) if for_update else tx.session(session_id)
    if session is None:
        details = f"Customer session {session_id!r} does not exist in this Application."
        if ctx.options.unknown_session_status == 404:
            raise not_found(details, resource="customerSession")
        raise bad_request("Not found", details, parameter="customerSessionId")
    return session


def return_cart_items(
    ctx: TalonContext, app: AppData, session_id: str, request: NewReturn, *, dry: bool
) -> CallResult:
    tx = Tx(ctx.store, app, dry=dry)
    session = find_session(ctx, tx, session_id, for_update=True)
    allowed = {"closed"} | (
        {"partially_returned"} if ctx.options.allow_return_of_partially_returned else set()
    )
    if session.state not in allowed:
        raise bad_request(
            "Invalid session state",
            f"Only closed sessions can be returned; this one is {session.state}.",
            parameter="customerSessionId",
        )
    lines: dict[int, int] = {}
    for k, item in enumerate(request.returnedCartItems):
        where = f"/return/returnedCartItems/{k}"
        if item.position >= len(session.cart_items):
            raise bad_request(
                "Invalid value",
                f"The session has no cart item at position {item.position}.",
                pointer=f"{where}/position",
            )
        line = session.cart_items[item.position]
        left = (
            int(line["quantity"])
            - session.returned.get(item.position, 0)
            - lines.get(item.position, 0)
        )
        if left <= 0:
            raise bad_request(
                "Invalid value",
                f"The cart item at position {item.position} was already returned.",
                pointer=f"{where}/position",
            )
        quantity = left
        if ctx.options.cart_item_flattening and item.quantity is not None:
            if item.quantity > left:
                raise bad_request(
                    "maximum",
                    f"At most {left} units of this cart item can be returned.",
                    pointer=f"{where}/quantity",
                )
            quantity = item.quantity
        lines[item.position] = lines.get(item.position, 0) + quantity
    res = CallResult(tx=tx, session=session)
    profile = tx.profile_for_update(session.profile_id) if session.profile_id else None
    res.profile = profile
    rollbacks, booked, _ = return_items(tx, session, profile, lines)
    res.effects = rollbacks
    session.state = "partially_returned"
    session.update_count += 1
    session.updated = tx.now
    event = res.record_event("talon_session_partially_returned", ledger=booked)
    ret = Return(
        id=tx.new_id("return"),
        created=tx.now,
        application_id=app.id,
        account_id=app.account.id,
        returned_cart_items=[{"position": pos, "quantity": q} for pos, q in lines.items()],
        event_id=event.id,
        session_id=session.id,
        session_integration_id=session.integration_id,
        profile_id=profile.id if profile else None,
        profile_integration_id=session.profile_id or None,
    )
    session.return_ids.append(ret.id)
    tx.returns.append(ret)
    res.ret = ret
    tx.put_session(session)
    tx.commit()
    return res
