"""Memory a client can fill, bounded in bytes: LRU maps capped by entries and by estimated
size (:mod:`.bounded`), and the size estimates they use (:mod:`.sizing`)."""

from gateway.memory.bounded import BoundedLRU, BoundedTTL
from gateway.memory.sizing import MiB, estimate_size, text_size

__all__ = ["BoundedLRU", "BoundedTTL", "MiB", "estimate_size", "text_size"]
