"""Query-level functions for customers. They return vendor models (or ids); the schema
layer wraps them in GraphQL types."""

from __future__ import annotations

from gateway.context import GraphQLContext
from gateway.vendors.tallymarks.models import Customer as TallymarksCustomer
from resolvers.loaders.tallymarks import CustomerByIdLoader

__all__ = ["customers_by_ids", "loyalty_customer"]


async def loyalty_customer(ctx: GraphQLContext, customer_id: str) -> TallymarksCustomer | None:
    """The loyalty profile, or ``None`` when the tenant has no such customer."""
    return await ctx.loaders.get(CustomerByIdLoader).load(customer_id)


async def customers_by_ids(
    ctx: GraphQLContext, customer_ids: list[str]
) -> list[TallymarksCustomer | None]:
    return list(await ctx.loaders.get(CustomerByIdLoader).load_many(customer_ids))
