"""How the GraphQL types below Customer name a customer and hand one out, without importing
:mod:`schema.customer`.

Customer's fields reach a customer's coupons, referrals, support profile and activity; a
coupon's holders, a referral's friends and the support desk's lookups lead back to
customers. The GraphQL type graph is cyclic by nature; the import graph need not be. A
type below Customer:

- names it with :data:`CustomerRef`, which Strawberry resolves in :mod:`schema.customer`
  when the schema is built (``strawberry.lazy``);
- builds one with :func:`customer_from_id`, a factory :mod:`schema.customer` registers
  when it is imported (the schema cannot be built without importing it, so a resolver
  never runs before the registration).

Why a registered factory rather than an id-holding stand-in that Customer's module swaps
in: Strawberry resolves a ``Customer`` field on the object a resolver returns, and the
relay ``Node`` machinery needs the concrete class, so a stand-in would have to be
converted at every field that returns one. The factory gives the real object at once and
keeps the seam to one function.

For the type checker a customer here is :class:`CustomerNode`, the one thing the types
below rely on; ``schema.customer.Customer`` satisfies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Protocol, TypeAlias

import strawberry

__all__ = ["CustomerNode", "CustomerRef", "customer_from_id", "register_customer_factory"]


class CustomerNode(Protocol):
    """A Customer as the types below it see one: the node of a canonical customer id."""

    @property
    def key(self) -> str: ...


if TYPE_CHECKING:
    # Strawberry reads the name ``Customer`` in schema.customer; the type checker, this
    # protocol (importing the class for it would make the import graph cyclic again).
    Customer: TypeAlias = CustomerNode

#: the annotation of a field returning a Customer, for a type below it
CustomerRef = Annotated["Customer", strawberry.lazy("schema.customer")]

_factory: Callable[[str], CustomerNode] | None = None


def register_customer_factory(factory: Callable[[str], CustomerNode]) -> None:
    """Called once by :mod:`schema.customer`, with ``Customer.from_id``."""
    global _factory
    _factory = factory


def customer_from_id(customer_id: str) -> CustomerNode:
    """The Customer of a canonical id that another record names (not vouched for by the
    loyalty system, as ``Customer.from_id`` without an identity)."""
    if _factory is None:
        raise RuntimeError(
            "schema.customer has not registered its Customer factory: import schema.customer "
            "(building the schema does) before resolving a field that returns a Customer"
        )
    return _factory(customer_id)
