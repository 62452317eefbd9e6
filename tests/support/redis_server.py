"""A real ``redis-server`` on a free loopback port for a test, without persistence; it can
be killed and started again on the same port (the "Redis dies mid-run" tests).

``make test`` installs Debian's redis-server when it is missing; without it these tests
skip locally and fail in CI (``CI=true``)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pytest
import redis

from tests.support.live_server import free_port

__all__ = ["RedisServer", "redis_server"]


class RedisServer:
    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("redis-server is missing (make test installs it)")
            pytest.skip("redis-server is not installed (make test installs it)")
        with (self.workdir / f"redis-{self.port}.log").open("ab") as log:
            self.proc = self._spawn(binary, log)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=0.5)
        try:
            self._wait_until_up(client)
        finally:
            client.close()

    def _spawn(self, binary: str, log: BinaryIO) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
                # DEBUG SLEEP makes a slow Redis for the degradation tests
                "--enable-debug-command",
                "local",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def _wait_until_up(self, client: redis.Redis) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + 15
        while True:
            try:
                if client.ping():
                    break
            except redis.RedisError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no goodbye to the clients, the data is lost."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    server = RedisServer(workdir)
    server.start()
    try:
        yield server
    finally:
        server.kill()
