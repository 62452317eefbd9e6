"""Slow clients against uvicorn with the gateway's edge guards (both HTTP protocols): headers
must arrive within the header read timeout, a body within the body read timeout; a prompt
client is not affected. Timeouts are short; each check allows generous slack."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from gateway.slow_clients import BodyReadTimeout, EdgeConfig
from gateway.slow_clients.headers import HeaderTimeoutH11Protocol
from gateway.slow_clients.headers_httptools import HeaderTimeoutHttpToolsProtocol
from tests.support.live_server import free_port

HEADERS_TIMEOUT = 0.5
BODY_TIMEOUT = 0.5
#: how much later than its timeout a connection may be closed
SLACK = 1.5
#: timers start when the server accepts, a little before the client starts its clock
EARLY = 0.8
PROTOCOLS = [HeaderTimeoutHttpToolsProtocol, HeaderTimeoutH11Protocol]


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the size of the body it read, or 401 at once for ``/refuse``."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/refuse":
        await send({"type": "http.response.start", "status": 401, "headers": []})
        await send({"type": "http.response.body", "body": b"no"})
        return
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    body = str(size).encode()
    headers = [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@contextmanager
def edge_server(protocol: type) -> Iterator[int]:
    port = free_port()
    config = EdgeConfig(
        BodyReadTimeout(echo, BODY_TIMEOUT),
        header_read_timeout=HEADERS_TIMEOUT,
        http=protocol,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def until_closed(
    port: int, first: bytes, trickle: bytes = b"", every: float = 0.1, limit: float = 5.0
) -> tuple[float, bytes]:
    """Send ``first``, then ``trickle`` every ``every`` s; the seconds until the server
    closed the connection and what it answered (``limit``: it never did)."""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.settimeout(every)
        started = time.monotonic()
        conn.sendall(first)
        received = b""
        while time.monotonic() - started < limit:
            try:
                data = conn.recv(65536)
            except TimeoutError:
                if trickle:
                    try:
                        conn.sendall(trickle)
                    except OSError:
                        break
                continue
            except ConnectionResetError:
                break
            if not data:
                break
            received += data
        return time.monotonic() - started, received


def read_answer(conn: socket.socket) -> bytes:
    """One whole response with a ``content-length``, however it is split into segments."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += conn.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.lower().split(b"\r\n")
    length = next(int(line.split(b":")[1]) for line in lines if line.startswith(b"content-length"))
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


def status_and_body(answer: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_headers_sent_a_byte_at_a_time_get_a_408_and_a_closed_connection(protocol: type) -> None:
    with edge_server(protocol) as port:
        took, answer = until_closed(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", b"a")

    status, body = status_and_body(answer)
    assert HEADERS_TIMEOUT * EARLY <= took < HEADERS_TIMEOUT + SLACK
    assert status == 408
    assert b"connection: close" in answer.lower()
    assert body["errors"][0]["extensions"]["code"] == "REQUEST_TIMEOUT"  # type: ignore[index]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_connection_that_sends_nothing_is_closed_without_an_answer(protocol: type) -> None:
    with edge_server(protocol) as port:
        took, answer = until_closed(port, b"")

    assert HEADERS_TIMEOUT * EARLY <= took < HEADERS_TIMEOUT + SLACK
    assert answer == b""


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_next_request_on_a_kept_alive_connection_has_the_same_limit(protocol: type) -> None:
    first = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    with edge_server(protocol) as port:
        took, answer = until_closed(port, first + b"GET / HTTP/1.1\r\nHost: x\r\n", b"a")

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"HTTP/1.1 408 " in answer
    assert took < HEADERS_TIMEOUT + SLACK


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_body_trickling_past_its_timeout_gets_a_408(protocol: type) -> None:
    head = b"POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 1000\r\n\r\n"
    with edge_server(protocol) as port:
        took, answer = until_closed(port, head, b"x")

    status, body = status_and_body(answer)
    assert BODY_TIMEOUT * EARLY <= took < BODY_TIMEOUT + SLACK
    assert status == 408
    assert body["errors"][0]["extensions"]["code"] == "REQUEST_TIMEOUT"  # type: ignore[index]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_answer_given_before_the_body_was_read_closes_the_connection(protocol: type) -> None:
    head = b"POST /refuse HTTP/1.1\r\nHost: x\r\ncontent-length: 1000\r\n\r\n"
    with edge_server(protocol) as port:
        took, answer = until_closed(port, head, b"x")

    assert answer.startswith(b"HTTP/1.1 401 ")
    assert b"connection: close" in answer.lower()
    assert took < SLACK


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_prompt_requests_are_answered_and_the_connection_kept(protocol: type) -> None:
    body = b"x" * 5000
    post = b"POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 5000\r\n\r\n" + body
    with edge_server(protocol) as port, socket.create_connection(("127.0.0.1", port)) as conn:
        conn.settimeout(5)
        answers = []
        for _ in range(2):
            conn.sendall(post)
            answers.append(read_answer(conn))
            # idle past the header timeout: between requests, the keep-alive timeout rules
            time.sleep(HEADERS_TIMEOUT + 0.3)

    assert all(a.startswith(b"HTTP/1.1 200 ") and a.endswith(b"\r\n\r\n5000") for a in answers)
    assert not any(b"connection: close" in a.lower() for a in answers)
