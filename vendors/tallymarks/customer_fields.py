"""A person's fields as Tallymarks keeps them on a customer: the names, ``emailAddress``,
``mobileNumber``, ``dateOfBirth``, ``externalReference``, the opt-ins, ``contactPhone``,
``externalStatus`` and the attribute list (which a write replaces)."""

from __future__ import annotations

from typing import Any, Protocol

from vendors.person import ProfiledPerson
from vendors.tallymarks.models import Attribute, CustomerCreate, CustomerUpdate

__all__ = ["LoyaltyPerson", "customer_create", "customer_update"]


class LoyaltyPerson(ProfiledPerson, Protocol):
    """What Tallymarks is sent about a person; ``None`` leaves a field as it is."""

    @property
    def contact_phone(self) -> str | None: ...
    @property
    def optin_sms(self) -> bool | None: ...
    @property
    def optin_email(self) -> bool | None: ...
    @property
    def accept_terms(self) -> bool | None: ...
    @property
    def external_status(self) -> str | None: ...
    @property
    def loyalty_attributes(self) -> tuple[tuple[str, str | None], ...] | None: ...


def _values(p: LoyaltyPerson) -> dict[str, Any]:
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


def customer_create(customer_id: str, p: LoyaltyPerson) -> CustomerCreate:
    return CustomerCreate(customer_id=customer_id, **_values(p))


def customer_update(p: LoyaltyPerson) -> CustomerUpdate | None:
    """Only the fields given are sent (a partial update); ``None`` when there are none."""
    values = _values(p)
    return CustomerUpdate(**values) if values else None
