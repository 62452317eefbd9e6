"""Why a request was not authenticated. The reason goes to the client in
``extensions.reason`` (so a mobile app knows to refresh an expired token); the message never
quotes the credential."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AuthenticationError", "AuthenticationUnavailableError", "Reason"]


class Reason(StrEnum):
    MISSING_CREDENTIALS = "MISSING_CREDENTIALS"
    INVALID_API_KEY = "INVALID_API_KEY"
    INVALID_TOKEN = "INVALID_TOKEN"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    UNKNOWN_TENANT = "UNKNOWN_TENANT"


class AuthenticationError(Exception):
    """401: the credentials are missing or not valid."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class AuthenticationUnavailableError(Exception):
    """503: a token could not be checked because its keys (a JWKS URL) are unreachable."""
