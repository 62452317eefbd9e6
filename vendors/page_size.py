"""The largest page a client may ask for: the loyalty vendor's own limit per call.

It is a fact of the vendors before it is a policy, so it lives with them: the read
declarations refuse a larger ``first`` before any call (``vendors.talon.reads``), the paging
resolvers do the same, and the cost estimate counts a list at that size
(``gateway.limits.cost``)."""

from __future__ import annotations

__all__ = ["MAX_PAGE_SIZE"]

#: the loyalty vendor's own limit per call, and the largest ``first`` a client may ask for
MAX_PAGE_SIZE = 100
