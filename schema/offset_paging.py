"""Relay ``PageInfo`` and edges from a resolver's :class:`OffsetPage`, and the paging
arguments that offset-paged list fields share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import strawberry
from strawberry import relay

from resolvers.offset_cursor import OffsetPage

__all__ = ["AfterArg", "FirstCustomersArg", "edges_of", "page_info_of"]

T = TypeVar("T")
N = TypeVar("N")

#: ``after`` of a list paged by its own cursors (a page's ``endCursor``)
AfterArg = Annotated[
    str | None,
    strawberry.argument(description="Start after this cursor (from this list)."),
]
#: ``first`` of a list of customers (the search's and the support desk's)
FirstCustomersArg = Annotated[
    int, strawberry.argument(description="How many customers (1 to 100).")
]


def page_info_of(page: OffsetPage[T]) -> relay.PageInfo:
    return relay.PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        start_cursor=page.start_cursor,
        end_cursor=page.end_cursor,
    )


# relay's ``NodeType`` bound (``Node``) is a typing constraint only: Strawberry builds edges
# of any type, and transactions are not refetchable nodes
def edges_of(page: OffsetPage[T], node: Callable[[T], N]) -> list[relay.Edge[N]]:  # type: ignore[type-var]
    return [relay.Edge(cursor=cursor, node=node(item)) for cursor, item in page.edges]  # type: ignore[type-var]
