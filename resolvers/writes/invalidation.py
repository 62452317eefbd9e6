"""After a vendor accepted a write: forget what it changed, in both cache tiers."""

from __future__ import annotations

from gateway.cache import Tag
from gateway.context import GraphQLContext

__all__ = ["written"]


def written(ctx: GraphQLContext, *tags: Tag) -> None:
    """Drop the cross-request entries under ``tags`` and this request's dataloaders (see
    :meth:`GraphQLContext.invalidate`), so the payload shows the new value."""
    ctx.invalidate(*tags)
