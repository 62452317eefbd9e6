"""Which operation of the document runs, as the GraphQL spec's GetOperation says: the
only one, or the one ``operationName`` names. A document with several operations and no
``operationName``, or an ``operationName`` naming none of them, is a request error
(``BAD_USER_INPUT`` naming the ``operationName`` parameter; HTTP 400 with
``application/graphql-response+json``).

Strawberry's ``ExecutionContext.operation_name`` falls back to the *first* operation's
name when the request gives none, and hands that to graphql-core, so the first operation
ran instead of graphql-core's "Must provide operation name" refusal. The choice is checked
as the parse step ends, before Strawberry reads the operation type.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from gateway.errors import BadUserInputError

__all__ = ["RequireOperationChoice"]


class RequireOperationChoice(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        yield
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return
        # the name the request sent (the public ``operation_name`` has the fallback)
        requested: str | None = getattr(context, "_provided_operation_name", None)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if requested is None:
            if len(operations) > 1:
                raise _refusal("Must provide operation name if query contains multiple operations.")
        elif not any(o.name is not None and o.name.value == requested for o in operations):
            raise _refusal(f'Unknown operation named "{requested}".')


def _refusal(message: str) -> GraphQLError:
    return GraphQLError(
        message, extensions={"code": BadUserInputError.code, "parameter": "operationName"}
    )
