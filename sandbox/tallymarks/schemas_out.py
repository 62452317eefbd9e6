"""Response bodies of the Tallymarks API (camelCase, datetimes as ``…sssZ``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, PlainSerializer

from sandbox.tallymarks.dates import format_instant
from sandbox.tallymarks.records import Customer, Event, Membership, Segment, Transaction

Instant = Annotated[datetime, PlainSerializer(format_instant, return_type=str)]


class AttributeOut(BaseModel):
    name: str
    value: str | None


class CustomerOut(BaseModel):
    customerId: str
    tenantId: str
    firstName: str | None
    lastName: str | None
    displayName: str | None
    emailAddress: str | None
    isAccountLocked: bool
    mobileNumber: str | None
    optinSms: bool
    optinEmail: bool
    acceptTerms: bool
    attributes: list[AttributeOut]
    dateOfBirth: Instant | None
    createdAt: Instant
    changedAt: Instant
    contactPhone: str | None
    externalReference: str | None
    externalStatus: str | None

    @classmethod
    def of(cls, c: Customer) -> CustomerOut:
        return cls(
            customerId=c.customer_id,
            tenantId=c.tenant_id,
            firstName=c.first_name,
            lastName=c.last_name,
            displayName=c.display_name,
            emailAddress=c.email_address,
            isAccountLocked=c.is_account_locked,
            mobileNumber=c.mobile_number,
            optinSms=c.optin_sms,
            optinEmail=c.optin_email,
            acceptTerms=c.accept_terms,
            attributes=[AttributeOut(name=n, value=v) for n, v in c.attributes],
            dateOfBirth=c.date_of_birth,
            createdAt=c.created_at,
            changedAt=c.changed_at,
            contactPhone=c.contact_phone,
            externalReference=c.external_reference,
            externalStatus=c.external_status,
        )


class CustomerSummaryOut(BaseModel):
    customerId: str
    tenantId: str
    firstName: str | None
    lastName: str | None
    displayName: str | None
    emailAddress: str | None
    createdAt: Instant
    changedAt: Instant
    contactPhone: str | None
    externalReference: str | None
    externalStatus: str | None

    @classmethod
    def of(cls, c: Customer) -> CustomerSummaryOut:
        return cls(
            customerId=c.customer_id,
            tenantId=c.tenant_id,
            firstName=c.first_name,
            lastName=c.last_name,
            displayName=c.display_name,
            emailAddress=c.email_address,
            createdAt=c.created_at,
            changedAt=c.changed_at,
            contactPhone=c.contact_phone,
            externalReference=c.external_reference,
            externalStatus=c.external_status,
        )


class CustomerPageOut(BaseModel):
    customers: list[CustomerSummaryOut]
    offsetKey: str | None


class BalanceOut(BaseModel):
    tenantId: str
    customerId: str
    pointsSegment: str
    amount: int
    changedAt: Instant


class EventOut(BaseModel):
    eventId: str
    tenantId: str
    customerId: str
    createdAt: Instant
    eventType: str
    nameSpace: str | None
    reference: str | None

    @classmethod
    def of(cls, e: Event) -> EventOut:
        return cls(
            eventId=e.event_id,
            tenantId=e.tenant_id,
            customerId=e.customer_id,
            createdAt=e.created_at,
            eventType=e.event_type,
            nameSpace=e.name_space,
            reference=e.reference,
        )


class EventPageOut(BaseModel):
    events: list[EventOut]
    offsetKey: str | None


class TransactionOut(BaseModel):
    transactionId: str
    customerId: str
    tenantId: str
    eventId: str | None
    assessmentRuleId: str | None
    createdAt: Instant
    checkSum: str
    nameSpace: str | None
    description: str | None
    amount: int
    externalReference: str | None

    @classmethod
    def of(cls, t: Transaction) -> TransactionOut:
        return cls(
            transactionId=t.transaction_id,
            customerId=t.customer_id,
            tenantId=t.tenant_id,
            eventId=t.event_id,
            assessmentRuleId=t.assessment_rule_id,
            createdAt=t.created_at,
            checkSum=t.check_sum,
            nameSpace=t.name_space,
            description=t.description,
            amount=t.amount,
            externalReference=t.external_reference,
        )


class TransactionPageOut(BaseModel):
    customerTransactions: list[TransactionOut]
    offsetKey: str | None


class MembershipOut(BaseModel):
    """Both documented field lists, merged (docs/vendors/tallymarks.md §6.6)."""

    segmentId: str
    tenantId: str
    name: str
    description: str
    displayName: str
    createdAt: Instant
    changedAt: Instant
    sourceEventId: str | None
    expiryDateTime: Instant | None

    @classmethod
    def of(cls, m: Membership, s: Segment) -> MembershipOut:
        return cls(
            segmentId=m.segment_id,
            tenantId=s.tenant_id,
            name=s.name,
            description=s.description,
            displayName=s.display_name,
            createdAt=m.created_at,
            changedAt=m.changed_at,
            sourceEventId=m.source_event_id,
            expiryDateTime=m.expiry_date_time,
        )


class SegmentPageOut(BaseModel):
    segments: list[MembershipOut]
    offsetKey: str | None


class EventAcceptedOut(BaseModel):
    eventId: str
    customerId: str
    tenantId: str
    isExisting: bool


class RedemptionAcceptedOut(EventAcceptedOut):
    """[G] field names: ``currentBalance`` and ``pendingBalance`` (balance after redeeming)."""

    currentBalance: int
    pendingBalance: int


class BasketOutcomeOut(BaseModel):
    assessmentRuleId: str
    fulfilment: str
    description: str
    points: int
    segmentId: str | None


class BasketAssessmentOut(EventAcceptedOut):
    """[G]: the matched outcomes and the points the basket would earn; nothing is stored."""

    potentialPoints: int
    outcomes: list[BasketOutcomeOut]
