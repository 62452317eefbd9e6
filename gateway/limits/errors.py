"""How a limit says no: a GraphQL error with its own ``extensions.code`` (and the numbers
a client needs to fix the operation), or, for limits checked on the HTTP request itself,
an :class:`HttpLimitError` carrying the status too.

::

    checked on the document (GraphQL error, no upstream call made)
        QUERY_TOO_LONG  TOO_MANY_TOKENS                     before parsing
        TOO_MANY_FRAGMENT_SPREADS  TOO_MANY_DIRECTIVES
        TOO_MANY_SELECTIONS  QUERY_TOO_DEEP  TOO_MANY_ALIASES  after parsing, before validation
        QUERY_TOO_COSTLY  INTROSPECTION_DISABLED  BAD_USER_INPUT (page size)
    checked on the HTTP request (HttpLimitError)
        REQUEST_TOO_LARGE (413)  TOO_MANY_OPERATIONS (400)
    checked on the clock
        EXECUTION_TIMEOUT
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, ValidationContext, ValidationRule
from graphql.language import Node

from gateway.error_rewrite import rewritten

__all__ = [
    "EXECUTION_TIMEOUT",
    "INTROSPECTION_DISABLED",
    "QUERY_TOO_COSTLY",
    "QUERY_TOO_DEEP",
    "QUERY_TOO_LONG",
    "REQUEST_TOO_LARGE",
    "TOO_MANY_ALIASES",
    "TOO_MANY_DIRECTIVES",
    "TOO_MANY_FRAGMENT_SPREADS",
    "TOO_MANY_OPERATIONS",
    "TOO_MANY_SELECTIONS",
    "TOO_MANY_TOKENS",
    "HttpLimitError",
    "coded_rule",
    "limit_error",
    "with_code",
]

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
QUERY_TOO_LONG = "QUERY_TOO_LONG"
TOO_MANY_FRAGMENT_SPREADS = "TOO_MANY_FRAGMENT_SPREADS"
TOO_MANY_DIRECTIVES = "TOO_MANY_DIRECTIVES"
TOO_MANY_SELECTIONS = "TOO_MANY_SELECTIONS"
QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
TOO_MANY_OPERATIONS = "TOO_MANY_OPERATIONS"
EXECUTION_TIMEOUT = "EXECUTION_TIMEOUT"


class HttpLimitError(Exception):
    """A request refused before GraphQL sees it; the HTTP layer answers with ``status``."""

    def __init__(self, status: int, code: str, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extensions = extensions


def limit_error(
    message: str, code: str, *, nodes: list[Node] | None = None, **extensions: Any
) -> GraphQLError:
    """A request error (no ``path``: nothing was executed) with our code."""
    return GraphQLError(message, nodes=nodes, extensions={"code": code, **extensions})


def with_code(error: GraphQLError, code: str, extensions: dict[str, Any]) -> GraphQLError:
    """``error`` with ``extensions.code`` (and ``extensions``) added."""
    return rewritten(error, extensions={**(error.extensions or {}), "code": code, **extensions})


def coded_rule(rule: type[ValidationRule], code: str, **extensions: Any) -> type[ValidationRule]:
    """``rule`` whose errors carry ``code``: Strawberry's limiters report in ``__init__``
    through the context, graphql-core's rules through ``report_error``; both are caught."""

    def init(self: ValidationRule, context: ValidationContext) -> None:
        forward = context.on_error

        def coded(error: GraphQLError) -> None:
            forward(with_code(error, code, extensions))

        # graphql-core's own pattern: ``on_error`` is the callback the context was made with
        context.on_error = coded  # type: ignore[method-assign]
        try:
            rule.__init__(self, context)
        finally:
            context.on_error = forward  # type: ignore[method-assign]

    def report_error(self: ValidationRule, error: GraphQLError) -> None:
        rule.report_error(self, with_code(error, code, extensions))

    namespace = {"__init__": init, "report_error": report_error}
    return type(f"Coded{rule.__name__}", (rule,), namespace)
