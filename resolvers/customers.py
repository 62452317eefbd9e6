"""Query-level functions for customers. They return vendor models (or ids); the schema
layer wraps them in GraphQL types."""

from __future__ import annotations

from gateway.context import GraphQLContext
from vendors.tallymarks.models import Customer as TallymarksCustomer
from vendors.tallymarks.reads import CUSTOMER

__all__ = ["customers_by_ids", "loyalty_customer"]


async def loyalty_customer(ctx: GraphQLContext, customer_id: str) -> TallymarksCustomer | None:
    """The loyalty profile, or ``None`` when the tenant has no such customer."""
    return await ctx.loaders.read(CUSTOMER).load(customer_id)


async def customers_by_ids(
    ctx: GraphQLContext, customer_ids: list[str]
) -> list[TallymarksCustomer | None]:
    return list(await ctx.loaders.read(CUSTOMER).load_many(customer_ids))
