"""A person's fields as the gateway takes them, and what each vendor is sent for them.

The identity rule: the canonical customer id is the Tallymarks ``customerId``; it is the
Omnidesk ``external_primary_id`` (in the tenant's brand) and the Talon.One profile
``integrationId``. Each vendor gets the fields it keeps:

============== ========================================= =====================================
field          Tallymarks                                Omnidesk / Talon.One
============== ========================================= =====================================
names          firstName, lastName, displayName          firstname, lastname / FirstName,
                                                         LastName, Name (display name)
email          emailAddress                              an ``email`` channel / Email
mobile number  mobileNumber                              a ``telephone`` channel / Mobile
birth date     dateOfBirth                               — / BirthDate
reference      externalReference                         — / ExternalReference
the rest       opt-ins, contactPhone, externalStatus,    custom fields / profile attributes
               attributes                                (free-form, as given)
============== ========================================= =====================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from gateway.vendors.omnidesk.models import ChannelInput, CustomerChanges, NewCustomer
from gateway.vendors.tallymarks.models import Attribute, CustomerCreate, CustomerUpdate

__all__ = [
    "PersonFields",
    "omnidesk_changes",
    "omnidesk_new_customer",
    "tallymarks_create",
    "tallymarks_update",
    "talon_attributes",
]


@dataclass(frozen=True)
class PersonFields:
    """What to write about a person; ``None`` means "leave as it is"."""

    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    mobile_number: str | None = None
    contact_phone: str | None = None
    date_of_birth: datetime | None = None
    optin_sms: bool | None = None
    optin_email: bool | None = None
    accept_terms: bool | None = None
    external_reference: str | None = None
    external_status: str | None = None
    #: Tallymarks attributes (replace the stored list): name → value
    loyalty_attributes: tuple[tuple[str, str | None], ...] | None = None
    #: Omnidesk custom fields (merged): name → value
    support_fields: tuple[tuple[str, str], ...] | None = None
    #: Talon.One profile attributes (merged), as given
    promotion_attributes: Mapping[str, Any] | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


def _tallymarks_values(p: PersonFields) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": p.first_name,
        "last_name": p.last_name,
        "display_name": p.display_name,
        "email_address": p.email,
        "mobile_number": p.mobile_number,
        "contact_phone": p.contact_phone,
        "date_of_birth": p.date_of_birth,
        "optin_sms": p.optin_sms,
        "optin_email": p.optin_email,
        "accept_terms": p.accept_terms,
        "external_reference": p.external_reference,
        "external_status": p.external_status,
    }
    if p.loyalty_attributes is not None:
        values["attributes"] = [Attribute(name=n, value=v) for n, v in p.loyalty_attributes]
    return {k: v for k, v in values.items() if v is not None}


def tallymarks_create(customer_id: str, p: PersonFields) -> CustomerCreate:
    return CustomerCreate(customer_id=customer_id, **_tallymarks_values(p))


def tallymarks_update(p: PersonFields) -> CustomerUpdate | None:
    """Only the fields given are sent (a partial update); ``None`` when there are none."""
    values = _tallymarks_values(p)
    return CustomerUpdate(**values) if values else None


def _channels(p: PersonFields) -> list[ChannelInput]:
    channels = []
    if p.email is not None:
        channels.append(ChannelInput(type="email", value=p.email))
    if p.mobile_number is not None:
        channels.append(ChannelInput(type="telephone", value=p.mobile_number))
    return channels


def omnidesk_new_customer(customer_id: str, p: PersonFields) -> NewCustomer:
    return NewCustomer(
        primary_id=customer_id,
        firstname=p.first_name,
        lastname=p.last_name,
        extra_email=p.email,
        extra_telephone=p.mobile_number,
        custom_fields=dict(p.support_fields or ()),
    )


def omnidesk_changes(p: PersonFields) -> CustomerChanges | None:
    """Names, custom fields and channels to set; ``None`` when Omnidesk keeps none of them.
    A new address is added as a channel (Omnidesk keeps the old one, still linked)."""
    changes = CustomerChanges(
        firstname=p.first_name,
        lastname=p.last_name,
        custom_fields=dict(p.support_fields or ()),
        channels=_channels(p),
    )
    empty = changes.firstname is None and changes.lastname is None
    return None if empty and not changes.custom_fields and not changes.channels else changes


def talon_attributes(p: PersonFields) -> dict[str, Any]:
    """Profile attributes: the standard ones, then the free-form ones (which win)."""
    standard: dict[str, Any] = {
        "Name": p.display_name,
        "FirstName": p.first_name,
        "LastName": p.last_name,
        "Email": p.email,
        "Mobile": p.mobile_number,
        "BirthDate": p.date_of_birth.isoformat() if p.date_of_birth else None,
        "ExternalReference": p.external_reference,
    }
    attributes = {k: v for k, v in standard.items() if v is not None}
    attributes.update(p.promotion_attributes or {})
    return attributes
