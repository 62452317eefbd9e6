"""A gateway process for the serving tests, and what ``/proc`` tells about it: which
processes it spawned and which of them holds a given TCP connection (Linux only)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = [
    "GatewayProcess",
    "graphql_request",
    "served_by_workers",
    "start_gateway",
    "wait_for",
    "wait_for_workers",
    "workers_of",
]


@dataclass
class GatewayProcess:
    proc: subprocess.Popen[bytes]
    url: str
    port: int
    log: Path

    def printed(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(condition: object, what: str, timeout: float = 60.0) -> None:
    """Poll ``condition()`` until it is true; fail naming ``what`` after ``timeout``."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def start_gateway(
    command: list[str], env: dict[str, str], port: int, log: Path, *, ready_line: str
) -> Iterator[GatewayProcess]:
    """Start ``command`` in a process group of its own; yield once it printed ``ready_line``
    and ``/healthz`` answers. At the end the whole group is killed, so a worker can never
    outlive a failed test."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    gateway = GatewayProcess(proc, f"http://127.0.0.1:{port}", port, log)
    try:
        deadline = time.monotonic() + 90
        while not (ready_line in gateway.printed() and _answers(f"{gateway.url}/healthz")):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the gateway did not start:\n{gateway.printed()[-3000:]}")
            time.sleep(0.1)
        yield gateway
    finally:
        if proc.poll() is None:  # not reaped yet: its pid is still its group's id
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def holder_of(conn: socket.socket, candidates: list[int]) -> int | None:
    """Which of ``candidates`` holds the server side of the client socket ``conn``."""
    client_port = conn.getsockname()[1]
    server_port = conn.getpeername()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if (
            int(local.split(":")[1], 16) == server_port
            and int(remote.split(":")[1], 16) == client_port
        ):
            inode = fields[9]
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in candidates:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return pid
            except OSError:
                continue
    return None


def workers_of(supervisor: int) -> list[int]:
    """uvicorn's worker processes (not multiprocessing's resource tracker)."""
    found = []
    for child in children(supervisor):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:
            found.append(child)
    return found


def wait_for_workers(supervisor: int, count: int) -> list[int]:
    wait_for(lambda: len(workers_of(supervisor)) == count, f"{count} worker processes", 60)
    return workers_of(supervisor)


def served_by_workers(
    port: int,
    workers: Callable[[], list[int]],
    count: int,
    request: bytes,
    *,
    supervisor: int | None = None,
    timeout: float = 120.0,
) -> dict[int, bytes]:
    """Send ``request`` (raw HTTP/1.1, keep-alive) on fresh connections to ``port``, each
    answered by whichever worker accepts it, until ``workers()`` are ``count`` processes
    and each has answered one: ``{worker pid: the response body it sent}``, for those.

    uvicorn's supervisor replaces a worker that does not answer its 5 s health check, which
    on a loaded machine can be one still importing the app: the workers are looked up
    afresh on every round, and the ones that count are the ones serving at the end. The
    ``supervisor``, if given, must never be the one answering."""
    served_by: dict[int, bytes] = {}
    deadline = time.monotonic() + timeout
    while True:
        current = workers()
        if len(current) == count and set(current) <= served_by.keys():
            return {pid: served_by[pid] for pid in current}
        if time.monotonic() > deadline:
            raise AssertionError(f"workers {current}: only {sorted(served_by)} answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
                conn.sendall(request)
                body = _read_response(conn)
                holder = holder_of(conn, [*current, *([supervisor] if supervisor else [])])
        except ConnectionError:
            continue  # its worker was replaced while answering
        assert supervisor is None or holder != supervisor, "the supervisor answered, not a worker"
        if holder is not None:  # None: held by a worker that has just replaced one
            served_by[holder] = body


def _read_response(conn: socket.socket) -> bytes:
    """The body of a 200 answer with a Content-Length; the connection stays open."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionResetError(f"closed before an answer: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    assert length is not None, head
    while len(body) < int(length[1]):
        chunk = conn.recv(65536)
        assert chunk, body
        body += chunk
    return body


def graphql_request(query: str, api_key: str) -> bytes:
    """A raw keep-alive POST of ``query`` to /graphql."""
    payload = json.dumps({"query": query}).encode()
    head = (
        "POST /graphql HTTP/1.1\r\nHost: gateway\r\ncontent-type: application/json\r\n"
        f"x-api-key: {api_key}\r\ncontent-length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload
