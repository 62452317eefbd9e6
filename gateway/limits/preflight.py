"""What the checks between validation and execution share (the cost limit, the id
arguments): the operation a request names, with its document's fragments, and refusing it
before anything executes. Each check used to spell both out for itself."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
)
from graphql.utilities import get_operation_ast
from strawberry.types import ExecutionContext

__all__ = ["Fragments", "named_operation", "refuse"]

#: a document's fragment definitions by name
Fragments = Mapping[str, FragmentDefinitionNode]


def named_operation(
    document: DocumentNode, operation_name: str | None
) -> tuple[OperationDefinitionNode, Fragments] | None:
    """The operation ``operation_name`` picks (the only one when ``None``) and the
    document's fragments; ``None`` when there is no such operation (execution says so)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return operation, fragments


def refuse(context: ExecutionContext, error: GraphQLError) -> None:
    """Answers the operation with ``error`` alone: a result set before execution starts
    takes the place of graphql-core's, so no resolver runs and no vendor is called."""
    context.result = ExecutionResult(data=None, errors=[error])
