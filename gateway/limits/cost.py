"""Cost: an estimate of the upstream calls an operation will make, computed from the
validated document and its variables before anything executes.

A field costs what :mod:`gateway.limits.cost_table` says per parent object (a read that
returns a page in several calls, as many as the field's ``first`` needs). A list
multiplies what its items ask for: a connection's ``edges``/``nodes`` by the connection's
``first`` (its default when not given, at most the page size limit), any other list by a
configured default size (a customer's coupons have no ``first``). Fragments count for every
type they apply to, and ``@skip``/``@include`` are honoured, so the estimate is an upper
bound. An operation above the limit is refused with ``QUERY_TOO_COSTLY`` and its cost.

The walk is linear in the document: a fragment spread twice in one selection counts once
(as graphql-core executes it), and a sub-selection is priced once per parent type and page
size, however many fields share it through fragments. The shape limits
(:mod:`.shape_limits`) have refused any document that expands too far before this runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    print_ast,
)
from graphql.execution.values import (
    VariableValues,
    get_argument_values,
    get_directive_values,
)
from graphql.language import SelectionNode
from strawberry.extensions import SchemaExtension

from gateway.limits.cost_table import (
    FIELD_COSTS,
    PAGED_READS,
    UNLISTED_ASYNC_COST,
    FieldCost,
    paged_calls,
)
from gateway.limits.document_memo import DocumentMemo
from gateway.limits.errors import QUERY_TOO_COSTLY, limit_error
from gateway.limits.operation_variables import coerced_variables, uses_variables
from gateway.limits.preflight import Fragments, named_operation, refuse
from vendors.page_size import MAX_PAGE_SIZE

__all__ = ["CostLimit", "CostPlan", "cost_plan", "operation_cost"]

PAGE_ARGUMENT = "first"


def operation_cost(
    schema: GraphQLSchema,
    document_fragments: Fragments,
    operation: OperationDefinitionNode,
    variables: VariableValues,
    *,
    default_list_size: int,
    costs: Mapping[str, FieldCost] = FIELD_COSTS,
) -> int:
    """The estimated upstream calls of a valid ``operation`` with coerced ``variables``."""
    root = schema.get_root_type(operation.operation)
    if root is None:  # pragma: no cover - validation refuses an operation without a root
        return 0
    walk = _Walk(schema, document_fragments, variables, default_list_size, costs)
    return walk.selection_set(operation.selection_set, root, page_size=None)


@dataclass(frozen=True)
class CostPlan:
    """What the cost of one operation of a document is, before any variable is known."""

    operation: OperationDefinitionNode
    fragments: Fragments
    #: the cost, when no variable can change it (``None``: priced per request)
    fixed: int | None


def cost_plan(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    *,
    default_list_size: int,
    costs: Mapping[str, FieldCost] = FIELD_COSTS,
) -> CostPlan | None:
    """The operation's plan (``None``: no such operation, execution reports it): its cost
    priced without variables, unless pricing it reads one (a ``first: $n``, an
    ``@include(if: $x)``)."""
    found = named_operation(document, operation_name)
    if found is None:
        return None
    operation, fragments = found
    root = schema.get_root_type(operation.operation)
    if root is None:  # pragma: no cover - validation refuses an operation without a root
        return CostPlan(operation, fragments, 0)
    walk = _Walk(schema, fragments, None, default_list_size, costs)
    try:
        fixed: int | None = walk.selection_set(operation.selection_set, root, page_size=None)
    except _VariablesNeededError:
        fixed = None
    return CostPlan(operation, fragments, fixed)


class _VariablesNeededError(Exception):
    """Pricing without variables reached a value a variable gives."""


_Owner = GraphQLObjectType | GraphQLInterfaceType


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: Fragments
    #: ``None`` while planning: reading a variable raises :class:`_VariablesNeededError`
    variables: VariableValues | None
    default_list_size: int
    costs: Mapping[str, FieldCost]
    _priced: dict[tuple[str, str], FieldCost] = field(default_factory=dict)
    #: (selection set node, parent type, page size) → its cost; nodes outlive the walk
    _costs: dict[tuple[int, str | None, int | None], int] = field(default_factory=dict)

    def selection_set(
        self, selection_set: SelectionSetNode, parent: _Owner | None, page_size: int | None
    ) -> int:
        """The cost of one parent object's selection (``parent`` is None for a union: only
        its fragments select fields); ``page_size`` is the ``first`` of the connection the
        selection belongs to, which sizes the connection's lists."""
        key = (id(selection_set), parent.name if parent else None, page_size)
        found = self._costs.get(key)
        if found is None:
            found = self._costs[key] = self._selection_set(selection_set, parent, page_size)
        return found

    def _selection_set(
        self, selection_set: SelectionSetNode, parent: _Owner | None, page_size: int | None
    ) -> int:
        total = 0
        paid: set[tuple[str, str]] = set()  # (shared read, arguments) this parent has paid
        for node, owner in self._fields(selection_set, parent):
            name = node.name.value
            if name.startswith("__"):
                continue  # introspection and __typename: no upstream call
            definition = owner.fields[name]
            total += self._own(owner, name, definition, node, paid)
            if node.selection_set is None:
                continue
            named = get_named_type(definition.type)
            child = named if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) else None
            first = self._first(node, definition)
            child_cost = self.selection_set(node.selection_set, child, first)
            total += self._size(definition, page_size) * child_cost
        return total

    def _own(
        self,
        owner: _Owner,
        name: str,
        definition: GraphQLField,
        node: FieldNode,
        paid: set[tuple[str, str]],
    ) -> int:
        cost = self._price(owner, name, definition)
        if isinstance(cost, int):
            return cost
        arguments = " ".join(print_ast(a) for a in node.arguments or ())
        new = {(read, arguments) for read in cost} - paid
        paid.update(new)
        return sum(self._calls(read, node, definition) for read, _ in new)

    def _calls(self, read: str, node: FieldNode, definition: GraphQLField) -> int:
        """The calls one shared read makes for a field: one, or as many as its page needs
        when the read returns a page in several calls (``PAGED_READS``)."""
        per_call = PAGED_READS.get(read)
        first = self._first(node, definition) if per_call is not None else None
        if per_call is None or first is None:
            return 1
        return paged_calls(per_call, first)

    def _price(self, owner: _Owner, name: str, definition: GraphQLField) -> FieldCost:
        key = (owner.name, name)
        found = self._priced.get(key)
        if found is None:
            found = self.costs.get(f"{owner.name}.{name}")
            if found is None:
                found = UNLISTED_ASYNC_COST if _is_async(definition) else 0
            self._priced[key] = found
        return found

    def _size(self, definition: GraphQLField, page_size: int | None) -> int:
        if not is_list_type(get_nullable_type(definition.type)):
            return 1
        return page_size if page_size is not None else self.default_list_size

    def _first(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """The page size a field with a ``first`` argument asks for, within the limit."""
        if PAGE_ARGUMENT not in definition.args:
            return None
        variables = self._variables(node.arguments)
        try:
            value = get_argument_values(definition, node, variables).get(PAGE_ARGUMENT)
        except GraphQLError:
            return MAX_PAGE_SIZE
        if not isinstance(value, int):
            return MAX_PAGE_SIZE
        # a page above the limit is refused by the field itself (BAD_USER_INPUT)
        return max(0, min(value, MAX_PAGE_SIZE))

    def _fields(
        self,
        selection_set: SelectionSetNode,
        parent: _Owner | None,
        visited: set[str] | None = None,
    ) -> Iterator[tuple[FieldNode, _Owner]]:
        """The fields selected on one object, through inline fragments and fragment
        spreads (each fragment once, as graphql-core collects fields), each with the type
        that declares it."""
        visited = set() if visited is None else visited
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                if parent is not None:
                    yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                owner = self._type(condition.name.value) if condition else parent
                yield from self._fields(selection.selection_set, owner, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in visited:
                    visited.add(name)
                    owner = self._type(fragment.type_condition.name.value)
                    yield from self._fields(fragment.selection_set, owner, visited)

    def _type(self, name: str) -> _Owner | None:
        found = self.schema.get_type(name)
        return found if isinstance(found, GraphQLObjectType | GraphQLInterfaceType) else None

    def _included(self, selection: SelectionNode) -> bool:
        if not selection.directives:
            return True
        variables = self._variables(a for d in selection.directives for a in d.arguments or ())
        skip = get_directive_values(GraphQLSkipDirective, selection, variables)
        if skip is not None and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, selection, variables)
        return not (include is not None and include.get("if") is False)

    def _variables(self, arguments: Iterable[ArgumentNode] | None) -> VariableValues | None:
        """The variables to read ``arguments`` with; planning, none are needed unless one
        of them is a variable (then the plan cannot price the operation alone)."""
        if self.variables is not None:
            return self.variables
        if any(uses_variables(a.value) for a in arguments or ()):
            raise _VariablesNeededError
        return None


def _is_async(definition: GraphQLField) -> bool:
    strawberry_field: Any = (definition.extensions or {}).get("strawberry-definition")
    return bool(getattr(strawberry_field, "is_async", False))


class CostLimit(SchemaExtension):
    """Refuses a too costly operation after validation, before execution starts: the
    executing hook sets the result in place of graphql-core's, so no resolver runs.

    An operation is planned once per document (``plans``, kept beside the parsed
    document): one no variable can move is priced once; the others are priced per request
    with its variables."""

    def __init__(
        self, max_cost: int, default_list_size: int, plans: DocumentMemo[CostPlan | None]
    ) -> None:
        self.max_cost = max_cost
        self.default_list_size = default_list_size
        self.plans = plans

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.result is None:
            cost = self._cost()
            if cost is not None and cost > self.max_cost:
                error = limit_error(
                    f"The operation would cost {cost} (at most {self.max_cost}): ask for fewer "
                    "items per page or fewer fields per item.",
                    QUERY_TOO_COSTLY,
                    cost=cost,
                    maxCost=self.max_cost,
                )
                refuse(context, error)
        yield

    def _cost(self) -> int | None:
        """The operation's cost; ``None`` when execution refuses it anyway (no such
        operation, variables that do not coerce: it reports those itself)."""
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return None
        schema = context.schema._schema
        name = context.operation_name
        plan = self.plans.value(
            document,
            name,
            lambda: cost_plan(schema, document, name, default_list_size=self.default_list_size),
        )
        if plan is None:
            return None
        if plan.fixed is not None and plan.fixed <= self.max_cost:
            return plan.fixed  # refused by nothing, whatever the variables
        variables = coerced_variables(context, plan.operation)
        if variables is None:
            return None
        if plan.fixed is not None:
            return plan.fixed
        return operation_cost(
            schema,
            plan.fragments,
            plan.operation,
            variables,
            default_list_size=self.default_list_size,
        )
