"""The Tallymarks error body and every way a request can end in it.

Body (docs/vendors/tallymarks.md §3.2 [D]; every value a string)::

    {"code": "...", "message": "...", "detail": "...",
     "errors": [{"message": "...", "param": "...", "value": "..."}]}

The ``code`` strings are not documented ([G]); these are the sandbox's stable choices.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

# codes (docs/vendors/tallymarks.md §3.3 [G]: chosen here, stable)
UNAUTHORIZED = "Unauthorized"
NOT_FOUND = "NotFound"
METHOD_NOT_ALLOWED = "MethodNotAllowed"
UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType"
VALIDATION_FAILED = "ValidationFailed"
INVALID_JSON = "InvalidJson"
CUSTOMER_NOT_FOUND = "CustomerNotFound"
CUSTOMER_ALREADY_EXISTS = "CustomerAlreadyExists"
EMAIL_ALREADY_REGISTERED = "EmailAlreadyRegistered"
EMAIL_ALREADY_EXISTS = "EmailAlreadyExists"
SEGMENT_NOT_FOUND = "SegmentNotFound"
SEGMENT_NOT_ACTIVE = "SegmentNotActive"
MEMBERSHIP_NOT_FOUND = "SegmentMembershipNotFound"
ACCOUNT_LOCKED = "AccountLocked"
INSUFFICIENT_BALANCE = "InsufficientBalance"
INTERNAL_ERROR = "InternalServerError"

_KNOWN = frozenset(s.value for s in HTTPStatus)


class TallymarksError(Exception):
    """Raised by routes; rendered as the standard error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: str = "",
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.errors = errors or []

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "detail": self.detail,
            "errors": self.errors,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status)


def field_error(message: str, param: str, value: object = "") -> dict[str, str]:
    return {"message": message, "param": param, "value": as_text(value)}


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    try:
        return json.dumps(value, default=str, separators=(",", ":"))
    except (TypeError, ValueError):
        return str(value)


def invalid(param: str, message: str, value: object = "") -> TallymarksError:
    """A 400 about one input field."""
    return TallymarksError(
        400,
        VALIDATION_FAILED,
        "One or more validation errors occurred.",
        message,
        [field_error(message, param, value)],
    )


def customer_not_found(customer_id: str, status: int = 404) -> TallymarksError:
    return TallymarksError(
        status,
        CUSTOMER_NOT_FOUND,
        "Customer Not Found",
        f"No customer {customer_id} in this tenant.",
        [field_error("Customer Not Found", "customerId", customer_id)],
    )


def not_found(path: str) -> TallymarksError:
    return TallymarksError(404, NOT_FOUND, "Not Found", f"No resource at {path}.")


def internal_error() -> TallymarksError:
    return TallymarksError(
        500, INTERNAL_ERROR, "An unexpected error occurred.", "The server failed to respond."
    )


def _param(loc: tuple[int | str, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def invalid_json() -> TallymarksError:
    message = "The request body is not valid JSON."
    return TallymarksError(
        400, INVALID_JSON, "Invalid request body.", message, [field_error(message, "body")]
    )


def validation_error(exc: RequestValidationError) -> TallymarksError:
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return invalid_json()
    items = []
    for e in errors:
        value = "" if e.get("type") == "missing" else e.get("input", "")
        items.append(field_error(str(e.get("msg", "Invalid value.")), _param(e["loc"]), value))
    return TallymarksError(
        400,
        VALIDATION_FAILED,
        "One or more validation errors occurred.",
        items[0]["message"],
        items,
    )


def _http_error(request: Request, exc: StarletteHTTPException) -> TallymarksError:
    if exc.status_code == 404:
        return not_found(request.url.path)
    if exc.status_code == 405:
        return TallymarksError(
            405,
            METHOD_NOT_ALLOWED,
            "Method Not Allowed",
            f"{request.method} is not allowed on {request.url.path}.",
        )
    if exc.status_code == 400:
        # FastAPI's "error parsing the body": a body that is not even decodable text
        return invalid_json()
    # any other framework status: the status's own name, in the style of the codes above
    phrase = HTTPStatus(exc.status_code).phrase if exc.status_code in _KNOWN else "Error"
    return TallymarksError(exc.status_code, phrase.replace(" ", ""), str(exc.detail), "")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette names only the first route's)."""
    path = request.url.path
    methods: set[str] = set()
    for route in request.app.router.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods - {"HEAD"})


def install_error_handlers(app: FastAPI) -> None:
    """Every failure becomes the Tallymarks body (never FastAPI's ``{"detail": …}``)."""

    async def on_vendor_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TallymarksError)
        return exc.response()

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_error(exc).response()

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        response = _http_error(request, exc).response()
        if exc.status_code == 405:
            response.headers["allow"] = ", ".join(_allowed_methods(request))
        return response

    app.add_exception_handler(TallymarksError, on_vendor_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
