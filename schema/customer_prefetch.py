"""Look-ahead for ``customer(id:)``: while the loyalty system confirms the customer exists,
the reads its selected fields will make are already under way.

Without it every customer field waits for the existence check, so the answer takes two
upstream round trips where one suffices. The prefetch calls the same resolver functions the
fields call, with the same arguments, so the fields later find their reads in the request's
dataloaders (same keys, one call each). Fields with arguments it does not model (filters,
source lists) simply load when they run. A customer that does not exist costs the reads
that were started; their failures are dropped here and raised, if at all, by the fields.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    value_from_ast_untyped,
)

from gateway.context import GraphQLContext
from resolvers import activity, loyalty, promotions
from resolvers.support import support_customer, support_timeline
from schema.customer_segments import customer_segments

__all__ = ["Selection", "prefetch_customer"]

Args = Mapping[str, Any]
Read = Callable[[GraphQLContext, str, Args], Awaitable[object] | None]


def _page(args: Args) -> tuple[int, str | None] | None:
    """``(first, after)``; literals arrive as their source text, variables as values."""
    first, after = args.get("first", 20), args.get("after")
    if isinstance(first, str) and first.isdigit():
        first = int(first)
    if not isinstance(first, int) or isinstance(first, bool):
        return None
    return first, after if isinstance(after, str) else None


def _transactions(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
    page = _page(args)
    if args.get("filter") or page is None:
        return None
    where = loyalty.TransactionFilterValues()
    return loyalty.transactions_page(ctx, cid, first=page[0], after=page[1], where=where)


def _events(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
    page = _page(args)
    if args.get("filter") or page is None:
        return None
    where = activity.EventFilterValues()
    return activity.loyalty_events_page(ctx, cid, first=page[0], after=page[1], where=where)


def _activity(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
    page = _page(args)
    if args.get("sources") is not None or page is None:
        return None
    return activity.activity_page(ctx, cid, first=page[0], after=page[1], sources=None)


def _timeline(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
    include = args.get("includeTickets", False) in (True, "true")
    return support_timeline(ctx, cid, include_tickets=include)


def _segments(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
    return None if args.get("sources") is not None else customer_segments(ctx, cid, None)


#: Customer field → the read it will make (by the field's GraphQL name)
READS: dict[str, Read] = {
    "pointsBalance": lambda ctx, cid, _: loyalty.points_balance(ctx, cid),
    "loyaltySegments": lambda ctx, cid, _: loyalty.loyalty_segments(ctx, cid),
    "transactions": _transactions,
    "events": _events,
    "activity": _activity,
    "promotionEvents": lambda ctx, cid, _: activity.promotion_events(ctx, cid),
    "supportProfile": lambda ctx, cid, _: support_customer(ctx, cid),
    "timeline": _timeline,
    "promotionProfile": lambda ctx, cid, _: promotions.promotion_profile(ctx, cid),
    "audiences": lambda ctx, cid, _: promotions.customer_audiences(ctx, cid),
    "coupons": lambda ctx, cid, _: promotions.customer_coupons(ctx, cid),
    "referrals": lambda ctx, cid, _: promotions.customer_referrals(ctx, cid),
    "promotionLoyalty": lambda ctx, cid, _: promotions.promotion_loyalty(ctx, cid),
    "giveaways": lambda ctx, cid, _: promotions.customer_giveaways(ctx, cid),
    "segments": _segments,
}
#: reads a nested selection makes (``transactions { balance }`` reads the balance)
NESTED: dict[tuple[str, str], Read] = {
    ("transactions", "balance"): lambda ctx, cid, _: loyalty.points_balance(ctx, cid),
}


class Selection:
    """The selected fields under one field, read straight from the parsed document (the
    fields' arguments with the request's variables, fragments flattened). A fragment spread
    more than once in a selection is read once, as graphql-core collects fields: the walk
    stays linear in the document however its fragments spread each other."""

    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.fragments = fragments
        self.variables = variables

    def fields(
        self, selection_set: SelectionSetNode | None, visited: set[str] | None = None
    ) -> Iterator[FieldNode]:
        visited = set() if visited is None else visited
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                yield node
            elif isinstance(node, InlineFragmentNode):
                yield from self.fields(node.selection_set, visited)
            elif isinstance(node, FragmentSpreadNode) and node.name.value not in visited:
                visited.add(node.name.value)
                fragment = self.fragments.get(node.name.value)
                if fragment is not None:
                    yield from self.fields(fragment.selection_set, visited)

    def arguments(self, node: FieldNode) -> dict[str, Any]:
        return {
            a.name.value: value_from_ast_untyped(a.value, self.variables)
            for a in node.arguments or ()
        }


def prefetch_customer(
    ctx: GraphQLContext,
    customer_id: str,
    field_nodes: Iterable[FieldNode],
    selection: Selection,
) -> list[asyncio.Task[object]]:
    """Start the selected fields' reads; the caller keeps the tasks until the fields ran."""
    if ctx.services.settings.resolver_mode == "naive":
        return []
    started: list[Awaitable[object]] = []
    for root in field_nodes:
        for field in selection.fields(root.selection_set):
            name = field.name.value
            read = READS.get(name)
            if read is not None and (
                awaitable := read(ctx, customer_id, selection.arguments(field))
            ):
                started.append(awaitable)
            for child in selection.fields(field.selection_set):
                nested = NESTED.get((name, child.name.value))
                if nested is not None and (
                    awaitable := nested(ctx, customer_id, selection.arguments(child))
                ):
                    started.append(awaitable)
    return [asyncio.ensure_future(_quietly(a)) for a in started]


async def _quietly(read: Awaitable[object]) -> object:
    try:
        return await read
    except Exception:  # the field that needs it raises it (or the customer doesn't exist)
        return None
