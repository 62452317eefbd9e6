"""Omnidesk authentication: the account's API key in the ``apiKey`` header.

See docs/vendors/omnidesk.md §1.2.
"""

from __future__ import annotations

from vendors.header_auth import ApiKeyAuth

__all__ = ["API_KEY_HEADER", "OmnideskAuth"]

API_KEY_HEADER = "apiKey"


class OmnideskAuth(ApiKeyAuth):
    """Adds ``apiKey: <key>`` to each request; the key never shows in a repr."""

    def headers(self) -> dict[str, str]:
        """The header, for a client that builds its requests' headers once."""
        return {API_KEY_HEADER: self._api_key.get_secret_value()}
