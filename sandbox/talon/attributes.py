"""Custom attribute definitions of an Application, and their validation.

Talon.One only stores attributes that are defined for the entity (``CustomerProfile``,
``CustomerSession``); an unknown one gives 400 ``Unknown`` and a value of the wrong type gives
400 ``Invalid type`` (docs/vendors/talon.md §3.1, §6.1). Cart item and event attributes are
free-form here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sandbox.talon.errors import INVALID_DATA, TalonError, api_error

AttrType = Literal["string", "number", "boolean", "time", "list", "object"]
Entity = Literal["CustomerProfile", "CustomerSession"]

PROFILE_ATTRIBUTES: dict[str, AttrType] = {
    "Name": "string",
    "FirstName": "string",
    "LastName": "string",
    "Email": "string",
    "Mobile": "string",
    "City": "string",
    "Country": "string",
    "Tier": "string",
    "BirthDate": "time",
    "SignupDate": "time",
    "ExternalReference": "string",
    "Newsletter": "boolean",
    "Segment": "string",
    "PreferredStore": "string",
    "Gender": "string",
    "Language": "string",
    "Interests": "list",
}

SESSION_ATTRIBUTES: dict[str, AttrType] = {
    "ShippingCountry": "string",
    "ShippingCity": "string",
    "Channel": "string",
    "PaymentMethod": "string",
    "StoreId": "string",
    "PointsToRedeem": "number",
    "GiftWrap": "boolean",
    "Notes": "string",
    "DeliveryDate": "time",
}

EVENT_TYPES = frozenset(
    {
        "newsletter_signup",
        "review_written",
        "product_viewed",
        "wishlist_added",
        "app_opened",
        "store_visit",
    }
)


def _type_ok(kind: AttrType, value: Any) -> bool:
    if value is None:
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    if not isinstance(value, str):
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


@dataclass
class AttributeRegistry:
    """Defined attributes per entity (replaceable through the admin routes)."""

    definitions: dict[str, dict[str, AttrType]] = field(
        default_factory=lambda: {
            "CustomerProfile": dict(PROFILE_ATTRIBUTES),
            "CustomerSession": dict(SESSION_ATTRIBUTES),
        }
    )

    def check(
        self, entity: Entity, attributes: dict[str, Any], pointer: str, *, reject_unknown: bool
    ) -> None:
        """Raise the Talon 400 for the first unknown or mistyped attribute."""
        defined = self.definitions.get(entity, {})
        errors = []
        for name, value in attributes.items():
            kind = defined.get(name)
            if kind is None:
                if reject_unknown:
                    errors.append(
                        api_error(
                            "Unknown",
                            f'The attribute "{name}" is not defined on {entity} entities.',
                            pointer=f"{pointer}/{name}",
                        )
                    )
            elif not _type_ok(kind, value):
                errors.append(
                    api_error(
                        "Invalid type",
                        f'The attribute "{name}" must be of type {kind}.',
                        pointer=f"{pointer}/{name}",
                    )
                )
        if errors:
            raise TalonError(400, INVALID_DATA, errors)
