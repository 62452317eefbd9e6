"""Which persisted-operation rules apply: trusted documents (a manifest is configured),
else automatic persisted queries (unless switched off), else none.

A ``documentId`` (:mod:`.document_id`) resolves from the manifest in trusted-documents
mode; with APQ only, from the APQ store (a ``sha256:`` id names the same hash APQ keeps, so
a document registered by Apollo's link is reachable by ``documentId`` too; a custom id is
unknown there). An unknown id is ``PERSISTED_QUERY_NOT_FOUND`` with 404.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gateway.persisted.apq import AutomaticPersistedQueries, ResolvedDocument, persisted_query_ref
from gateway.persisted.document_id import parse_document_id
from gateway.persisted.errors import (
    PersistedDocumentNotFoundError,
    PersistedQueryInvalidError,
    PersistedQueryNotSupportedError,
)
from gateway.persisted.store import build_store
from gateway.persisted.trusted_documents import TrustedDocuments

if TYPE_CHECKING:
    from cache.shared.redis_link import RedisLink
    from gateway.settings import GatewaySettings

__all__ = ["PersistedOperations"]

log = logging.getLogger("gateway.persisted")


class PersistedOperations:
    """Turns a request's ``query`` and ``extensions`` into the document to run."""

    def __init__(
        self,
        apq: AutomaticPersistedQueries | None,
        trusted: TrustedDocuments | None = None,
    ) -> None:
        self.apq = apq
        self.trusted = trusted
        #: told each persisted request's outcome (``hit``, ``registered``, ``miss``,
        #: ``refused``), for the metrics
        self.observe: Callable[[str], None] = _ignore

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
        operations = cls(apq, trusted)
        log.info("persisted operations: %s", operations.describe(settings.trusted_documents_file))
        return operations

    @property
    def mode(self) -> str:
        """``"trusted-documents"``, ``"apq"`` or ``"off"``."""
        if self.trusted is not None:
            return "trusted-documents"
        return "apq" if self.apq is not None else "off"

    def describe(self, manifest: Path | None = None) -> str:
        """The mode, as the one line logged at startup."""
        if self.trusted is not None:
            source = f" from {manifest.name}" if manifest is not None else ""
            return (
                f"trusted documents ({len(self.trusted)} operations{source}): "
                "only the manifest's operations run"
            )
        if self.apq is not None:
            return "automatic persisted queries (APQ): any operation runs, by text or hash"
        return "off: operations run as sent, by text only"

    async def resolve(
        self,
        query: str | None,
        extensions: Mapping[str, object] | None,
        document_id: object = None,
    ) -> ResolvedDocument | None:
        """``None``: run the request as sent (it names no persisted operation and no
        manifest restricts what runs, or it has no operation at all — a plain 400).
        ``document_id``: the request's ``documentId`` parameter, as sent."""
        ref = persisted_query_ref(extensions)
        if document_id is not None:
            if query is not None or ref is not None:
                raise PersistedQueryInvalidError(
                    "Name the operation once: send `documentId` without `query` "
                    "and without extensions.persistedQuery.",
                    parameter="documentId",
                )
            return await self._by_document_id(document_id)
        if query is None and ref is None:
            return None
        if self.trusted is not None:
            return self.trusted.resolve(query, ref)
        if ref is None:
            return None
        if self.apq is None:
            raise PersistedQueryNotSupportedError
        return await self.apq.resolve(query, ref)

    async def _by_document_id(self, value: object) -> ResolvedDocument:
        document_id = parse_document_id(value)
        if self.trusted is not None:
            document = self.trusted.document_named(document_id)
        elif self.apq is not None:
            document = await self.apq.stored(document_id)
        else:
            raise PersistedQueryNotSupportedError
        if document is None:
            raise PersistedDocumentNotFoundError(document_id.raw)
        return ResolvedDocument(document)

    async def ran_cleanly(self, document: ResolvedDocument) -> None:
        """The document parsed, validated and executed: remember it if it is new."""
        if self.apq is not None:
            await self.apq.register(document)


def _ignore(outcome: str) -> None:
    """No metrics wired (a test, a tool): the outcome is dropped."""
