"""Refuses ``@defer``/``@stream`` to a client that cannot read an answer in parts.

Such an operation answers as ``multipart/mixed``; a client whose ``Accept`` does not name it
would get a body it cannot parse. It is refused before execution, so no vendor is called,
with ``INCREMENTAL_DELIVERY_NOT_ACCEPTED`` (HTTP 406), as Apollo Router does. The text is
searched first, so an operation without either word costs no walk of its document.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from gateway.incremental import INCREMENTAL_NOT_ACCEPTED, uses_incremental_delivery
from gateway.observability.request_id import current_request

__all__ = ["IncrementalDeliveryGate"]

MESSAGE = (
    "This operation uses @defer or @stream, whose answer comes in parts as multipart/mixed; "
    "add `multipart/mixed` to the Accept header (or remove the directives)."
)


class IncrementalDeliveryGate(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        request = current_request()
        if request is not None and not request.accepts_incremental and _asks_for_parts(context):
            raise GraphQLError(MESSAGE, extensions={"code": INCREMENTAL_NOT_ACCEPTED})
        yield


def _asks_for_parts(context: ExecutionContext) -> bool:
    query = context.query or ""
    if "defer" not in query and "stream" not in query:  # (`@ defer` is legal too)
        return False
    document = context.graphql_document
    return document is not None and uses_incremental_delivery(document)
