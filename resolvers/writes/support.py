"""Support desk writes (Omnidesk): channels, timeline events, CRM sync.

Customers are addressed by the canonical id, which is their external primary id in the
tenant's brand.
"""

from __future__ import annotations

from gateway.context import GraphQLContext
from gateway.errors import NotFoundError
from resolvers import cache_tags as tags
from resolvers.support import customer_ids_by_channel, support_customer
from vendors.omnidesk.models import CrmChannel, ExternalEvent, NewChannels

__all__ = ["add_channel", "record_timeline_event", "remove_channel", "sync_with_crm"]


def _customer_changed(ctx: GraphQLContext, customer_id: str) -> None:
    """Channels also feed the lookups by channel value."""
    ctx.invalidate(tags.support_customer(ctx, customer_id), tags.support_search(ctx))


async def add_channel(ctx: GraphQLContext, customer_id: str, channels: NewChannels) -> None:
    """Linking an address the customer already has changes nothing (safe to retry)."""
    await ctx.vendors.omnidesk.add_channel_only(channels, primary_id=customer_id)
    _customer_changed(ctx, customer_id)


async def remove_channel(
    ctx: GraphQLContext, customer_id: str, channel_id: int | None, address: str | None
) -> int:
    """Unlink one channel, named by its id or its address; returns the channel id."""
    customer = await support_customer(ctx, customer_id)
    if customer is None:
        raise NotFoundError("The support desk does not know this customer.", argument="customerId")
    for channel in customer.channels:
        if channel.id == channel_id or (
            address is not None and channel.address.lower() == address.strip().lower()
        ):
            await ctx.vendors.omnidesk.delete_channel(customer.id, channel.id)
            _customer_changed(ctx, customer_id)
            return channel.id
    argument = "channelId" if channel_id is not None else "address"
    raise NotFoundError("The customer has no such support channel.", argument=argument)


async def record_timeline_event(
    ctx: GraphQLContext, customer_id: str, event: ExternalEvent
) -> int | None:
    """Adds an entry to the customer's timeline; returns its id when Omnidesk gives one."""
    result = await ctx.vendors.omnidesk.add_external_event(event, external_id=customer_id)
    ctx.invalidate(tags.support_timeline(ctx, customer_id))
    return result.id


async def sync_with_crm(ctx: GraphQLContext, channel: CrmChannel, address: str) -> list[str]:
    """Runs the brand's CRM lookup for the address; returns the canonical ids of the
    customers now linked to it (one more read, which also says whose cache to drop)."""
    await ctx.vendors.omnidesk.sync_with_crm(address, channel=channel)
    ctx.invalidate(tags.support_search(ctx))
    ids = await customer_ids_by_channel(ctx, address)
    # the fresh lookup primed this request's loaders; only the shared cache is stale
    ctx.invalidate(*(tags.support_customer(ctx, cid) for cid in ids), keep_loaders=True)
    return ids
