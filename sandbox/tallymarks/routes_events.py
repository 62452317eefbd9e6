"""Event API: actions [D]; orders, transactions, points, redemptions, baskets [I].

See docs/vendors/tallymarks.md §8.

Every stored event is idempotent on its ``eventId``: a repeat answers **208** with
``isExisting: true`` and stores nothing. An unknown ``customerId`` auto-creates the
customer with empty profile fields. Assessment runs on receipt (``processing=immediate``)
or when ``POST /_sandbox/tallymarks/flush`` drains the queue (``deferred``). Redemption
validation and basket assessment are always synchronous.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel

from sandbox.tallymarks import engine
from sandbox.tallymarks.deps import JsonBody, Options, Store, Tenant
from sandbox.tallymarks.errors import (
    ACCOUNT_LOCKED,
    INSUFFICIENT_BALANCE,
    TallymarksError,
    field_error,
)
from sandbox.tallymarks.options import TallymarksSandboxOptions
from sandbox.tallymarks.records import Customer, Event
from sandbox.tallymarks.schemas_in import (
    ActionEventIn,
    BasketEventIn,
    EventEnvelopeIn,
    OrderEventIn,
    PointsEventIn,
    RedemptionEventIn,
    TransactionEventIn,
)
from sandbox.tallymarks.schemas_out import (
    BasketAssessmentOut,
    BasketOutcomeOut,
    EventAcceptedOut,
    RedemptionAcceptedOut,
)
from sandbox.tallymarks.store import TallymarksStore, TenantData

router = APIRouter(
    prefix="/api/v1/events",
    tags=["Event API"],
    dependencies=[JsonBody],
    responses={208: {"description": "Already Reported: this eventId was already received"}},
)


def _event(
    tenant: TenantData, body: EventEnvelopeIn, kind: str, detail: BaseModel, now: datetime
) -> Event:
    return Event(
        event_id=body.eventId,
        tenant_id=tenant.tenant_id,
        customer_id=body.customerId,
        created_at=body.createdAt or now,
        event_type=kind,
        name_space=body.nameSpace,
        reference=body.reference,
        campaign=body.campaign,
        description=body.description,
        attributes=[(a.name, a.value) for a in body.attributes or []],
        detail=detail.model_dump(),
    )


def _customer(tenant: TenantData, customer_id: str, store: TallymarksStore) -> Customer:
    """The event's customer, auto-created with empty profile fields when unknown.

    See docs/vendors/tallymarks.md §8.1.
    """
    customer = tenant.customers.get(customer_id)
    if customer is None:
        now = store.now()
        customer = Customer(customer_id, tenant.tenant_id, created_at=now, changed_at=now)
        tenant.add_customer(customer)
    tenant.ensure(customer_id)
    return customer


def _accept(
    tenant: TenantData, event: Event, store: TallymarksStore, options: TallymarksSandboxOptions
) -> None:
    _customer(tenant, event.customer_id, store)
    tenant.add_event(event)
    if options.processing == "immediate":
        engine.process(tenant, event)
    else:
        tenant.queue.append(event.event_id)


def _answer(tenant: TenantData, event_id: str, customer_id: str, existing: bool) -> dict[str, Any]:
    return {
        "eventId": event_id,
        "customerId": customer_id,
        "tenantId": tenant.tenant_id,
        "isExisting": existing,
    }


def _receive(
    body: EventEnvelopeIn,
    kind: str,
    detail: Any,
    response: Response,
    tenant: TenantData,
    options: TallymarksSandboxOptions,
    store: TallymarksStore,
) -> EventAcceptedOut:
    with store.lock:
        known = tenant.events.get(body.eventId)
        if known is not None:
            response.status_code = 208
            return EventAcceptedOut(**_answer(tenant, known.event_id, known.customer_id, True))
        _accept(tenant, _event(tenant, body, kind, detail, store.now()), store, options)
    return EventAcceptedOut(**_answer(tenant, body.eventId, body.customerId, False))


@router.post("/actions", summary="Create Action")
async def create_action(
    body: ActionEventIn, response: Response, tenant: Tenant, options: Options, store: Store
) -> EventAcceptedOut:
    return _receive(body, "action", body.action, response, tenant, options, store)


@router.post("/orders", summary="Create Order [I]")
async def create_order(
    body: OrderEventIn, response: Response, tenant: Tenant, options: Options, store: Store
) -> EventAcceptedOut:
    return _receive(body, "order", body.order, response, tenant, options, store)


@router.post("/transactions", summary="Create Transaction [I]")
async def create_transaction(
    body: TransactionEventIn, response: Response, tenant: Tenant, options: Options, store: Store
) -> EventAcceptedOut:
    return _receive(body, "transaction", body.transaction, response, tenant, options, store)


@router.post("/points", summary="Earn or deduct points [I]")
async def create_points(
    body: PointsEventIn, response: Response, tenant: Tenant, options: Options, store: Store
) -> EventAcceptedOut:
    return _receive(body, "points", body.points, response, tenant, options, store)


def _redemption_error(code: str, message: str, param: str, value: object) -> TallymarksError:
    return TallymarksError(400, code, message, message + ".", [field_error(message, param, value)])


@router.post("/redemptions", summary="Redeem points [I]")
async def create_redemption(
    body: RedemptionEventIn, response: Response, tenant: Tenant, options: Options, store: Store
) -> RedemptionAcceptedOut:
    """Validated synchronously: the account must not be locked and the balance must cover
    the amount (counting redemptions still queued). ``pendingBalance`` is the balance after
    this redemption."""
    with store.lock:
        known = tenant.events.get(body.eventId)
        customer_id = known.customer_id if known else body.customerId
        customer = tenant.customers.get(customer_id)
        current = tenant.balance(customer_id)[0] if customer else 0
        available = current - tenant.queued_redemptions(customer_id)
        if known is not None:
            response.status_code = 208
            answer = _answer(tenant, known.event_id, customer_id, True)
            return RedemptionAcceptedOut(**answer, currentBalance=current, pendingBalance=available)
        amount = body.redemption.amount
        if customer is not None and customer.is_account_locked:
            message = "Account Is Locked"
            raise _redemption_error(ACCOUNT_LOCKED, message, "customerId", customer_id)
        if amount > available:
            message = "Insufficient Balance"
            raise _redemption_error(INSUFFICIENT_BALANCE, message, "redemption.amount", amount)
        _accept(
            tenant, _event(tenant, body, "redemption", body.redemption, store.now()), store, options
        )
    answer = _answer(tenant, body.eventId, customer_id, False)
    return RedemptionAcceptedOut(
        **answer, currentBalance=current, pendingBalance=available - amount
    )


@router.post("/baskets", summary="Assess Basket [I]")
async def assess_basket(body: BasketEventIn, tenant: Tenant, store: Store) -> BasketAssessmentOut:
    """Evaluated synchronously against the order rules; nothing is stored and no customer is
    created ([I])."""
    probe = Event(
        event_id=body.eventId,
        tenant_id=tenant.tenant_id,
        customer_id=body.customerId,
        created_at=body.createdAt or store.now(),
        event_type="order",
        name_space=body.nameSpace,
        detail=body.basket.model_dump(),
    )
    with store.lock:
        matched = [rule for rule in tenant.rules if rule.matches(probe)]
    outcomes = [
        BasketOutcomeOut(
            assessmentRuleId=rule.ruleId,
            fulfilment=rule.fulfilment,
            description=rule.name,
            points=rule.points_for(probe),
            segmentId=rule.segmentId,
        )
        for rule in matched
    ]
    return BasketAssessmentOut(
        **_answer(tenant, body.eventId, body.customerId, False),
        potentialPoints=sum(o.points for o in outcomes),
        outcomes=outcomes,
    )
