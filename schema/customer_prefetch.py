"""Look-ahead for ``customer(id:)``: while the loyalty system confirms the customer exists,
the reads its selected fields will make are already under way.

Without it every customer field waits for the existence check, so the answer takes two
upstream round trips where one suffices. The reads come from the vendor read declarations
(``VendorRead.fields`` says which fields make a read and how their arguments key it); paged
fields call the same resolver functions the fields call. Either way the fields later find
their reads in the request's dataloaders (same keys, one call each). Fields with arguments
it does not model (filters, source lists) simply load when they run. A customer that does
not exist costs the reads that were started; their failures are dropped here and raised, if
at all, by the fields.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast_untyped,
)

from gateway.context import GraphQLContext
from gateway.limits.document_memo import DocumentMemo
from gateway.limits.operation_variables import uses_variables
from resolvers import activity, loyalty
from vendors import read_catalog
from vendors.reads import FieldKey, VendorRead, not_prefetched

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


class _FilteredPage(Protocol):
    """A resolver's page function for a field filtered by ``TransactionFilterValues``."""

    def __call__(
        self,
        ctx: GraphQLContext,
        customer_id: str,
        *,
        first: int,
        after: str | None,
        where: loyalty.TransactionFilterValues,
    ) -> Awaitable[object]: ...


def _unfiltered(page_of: _FilteredPage) -> Read:
    """A filterable paged field's read (transactions, loyalty events; one filter type):
    prefetched when the field has no filter, as its key then holds only the page."""
    where = loyalty.TransactionFilterValues()

    def start(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
        page = _page(args)
        if args.get("filter") or page is None:
            return None
        return page_of(ctx, cid, first=page[0], after=page[1], where=where)

    return start


def _activity(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
    page = _page(args)
    if args.get("sources") is not None or page is None:
        return None
    return activity.activity_page(ctx, cid, first=page[0], after=page[1], sources=None)


def _declared(read: VendorRead[Any, Any], key_of: FieldKey[Any]) -> Read:
    """The field's read as its declaration keys it (``None``: not from these arguments)."""

    def start(ctx: GraphQLContext, cid: str, args: Args) -> Awaitable[object] | None:
        key = key_of(cid, args)
        return None if key is None else ctx.loaders.read(read).load(key)

    return start


def _derived() -> dict[str, dict[str, list[Read]]]:
    """Type → field → the reads the declarations say the field makes, keyed by its
    customer's id (vendors.read_catalog)."""
    reads: dict[str, dict[str, list[Read]]] = {}
    for read in read_catalog.READS:
        for name, key_of in read.fields.items():
            owner, _, field = name.partition(".")
            if key_of is not not_prefetched:
                reads.setdefault(owner, {}).setdefault(field, []).append(_declared(read, key_of))
    return reads


_DECLARED = _derived()
#: Customer field → the reads it will make (by the field's GraphQL name): the declared
#: reads' keys, and the paged fields whose keys come from cursors only resolvers decode
READS: dict[str, list[Read]] = {
    **_DECLARED.get("Customer", {}),
    "transactions": [_unfiltered(loyalty.transactions_page)],
    "events": [_unfiltered(activity.loyalty_events_page)],
    "activity": [_activity],
}
#: reads a nested selection makes, by the selected field's type and the child field
#: (``transactions { balance }`` reads the balance: ``TransactionConnection.balance``)
NESTED: dict[tuple[str, str], list[Read]] = {
    (owner, field): found
    for owner, fields in _DECLARED.items()
    if owner not in ("Customer", "Query", "Mutation")
    for field, found in fields.items()
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
        schema: GraphQLSchema,
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.schema = schema

    def type_name(self, parent: str, field: str) -> str | None:
        """The named type a field of ``parent`` returns (lists and non-null unwrapped)."""
        owner = self.schema.get_type(parent)
        found = owner.fields.get(field) if isinstance(owner, GraphQLObjectType) else None
        return get_named_type(found.type).name if found is not None else None

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


@dataclass(frozen=True)
class _Step:
    """A selected field whose reads the look-ahead starts: its arguments are read once
    when no variable is among them, else per request."""

    reads: tuple[Read, ...]
    field: FieldNode
    args: Args | None


#: the steps per ``customer`` field of a document, planned once (kept while the document is)
PLANS: DocumentMemo[tuple[_Step, ...]] = DocumentMemo()


def prefetch_customer(
    ctx: GraphQLContext,
    customer_id: str,
    field_nodes: Sequence[FieldNode],
    selection: Selection,
) -> list[asyncio.Task[object]]:
    """Start the selected fields' reads; the caller keeps the tasks until the fields ran."""
    if ctx.services.settings.resolver_mode == "naive" or not field_nodes:
        return []
    others = tuple(id(n) for n in field_nodes[1:])  # nodes of the same document
    steps = PLANS.value(field_nodes[0], others, lambda: plan_steps(field_nodes, selection))
    started: list[Awaitable[object]] = []
    for step in steps:
        args = step.args if step.args is not None else selection.arguments(step.field)
        for read in step.reads:
            awaitable = read(ctx, customer_id, args)
            if awaitable is not None:
                started.append(awaitable)
    # a loader's read is a future already: one task settles them all, and only reads
    # that are coroutines (the paged fields) need a task each to start now
    futures = [a for a in started if asyncio.isfuture(a)]
    tasks = [asyncio.ensure_future(_quietly(a)) for a in started if not asyncio.isfuture(a)]
    if futures:
        tasks.append(asyncio.ensure_future(_settled(futures)))
    return tasks


def plan_steps(field_nodes: Iterable[FieldNode], selection: Selection) -> tuple[_Step, ...]:
    """The fields under ``field_nodes`` that make reads, in document order (what the
    look-ahead learns from the document alone)."""
    steps: list[_Step] = []
    for root in field_nodes:
        for field in selection.fields(root.selection_set):
            name = field.name.value
            steps.extend(_step(READS.get(name, ()), field, selection))
            if field.selection_set is None:
                continue
            type_name = selection.type_name("Customer", name)
            for child in selection.fields(field.selection_set):
                nested = NESTED.get((type_name or "", child.name.value), ())
                steps.extend(_step(nested, child, selection))
    return tuple(steps)


def _step(reads: Iterable[Read], field: FieldNode, selection: Selection) -> Iterator[_Step]:
    found = tuple(reads)
    if found:
        fixed = not any(uses_variables(a.value) for a in field.arguments or ())
        args = MappingProxyType(selection.arguments(field)) if fixed else None
        yield _Step(found, field, args)


async def _settled(reads: Sequence[Awaitable[object]]) -> object:
    """Done when every read is; their failures are dropped (the fields raise them)."""
    return await asyncio.gather(*reads, return_exceptions=True)


async def _quietly(read: Awaitable[object]) -> object:
    try:
        return await read
    except Exception:  # the field that needs it raises it (or the customer doesn't exist)
        return None
