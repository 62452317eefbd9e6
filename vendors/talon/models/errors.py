"""Talon.One's error bodies (``ErrorResponse`` and ``ErrorResponseWithStatus``), as far as
:func:`vendors.talon.errors.parse_error` reads them: the message, and the first error's
title and where it points."""

from __future__ import annotations

from vendors.talon.models._base import TalonModel

__all__ = ["APIError", "ErrorResponseWithStatus", "ErrorSource"]


class ErrorSource(TalonModel):
    """Normally exactly one key is set."""

    #: a JSON pointer into the payload, e.g. ``/customerSession/state``
    pointer: str | None = None
    #: the query parameter at fault
    parameter: str | None = None


class APIError(TalonModel):
    title: str
    source: ErrorSource


class ErrorResponseWithStatus(TalonModel):
    """Every key optional, so it also reads an ``ErrorResponse`` body."""

    message: str | None = None
    errors: list[APIError] | None = None
