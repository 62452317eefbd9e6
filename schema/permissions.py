"""Scopes on root fields: ``permission_classes=[CanReadCustomers]`` on a query or mutation.

A caller without the scope gets ``null`` for that field and a FORBIDDEN error naming the
scopes that would grant it (``extensions.requiredScopes``); the operation's other fields
still resolve. So that this holds for non-null fields too (every mutation payload), a
guarded root field is made nullable when the schema is built (:func:`nullable_when_guarded`)
— the same rule as for vendor-backed fields.

Scopes gate operations, not types: what a granted field returns is readable, whatever it
nests (a customer's coupons and support profile need only ``customers:read``; a write's
payload shows the changed record to the writer).
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission
from strawberry.types.base import StrawberryOptional

from gateway.auth.scopes import Scope
from gateway.errors import ForbiddenError
from schema.info import Info

__all__ = [
    "CanEraseCustomers",
    "CanManagePromotions",
    "CanManageSupport",
    "CanReadCustomers",
    "CanReadPromotions",
    "CanWriteCustomers",
    "RequiresScope",
    "nullable_when_guarded",
]


class RequiresScope(BasePermission):
    """Granted when the caller holds any of ``scopes``."""

    scopes: ClassVar[tuple[Scope, ...]] = ()

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.principal.has_any(self.scopes)

    def on_unauthorized(self) -> None:
        names = [s.value for s in self.scopes]
        needed = " or ".join(f"`{n}`" for n in names)
        raise ForbiddenError(f"This needs the {needed} scope.", requiredScopes=names)


class CanReadCustomers(RequiresScope):
    scopes = (Scope.CUSTOMERS_READ,)


class CanReadPromotions(RequiresScope):
    """Cart sessions and coupons: readers of customers, and promotion services."""

    scopes = (Scope.CUSTOMERS_READ, Scope.PROMOTIONS)


class CanWriteCustomers(RequiresScope):
    scopes = (Scope.CUSTOMERS_WRITE,)


class CanManagePromotions(RequiresScope):
    scopes = (Scope.PROMOTIONS,)


class CanManageSupport(RequiresScope):
    scopes = (Scope.SUPPORT,)


class CanEraseCustomers(RequiresScope):
    scopes = (Scope.GDPR_ERASE,)


def nullable_when_guarded(*types: type) -> None:
    """Make every field with a permission class nullable, and say in its description which
    scopes grant it (idempotent: the schema may be built many times from the same fields)."""
    for cls in types:
        for field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            guards = [p for p in field.permission_classes if issubclass(p, RequiresScope)]
            if not guards:
                continue
            if not isinstance(field.type, StrawberryOptional):
                field.type = StrawberryOptional(field.type)
            note = _scope_note(guards)
            if field.description and not field.description.endswith(note):
                field.description = f"{field.description} {note}"


def _scope_note(guards: list[type[RequiresScope]]) -> str:
    names = " or ".join(f"`{s.value}`" for g in guards for s in g.scopes)
    return f"Needs the {names} scope (else null, with a FORBIDDEN error)."
