"""A person's fields as Talon.One keeps them: the standard customer profile attributes
(``Name``, ``FirstName``, ``LastName``, ``Email``, ``Mobile``, ``BirthDate``,
``ExternalReference``) and free-form ones; the customer id is the profile's
``integrationId``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from vendors.person import ProfiledPerson, ProfileFieldNames

__all__ = ["PromotionPerson", "profile_attributes"]


class PromotionPerson(ProfiledPerson, Protocol):
    """What Talon.One is sent about a person; ``None`` leaves an attribute as it is."""

    @property
    def promotion_attributes(self) -> Mapping[str, Any] | None: ...


#: Talon.One's standard customer profile attributes (sent in the facts' declared order)
_STANDARD = ProfileFieldNames(
    display_name="Name",
    first_name="FirstName",
    last_name="LastName",
    email="Email",
    mobile_number="Mobile",
    date_of_birth="BirthDate",
    external_reference="ExternalReference",
)


def profile_attributes(p: PromotionPerson) -> dict[str, Any]:
    """Profile attributes: the standard ones, then the free-form ones (which win)."""
    attributes = _STANDARD.given(p)
    if p.date_of_birth:
        attributes["BirthDate"] = p.date_of_birth.isoformat()
    attributes.update(p.promotion_attributes or {})
    return attributes
