"""The schema extension that observes each GraphQL operation: its latency by name, its
span (the parent of the dataloader batches and upstream calls it causes), the error codes
in its response, and — when it was refused before execution — the refusal's reason.

A refusal is a result with no data and only request errors (no ``path``), which is how
every limit, parse and validation error ends; its reason is the error's
``extensions.code`` (``QUERY_TOO_DEEP`` …), else ``GRAPHQL_PARSE_FAILED`` /
``GRAPHQL_VALIDATION_FAILED``. Put it first in the schema's extension list so it sees the
errors as clients will (after :class:`schema.errors_extension.GatewayErrors`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from graphql import GraphQLError
from opentelemetry.trace import Span, set_span_in_context
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionContext

from gateway.context import GraphQLContext
from gateway.incremental import initial_of
from gateway.observability.request_id import current_request
from gateway.observability.telemetry import Telemetry
from gateway.observability.trace_context import trace_id_of
from gateway.observability.tracing import mark_failed, name_operation

__all__ = ["OperationTelemetry"]

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


class OperationTelemetry(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if not isinstance(context, GraphQLContext):  # the schema run without the app
            yield
            return
        telemetry = context.services.telemetry
        started = time.perf_counter()
        with telemetry.tracing.operation() as span:
            raised: list[GraphQLError] | None = None
            try:
                yield
            except GraphQLError as error:  # refused in an extension hook (tokens, the parser cache)
                raised = [error]
                telemetry.metrics.reject(_code(error) or _default_reason(self.execution_context))
                raise
            except BaseException:  # cancelled (the execution timeout) or crashed
                raised = []
                raise
            finally:
                _finish(telemetry, self.execution_context, span, started, raised)


def _finish(
    telemetry: Telemetry,
    execution: ExecutionContext,
    span: Span | None,
    started: float,
    raised: list[GraphQLError] | None,
) -> None:
    name, operation_type = _identify(execution)
    label = telemetry.metrics.observe_operation(name, operation_type, time.perf_counter() - started)
    request = current_request()
    if request is not None:
        request.operations.append(label)
        if span is not None:  # a caller's trace id when it was trusted, else a new one
            request.trace_id = trace_id_of(set_span_in_context(span)) or request.trace_id
    errors = raised if raised is not None else _result_errors(execution)
    telemetry.metrics.count_errors(_code(e) for e in errors)
    if raised is None and _refused(execution, errors):
        for reason in sorted({_code(e) or _default_reason(execution) for e in errors}):
            telemetry.metrics.reject(reason)
    if span is not None:
        name_operation(span, label, operation_type)
        if errors:
            span.set_attribute("graphql.error.count", len(errors))
            span.set_attribute("cg.error_codes", sorted({_code(e) or "UNCODED" for e in errors}))
        if errors and _data_is_none(execution):
            mark_failed(span, _code(errors[0]) or "GRAPHQL_ERROR")


def _identify(execution: ExecutionContext) -> tuple[str | None, str]:
    """The operation's name and type (``unknown`` when the document did not parse)."""
    try:
        operation_type = execution.operation_type.value
    except RuntimeError:  # no document, or no operation of that name
        operation_type = "unknown"
    return execution.operation_name, operation_type


def _result_errors(execution: ExecutionContext) -> Sequence[GraphQLError]:
    result = initial_of(execution.result)  # an answer in parts: its first part
    return list(result.errors or []) if result is not None else []


def _data_is_none(execution: ExecutionContext) -> bool:
    result = initial_of(execution.result)
    return result is None or result.data is None


def _refused(execution: ExecutionContext, errors: Sequence[GraphQLError]) -> bool:
    return bool(errors) and _data_is_none(execution) and all(not e.path for e in errors)


def _default_reason(execution: ExecutionContext) -> str:
    return PARSE_FAILED if execution.graphql_document is None else VALIDATION_FAILED


def _code(error: GraphQLError) -> str | None:
    code = (error.extensions or {}).get("code")
    return code if isinstance(code, str) else None
