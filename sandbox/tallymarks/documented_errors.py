"""Which error statuses each Tallymarks route answers, for its OpenAPI document.

Every ``/api/`` call is authenticated by the edge (401), validates its input (400, never 422),
answers 404 for an id in the path that is not a GUID or names nothing, and 415 for a body that
is not ``application/json``; the edge may throttle (429) or fail (5xx).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.common.declared_responses import Operation

ERROR = "TallymarksError"
_TEXT = {"type": "string"}

SCHEMAS: dict[str, dict[str, Any]] = {
    ERROR: {
        "title": ERROR,
        "description": "docs/vendors/tallymarks.md §3.2: every value is a string",
        "type": "object",
        "required": ["code", "message", "detail", "errors"],
        "properties": {
            "code": _TEXT,
            "message": _TEXT,
            "detail": _TEXT,
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["message", "param", "value"],
                    "properties": {"message": _TEXT, "param": _TEXT, "value": _TEXT},
                },
            },
        },
    }
}

DESCRIPTION = (
    "Errors: every error has the TallymarksError body. A method a path does not serve answers "
    "405 with an `Allow` header; a path no route matches (a trailing slash included) answers 404."
)


def errors_of(op: Operation) -> Mapping[int | str, str | None]:
    errors: dict[int | str, str | None] = {}
    if op.has_input:
        errors[400] = ERROR
    if not op.path.startswith("/api/"):
        return errors
    errors[401] = ERROR
    if op.path_params:
        errors[404] = ERROR
    if op.has_body:
        errors[415] = ERROR
    errors[429] = ERROR
    errors["5XX"] = ERROR
    return errors
