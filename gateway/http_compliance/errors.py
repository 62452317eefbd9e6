"""A request refused by the HTTP layer, before GraphQL sees it: the status, the headers
the status calls for (``Allow`` with 405) and a GraphQL-shaped error with our code."""

from __future__ import annotations

from typing import Any

__all__ = ["HttpRejectionError"]


class HttpRejectionError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extensions = extensions

    def error(self) -> dict[str, Any]:
        """The GraphQL error, as JSON."""
        return {"message": self.message, "extensions": {"code": self.code, **self.extensions}}
