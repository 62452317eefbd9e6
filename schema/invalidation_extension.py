"""A write is answered only after its invalidations reached every replica's view (the
shared tier), so a read sent after the answer, through any replica, is fresh."""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from gateway.context import GraphQLContext

__all__ = ["PublishInvalidations"]


class PublishInvalidations(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if isinstance(context, GraphQLContext):
            await context.invalidations_published()
