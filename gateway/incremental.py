"""Incremental delivery (``@defer``/``@stream``) as the rest of the gateway sees it.

An operation with ``@defer`` or ``@stream`` executes into graphql-core's
:class:`~graphql.ExperimentalIncrementalExecutionResults`: an initial result, answered at
once, and later payloads produced while the HTTP response streams as ``multipart/mixed``.
The schema extensions finish with the initial result, so two things happen here instead:

- :func:`initial_of` gives the extensions the part that carries ``data`` and ``errors``, so
  error codes, metrics and the persisted-document cache read it like a plain result;
- :func:`coded_payloads` formats every later payload's errors as the initial ones are (a
  code on each, no internals), including the partial-data errors that deferred fields record
  on the request context after the extensions have run.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import Any, Protocol

from graphql import (
    BREAK,
    DirectiveNode,
    DocumentNode,
    ExperimentalIncrementalExecutionResults,
    GraphQLError,
    SubsequentIncrementalExecutionResult,
    Visitor,
    visit,
)

from gateway.errors import format_error, log_error

__all__ = [
    "INCREMENTAL_NOT_ACCEPTED",
    "coded_payloads",
    "initial_of",
    "is_incremental",
    "uses_incremental_delivery",
]

#: the directives that make an operation answer in parts
INCREMENTAL_DIRECTIVES = frozenset({"defer", "stream"})
#: an operation with ``@defer``/``@stream`` from a client whose Accept lacks
#: ``multipart/mixed`` (HTTP 406): it could not read the parts
INCREMENTAL_NOT_ACCEPTED = "INCREMENTAL_DELIVERY_NOT_ACCEPTED"


def is_incremental(result: object) -> bool:
    return isinstance(result, ExperimentalIncrementalExecutionResults)


def initial_of(result: Any) -> Any:
    """The result whose ``data`` and ``errors`` the client receives first."""
    if isinstance(result, ExperimentalIncrementalExecutionResults):
        return result.initial_result
    return result


def uses_incremental_delivery(document: DocumentNode) -> bool:
    """Whether a parsed document names ``@defer`` or ``@stream`` anywhere (a directive of
    a fragment counts: spreading it defers)."""
    finder = _IncrementalDirectives()
    visit(document, finder)
    return finder.found


class _IncrementalDirectives(Visitor):
    found = False

    def enter_directive(self, node: DirectiveNode, *_: object) -> object:
        if node.name.value in INCREMENTAL_DIRECTIVES:
            self.found = True
            return BREAK
        return None


class RecordsPartialErrors(Protocol):
    """The request context's list of errors of fields that still answered (partial data),
    with their paths (:class:`gateway.context.GraphQLContext`)."""

    partial_errors: list[tuple[Exception, tuple[str | int, ...]]]


def coded_payloads(
    results: ExperimentalIncrementalExecutionResults, context: RecordsPartialErrors
) -> ExperimentalIncrementalExecutionResults:
    """``results`` whose later payloads carry coded errors (see the module docstring)."""
    seen = len(context.partial_errors)

    async def later() -> AsyncGenerator[SubsequentIncrementalExecutionResult, None]:
        nonlocal seen
        stream = results.subsequent_results
        try:
            async for payload in stream:
                fresh = context.partial_errors[seen:]
                seen += len(fresh)
                _code_payload(payload, [_located(error, path) for error, path in fresh])
                yield payload
        finally:
            await stream.aclose()

    return results._replace(subsequent_results=later())


def _located(error: Exception, path: Sequence[str | int]) -> GraphQLError:
    return GraphQLError(str(error), path=list(path), original_error=error)


def _code_payload(
    payload: SubsequentIncrementalExecutionResult, partial: list[GraphQLError]
) -> None:
    items = list(payload.incremental or ())
    for item in [*items, *(payload.completed or ())]:
        if item.errors:
            item.errors = _coded(item.errors)
    if partial and items:
        # a deferred field's partial-data error travels with the part that holds the field
        last = items[-1]
        last.errors = [*(last.errors or []), *_coded(partial)]


def _coded(errors: Sequence[GraphQLError]) -> list[GraphQLError]:
    coded = [format_error(e, executing=True) for e in errors]
    for error in coded:
        log_error(error)
    return coded
