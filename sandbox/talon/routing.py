"""The route class of every Talon.One endpoint: authentication first, Talon bodies always.

Each route is named by its Talon.One ``operationId``. Before FastAPI reads the body, the
``Authorization`` header is checked (``ApiKey-v1 <key>`` → the key's Application; optionally
``Bearer <management token>`` on the two audience DELETEs, docs/vendors/talon.md §1.3), so a request
without a valid key gets 401 whatever else is wrong with it. Every failure inside the route — our
own :class:`TalonError`, request validation, an unexpected exception — is answered with the
operation's Talon error body, never FastAPI's ``{"detail": ...}``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.talon.context import TalonContext
from sandbox.talon.errors import (
    TalonError,
    api_error,
    server_error,
    unauthorized,
    validation_errors,
)
from sandbox.talon.store import AppData

logger = logging.getLogger("sandbox.talon")

BEARER_OPERATIONS = frozenset({"deleteAudienceV2", "deleteAudienceMembershipsV2"})


def authenticate(request: Request, operation_id: str | None) -> AppData:
    ctx: TalonContext = request.app.state.talon
    header = request.headers.get("authorization", "").strip()
    scheme, _, credential = header.partition(" ")
    credential = credential.strip()
    if not header:
        raise unauthorized("The Authorization header is missing.")
    if scheme == "ApiKey-v1":
        app = ctx.store.by_key.get(credential)
        if app is not None:
            return app
        raise unauthorized("The API key is not valid.")
    if (
        scheme == "Bearer"
        and operation_id in BEARER_OPERATIONS
        and ctx.options.accept_bearer_on_audience_deletes
    ):
        account = ctx.store.by_token.get(credential)
        if account is not None:
            return next(a for a in ctx.store.apps.values() if a.account is account)
        raise unauthorized("The management token is not valid.")
    raise unauthorized("Use 'Authorization: ApiKey-v1 <key>'.")


def http_error(exc: StarletteHTTPException) -> TalonError:
    if exc.status_code == 400:
        return TalonError(
            400, "Bad request", [api_error("Bad request", str(exc.detail), pointer="")]
        )
    return TalonError(exc.status_code, str(exc.detail), kind="with_status")


class TalonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()
        operation_id = self.operation_id

        async def handler(request: Request) -> Response:
            try:
                request.state.talon_app = authenticate(request, operation_id)
                return await original(request)
            except TalonError as exc:
                return exc.response(operation_id)
            except RequestValidationError as exc:
                return validation_errors(exc).response(operation_id)
            except StarletteHTTPException as exc:
                return http_error(exc).response(operation_id)
            except Exception:
                logger.exception("unexpected error in %s", operation_id)
                return server_error().response(operation_id)

        return handler
