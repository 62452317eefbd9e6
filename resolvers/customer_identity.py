"""Whether a customer id names a customer, and who says so.

The loyalty system (Tallymarks) is the system of record for identity: its profile decides,
and its "no such customer" (404) is final — the other systems are not asked then. When it
cannot answer (down, timeout, open circuit, 5xx, 429), the support desk (Omnidesk) and the
promotion engine (Talon.One), which key their records by the same canonical id, are asked
instead: a customer either of them knows is answered as *unconfirmed*; an id neither knows
stays unknown and the loyalty system's error is raised, so no customer is ever invented.

The checks reuse the reads the customer's fields make anyway: the support profile read
(``SearchByPrimaryExternalID``) and any customer-inventory read of the request. A query
that selects neither costs one call per vendor, and only while the loyalty system fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from gateway.context import GraphQLContext
from resolvers.customers import loyalty_customer
from resolvers.support import support_customer
from vendors.errors import VendorError
from vendors.talon.reads import INVENTORY

__all__ = ["LOYALTY", "Identity", "KnownCustomer", "customer_identity"]

#: the system of record for identity
LOYALTY = "tallymarks"


@dataclass(frozen=True)
class Identity:
    """Which systems found the id (``confirmed_by``) and which could not be asked
    (``unconfirmed``); both empty for a customer whose id came from another record."""

    confirmed_by: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    #: why the system of record could not answer (``None`` when it did)
    loyalty_error: VendorError | None = None

    @property
    def confirmed(self) -> bool:
        """False only when the customer rests on other systems' records."""
        return LOYALTY not in self.unconfirmed


#: what the system of record's answer makes of an id it knows
CONFIRMED = Identity(confirmed_by=(LOYALTY,))


@dataclass(frozen=True)
class KnownCustomer:
    customer_id: str
    identity: Identity


async def customer_identity(
    ctx: GraphQLContext, customer_id: str, *, started: Sequence[asyncio.Task[object]] = ()
) -> KnownCustomer | None:
    """The customer behind ``customer_id``, or ``None`` when there is none. ``started`` are
    reads already under way for the customer's fields (see ``schema.customer_prefetch``):
    when the loyalty system fails they settle first, so the checks share their calls."""
    try:
        found = await loyalty_customer(ctx, customer_id)
    except VendorError as error:
        if not error.retryable:  # the loyalty system answered and refused: not an outage
            raise
        return await _vouched(ctx, customer_id, error, started)
    return KnownCustomer(found.customer_id, CONFIRMED) if found else None


async def _vouched(
    ctx: GraphQLContext,
    customer_id: str,
    error: VendorError,
    started: Sequence[asyncio.Task[object]],
) -> KnownCustomer:
    """The customer as the other systems know them; raises ``error`` when none does."""
    if started:
        await asyncio.wait(started)  # they never raise (failures are dropped there)
    checks = {
        "omnidesk": _support_knows(ctx, customer_id),
        "talon": _promotions_know(ctx, customer_id),
    }
    results = await asyncio.gather(*checks.values(), return_exceptions=True)
    confirmed_by: list[str] = []
    unconfirmed = [error.vendor]
    for vendor, result in zip(checks, results, strict=True):
        if isinstance(result, VendorError):
            unconfirmed.append(vendor)
        elif isinstance(result, BaseException):
            raise result
        elif result:
            confirmed_by.append(vendor)
    if not confirmed_by:
        raise error
    return KnownCustomer(customer_id, Identity(tuple(confirmed_by), tuple(unconfirmed), error))


async def _support_knows(ctx: GraphQLContext, customer_id: str) -> bool:
    """The support profile's own read: free when ``supportProfile`` is selected."""
    return await support_customer(ctx, customer_id) is not None


async def _promotions_know(ctx: GraphQLContext, customer_id: str) -> bool:
    """An inventory asking for no part: answered by any inventory this request (or the
    cache) already holds for the customer, else one flagless call (404: no profile)."""
    loader = ctx.loaders.read(INVENTORY)
    return await loader.load((customer_id, frozenset())) is not None
