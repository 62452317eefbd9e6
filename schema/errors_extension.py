"""Formats every execution error for clients (see :mod:`gateway.errors`), and adds the
errors of fields that returned partial data (``GraphQLContext.report_partial``)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from gateway.context import GraphQLContext
from gateway.errors import format_error


class GatewayErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None:
            return
        errors = list(result.errors or [])
        context = self.execution_context.context
        if isinstance(context, GraphQLContext):
            errors += [
                GraphQLError(str(error), path=list(path), original_error=error)
                for error, path in context.partial_errors
            ]
        if errors:
            result.errors = [format_error(e) for e in errors]
