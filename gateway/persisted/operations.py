"""Which persisted-operation rules apply: trusted documents (a manifest is configured),
else automatic persisted queries (unless switched off), else none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from gateway.persisted.apq import AutomaticPersistedQueries, ResolvedDocument, persisted_query_ref
from gateway.persisted.errors import PersistedQueryNotSupportedError
from gateway.persisted.store import build_store
from gateway.persisted.trusted_documents import TrustedDocuments

if TYPE_CHECKING:
    from gateway.settings import GatewaySettings
    from gateway.shared_tier.redis_link import RedisLink

__all__ = ["PersistedOperations"]


class PersistedOperations:
    """Turns a request's ``query`` and ``extensions`` into the document to run."""

    def __init__(
        self,
        apq: AutomaticPersistedQueries | None,
        trusted: TrustedDocuments | None = None,
    ) -> None:
        self.apq = apq
        self.trusted = trusted

    @classmethod
    def from_settings(
        cls, settings: GatewaySettings, redis: RedisLink | None = None
    ) -> PersistedOperations:
        trusted = None
        if settings.trusted_documents_file is not None:
            trusted = TrustedDocuments.from_file(settings.trusted_documents_file)
        apq = (
            AutomaticPersistedQueries(build_store(settings, redis), settings.max_query_length)
            if settings.apq_enabled
            else None
        )
        return cls(apq, trusted)

    async def resolve(
        self, query: str | None, extensions: Mapping[str, object] | None
    ) -> ResolvedDocument | None:
        """``None``: run the request as sent (it names no persisted operation and no
        manifest restricts what runs, or it has no operation at all — a plain 400)."""
        ref = persisted_query_ref(extensions)
        if query is None and ref is None:
            return None
        if self.trusted is not None:
            return self.trusted.resolve(query, ref)
        if ref is None:
            return None
        if self.apq is None:
            raise PersistedQueryNotSupportedError
        return await self.apq.resolve(query, ref)

    async def ran_cleanly(self, document: ResolvedDocument) -> None:
        """The document parsed, validated and executed: remember it if it is new."""
        if self.apq is not None:
            await self.apq.register(document)
