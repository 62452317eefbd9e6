"""From request headers to a :class:`Principal`: a bearer token when an ``Authorization:
Bearer`` header is sent (it wins over ``X-API-Key``), else the API key."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping

from gateway.auth.api_keys import API_KEY_HEADER, ApiKeyAuthenticator, ApiKeys
from gateway.auth.errors import AuthenticationError, Reason
from gateway.auth.jwt_settings import JwtSettings
from gateway.auth.jwt_tokens import JwtAuthenticator
from gateway.auth.principal import Principal

__all__ = ["Authenticator"]

log = logging.getLogger("gateway.auth")


class Authenticator:
    """Every way in, and the tenants a principal may belong to."""

    def __init__(
        self,
        api_keys: ApiKeyAuthenticator,
        jwt: JwtAuthenticator | None,
        tenants: Collection[str],
    ) -> None:
        self.api_keys = api_keys
        self.jwt = jwt
        self._tenants = frozenset(tenants)

    @classmethod
    def build(cls, api_keys: ApiKeys, jwt: JwtSettings, tenants: Collection[str]) -> Authenticator:
        bearer = JwtAuthenticator(jwt) if jwt.enabled else None
        return cls(ApiKeyAuthenticator(api_keys), bearer, tenants)

    @property
    def accepts_bearer(self) -> bool:
        return self.jwt is not None

    async def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """The caller, or :class:`AuthenticationError` (``AuthenticationUnavailableError``
        when a token's keys cannot be fetched)."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            principal = await self._bearer(token.strip())
        elif key := headers.get(API_KEY_HEADER):
            principal = self.api_keys.authenticate(key)
        else:
            raise AuthenticationError(
                Reason.MISSING_CREDENTIALS,
                "Authentication required: send an X-API-Key header"
                + (" or an Authorization: Bearer token." if self.jwt else "."),
            )
        return self._in_known_tenant(principal)

    async def _bearer(self, token: str) -> Principal:
        if self.jwt is None:
            raise AuthenticationError(
                Reason.INVALID_TOKEN, "This gateway does not accept bearer tokens."
            )
        return await self.jwt.authenticate(token)

    def _in_known_tenant(self, principal: Principal) -> Principal:
        if principal.tenant in self._tenants:
            return principal
        if principal.via == "api_key":  # a configuration mistake, not the caller's
            log.warning("API key %s names unknown tenant %r", principal.name, principal.tenant)
            raise AuthenticationError(Reason.INVALID_API_KEY, "The API key is not valid.")
        raise AuthenticationError(
            Reason.UNKNOWN_TENANT, "The token's tenant is not served by this gateway."
        )
