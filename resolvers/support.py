"""Query-level functions about customer service (Omnidesk). They return Omnidesk models or
canonical customer ids; the schema layer wraps them in GraphQL types."""

from __future__ import annotations

from gateway.context import GraphQLContext
from gateway.vendors.omnidesk.models import Customer as SupportCustomer
from gateway.vendors.omnidesk.models import TimelineEntry
from gateway.vendors.omnidesk.reads import (
    CHANNEL_SEARCH,
    SUPPORT_CUSTOMER,
    SUPPORT_CUSTOMER_BY_ID,
    TIMELINE,
)

__all__ = [
    "customer_id_by_support_id",
    "customer_ids_by_channel",
    "support_customer",
    "support_timeline",
]


async def support_customer(ctx: GraphQLContext, customer_id: str) -> SupportCustomer | None:
    """The support desk's record of a customer, or ``None`` when it does not know them."""
    return await ctx.loaders.read(SUPPORT_CUSTOMER).load(customer_id)


async def support_timeline(
    ctx: GraphQLContext, customer_id: str, *, include_tickets: bool = False
) -> list[TimelineEntry] | None:
    """The customer's support timeline as Omnidesk orders it; ``None`` when unknown there."""
    return await ctx.loaders.read(TIMELINE).load((customer_id, include_tickets))


async def customer_ids_by_channel(ctx: GraphQLContext, value: str) -> list[str]:
    """Canonical ids of the customers with a channel at this address, in Omnidesk's order;
    support customers not linked to a canonical id are left out."""
    found = await ctx.loaders.read(CHANNEL_SEARCH).load(value)
    return list(dict.fromkeys(c.external_primary_id for c in found if c.external_primary_id))


async def customer_id_by_support_id(ctx: GraphQLContext, support_id: int) -> str | None:
    """The canonical id an Omnidesk customer is linked to, or ``None``."""
    found = await ctx.loaders.read(SUPPORT_CUSTOMER_BY_ID).load(support_id)
    return (found.external_primary_id or None) if found else None
