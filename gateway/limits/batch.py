"""Operations per request: one. Strawberry's query batching stays off (its batched
operations would share one context, and so one set of partial errors), so a JSON array
of operations is refused with a clear error instead of a generic "bad request"."""

from __future__ import annotations

from gateway.limits.errors import TOO_MANY_OPERATIONS, HttpLimitError

__all__ = ["MAX_OPERATIONS", "check_operation_count"]

MAX_OPERATIONS = 1


def check_operation_count(payload: object) -> None:
    """Refuses a batch (a JSON array) of operations."""
    if isinstance(payload, list):
        raise HttpLimitError(
            400,
            TOO_MANY_OPERATIONS,
            f"Send one operation per request ({_sent(len(payload))} as a batch); "
            "batching is not supported.",
            operations=len(payload),
            maxOperations=MAX_OPERATIONS,
        )


def _sent(count: int) -> str:
    """``1 was sent``, ``3 were sent``: the message reads right for every count."""
    return f"{count} {'was' if count == 1 else 'were'} sent"
