"""The in-process store of automatic persisted queries (:mod:`.store` chooses the store):
its own module so the shared tier's store can build on it without importing the choice."""

from __future__ import annotations

from cache.bounded import BoundedLRU
from cache.sizing import ENTRY_OVERHEAD, MiB, text_size

__all__ = ["DEFAULT_MAX_BYTES", "InMemoryPersistedQueryStore"]

DEFAULT_MAX_BYTES = 64 * MiB


class InMemoryPersistedQueryStore:
    """An LRU in this process, bounded in documents and in bytes (clients choose the texts,
    and their sizes): each replica learns its clients' documents itself, which APQ clients
    handle (an unknown or evicted hash costs one round trip with the full text)."""

    def __init__(self, max_entries: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._documents: BoundedLRU[str, str] = BoundedLRU(max_entries, max_bytes, _document_size)

    async def get(self, sha256_hash: str) -> str | None:
        return self._documents.get(sha256_hash)

    async def set(self, sha256_hash: str, query: str) -> None:
        self._documents[sha256_hash] = query

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def bytes(self) -> int:
        """Estimated bytes the documents hold now."""
        return self._documents.bytes


def _document_size(query: str) -> int:
    return ENTRY_OVERHEAD + text_size(query)
