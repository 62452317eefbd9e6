"""Logs as one JSON object per line, each with the request id of the request it belongs to.

Two scopes:

- :func:`configure_logging` (``create_app``): a handler on the ``gateway`` logger only, so an
  app embedded in someone else's process leaves their logging alone; records keep
  propagating, so a host's own logging (or pytest) still sees them.
- :func:`process_log_config` (``python -m gateway`` / ``python -m demo``, which own the
  process): one handler on the root logger for everything (uvicorn's startup and shutdown,
  Strawberry, asyncio, warnings, uncaught exceptions), given to uvicorn as its
  ``log_config`` so every worker process applies it too. The gateway logger then adds no
  handler of its own, so nothing is written twice.

Fields given with ``extra=`` become keys of the object; a traceback is the ``exception``
field, never lines of its own. No module logs a credential; the access log
(:mod:`.access_log`) chooses its fields for that reason.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import logging.config
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal, TextIO

from gateway.observability.request_id import current_request_id

__all__ = [
    "JsonFormatter",
    "RequestIdFilter",
    "configure_logging",
    "configure_process_logging",
    "formatter_for",
    "process_log_config",
    "quiet_lifecycle",
]

LOGGER = "gateway"
_TRACEBACK = "Traceback (most recent call last)"
LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

#: attributes every LogRecord has; anything else on a record came from ``extra=``
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",  # uvicorn's coloured copy of the message
    "taskName",
}

#: set while a server other than the gateway runs (the demo's sandboxes): their startup
#: and shutdown lines would repeat the gateway's, so only their warnings are kept
_QUIET = contextvars.ContextVar("cg_quiet_lifecycle", default=False)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


class QuietLifecycleFilter(logging.Filter):
    """Drops uvicorn's INFO lines of servers running under :func:`quiet_lifecycle`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            _QUIET.get() and record.levelno < logging.WARNING and record.name.startswith("uvicorn")
        )


class CancelledRequestFilter(logging.Filter):
    """uvicorn logs a request cancelled when the graceful timeout ran out as an ASGI
    exception with a ``CancelledError`` traceback: it is an expected end, so it becomes one
    WARNING line without a stack. (Only an answer cut in the middle of its body gets here:
    one not yet started is answered 503 ``SHUTTING_DOWN`` by :mod:`.shutdown`.) A lifespan
    failure arrives with its traceback as the message: that goes to the ``exception``
    field."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.name.startswith("uvicorn") and message.startswith(_TRACEBACK):
            # the lifespan's failure, sent by Starlette as text: the text is the traceback
            record.msg, record.args = "the application's lifespan failed", None
            record.exception = message  # an extra field, as the formatter writes it
        exc = record.exc_info[1] if record.exc_info else None
        if record.name.startswith("uvicorn") and isinstance(exc, asyncio.CancelledError):
            record.msg, record.args = "request cancelled: %s", (exc.args[0] if exc.args else "-",)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


@contextmanager
def quiet_lifecycle() -> Iterator[None]:
    """Within (and in tasks started within) this block, uvicorn logs warnings only."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id", …extra, "exception"}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id() or "-",
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def formatter_for(fmt: LogFormat) -> logging.Formatter:
    """The formatter of ``CG_LOG_FORMAT`` (a ``()`` factory for ``dictConfig``)."""
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a record arrives (not when the handler was
    made), so a handler outliving a redirected stderr (pytest's capture) never writes to a
    closed stream."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:  # StreamHandler.setStream; nothing to keep
        del value


class ProcessHandler(_StderrHandler):
    """The root logger's handler when the process is ours (:func:`process_log_config`)."""


def _process_handler() -> ProcessHandler | None:
    return next((h for h in logging.getLogger().handlers if isinstance(h, ProcessHandler)), None)


def configure_logging(fmt: LogFormat, level: str) -> logging.Handler:
    """Install (or replace) the gateway's log handler; idempotent, so every app built in
    one process (the tests build many) shares one handler. Under :func:`process_log_config`
    only the level is set: the root handler already writes the gateway's records."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level.upper())
    for handler in list(logger.handlers):
        if isinstance(handler, _StderrHandler):
            logger.removeHandler(handler)
    process = _process_handler()
    if process is not None:
        return process
    handler = _StderrHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter_for(fmt))
    logger.addHandler(handler)
    return handler


def process_log_config(fmt: LogFormat, level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document sending every logger (uvicorn's included)
    through one handler and formatter; uvicorn's ``log_config`` for the gateway's server."""
    this = __name__
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": f"{this}.RequestIdFilter"},
            "quiet_lifecycle": {"()": f"{this}.QuietLifecycleFilter"},
            "cancelled": {"()": f"{this}.CancelledRequestFilter"},
        },
        "formatters": {"cg": {"()": f"{this}.formatter_for", "fmt": fmt}},
        "handlers": {
            "cg": {
                "()": f"{this}.ProcessHandler",
                "formatter": "cg",
                "filters": ["request_id", "quiet_lifecycle", "cancelled"],
            }
        },
        "loggers": {
            # uvicorn's own handlers would write plain text; its records go to the root's
            **{
                name: {"handlers": [], "propagate": True, "level": level.upper()}
                for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
            },
            # a line per vendor call, with its URL: the gateway's own vendor metrics, spans
            # and error lines say what matters (the vendors logger)
            **{name: {"level": "WARNING"} for name in ("httpx", "httpcore")},
        },
        "root": {"handlers": ["cg"], "level": level.upper()},
    }


def configure_process_logging(fmt: LogFormat, level: str) -> dict[str, Any]:
    """Apply :func:`process_log_config` now (before the app is built) and route what
    would bypass logging through it: warnings and uncaught exceptions (the main thread's
    and other threads'), whose tracebacks then sit in the ``exception`` field. Returns
    the config, for uvicorn to apply again in each worker process."""
    logging.config.dictConfig(process_log_config(fmt, level))
    logging.captureWarnings(True)
    log = logging.getLogger("gateway.process")

    def uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught %s: %s", kind.__name__, value, exc_info=(kind, value, tb))

    def uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            uncaught(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = uncaught
    threading.excepthook = uncaught_in_thread
    return process_log_config(fmt, level)
