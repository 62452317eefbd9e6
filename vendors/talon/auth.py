"""``Authorization: ApiKey-v1 <key>`` on every request (Talon.One scheme ``api_key_v1``)."""

from __future__ import annotations

from collections.abc import Generator

import httpx
from pydantic import SecretStr

__all__ = ["TalonAuth"]


class TalonAuth(httpx.Auth):
    """Adds the Integration API key; the key never appears in ``repr``."""

    def __init__(self, api_key: SecretStr) -> None:
        self._api_key = api_key

    def headers(self) -> dict[str, str]:
        """The header, for a client that builds its requests' headers once."""
        return {"Authorization": f"ApiKey-v1 {self._api_key.get_secret_value()}"}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self.headers())
        yield request

    def apply(self, request: httpx.Request) -> httpx.Request:
        """Sign ``request`` in place (for requests sent through a shared client)."""
        return next(self.auth_flow(request))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r})"
