"""A person's fields as Talon.One keeps them: the standard customer profile attributes
(``Name``, ``FirstName``, ``LastName``, ``Email``, ``Mobile``, ``BirthDate``,
``ExternalReference``) and free-form ones; the customer id is the profile's
``integrationId``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from vendors.person import ProfiledPerson

__all__ = ["PromotionPerson", "profile_attributes"]


class PromotionPerson(ProfiledPerson, Protocol):
    """What Talon.One is sent about a person; ``None`` leaves an attribute as it is."""

    @property
    def promotion_attributes(self) -> Mapping[str, Any] | None: ...


def profile_attributes(p: PromotionPerson) -> dict[str, Any]:
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
