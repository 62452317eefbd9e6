"""What one HTTP request learns as it passes the layers, in one typed object.

The outermost middleware (gateway.observability) starts it with the request id; the layers
below fill in who is calling, why the request was refused, when it arrived and the GraphQL
context it ran with; the access log reads it at the end. It lives on the ASGI scope (under
``scope["state"]``, where Starlette keeps per-request state), so every layer that is handed
the scope finds the same object through :meth:`RequestState.of`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from starlette.types import Scope

if TYPE_CHECKING:
    from cache.read_ledger import ReadLedger
    from gateway.auth.principal import Principal

__all__ = ["OperationOutcome", "RequestState"]

#: the one key this module owns in ``scope["state"]``
_SCOPE_KEY = "cg.request"


class OperationOutcome(Protocol):
    """What the response cache asks of the operation a request ran. The GraphQL context
    (gateway.context) is one; named by this protocol because the context's module sits
    above the layers that read this one."""

    @property
    def operation_type(self) -> str | None: ...
    @property
    def operation_name(self) -> str | None: ...
    @property
    def answer_cacheable(self) -> bool: ...
    @property
    def reads(self) -> ReadLedger: ...
    def release(self) -> None:
        """The answer has left: drop what the operation read."""


@dataclass
class RequestState:
    """One request's state; only this module reads or writes its place on the scope."""

    request_id: str
    #: ``time.perf_counter()`` when the gateway first saw the request
    started_at: float = field(default_factory=time.perf_counter)
    #: the GraphQL operations it ran (label-safe names, see ``metrics.OperationNames``)
    operations: list[str] = field(default_factory=list)
    #: who is calling, once authenticated (None before, and for the GraphiQL page)
    principal: Principal | None = None
    #: the ``extensions.code`` of a refusal made before execution, for the metrics
    rejected: str | None = None
    #: ``time.monotonic()`` when the response cache looked the request up: invalidations
    #: published by other replicas before it are applied first
    arrived_at: float | None = None
    #: the context the operation ran with (its reads decide whether the answer is cached)
    context: OperationOutcome | None = None
    #: the W3C trace id it ran under (a trusted caller's, or its operation span's), if any
    trace_id: str | None = None
    #: the client's Accept names ``multipart/mixed``: ``@defer``/``@stream`` may answer in parts
    accepts_incremental: bool = False

    @property
    def tenant(self) -> str | None:
        return self.principal.tenant if self.principal is not None else None

    @classmethod
    def begin(cls, scope: Scope, request_id: str) -> RequestState:
        """A fresh state for the request ``scope`` describes, attached to it."""
        state = cls(request_id)
        scope.setdefault("state", {})[_SCOPE_KEY] = state
        return state

    @classmethod
    def of(cls, scope: Scope) -> RequestState:
        """The request's state; begun here, with a new id, when no outer layer began it
        (an app mounted without the observability middleware)."""
        found = scope.get("state", {}).get(_SCOPE_KEY)
        if isinstance(found, RequestState):
            return found
        return cls.begin(scope, uuid.uuid4().hex)
