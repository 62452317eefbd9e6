"""Cart sessions (Talon.One customer sessions) by integration id.

Talon.One has no bulk session read, so a batch fans out within the vendor's limit. Sessions
change with every cart update, so their cache kind (``session``) defaults to a TTL of 0:
reads are only shared while in flight (single-flight), never served from the cache.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.vendors.errors import VendorNotFoundError
from gateway.vendors.talon.models import IntegrationCustomerSessionResponse
from resolvers import cache_tags as tags
from resolvers.loaders.base import BatchLoader

__all__ = ["CartSessionByIdLoader"]

VENDOR = "talon"
Session = IntegrationCustomerSessionResponse


class CartSessionByIdLoader(BatchLoader[str, Session | None]):
    """The session and the effects still in force; ``None`` for an unknown session id."""

    vendor = VENDOR

    async def fetch(self, keys: list[str]) -> Mapping[str, Session | Exception | None]:
        ctx = self.ctx

        async def one(session_id: str) -> Session | None:
            async def load() -> Session | None:
                try:
                    return await ctx.vendors.talon.get_customer_session(session_id)
                except VendorNotFoundError:
                    return None

            return await ctx.cached(
                ctx.cache_key(VENDOR, "getCustomerSession", customerSessionId=session_id),
                "session",
                load,
                [tags.promotion_session(ctx, session_id)],
            )

        return await ctx.fan_out(VENDOR, keys, one)
