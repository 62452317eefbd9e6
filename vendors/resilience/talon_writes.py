"""Talon.One writes, queued per customer session and profile.

Talon.One processes one request at a time per session or profile and answers **409** to a second one
that overlaps it (docs/vendors/talon.md §3.3). :class:`QueuedTalonClient` is the Talon client with
its session, profile and event calls taken in turn per key, so two gateway requests for one session
wait for each other instead of failing. A 409 that still comes back (another client of the same
Application, outside this gateway) is retried once after ``overlap_retry_delay``: Talon refused it
before doing anything, so resending is safe even for a POST.

Keys: ``(Application, "session", session id)`` for session calls, ``(Application,
"profile", profile id)`` for profile and event calls — the scopes Talon locks. The
Application is a one-way fingerprint of its base URL and API key (two tenants sharing one
Application share its locks, as they do at Talon).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from vendors.credential_scope import credential_scope
from vendors.errors import VendorConflictError
from vendors.http import VendorHttp
from vendors.resilience.write_queue import WriteQueue
from vendors.talon.client import OVERLAP_CONFLICT_CODE, TalonClient
from vendors.talon.config import TalonConfig
from vendors.talon.models import (
    CustomerProfileIntegrationRequestV2,
    IntegrationEventV2Request,
    IntegrationRequest,
    IntegrationState,
    IntegrationStateV2,
    NewCustomerProfile,
    NewCustomerSession,
    NewEvent,
    ReturnIntegrationRequest,
)

__all__ = ["QueuedTalonClient"]

T = TypeVar("T")
SESSION = "session"
PROFILE = "profile"


class QueuedTalonClient(TalonClient):
    """:class:`TalonClient` whose session, profile and event calls wait their turn."""

    def __init__(
        self,
        http: VendorHttp,
        config: TalonConfig,
        *,
        queue: WriteQueue,
        overlap_retry_delay: float = 0.25,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(http, config)
        self._queue = queue
        self._retry_delay = overlap_retry_delay
        self._sleep = sleep
        self._application = credential_scope(config.base_url, config.api_key.get_secret_value())

    # -- profiles ---------------------------------------------------------------------------

    async def update_customer_profile_v2(
        self,
        integration_id: str,
        body: CustomerProfileIntegrationRequestV2,
        *,
        run_rule_engine: bool = False,
        dry: bool = False,
    ) -> IntegrationStateV2:
        parent = super().update_customer_profile_v2
        return await self._in_turn(
            PROFILE,
            integration_id,
            lambda: parent(integration_id, body, run_rule_engine=run_rule_engine, dry=dry),
        )

    async def update_customer_profile_v1(
        self, integration_id: str, body: NewCustomerProfile, *, dry: bool = False
    ) -> IntegrationState:
        parent = super().update_customer_profile_v1
        return await self._in_turn(
            PROFILE, integration_id, lambda: parent(integration_id, body, dry=dry)
        )

    async def delete_customer_data(self, integration_id: str) -> None:
        parent = super().delete_customer_data
        await self._in_turn(PROFILE, integration_id, lambda: parent(integration_id))

    # -- sessions ---------------------------------------------------------------------------

    async def update_customer_session_v2(
        self, customer_session_id: str, body: IntegrationRequest, *, dry: bool = False
    ) -> IntegrationStateV2:
        parent = super().update_customer_session_v2
        return await self._in_turn(
            SESSION, customer_session_id, lambda: parent(customer_session_id, body, dry=dry)
        )

    async def update_customer_session_v1(
        self, customer_session_id: str, body: NewCustomerSession, *, dry: bool = False
    ) -> IntegrationState:
        parent = super().update_customer_session_v1
        return await self._in_turn(
            SESSION, customer_session_id, lambda: parent(customer_session_id, body, dry=dry)
        )

    async def return_cart_items(
        self, customer_session_id: str, body: ReturnIntegrationRequest, *, dry: bool = False
    ) -> IntegrationStateV2:
        parent = super().return_cart_items
        return await self._in_turn(
            SESSION, customer_session_id, lambda: parent(customer_session_id, body, dry=dry)
        )

    # -- events -----------------------------------------------------------------------------

    async def track_event(self, body: NewEvent, *, dry: bool = False) -> IntegrationState:
        parent = super().track_event
        kind, key = (PROFILE, body.profile_id) if body.profile_id else (SESSION, body.session_id)
        return await self._in_turn(kind, key, lambda: parent(body, dry=dry))

    async def track_event_v2(
        self, body: IntegrationEventV2Request, *, silent: bool = True, dry: bool = False
    ) -> IntegrationStateV2 | None:
        parent = super().track_event_v2
        return await self._in_turn(
            PROFILE, body.profile_id, lambda: parent(body, silent=silent, dry=dry)
        )

    # -- plumbing ---------------------------------------------------------------------------

    def queue_key(self, kind: str, ident: str) -> tuple[Any, ...]:
        """The write-queue key of one session or profile of this Application."""
        return (self._application, kind, ident)

    async def _in_turn(self, kind: str, ident: str | None, call: Callable[[], Awaitable[T]]) -> T:
        if not ident:  # nothing Talon would lock on (it refuses the call itself)
            return await call()
        async with self._queue.turn(self.queue_key(kind, ident)):
            try:
                return await call()
            except VendorConflictError as exc:
                if exc.code != OVERLAP_CONFLICT_CODE:
                    raise
            await self._sleep(self._retry_delay)
            return await call()
