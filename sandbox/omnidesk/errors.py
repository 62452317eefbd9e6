"""Omnidesk's error body, ``{"status": "error", "message": "…"}``, for every failure.

See docs/vendors/omnidesk.md §3.2.

Validation failures are HTTP 400. FastAPI's own failures (422 validation, 404 unknown route,
405, unexpected exceptions) are answered with the same body so no framework default ever
leaks out of the sandbox.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

ROUTE_NOT_FOUND = "This endpoint does not exist."
METHOD_NOT_ALLOWED = "This method is not allowed on this endpoint."
INTERNAL_ERROR = "An internal error occurred."


class OmnideskError(Exception):
    """Raised by routes and rules; answered as the vendor's error body."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def error_body(message: str) -> dict[str, Any]:
    return {"status": "error", "message": message}


def error_response(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse(error_body(message), status_code=status)


def field_error(name: str, problem: str) -> OmnideskError:
    """A 400 whose message names the field (clients extract it from ``Field '<name>'``)."""
    return OmnideskError(f"Field '{name}' {problem}")


def install_error_handlers(app: FastAPI) -> None:
    async def omnidesk_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, OmnideskError)
        return error_response(exc.message, exc.status)

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return error_response(ROUTE_NOT_FOUND, 404)
        if exc.status_code == 405:
            return error_response(METHOD_NOT_ALLOWED, 405)
        return error_response(str(exc.detail), exc.status_code)

    async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        location = errors[0].get("loc", ()) if errors else ()
        name = str(location[-1]) if location else "request"
        return error_response(f"Field '{name}' is invalid.", 400)

    app.add_exception_handler(OmnideskError, omnidesk_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(InternalErrorMiddleware)


class InternalErrorMiddleware:
    """Answers an unexpected exception with the vendor's 500 body (and logs it).

    Starlette's own ``Exception`` handler re-raises after answering, which would crash an
    in-process test transport; this middleware swallows it like a real PHP front end would.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("omnidesk sandbox: unexpected error")
            if started:
                raise
            await error_response(INTERNAL_ERROR, 500)(scope, receive, send)
