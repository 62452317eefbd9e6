"""Slow clients at the HTTP edge: a connection may take at most ``CG_HEADER_READ_TIMEOUT``
to send a request's headers and ``CG_BODY_READ_TIMEOUT`` to send its body, so slowloris
connections are closed instead of being held open for as long as the client likes."""

from gateway.slow_clients.body import BodyReadTimeout
from gateway.slow_clients.headers import EdgeConfig, header_timeout_protocol

__all__ = ["BodyReadTimeout", "EdgeConfig", "header_timeout_protocol"]
