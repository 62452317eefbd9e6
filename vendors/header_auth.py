"""The vendors' authentication is headers only: one :class:`httpx.Auth` shape for all three.

A tenant client builds its signed headers once from :meth:`HeaderAuth.headers` (the pooled
``httpx`` client is shared by tenants); the flow is there for a client of one tenant.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator

import httpx
from pydantic import SecretStr

__all__ = ["ApiKeyAuth", "HeaderAuth"]


class HeaderAuth(httpx.Auth, ABC):
    """Signs a request by adding the vendor's headers; nothing is ever answered back."""

    @abstractmethod
    def headers(self) -> dict[str, str]:
        """The headers, for a client that builds its requests' headers once."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self.headers())
        yield request

    def sign(self, request: httpx.Request) -> httpx.Request:
        """Apply the flow's one step to a request built for a shared, tenant-less client."""
        return next(self.auth_flow(request))


class ApiKeyAuth(HeaderAuth):
    """Auth by one secret API key, which never shows in a repr."""

    def __init__(self, api_key: SecretStr) -> None:
        self._api_key = api_key

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key={self._api_key!r})"
