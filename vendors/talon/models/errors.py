"""Talon.One's two error bodies (``ErrorResponse`` and ``ErrorResponseWithStatus``)."""

from __future__ import annotations

from pydantic import Field

from vendors.talon.models._base import TalonModel

__all__ = ["APIError", "ErrorResponse", "ErrorResponseWithStatus", "ErrorSource"]


class ErrorSource(TalonModel):
    """Normally exactly one key is set."""

    #: a JSON pointer into the payload, e.g. ``/customerSession/state``
    pointer: str | None = None
    #: the query parameter at fault
    parameter: str | None = None
    line: str | None = None
    resource: str | None = None


class APIError(TalonModel):
    title: str
    source: ErrorSource
    details: str | None = None


class ErrorResponse(TalonModel):
    message: str
    errors: list[APIError] | None = None


class ErrorResponseWithStatus(TalonModel):
    """Every key optional, so it also reads an ``ErrorResponse`` body."""

    message: str | None = None
    errors: list[APIError] | None = None
    #: capital ``S``, exactly as Talon.One spells it
    status_code: int | None = Field(default=None, alias="StatusCode")
