"""Work done once per parsed document: what the limits and the look-ahead learn from a
document's text alone (its shape, an operation's cost when no variable moves it, the reads a
selection makes), kept beside the parsed document for the requests that send it again.

An entry is keyed by the identity of a node of the document (the document, or one of its
operations) and lives while that node does: the document cache (``schema.document_cache``)
holds the documents, so a document it evicts takes its entries with it. The memo is
bounded by entries as well (LRU), for documents that are never cached.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from graphql import Node

__all__ = ["DEFAULT_MAX_ENTRIES", "DocumentMemo"]

V = TypeVar("V")

#: as many entries as the document cache keeps documents by default
DEFAULT_MAX_ENTRIES = 1024

_Key = tuple[int, Hashable]


class DocumentMemo(Generic[V]):
    """``value(node, key, compute)``: ``compute()`` once per node and key."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[_Key, tuple[weakref.ref[Node], V]] = OrderedDict()
        #: values computed (the rest were found)
        self.computed = 0

    def __len__(self) -> int:
        return len(self._entries)

    def value(self, node: Node, key: Hashable, compute: Callable[[], V]) -> V:
        """The value kept for ``node`` and ``key``, computed (and kept) on a miss."""
        slot = (id(node), key)
        found = self._entries.get(slot)
        if found is not None and found[0]() is node:
            self._entries.move_to_end(slot)
            return found[1]
        value = compute()
        self.computed += 1
        self._entries[slot] = (weakref.ref(node, self._forget(slot)), value)
        self._entries.move_to_end(slot)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return value

    def _forget(self, slot: _Key) -> Callable[[weakref.ref[Node]], None]:
        """Drops the entry when its node is collected (its id may then be reused)."""
        entries = weakref.ref(self._entries)

        def forget(ref: weakref.ref[Node]) -> None:
            held = entries()
            found = held.get(slot) if held is not None else None
            if held is not None and found is not None and found[0] is ref:
                del held[slot]

        return forget
