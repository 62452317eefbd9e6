"""The loyalty profile: what Tallymarks holds about a customer."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.vendor_data import TolerantFields
from vendors.tallymarks.models import Customer as TallymarksCustomer

VENDOR = "tallymarks"
_tolerant: TolerantFields[TallymarksCustomer] = TolerantFields(VENDOR)


@strawberry.type(description="A free-form name/value attribute.")
class Attribute:
    name: str = strawberry.field(description="Attribute name.")
    value: str | None = strawberry.field(description="Attribute value.")


@strawberry.type(description="The customer's loyalty profile (Tallymarks).")
class LoyaltyProfile:
    first_name: str | None = strawberry.field(description="Given name.")
    last_name: str | None = strawberry.field(description="Family name.")
    display_name: str | None = strawberry.field(description="Name to show.")
    email: str | None = strawberry.field(
        description="E-mail address; null for customers auto-created by an event."
    )
    mobile_number: str | None = strawberry.field(description="Mobile number (used for SMS).")
    contact_phone: str | None = strawberry.field(description="Contact phone number.")
    created_at: datetime | None = strawberry.field(
        description="When the customer joined: also their anniversary date."
    )
    changed_at: datetime | None = strawberry.field(description="Last change of the profile.")
    external_reference: str | None = strawberry.field(
        description="The merchant's own reference for the customer."
    )
    external_status: str | None = strawberry.field(
        description="The merchant's status for the customer, e.g. 'active'."
    )
    attributes: list[Attribute] = strawberry.field(description="Free-form attributes.")

    #: the profile as read, for the fields that clients write (read tolerantly)
    source: strawberry.Private[TallymarksCustomer]

    is_account_locked: bool | None = _tolerant(
        lambda c: c.is_account_locked, "A locked account cannot redeem points."
    )
    optin_sms: bool | None = _tolerant(lambda c: c.optin_sms, "Opted in to SMS.")
    optin_email: bool | None = _tolerant(lambda c: c.optin_email, "Opted in to e-mail.")
    accept_terms: bool | None = _tolerant(
        lambda c: c.accept_terms, "Accepted the programme's terms."
    )
    date_of_birth: datetime | None = _tolerant(
        lambda c: c.date_of_birth, "Date of birth; null when not given."
    )

    @classmethod
    def from_tallymarks(cls, c: TallymarksCustomer) -> LoyaltyProfile:
        return cls(
            first_name=c.first_name,
            last_name=c.last_name,
            display_name=c.display_name,
            email=c.email_address,
            mobile_number=c.mobile_number,
            contact_phone=c.contact_phone,
            created_at=c.created_at,
            changed_at=c.changed_at,
            external_reference=c.external_reference,
            external_status=c.external_status,
            attributes=[Attribute(name=a.name, value=a.value) for a in c.attributes],
            source=c,
        )
