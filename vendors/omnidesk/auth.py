"""Omnidesk authentication: the account's API key in the ``apiKey`` header.

See docs/vendors/omnidesk.md §1.2.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx
from pydantic import SecretStr

__all__ = ["API_KEY_HEADER", "OmnideskAuth"]

API_KEY_HEADER = "apiKey"


class OmnideskAuth(httpx.Auth):
    """Adds ``apiKey: <key>`` to each request; the key never shows in a repr."""

    def __init__(self, api_key: SecretStr) -> None:
        self._api_key = api_key

    def headers(self) -> dict[str, str]:
        """The header, for a client that builds its requests' headers once."""
        return {API_KEY_HEADER: self._api_key.get_secret_value()}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self.headers())
        yield request

    def sign(self, request: httpx.Request) -> httpx.Request:
        """Apply the flow's one step to a request built for a shared, tenant-less client."""
        return next(self.auth_flow(request))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r})"
