"""Query-level functions for cart sessions (Talon.One)."""

from __future__ import annotations

from gateway.context import GraphQLContext
from vendors.talon.models import IntegrationCustomerSessionResponse
from vendors.talon.reads import SESSION

__all__ = ["cart_session"]


async def cart_session(
    ctx: GraphQLContext, session_id: str
) -> IntegrationCustomerSessionResponse | None:
    """The session with the effects in force, or ``None`` when there is no such session."""
    found = await ctx.loaders.read(SESSION).load(session_id)
    return found if found is not None and found.customer_session is not None else None
