"""The one way a request is refused before the GraphQL router answers it: authentication's
401/503, the rate limit's 429, the server's shutdown 503, a slow client's 408.

A refusal reads like every other answer of the endpoint: a GraphQL error body written by
:func:`~gateway.http_compliance.json_answer.encode_answer`, in the media type
:func:`~gateway.http_compliance.negotiation.negotiate` picks from the request's ``Accept``
(``q`` values honoured), with ``; charset=utf-8`` and a ``content-length``. A client that
accepts neither JSON type still gets ``application/json``: a refusal is not the place for a
406, and its body must stay readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.types import Send

from gateway.http_compliance.negotiation import JSON, negotiate
from gateway.http_compliance.responses import HttpResponse, error_response

__all__ = ["refusal", "send_answer", "send_refusal"]

Header = tuple[bytes, bytes]


def refusal(
    status: int,
    errors: list[dict[str, Any]],
    accept: str | None,
    headers: Sequence[Header] = (),
) -> HttpResponse:
    """The answer refusing a request whose ``Accept`` header is ``accept`` (``None``: not
    known, as when its headers never arrived); ``headers`` go out beside the typed ones
    (a name may repeat, as ``www-authenticate`` does)."""
    answer = error_response(status, negotiate(accept) or JSON, errors)
    return HttpResponse(status, [*headers, *answer.headers], answer.body)


async def send_refusal(
    send: Send,
    status: int,
    errors: list[dict[str, Any]],
    accept: str | None,
    headers: Sequence[Header] = (),
) -> None:
    """Sends :func:`refusal` over ASGI ``send``, as the whole answer."""
    await send_answer(send, refusal(status, errors, accept, headers))


async def send_answer(send: Send, answer: HttpResponse) -> None:
    """Sends ``answer`` over ASGI ``send``, in one body message."""
    start = {"type": "http.response.start", "status": answer.status, "headers": answer.headers}
    await send(start)
    await send({"type": "http.response.body", "body": answer.body})
