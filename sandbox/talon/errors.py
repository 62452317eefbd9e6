"""Talon.One error bodies, and which one each operation answers with.

Two bodies exist (docs/vendors/talon.md §3.1, §3.2):

- ``ErrorResponse`` ``{message, errors}`` — the 400 of updateCustomerSessionV2,
  getCustomerSession, returnCartItems, trackEvent (v1) and createReferral (and, our [G]
  choice, the v1 session update);
- ``ErrorResponseWithStatus`` ``{message, errors, StatusCode}`` — every 401, 404 and audience
  409, and the 400 of every other operation.

The 409 for overlapping requests is an untyped object: ``{"message": ...}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

BodyKind = Literal["plain", "with_status", "bare"]

#: operations whose 400 body is ``ErrorResponse`` (everything else: ``ErrorResponseWithStatus``)
PLAIN_400_OPERATIONS = frozenset(
    {
        "updateCustomerSessionV2",
        "getCustomerSession",
        "returnCartItems",
        "trackEvent",
        "createReferral",
        "updateCustomerSession",
    }
)

INVALID_DATA = "The submitted data was invalid"


def api_error(
    title: str,
    details: str | None = None,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
    resource: str | None = None,
) -> dict[str, Any]:
    """One ``APIError`` with exactly one ``source`` member set."""
    source: dict[str, str] = {}
    if pointer is not None:
        source["pointer"] = pointer
    elif parameter is not None:
        source["parameter"] = parameter
    elif resource is not None:
        source["resource"] = resource
    error: dict[str, Any] = {"title": title}
    if details is not None:
        error["details"] = details
    error["source"] = source
    return error


class TalonError(Exception):
    """A Talon.One error answer. ``kind`` None means: the operation's usual 400 body."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: Sequence[dict[str, Any]] = (),
        *,
        kind: BodyKind | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = list(errors)
        self.kind = kind

    def body_kind(self, operation_id: str | None) -> BodyKind:
        if self.kind is not None:
            return self.kind
        if self.status == 400 and operation_id in PLAIN_400_OPERATIONS:
            return "plain"
        return "with_status"

    def response(self, operation_id: str | None) -> JSONResponse:
        kind = self.body_kind(operation_id)
        body: dict[str, Any] = {"message": self.message}
        if kind != "bare":
            body["errors"] = self.errors
        if kind == "with_status":
            body["StatusCode"] = self.status
        return JSONResponse(body, status_code=self.status)


def bad_request(
    title: str,
    details: str,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
    message: str = INVALID_DATA,
) -> TalonError:
    return TalonError(
        400, message, [api_error(title, details, pointer=pointer, parameter=parameter)]
    )


def not_found(details: str, *, resource: str | None = None) -> TalonError:
    return TalonError(
        404, "Not found", [api_error("Not found", details, resource=resource)], kind="with_status"
    )


def unauthorized(details: str) -> TalonError:
    return TalonError(
        401,
        "Invalid API key",
        [api_error("Unauthorized", details, parameter="Authorization")],
        kind="with_status",
    )


def conflict_in_progress() -> TalonError:
    return TalonError(
        409,
        "Too many requests - avoid parallel requests: another request for this customer "
        "session or profile is still being processed",
        kind="bare",
    )


def server_error() -> TalonError:
    return TalonError(
        500,
        "Internal server error",
        [api_error("Internal server error", "An unexpected error occurred.")],
        kind="with_status",
    )


# --- request validation → Talon 400 -------------------------------------------------------

_TITLES = {
    "missing": "required",
    "json_invalid": "Invalid JSON",
    "enum": "enum",
    "literal_error": "enum",
    "string_too_long": "maxLength",
    "string_too_short": "minLength",
    "too_long": "maxItems",
    "too_short": "minItems",
    "greater_than_equal": "minimum",
    "greater_than": "minimum",
    "less_than_equal": "maximum",
    "less_than": "maximum",
    "extra_forbidden": "Unknown",
}


def _title(error_type: str) -> str:
    if error_type in _TITLES:
        return _TITLES[error_type]
    return "Invalid type"


def _pointer(loc: Sequence[Any]) -> str:
    return "".join(f"/{part}" for part in loc)


def validation_errors(exc: RequestValidationError) -> TalonError:
    """Translate FastAPI/pydantic validation errors into Talon's 400 ``errors`` list."""
    errors: list[dict[str, Any]] = []
    for err in exc.errors():
        loc = list(err.get("loc", ()))
        where, rest = (loc[0], loc[1:]) if loc else ("body", [])
        err_type = str(err.get("type", ""))
        details = str(err.get("msg", "invalid value"))
        if err_type == "json_invalid":
            errors.append(
                api_error("Invalid JSON", "The request body is not valid JSON.", pointer="")
            )
        elif where == "body":
            errors.append(api_error(_title(err_type), details, pointer=_pointer(rest)))
        else:
            name = str(rest[0]) if rest else str(where)
            errors.append(api_error(_title(err_type), details, parameter=name))
    return TalonError(400, INVALID_DATA, errors)
