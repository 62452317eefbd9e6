"""Every declared vendor read, and what the rest of the gateway derives from them: the
default TTL per cache kind (``gateway.settings``), the shared-read costs per schema field
(``gateway.limits.cost_table``, with the calls a paged read takes) and the reads a field
makes (the ``customer`` prefetch)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vendors.omnidesk import reads as omnidesk
from vendors.reads import VendorRead
from vendors.tallymarks import reads as tallymarks
from vendors.talon import reads as talon

__all__ = ["READS", "default_ttls", "paged_reads", "read_costs", "reads_of_field"]

READS: tuple[VendorRead[Any, Any], ...] = (*tallymarks.READS, *omnidesk.READS, *talon.READS)


def default_ttls(reads: tuple[VendorRead[Any, Any], ...] = READS) -> dict[str, float]:
    """Seconds per cache kind; reads sharing a kind must agree on its TTL."""
    ttls: dict[str, float] = {}
    for read in reads:
        if ttls.setdefault(read.kind, read.ttl) != read.ttl:
            raise ValueError(f"cache kind {read.kind!r}: {read!r} disagrees on its TTL")
    return ttls


def read_costs(reads: tuple[VendorRead[Any, Any], ...] = READS) -> dict[str, tuple[str, ...]]:
    """``Type.field`` → the shared reads it makes (by cost name, in declaration order)."""
    costs: dict[str, tuple[str, ...]] = {}
    for read in reads:
        for name in read.fields:
            if read.cost not in costs.get(name, ()):
                costs[name] = (*costs.get(name, ()), read.cost)
    return costs


def paged_reads(reads: tuple[VendorRead[Any, Any], ...] = READS) -> dict[str, int]:
    """Shared reads (by cost name) one call of which returns at most this many items of a
    page (``VendorRead.items_per_call``)."""
    return {read.cost: read.items_per_call for read in reads if read.items_per_call is not None}


def reads_of_field(
    name: str, reads: tuple[VendorRead[Any, Any], ...] = READS
) -> list[VendorRead[Any, Any]]:
    """The reads a ``Type.field`` makes."""
    return [read for read in reads if name in read.fields]


def _check_unique(reads: tuple[VendorRead[Any, Any], ...]) -> Mapping[tuple[str, str], object]:
    seen: dict[tuple[str, str], object] = {}
    for read in reads:
        if (read.vendor, read.operation) in seen:
            raise ValueError(f"{read!r} is declared twice: cache keys would collide")
        seen[read.vendor, read.operation] = read
    return seen


_check_unique(READS)
