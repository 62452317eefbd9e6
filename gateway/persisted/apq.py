"""Apollo's automatic persisted queries: a client sends only the sha256 hash of its
operation; on ``PERSISTED_QUERY_NOT_FOUND`` it sends the hash with the text once, and the
gateway keeps the text for everyone's next request. A text over the query-length limit is
refused before it is hashed, run or kept.

The extension, in a POST body or a GET's ``extensions`` parameter::

    {"persistedQuery": {"version": 1, "sha256Hash": "<hex sha256 of the query text>"}}
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.persisted.document_id import DocumentId
from gateway.persisted.errors import (
    PersistedQueryInvalidError,
    PersistedQueryNotFoundError,
    PersistedQueryTooLongError,
)
from gateway.persisted.store import PersistedQueryStore

__all__ = [
    "AutomaticPersistedQueries",
    "PersistedQueryRef",
    "ResolvedDocument",
    "persisted_query_ref",
    "sha256_hex",
]

EXTENSION = "persistedQuery"
VERSION = 1


@dataclass(frozen=True)
class PersistedQueryRef:
    """The ``persistedQuery`` extension of one request."""

    sha256_hash: str


@dataclass(frozen=True)
class ResolvedDocument:
    """The text to run, and the hash to remember it under once it has run cleanly."""

    query: str
    register_as: str | None = None


def sha256_hex(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def persisted_query_ref(extensions: Mapping[str, object] | None) -> PersistedQueryRef | None:
    """The request's persisted-query reference, ``None`` when it has none."""
    if not extensions or extensions.get(EXTENSION) is None:
        return None
    extension = extensions[EXTENSION]
    if not isinstance(extension, Mapping):
        raise PersistedQueryInvalidError("extensions.persistedQuery must be an object.")
    if extension.get("version") != VERSION:
        raise PersistedQueryInvalidError("Unsupported persisted query version (only 1 is).")
    sha256_hash = extension.get("sha256Hash")
    if not isinstance(sha256_hash, str) or not sha256_hash:
        raise PersistedQueryInvalidError("extensions.persistedQuery.sha256Hash must be a string.")
    return PersistedQueryRef(sha256_hash)


class AutomaticPersistedQueries:
    """Hash only → the stored text; hash and text → checked, run, then stored."""

    def __init__(self, store: PersistedQueryStore, max_query_length: int | None = None) -> None:
        self.store = store
        #: characters a document to register may have (``None``: no limit of its own)
        self.max_query_length = max_query_length

    async def resolve(self, query: str | None, ref: PersistedQueryRef) -> ResolvedDocument:
        if query is None:
            stored = await self.store.get(ref.sha256_hash)
            if stored is None:
                raise PersistedQueryNotFoundError
            return ResolvedDocument(stored)
        if self.max_query_length is not None and len(query) > self.max_query_length:
            raise PersistedQueryTooLongError(len(query), self.max_query_length)
        if sha256_hex(query) != ref.sha256_hash:
            raise PersistedQueryInvalidError("provided sha does not match query")
        return ResolvedDocument(query, register_as=ref.sha256_hash)

    async def stored(self, document_id: DocumentId) -> str | None:
        """The text a ``documentId`` names: only ``sha256:`` ids, the hash APQ keeps."""
        if document_id.sha256 is None:
            return None
        return await self.store.get(document_id.sha256)

    async def register(self, document: ResolvedDocument) -> None:
        if document.register_as is not None:
            await self.store.set(document.register_as, document.query)
