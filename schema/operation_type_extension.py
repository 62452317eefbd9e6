"""Tells the request's context whether it runs a query or a mutation: only a query's answer
may be kept by the response cache."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gateway.context import GraphQLContext

__all__ = ["RecordOperationType"]


class RecordOperationType(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, GraphQLContext):
            context.operation_type = self.execution_context.operation_type.value
            context.operation_name = self.execution_context.operation_name
        yield
