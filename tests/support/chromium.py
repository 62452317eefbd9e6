"""Headless Chromium (Debian's ``chromium``, which ``make test`` installs), driven over the
DevTools protocol on a pipe (``--remote-debugging-pipe``): no driver library, no websocket.

Chromium reads commands on its fd 3 and writes replies and events on fd 4, each message a
JSON object ended by a NUL byte.
"""

from __future__ import annotations

import io
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import pytest

__all__ = ["Browser", "DevToolsError", "Page", "headless_chromium", "require_chromium"]

#: a headless run, quiet and self-contained (no network but the pages it is sent to)
FLAGS = (
    "--headless",
    "--no-sandbox",  # root in a container: Chromium's sandbox needs user namespaces
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
    "--remote-debugging-pipe",
)

#: runs Chromium with our pipe ends as its fds 3 and 4: moved above 9 first, so that
#: neither lands on the other's target (dash's redirections stop at fd 9, and a
#: preexec_fn is unsafe in a process with threads)
_EXEC_ON_FDS_3_AND_4 = (
    "import fcntl, os, sys; "
    "r, w = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3]); "
    "os.dup2(r, 3); os.dup2(w, 4); os.close(r); os.close(w); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)


class DevToolsError(RuntimeError):
    """Chromium answered a command with an error (or went away)."""


def require_chromium() -> str:
    """The browser's path; missing → a failure in CI (``CI=true``), else a skip."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "chromium is not installed (make test installs Debian's chromium)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


class _Pipe:
    """Numbered commands out, replies matched by id; events are ignored."""

    def __init__(self, to_browser: BinaryIO, from_browser: io.BufferedReader) -> None:
        self._out = to_browser
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next_id = 0
        threading.Thread(target=self._read, args=(from_browser,), daemon=True).start()

    def _read(self, from_browser: io.BufferedReader) -> None:
        pending = b""
        while chunk := from_browser.read1(65536):
            pending += chunk
            *messages, pending = pending.split(b"\0")
            for message in messages:
                decoded = json.loads(message)
                if "id" in decoded:
                    self._replies.put(decoded)
        self._replies.put(None)

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            command["sessionId"] = session
        try:
            self._out.write(json.dumps(command).encode() + b"\0")
            self._out.flush()
        except BrokenPipeError as error:
            raise DevToolsError("chromium has exited") from error
        while True:
            reply = self._replies.get(timeout=30)
            if reply is None:
                raise DevToolsError("chromium has exited")
            if reply["id"] == self._next_id:
                break
        if "error" in reply:
            raise DevToolsError(f"{method}: {reply['error'].get('message')}")
        result: dict[str, Any] = reply.get("result", {})
        return result


class Page:
    """One tab."""

    def __init__(self, pipe: _Pipe, session: str) -> None:
        self._pipe = pipe
        self._session = session

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (``None`` if it throws)."""
        result = self._pipe.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self._session,
        )
        if "exceptionDetails" in result:
            return None
        return result["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 30) -> Any:
        """Polls until the expression is truthy, and returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except DevToolsError:  # e.g. the page is still navigating
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still falsy after {timeout} s: {expression}")
            time.sleep(0.05)

    def click(self, x: float, y: float) -> None:
        """A real left click (press, release) at viewport coordinates."""
        for kind in ("mousePressed", "mouseReleased"):
            self._pipe.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                session=self._session,
            )


class Browser:
    def __init__(self, pipe: _Pipe) -> None:
        self._pipe = pipe

    def open(self, url: str) -> Page:
        """A tab in a fresh browser context: no cookies or storage from earlier tabs."""
        context = self._pipe.call("Target.createBrowserContext")["browserContextId"]
        target = self._pipe.call("Target.createTarget", {"url": url, "browserContextId": context})[
            "targetId"
        ]
        attached = self._pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        return Page(self._pipe, attached["sessionId"])


@contextmanager
def headless_chromium(executable: str) -> Iterator[Browser]:
    """A fresh headless Chromium (its own empty profile), closed afterwards."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        browser_reads, ours_to_browser = os.pipe()
        ours_from_browser, browser_writes = os.pipe()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _EXEC_ON_FDS_3_AND_4,
                str(browser_reads),
                str(browser_writes),
                executable,
                *FLAGS,
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            pass_fds=(browser_reads, browser_writes),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(browser_reads)
        os.close(browser_writes)
        with os.fdopen(ours_to_browser, "wb") as out, os.fdopen(ours_from_browser, "rb") as inp:
            pipe = _Pipe(out, inp)
            try:
                yield Browser(pipe)
            finally:
                try:
                    pipe.call("Browser.close")
                except (DevToolsError, queue.Empty):
                    proc.kill()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
