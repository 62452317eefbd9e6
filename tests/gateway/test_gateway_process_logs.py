"""The process's logging as ``python -m gateway`` / ``python -m demo`` set it up
(:func:`configure_process_logging`): with ``json`` every line on stderr is one JSON object
— uvicorn's loggers, any library's, warnings, an exception nobody caught (in the main
thread or another), whose traceback is the ``exception`` field — and the gateway's own
records are written once. Run in a child process: it replaces the process's logging."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import asyncio, logging, threading, warnings
    from gateway.observability.json_logs import (
        configure_logging, configure_process_logging, quiet_lifecycle,
    )

    configure_process_logging("json", "INFO")
    configure_logging("json", "INFO")  # what create_app does: no second handler
    logging.getLogger("uvicorn.error").info("Started server process [1]")
    with quiet_lifecycle():
        logging.getLogger("uvicorn.error").info("a companion's startup")
        logging.getLogger("uvicorn.error").warning("a companion's warning")
    logging.getLogger("gateway.x").info("once", extra={"vendor": "talon"})
    logging.getLogger("httpx").info("HTTP Request: GET http://vendor/customers/1")
    logging.getLogger("some.library").warning("careful")
    try:
        raise asyncio.CancelledError("Task cancelled, timeout graceful shutdown exceeded")
    except asyncio.CancelledError as exc:
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\\n", exc_info=exc)
    logging.getLogger("uvicorn.error").error(
        "Traceback (most recent call last):\\n  File 'x'\\nasyncio.exceptions.CancelledError\\n"
    )
    warnings.warn("deprecated thing", UserWarning)
    thread = threading.Thread(target=lambda: 1 / 0)
    thread.start(); thread.join()
    raise RuntimeError("at the top")
    """
)


def records() -> tuple[int, list[dict[str, Any]]]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(f"not JSON: {line}\n{result.stderr}") from None
    return result.returncode, parsed


def test_every_line_is_json_and_tracebacks_are_fields() -> None:
    code, lines = records()
    by_message = {r["message"]: r for r in lines}

    assert code == 1  # the uncaught exception still fails the process
    assert by_message["Started server process [1]"]["logger"] == "uvicorn.error"
    assert "a companion's startup" not in by_message
    assert by_message["a companion's warning"]["level"] == "WARNING"
    assert [r["vendor"] for r in lines if r["message"] == "once"] == ["talon"]
    assert not any(r["logger"] == "httpx" for r in lines)  # a line per vendor call: no
    assert by_message["careful"]["logger"] == "some.library"
    cancelled = by_message["request cancelled: Task cancelled, timeout graceful shutdown exceeded"]
    assert cancelled["level"] == "WARNING"
    assert "exception" not in cancelled
    lifespan = by_message["the application's lifespan failed"]
    assert lifespan["exception"].startswith("Traceback (most recent call last)")
    assert any("deprecated thing" in r["message"] for r in lines if r["logger"] == "py.warnings")
    thread = by_message["uncaught ZeroDivisionError: division by zero"]
    assert thread["exception"].endswith("ZeroDivisionError: division by zero")
    top = by_message["uncaught RuntimeError: at the top"]
    assert top["level"] == "CRITICAL"
    assert top["exception"].endswith("RuntimeError: at the top")
    for record in lines:
        outside = [v for k, v in record.items() if k != "exception" and isinstance(v, str)]
        assert not any("Traceback" in v for v in outside), record
