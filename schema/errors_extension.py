"""Formats every error for clients (see :mod:`gateway.errors`), adds the errors of fields
that returned partial data (``GraphQLContext.report_partial``), and logs each once: a
client's mistake at INFO without a stack, a fault of the gateway at ERROR with one.

Strawberry would log every error itself, at ERROR with a traceback (a mistyped variable
included): :class:`GatewaySchema` leaves logging to this extension. An error raised by
another extension's hook (the parser cache raises the syntax error) passes through here
on its way out, so it is formatted too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import ArgumentNode, GraphQLError, ValuesOfCorrectTypeRule
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionContext

from gateway.context import GraphQLContext
from gateway.errors import BAD_USER_INPUT, format_error, log_error
from gateway.incremental import initial_of
from gateway.limits.errors import with_code

__all__ = ["ArgumentValuesRule", "GatewayErrors", "GatewaySchema"]


class GatewaySchema(strawberry.Schema):
    """Strawberry's schema, minus its own error log (:class:`GatewayErrors` logs them)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        del errors, execution_context


class ArgumentValuesRule(ValuesOfCorrectTypeRule):
    """graphql-core's check of argument literals, its refusals coded ``BAD_USER_INPUT``
    and naming the argument (``first: 1099511627776`` is the client's input, not a
    malformed document)."""

    argument: str | None = None

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.argument = node.name.value

    def leave_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.argument = None

    def report_error(self, error: GraphQLError) -> None:
        if self.argument is None:
            super().report_error(with_code(error, BAD_USER_INPUT, {}))
            return
        named = GraphQLError(
            f"Argument '{self.argument}' has invalid value: {error.message}",
            nodes=error.nodes,
            original_error=error.original_error,
        )
        super().report_error(with_code(named, BAD_USER_INPUT, {"argument": self.argument}))


class GatewayErrors(SchemaExtension):
    executing = False

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = tuple(
            ArgumentValuesRule if rule is ValuesOfCorrectTypeRule else rule
            for rule in context.validation_rules
        )
        try:
            yield
        except _STRAWBERRY_REFUSALS:
            raise  # answered by the HTTP view (400)
        except Exception as raised:  # by a hook: the parser cache's syntax error, a limit
            error = raised if isinstance(raised, GraphQLError) else _wrapped(raised)
            formatted = format_error(error, executing=self.executing)
            log_error(formatted)
            raise formatted from None  # Strawberry makes it the response's one error
        result = initial_of(context.result)  # an answer in parts: its first part
        if result is None:
            return
        errors = list(result.errors or [])
        if isinstance(context.context, GraphQLContext):
            errors += [
                GraphQLError(str(error), path=list(path), original_error=error)
                for error, path in context.context.partial_errors
            ]
        if errors:
            result.errors = [format_error(e, executing=self.executing) for e in errors]
            for error in result.errors:
                log_error(error)

    def on_execute(self) -> Iterator[None]:
        self.executing = True
        yield


_STRAWBERRY_REFUSALS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


def _wrapped(error: Exception) -> GraphQLError:
    return GraphQLError(str(error), original_error=error)
