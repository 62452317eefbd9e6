"""How failures reach GraphQL clients. Every error carries ``extensions.code``; vendor
failures also say which vendor and whether a retry may help. Nothing else leaves: no
stack trace, vendor body, credential or internal path.

::

    GatewayError (code)                  raised by resolvers for expected outcomes
    ├── BadUserInputError                BAD_USER_INPUT, names the argument
    ├── NotFoundError                    NOT_FOUND
    ├── ForbiddenError                   FORBIDDEN
    └── ConflictError                    CONFLICT
    VendorError (vendors.errors) mapped by :func:`vendor_error_extensions`
    anything else                        INTERNAL_SERVER_ERROR, message masked

Errors of the request itself get Apollo's codes: ``GRAPHQL_PARSE_FAILED``,
``GRAPHQL_VALIDATION_FAILED``, and ``BAD_USER_INPUT`` for variables that could not be
coerced (or an argument value refused at run time). A client's mistake is logged at INFO
without a stack; only a fault of the gateway is logged at ERROR, with its traceback.
"""

from __future__ import annotations

import logging
import math
from typing import Any, NamedTuple

from graphql import GraphQLError, GraphQLSyntaxError

from gateway.error_rewrite import rewritten
from vendors import errors as vendor_errors
from vendors.resilience.circuit_breaker import CircuitOpenError

log = logging.getLogger("gateway.errors")

__all__ = [
    "BAD_USER_INPUT",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "INTERNAL_SERVER_ERROR",
    "BadUserInputError",
    "ConflictError",
    "ForbiddenError",
    "GatewayError",
    "NotFoundError",
    "format_error",
    "log_error",
    "vendor_error_extensions",
    "whole_seconds",
]

GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class GatewayError(Exception):
    """An expected failure with a client-facing message and code."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInputError(GatewayError):
    code = BAD_USER_INPUT

    def __init__(self, message: str, *, argument: str | None = None, **extra: Any) -> None:
        if argument is not None:
            extra["argument"] = argument
        super().__init__(message, **extra)


class NotFoundError(GatewayError):
    code = "NOT_FOUND"


class ForbiddenError(GatewayError):
    code = "FORBIDDEN"


class ConflictError(GatewayError):
    code = "CONFLICT"


class _VendorFailure(NamedTuple):
    """How the gateway tells one kind of vendor failure: its code and its safe message."""

    kind: type[vendor_errors.VendorError]
    code: str
    message: str


#: the first row whose kind matches tells the failure; any other is UPSTREAM_ERROR
_VENDOR_FAILURES = (
    _VendorFailure(
        vendor_errors.VendorTimeoutError, "UPSTREAM_TIMEOUT", "{vendor} did not answer in time."
    ),
    _VendorFailure(
        vendor_errors.VendorUnreachableError, "UPSTREAM_UNAVAILABLE", "{vendor} is unavailable."
    ),
    _VendorFailure(
        vendor_errors.VendorRateLimitedError, "RATE_LIMITED", "{vendor} is rate limiting requests."
    ),
    _VendorFailure(vendor_errors.VendorNotFoundError, "NOT_FOUND", "{vendor} has no such record."),
    _VendorFailure(
        vendor_errors.VendorConflictError, "CONFLICT", "{vendor} refused a conflicting change."
    ),
    _VendorFailure(
        vendor_errors.VendorInvalidInputError, "BAD_USER_INPUT", "{vendor} refused the input."
    ),
    _VendorFailure(
        vendor_errors.VendorUnauthorizedError,
        "UPSTREAM_UNAUTHORIZED",
        "The gateway's credentials for {vendor} were refused.",
    ),
)
_OTHER_FAILURE = _VendorFailure(vendor_errors.VendorError, "UPSTREAM_ERROR", "{vendor} failed.")

VENDOR_NAMES = {"tallymarks": "Tallymarks", "omnidesk": "Omnidesk", "talon": "Talon.One"}


def _failure(error: vendor_errors.VendorError) -> _VendorFailure:
    return next((f for f in _VENDOR_FAILURES if isinstance(error, f.kind)), _OTHER_FAILURE)


def vendor_error_code(error: vendor_errors.VendorError) -> str:
    return _failure(error).code


def vendor_error_extensions(error: vendor_errors.VendorError) -> tuple[str, dict[str, Any]]:
    """A safe message and the extensions for a vendor failure."""
    failure = _failure(error)
    name = VENDOR_NAMES.get(error.vendor, error.vendor)
    extensions: dict[str, Any] = {
        "code": failure.code,
        "vendor": error.vendor,
        "retryable": error.retryable,
    }
    if isinstance(error, vendor_errors.VendorRateLimitedError) and error.retry_after is not None:
        extensions["retryAfter"] = whole_seconds(error.retry_after)
    if isinstance(error, vendor_errors.VendorInvalidInputError) and error.field:
        extensions["field"] = error.field
    if isinstance(error, CircuitOpenError):
        extensions["circuit"] = "open"
        if error.retry_after is not None:
            extensions["retryAfter"] = whole_seconds(error.retry_after)
    return failure.message.format(vendor=name), extensions


def whole_seconds(seconds: float) -> int:
    """``retryAfter`` as ``Retry-After`` has it: whole seconds, rounded up (never 0, which
    would invite an immediate retry), the same for the gateway's 429 and a vendor's."""
    return max(1, math.ceil(seconds))


def format_error(error: GraphQLError, *, executing: bool = True) -> GraphQLError:
    """The client-facing form of one error. ``executing``: whether execution had begun,
    so that an error without a path is about the variables or the operation name (before
    it, about the document)."""
    original = error.original_error
    if original is None:
        if (error.extensions or {}).get("code"):
            return error
        if error.path is None:
            return _with(error, error.message, {"code": _request_code(error, executing)})
    if isinstance(original, GatewayError):
        return _with(error, original.message, {"code": original.code, **original.extensions})
    if isinstance(original, vendor_errors.VendorError):
        message, extensions = vendor_error_extensions(original)
        return _with(error, message, extensions)
    if _is_input_coercion(error):
        return _with(error, error.message, {"code": BAD_USER_INPUT})
    log.error("unexpected error in a resolver: %s", error.message, exc_info=original)
    return _with(error, "Internal server error.", {"code": INTERNAL_SERVER_ERROR})


def log_error(error: GraphQLError) -> None:
    """Logs a formatted error that is the client's doing (INFO) or a vendor's (WARNING),
    without a stack; :func:`format_error` has logged a fault of the gateway's own at ERROR."""
    extensions = error.extensions or {}
    code = extensions.get("code")
    if code == INTERNAL_SERVER_ERROR:
        return
    vendor_fault = code in _VENDOR_FAULTS or extensions.get("retryable") is True
    level = logging.WARNING if vendor_fault else logging.INFO
    log.log(level, "%s: %s", code, error.message, extra={"code": code})


#: vendor outcomes an operator should see (a 404 or a refused input is the client's)
_VENDOR_FAULTS = frozenset(
    {"UPSTREAM_TIMEOUT", "UPSTREAM_UNAVAILABLE", "UPSTREAM_UNAUTHORIZED", "UPSTREAM_ERROR"}
)


def _request_code(error: GraphQLError, executing: bool) -> str:
    if isinstance(error, GraphQLSyntaxError):
        return GRAPHQL_PARSE_FAILED
    return BAD_USER_INPUT if executing else GRAPHQL_VALIDATION_FAILED


def _is_input_coercion(error: GraphQLError) -> bool:
    """graphql-core refusing a value the client sent: a variable (no path: execution did
    not start) or an argument coerced at run time (the refusal points at the value)."""
    original = error.original_error
    if not isinstance(original, GraphQLError):
        return False
    return error.path is None or bool(original.nodes)


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    """What the client sees: our message and extensions, never the cause behind them."""
    return rewritten(error, message=message, extensions=extensions, drop_cause=True)
