"""What one request's answer depends on: the reads behind it, and until when it holds.

The read-through cache records each read's entry here; the response cache (a layer above,
in the HTTP app) keeps a whole answer as long as the shortest of them and drops it with
their tags (:class:`DependentAnswers`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from cache.keys import Tag
from cache.store import CacheEntry

__all__ = ["DependentAnswers", "ReadLedger"]


@dataclass
class ReadLedger:
    """What one request's answer depends on, and until when it holds."""

    cacheable: bool = True
    expires_at: float = math.inf
    tags: set[Tag] = field(default_factory=set)

    def record(self, entry: CacheEntry | None) -> None:
        if entry is None:
            self.cacheable = False
            return
        self.expires_at = min(self.expires_at, entry.expires_at)
        self.tags.update(entry.tags)

    def spoil(self) -> None:
        self.cacheable = False


class DependentAnswers(Protocol):
    """Whole answers built from cached reads, dropped when their reads are invalidated."""

    def invalidate(self, tags: Iterable[Tag]) -> None: ...

    def clear(self) -> None: ...
