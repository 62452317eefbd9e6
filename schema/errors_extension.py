"""Formats every execution error for clients (see :mod:`gateway.errors`)."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gateway.errors import format_error


class GatewayErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [format_error(e) for e in result.errors]
