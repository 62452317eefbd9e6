"""A person's fields as Tallymarks keeps them on a customer: the names, ``emailAddress``,
``mobileNumber``, ``dateOfBirth``, ``externalReference``, the opt-ins, ``contactPhone``,
``externalStatus`` and the attribute list (which a write replaces)."""

from __future__ import annotations

from typing import Any, Protocol

from vendors.person import ProfiledPerson, ProfileFieldNames
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


#: the model's fields are named as the facts are, but for the email address
_PROFILE = ProfileFieldNames.as_facts(email="email_address")


def _values(p: LoyaltyPerson) -> dict[str, Any]:
    loyalty: dict[str, Any] = {
        "contact_phone": p.contact_phone,
        "optin_sms": p.optin_sms,
        "optin_email": p.optin_email,
        "accept_terms": p.accept_terms,
        "external_status": p.external_status,
    }
    if p.loyalty_attributes is not None:
        loyalty["attributes"] = [Attribute(name=n, value=v) for n, v in p.loyalty_attributes]
    return _PROFILE.given(p) | {k: v for k, v in loyalty.items() if v is not None}


def customer_create(customer_id: str, p: LoyaltyPerson) -> CustomerCreate:
    return CustomerCreate(customer_id=customer_id, **_values(p))


def customer_update(p: LoyaltyPerson) -> CustomerUpdate | None:
    """Only the fields given are sent (a partial update); ``None`` when there are none."""
    values = _values(p)
    return CustomerUpdate(**values) if values else None
