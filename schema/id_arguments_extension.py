"""Ids in the arguments of the operation's root fields are checked before it executes.

A customer id travels to all three vendors, into URL paths and bodies; ``.`` or ``..``
there reached other vendor routes (a segment id of ``..`` deleted the customer's record at
the loyalty system). The vendor clients refuse such ids on their own (see
:mod:`vendors.path_segments`), but only for their own call: a write to three
vendors could be half done before one of them refuses. So the same rules are applied here,
where the argument's name is known, and an operation holding a malformed id is answered
``BAD_USER_INPUT`` naming it (``input.customerId``, ``customerIds[2]``) with no resolver run
and no vendor called:

- canonical customer ids, loyalty segment ids and loyalty event ids are the loyalty
  system's GUIDs;
- cart session ids, coupon codes and the promotion engine's ``integrationId`` are
  free-form, but must be one path segment.

Audience ids are parsed where they are used (``schema.mutations.audience_mutations``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.extensions import SchemaExtension

from gateway.errors import BAD_USER_INPUT
from gateway.limits.document_memo import DocumentMemo
from gateway.limits.operation_variables import coerced_variables
from gateway.limits.preflight import Fragments, named_operation, refuse
from vendors.path_segments import is_guid, text_problem

__all__ = ["IdArguments", "IdPlan", "id_plan"]

#: arguments and input fields holding canonical customer ids, on any root field
CUSTOMER_ID_NAMES = frozenset(
    {"customerId", "customerIds", "advocateId", "advocateIds", "friendId"}
)
#: root fields whose own ``id`` argument is a canonical customer id
CUSTOMER_ID_FIELDS = frozenset({"customer", "updateCustomer", "forgetCustomer"})
#: arguments holding a loyalty segment or loyalty event id (GUIDs), on any root field
SEGMENT_ID_NAMES = frozenset({"segmentId"})
EVENT_ID_NAMES = frozenset({"eventId"})
#: the promotion engine's client-chosen ids (one path segment wherever they are later used)
TEXT_ID_NAMES = frozenset({"integrationId"})
#: free-form ids the promotion engine puts into a path: (root field, argument)
PATH_TEXT_ARGUMENTS = frozenset(
    {
        ("cartSession", "id"),
        ("updateCartSession", "id"),
        ("returnCartItems", "sessionId"),
        ("reserveCoupon", "value"),
        ("releaseCoupon", "value"),
    }
)


class IdArguments(SchemaExtension):
    """Refuses an operation whose root fields hold a malformed id (see the module). Which
    root fields have id arguments is found once per operation of a document (``plans``);
    an operation with none needs no look at its variables."""

    def __init__(self, plans: DocumentMemo[IdPlan | None]) -> None:
        self.plans = plans

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.result is None and document is not None:
            schema, name = context.schema._schema, context.operation_name
            plan = self.plans.value(document, name, lambda: id_plan(schema, document, name))
            if plan is not None and plan.fields:
                variables = coerced_variables(context, plan.operation)
                error = _refused(plan, variables) if variables is not None else None
                if error is not None:
                    refuse(context, error)
        yield


@dataclass(frozen=True)
class IdPlan:
    """An operation's root fields that take arguments, each with its definition."""

    operation: OperationDefinitionNode
    fields: tuple[tuple[FieldNode, GraphQLField], ...]


def id_plan(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> IdPlan | None:
    """The plan of the named operation (``None``: no such operation or root type)."""
    found = named_operation(document, operation_name)
    if found is None:
        return None
    operation, fragments = found
    root = schema.mutation_type if operation.operation == OperationType.MUTATION else None
    root = root or (schema.query_type if operation.operation == OperationType.QUERY else None)
    if not isinstance(root, GraphQLObjectType):
        return None
    fields = []
    for node in _root_fields(operation.selection_set, fragments, set()):
        field = root.fields.get(node.name.value)
        if field is not None and field.args:
            fields.append((node, field))
    return IdPlan(operation, tuple(fields))


def _refused(plan: IdPlan, variables: VariableValues) -> GraphQLError | None:
    for node, field in plan.fields:
        error = _field_error(node, field, variables)
        if error is not None:
            return error
    return None


def _root_fields(
    selections: SelectionSetNode, fragments: Fragments, seen: set[str]
) -> Iterator[FieldNode]:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                yield from _root_fields(fragments[name].selection_set, fragments, seen)


def _field_error(
    node: FieldNode, field: GraphQLField, variables: VariableValues
) -> GraphQLError | None:
    try:
        values = get_argument_values(field, node, variables)
    except GraphQLError:
        return None
    for name, argument in field.args.items():
        key = argument.out_name or name
        if key not in values:
            continue
        kind = _top_level_kind(node.name.value, name)
        problem = _check(values[key], argument.type, name, name, kind)
        if problem is not None:
            path, message = problem
            return GraphQLError(
                message, node, extensions={"code": BAD_USER_INPUT, "argument": path}
            )
    return None


def _top_level_kind(field: str, argument: str) -> str | None:
    if argument == "id" and field in CUSTOMER_ID_FIELDS:
        return "customer"
    if (field, argument) in PATH_TEXT_ARGUMENTS:
        return "text"
    return _named_kind(argument)


def _named_kind(name: str) -> str | None:
    if name in CUSTOMER_ID_NAMES:
        return "customer"
    if name in SEGMENT_ID_NAMES:
        return "segment"
    if name in EVENT_ID_NAMES:
        return "event"
    if name in TEXT_ID_NAMES:
        return "text"
    return None


def _check(
    value: Any, type_: GraphQLInputType, name: str, path: str, kind: str | None
) -> tuple[str, str] | None:
    """``(argument path, message)`` for the first malformed id in ``value``."""
    if value is None:
        return None
    if isinstance(type_, GraphQLNonNull):
        return _check(value, type_.of_type, name, path, kind)
    if isinstance(type_, GraphQLList):
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            problem = _check(item, type_.of_type, name, f"{path}[{i}]", kind)
            if problem is not None:
                return problem
        return None
    if isinstance(type_, GraphQLInputObjectType):
        for inner_name, inner in type_.fields.items():
            key = inner.out_name or inner_name
            if isinstance(value, dict) and key in value:
                problem = _check(
                    value[key],
                    inner.type,
                    inner_name,
                    f"{path}.{inner_name}",
                    _named_kind(inner_name),
                )
                if problem is not None:
                    return problem
        return None
    return _scalar_problem(value, path, kind)


def _scalar_problem(value: Any, path: str, kind: str | None) -> tuple[str, str] | None:
    if kind == "customer" and not is_guid(value):
        return path, "Not a customer id (a GUID)."
    if kind == "segment" and not is_guid(value):
        return path, "Not a segment id (a GUID)."
    if kind == "event" and not is_guid(value):
        return path, "Not an event id (a GUID)."
    if kind == "text":
        problem = text_problem(value)
        if problem is not None:
            return path, f"The value {problem}."
    return None
