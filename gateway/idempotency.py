"""Idempotency keys for writes that span vendors.

A cross-vendor mutation (create/update/forget a customer) writes to up to three vendors.
When one fails, the client retries with the same key; the gateway must then re-run only the
vendors that did not complete, and never write twice. Per ``(tenant, key)`` the store keeps
the request's fingerprint and each vendor's completed outcome.

- Same key, same request → the vendors already done are skipped (reported ``ALREADY_DONE``).
- Same key, different request → :class:`BadUserInputError` on ``idempotencyKey``.
- Same key while a request with it is still running → :class:`ConflictError` (retryable):
  the second request is refused rather than queued, so it cannot race the first.

The store is behind :class:`IdempotencyStore` (``get``/``put`` plus ``claim``/``release``,
which map onto Redis ``GET``/``SET EX``/``SET NX EX``/``DEL``) so a shared store can replace
the in-process one when the gateway runs in several processes.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Protocol

from cache.bounded import BoundedTTL
from cache.sizing import MiB
from gateway.errors import BadUserInputError, ConflictError

__all__ = [
    "DEFAULT_CLAIM_SECONDS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_RECORD_SECONDS",
    "MAX_KEY_LENGTH",
    "Attempt",
    "IdempotencyRecord",
    "IdempotencyStore",
    "InMemoryIdempotencyStore",
    "fingerprint",
    "idempotent_attempt",
]

#: how long a key remembers what it did (a day covers any sane client retry)
DEFAULT_RECORD_SECONDS = 24 * 3600.0
#: how long a running request holds its key (released at once when it ends)
DEFAULT_CLAIM_SECONDS = 300.0
MAX_KEY_LENGTH = 255
#: bytes of records kept in one process (and as much again for claims)
DEFAULT_MAX_BYTES = 32 * MiB
#: a key (up to ``MAX_KEY_LENGTH`` characters) with its tenant, the map slot and the TTL
#: bookkeeping: what one record or claim costs before its own fields
KEY_BYTES = 1024
ARGUMENT = "idempotencyKey"


@dataclass(frozen=True)
class IdempotencyRecord:
    """What one key did: the operation, its input's fingerprint, and per vendor the status it
    completed with (``SUCCEEDED``, ``ALREADY_DONE`` or ``SKIPPED``; failures are not kept)."""

    operation: str
    fingerprint: str
    completed: Mapping[str, str] = field(default_factory=dict)

    def with_completed(self, done: Mapping[str, str]) -> IdempotencyRecord:
        return replace(self, completed={**self.completed, **done})


class IdempotencyStore(Protocol):
    """Records per ``(tenant, key)``, and a claim that marks a key as in use."""

    async def get(self, tenant: str, key: str) -> IdempotencyRecord | None: ...

    async def put(self, tenant: str, key: str, record: IdempotencyRecord) -> None: ...

    async def claim(self, tenant: str, key: str) -> bool:
        """True when the key was free and is now held by the caller."""
        ...

    async def release(self, tenant: str, key: str) -> None: ...


class InMemoryIdempotencyStore:
    """Bounded in records and in bytes (keys are the client's, up to ``MAX_KEY_LENGTH``),
    TTL-expiring, in one process (claims likewise expire if never released)."""

    def __init__(
        self,
        *,
        max_records: int = 100_000,
        max_bytes: int = DEFAULT_MAX_BYTES,
        record_seconds: float = DEFAULT_RECORD_SECONDS,
        claim_seconds: float = DEFAULT_CLAIM_SECONDS,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._records: BoundedTTL[tuple[str, str], IdempotencyRecord] = BoundedTTL(
            max_records, max_bytes, record_size, ttl=record_seconds, timer=timer
        )
        self._claims: BoundedTTL[tuple[str, str], bool] = BoundedTTL(
            max_records, max_bytes, _claim_size, ttl=claim_seconds, timer=timer
        )

    async def get(self, tenant: str, key: str) -> IdempotencyRecord | None:
        return self._records.get((tenant, key))

    async def put(self, tenant: str, key: str, record: IdempotencyRecord) -> None:
        self._records[(tenant, key)] = record

    async def claim(self, tenant: str, key: str) -> bool:
        if (tenant, key) in self._claims:
            return False
        self._claims[(tenant, key)] = True
        return True

    async def release(self, tenant: str, key: str) -> None:
        self._claims.pop((tenant, key), None)

    @property
    def bytes(self) -> int:
        """Estimated bytes of the records held now."""
        return self._records.bytes


def record_size(record: IdempotencyRecord) -> int:
    """The key's bound plus the record's own strings (no walk: three vendors at most)."""
    completed = sum(len(vendor) + len(status) + 120 for vendor, status in record.completed.items())
    return KEY_BYTES + len(record.operation) + len(record.fingerprint) + 200 + completed


def _claim_size(_: bool) -> int:
    return KEY_BYTES


def fingerprint(operation: str, arguments: object) -> str:
    """A stable digest of an operation and its arguments (JSON-able values, dataclasses as
    dicts); keys are sorted so field order does not matter."""
    canonical = json.dumps(
        {"operation": operation, "arguments": arguments},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Attempt:
    """One run of a keyed operation: which vendors are already done, and what this run
    completes (saved when the run ends, even if a vendor failed)."""

    record: IdempotencyRecord
    #: True when the key was used before (a retry): vendors' "already exists" means done
    retrying: bool
    newly_completed: dict[str, str] = field(default_factory=dict)

    def done_before(self, vendor: str) -> bool:
        return vendor in self.record.completed

    def complete(self, vendor: str, status: str) -> None:
        self.newly_completed[vendor] = status


@asynccontextmanager
async def idempotent_attempt(
    store: IdempotencyStore, tenant: str, key: str, operation: str, digest: str
) -> AsyncIterator[Attempt]:
    """Hold ``key`` for the duration of one run; refuse a concurrent run or a different
    request under the same key; save what this run completed."""
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise BadUserInputError(
            f"The idempotency key must be 1 to {MAX_KEY_LENGTH} characters.", argument=ARGUMENT
        )
    if not await store.claim(tenant, key):
        raise ConflictError(
            "A request with this idempotency key is still running; retry when it has finished.",
            argument=ARGUMENT,
            retryable=True,
        )
    try:
        previous = await store.get(tenant, key)
        if previous is not None and (previous.operation, previous.fingerprint) != (
            operation,
            digest,
        ):
            raise BadUserInputError(
                "This idempotency key was used for a different request; use a new key.",
                argument=ARGUMENT,
            )
        attempt = Attempt(
            record=previous or IdempotencyRecord(operation, digest),
            retrying=previous is not None,
        )
        try:
            yield attempt
        finally:
            await store.put(tenant, key, attempt.record.with_completed(attempt.newly_completed))
    finally:
        await store.release(tenant, key)
