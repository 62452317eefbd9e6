"""Makes a sandbox's OpenAPI document declare what its routes really answer.

FastAPI documents a 422 for every route with input and nothing else; the sandboxes never answer
422 (each vendor answers bad input with 400 in its own error body) and do answer 400, 401, 403,
404, 409, 415, 429 and 5xx. Each vendor says, per operation, which error statuses it answers and
with which of its error body schemas; this module rewrites the generated document once, so the
document a client (or schemathesis) reads matches the behaviour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

#: what the fault middleware's edge answers a 5xx with (sandbox.common.vendor_app.EDGE_5XX_BODY)
EDGE_HTML = {"text/html": {"schema": {"type": "string"}}}

REASONS: dict[int | str, str] = {
    200: "OK",
    400: "Bad Request: the input is invalid",
    401: "Unauthorized: missing or unknown credentials",
    403: "Forbidden: the credentials lack the permission",
    404: "Not Found: no such resource (or a path that matches no route)",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests (the edge's rate limit)",
    "5XX": "Server error: the vendor's own error body, or the edge proxy's HTML page",
}

#: a status answered with no body at all (no content type either)
NO_BODY = None


@dataclass(frozen=True)
class Operation:
    """The facts about one documented operation that decide which errors it can answer."""

    method: str
    path: str
    operation_id: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    has_body: bool

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def has_input(self) -> bool:
        return bool(self.path_params or self.query_params or self.has_body)

    @classmethod
    def of(cls, method: str, path: str, spec: Mapping[str, Any]) -> Operation:
        params = spec.get("parameters") or []
        return cls(
            method=method,
            path=path,
            operation_id=str(spec.get("operationId", "")),
            path_params=tuple(p["name"] for p in params if p.get("in") == "path"),
            query_params=tuple(p["name"] for p in params if p.get("in") == "query"),
            has_body="requestBody" in spec,
        )


#: per operation: status (an int, or "5XX") → body schema component name, or NO_BODY
ErrorsOf = Callable[[Operation], Mapping[int | str, str | None]]


def declare_responses(
    app: FastAPI,
    *,
    schemas: Mapping[str, dict[str, Any]],
    errors_of: ErrorsOf,
    description: str | None = None,
) -> FastAPI:
    """Wrap ``app.openapi`` so the document declares ``errors_of(op)`` and no 422.

    ``schemas`` are the vendor's error body schemas, added as components; ``description`` is
    appended to the document's own (for what cannot be said per operation, such as 405).
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        _rewrite(document, schemas, errors_of)
        if description:
            info = document.setdefault("info", {})
            info["description"] = f"{info.get('description', '').rstrip()}\n\n{description}"
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _rewrite(
    document: dict[str, Any], schemas: Mapping[str, dict[str, Any]], errors_of: ErrorsOf
) -> None:
    for path, operations in document.get("paths", {}).items():
        for method, spec in operations.items():
            responses: dict[str, Any] = spec.setdefault("responses", {})
            responses.pop("422", None)
            for status, component in errors_of(Operation.of(method, path, spec)).items():
                responses[str(status)] = _response(status, component)
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    components.update(schemas)


def _response(status: int | str, component: str | None) -> dict[str, Any]:
    reason = REASONS.get(status, str(status))
    if component is NO_BODY:
        return {"description": reason}
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
    }
    if status == "5XX":
        content.update(EDGE_HTML)
    return {"description": reason, "content": content}
