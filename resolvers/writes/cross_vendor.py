"""One write to several vendors: concurrent, each vendor's outcome reported, safe to retry.

Under an idempotency key (:mod:`gateway.idempotency`), a vendor that completed in an earlier
run is not called again (``ALREADY_DONE``); the others run concurrently, each within the
vendor's concurrency limit. A vendor's cache tags are invalidated as soon as it accepted
its part.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, is_dataclass
from typing import Any

from cache import Tag
from gateway.context import GraphQLContext
from gateway.idempotency import Attempt, fingerprint, idempotent_attempt
from resolvers.writes.outcomes import Done, OutcomeStatus, VendorOutcome, failed_outcome

__all__ = ["VENDOR_ORDER", "VendorWrite", "keyed_attempt", "run_vendor_writes"]

VENDOR_ORDER = ("tallymarks", "omnidesk", "talon")

#: one vendor's part; gets ``retrying`` (the key was used before) and says how it completed
VendorWrite = Callable[[bool], Awaitable[Done]]

EARLIER = "Completed by an earlier request with this idempotency key."
NOTHING_EARLIER = "An earlier request with this idempotency key had nothing to do here."


def keyed_attempt(
    ctx: GraphQLContext, key: str, operation: str, arguments: object
) -> AbstractAsyncContextManager[Attempt]:
    """Hold the idempotency key for one run of ``operation`` with these arguments
    (dataclasses are compared field by field)."""
    return idempotent_attempt(
        ctx.services.idempotency,
        ctx.tenant_key,
        key,
        operation,
        fingerprint(operation, _plain(arguments)),
    )


def _plain(value: object) -> Any:
    """JSON-able form: dataclasses as dicts, at any depth (dict keys are sorted later)."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


async def run_vendor_writes(
    ctx: GraphQLContext,
    attempt: Attempt,
    writes: Mapping[str, VendorWrite],
    tags: Mapping[str, Sequence[Tag]],
) -> list[VendorOutcome]:
    """Every vendor's outcome, in a fixed vendor order."""

    async def one(vendor: str, write: VendorWrite) -> VendorOutcome:
        if attempt.done_before(vendor):
            if attempt.record.completed[vendor] == OutcomeStatus.SKIPPED.value:
                return VendorOutcome(vendor, OutcomeStatus.SKIPPED, message=NOTHING_EARLIER)
            return VendorOutcome(vendor, OutcomeStatus.ALREADY_DONE, message=EARLIER)
        try:
            done = await write(attempt.retrying)
        except Exception as exc:
            return failed_outcome(vendor, exc)
        attempt.complete(vendor, done.status.value)
        if done.status is not OutcomeStatus.SKIPPED:
            ctx.invalidate(*tags.get(vendor, ()))
        return VendorOutcome(vendor, done.status, message=done.message)

    ordered = [v for v in VENDOR_ORDER if v in writes]
    return list(await asyncio.gather(*(one(v, writes[v]) for v in ordered)))
