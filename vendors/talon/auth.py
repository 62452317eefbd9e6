"""``Authorization: ApiKey-v1 <key>`` on every request (Talon.One scheme ``api_key_v1``)."""

from __future__ import annotations

from vendors.header_auth import ApiKeyAuth

__all__ = ["TalonAuth"]


class TalonAuth(ApiKeyAuth):
    """Adds the Integration API key; the key never appears in ``repr``."""

    def headers(self) -> dict[str, str]:
        """The header, for a client that builds its requests' headers once."""
        return {"Authorization": f"ApiKey-v1 {self._api_key.get_secret_value()}"}

    #: this class's name for :meth:`~vendors.header_auth.HeaderAuth.sign`
    apply = ApiKeyAuth.sign
