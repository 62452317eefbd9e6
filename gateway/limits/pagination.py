"""The largest page a client may ask for, where both the paging resolvers (which refuse a
larger ``first``) and the cost estimate (which counts a list at that size) read it."""

from __future__ import annotations

__all__ = ["MAX_PAGE_SIZE"]

#: the loyalty vendor's own limit per call, and the largest ``first`` a client may ask for
MAX_PAGE_SIZE = 100
