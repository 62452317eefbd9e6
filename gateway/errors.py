"""How failures reach GraphQL clients. Every error carries ``extensions.code``; vendor
failures also say which vendor and whether a retry may help. Nothing else leaves: no
stack trace, vendor body, credential or internal path.

::

    GatewayError (code)                  raised by resolvers for expected outcomes
    ├── BadUserInputError                BAD_USER_INPUT, names the argument
    ├── NotFoundError                    NOT_FOUND
    ├── ForbiddenError                   FORBIDDEN
    └── ConflictError                    CONFLICT
    VendorError (gateway.vendors.errors) mapped by :func:`vendor_error_extensions`
    anything else                        INTERNAL_SERVER_ERROR, message masked
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from gateway.resilience.circuit_breaker import CircuitOpenError
from gateway.vendors.errors import (
    VendorConflictError,
    VendorError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnauthorizedError,
    VendorUnreachableError,
)

log = logging.getLogger("gateway.errors")

__all__ = [
    "BadUserInputError",
    "ConflictError",
    "ForbiddenError",
    "GatewayError",
    "NotFoundError",
    "format_error",
    "vendor_error_extensions",
]


class GatewayError(Exception):
    """An expected failure with a client-facing message and code."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInputError(GatewayError):
    code = "BAD_USER_INPUT"

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


_VENDOR_CODES: tuple[tuple[type[VendorError], str], ...] = (
    (VendorTimeoutError, "UPSTREAM_TIMEOUT"),
    (VendorUnreachableError, "UPSTREAM_UNAVAILABLE"),
    (VendorRateLimitedError, "RATE_LIMITED"),
    (VendorNotFoundError, "NOT_FOUND"),
    (VendorConflictError, "CONFLICT"),
    (VendorInvalidInputError, "BAD_USER_INPUT"),
    (VendorUnauthorizedError, "UPSTREAM_UNAUTHORIZED"),
)

_VENDOR_MESSAGES = {
    "UPSTREAM_TIMEOUT": "{vendor} did not answer in time.",
    "UPSTREAM_UNAVAILABLE": "{vendor} is unavailable.",
    "RATE_LIMITED": "{vendor} is rate limiting requests.",
    "NOT_FOUND": "{vendor} has no such record.",
    "CONFLICT": "{vendor} refused a conflicting change.",
    "BAD_USER_INPUT": "{vendor} refused the input.",
    "UPSTREAM_UNAUTHORIZED": "The gateway's credentials for {vendor} were refused.",
    "UPSTREAM_ERROR": "{vendor} failed.",
}

VENDOR_NAMES = {"tallymarks": "Tallymarks", "omnidesk": "Omnidesk", "talon": "Talon.One"}


def vendor_error_code(error: VendorError) -> str:
    for cls, code in _VENDOR_CODES:
        if isinstance(error, cls):
            return code
    return "UPSTREAM_ERROR"


def vendor_error_extensions(error: VendorError) -> tuple[str, dict[str, Any]]:
    """A safe message and the extensions for a vendor failure."""
    code = vendor_error_code(error)
    name = VENDOR_NAMES.get(error.vendor, error.vendor)
    extensions: dict[str, Any] = {
        "code": code,
        "vendor": error.vendor,
        "retryable": error.retryable,
    }
    if isinstance(error, VendorRateLimitedError) and error.retry_after is not None:
        extensions["retryAfter"] = error.retry_after
    if isinstance(error, VendorInvalidInputError) and error.field:
        extensions["field"] = error.field
    if isinstance(error, CircuitOpenError):
        extensions["circuit"] = "open"
        if error.retry_after is not None:
            extensions["retryAfter"] = round(error.retry_after, 1)
    return _VENDOR_MESSAGES[code].format(vendor=name), extensions


def format_error(error: GraphQLError) -> GraphQLError:
    """The client-facing form of one execution error (parse/validation errors pass as is)."""
    original = error.original_error
    if original is None:
        return error
    if isinstance(original, GatewayError):
        return _with(error, original.message, {"code": original.code, **original.extensions})
    if isinstance(original, VendorError):
        message, extensions = vendor_error_extensions(original)
        return _with(error, message, extensions)
    log.error("unexpected error in a resolver", exc_info=original)
    return _with(error, "Internal server error.", {"code": "INTERNAL_SERVER_ERROR"})


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
