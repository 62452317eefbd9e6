"""The request id: accepted from ``X-Request-Id`` when it is a plain token, generated
otherwise, and carried for the whole request in a contextvar, so logs, the GraphQL context
and every upstream call (including dataloader batches, which run in tasks that copy the
context) see the same id without passing it around."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from gateway.request_state import RequestState

__all__ = [
    "REQUEST_ID_HEADER",
    "accept_request_id",
    "current_request",
    "current_request_id",
    "request_scope",
]

REQUEST_ID_HEADER = "X-Request-Id"

#: what a caller's id may look like: no spaces, quotes or control characters, so it cannot
#: forge a log line or a header when it is passed on to a vendor
_SAFE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def accept_request_id(presented: str | None) -> str:
    """The caller's id when it is a safe token, else a fresh one."""
    if presented and _SAFE_ID.fullmatch(presented):
        return presented
    return uuid.uuid4().hex


_current: ContextVar[RequestState | None] = ContextVar("cg_request", default=None)


def current_request() -> RequestState | None:
    return _current.get()


def current_request_id() -> str | None:
    """The id of the request being served (None outside one)."""
    state = _current.get()
    return state.request_id if state is not None else None


@contextmanager
def request_scope(state: RequestState) -> Iterator[RequestState]:
    """Makes ``state`` the current request for the block."""
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)
