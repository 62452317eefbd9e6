"""Bearer tokens (``Authorization: Bearer …``): verified with PyJWT, then mapped to a
:class:`Principal` — the tenant from ``tenant_claim``, the scopes from ``scope`` (a
space-separated string, OAuth 2.0) or ``scp`` (a list or a string, as Okta and Entra ID
send it). A token without either claim holds no scope: it authenticates, and every field
answers FORBIDDEN."""

from __future__ import annotations

from typing import Any

import jwt

from gateway.auth.errors import AuthenticationError, Reason
from gateway.auth.jwt_keys import VerificationKeys
from gateway.auth.jwt_settings import JwtSettings
from gateway.auth.principal import Principal
from gateway.auth.scopes import Scope, parse_scopes

__all__ = ["JwtAuthenticator", "scopes_of"]

_MESSAGES: tuple[tuple[type[jwt.InvalidTokenError], str], ...] = (
    (jwt.InvalidSignatureError, "The token's signature is not valid."),
    (jwt.InvalidAudienceError, "The token is not meant for this API (audience)."),
    (jwt.InvalidIssuerError, "The token's issuer is not trusted."),
    (jwt.ImmatureSignatureError, "The token is not valid yet."),
    (jwt.MissingRequiredClaimError, "The token lacks a required claim."),
)


def _invalid(message: str) -> AuthenticationError:
    return AuthenticationError(Reason.INVALID_TOKEN, message)


def scopes_of(claims: dict[str, Any]) -> frozenset[Scope]:
    names: list[str] = []
    for claim in ("scope", "scp"):
        value = claims.get(claim)
        if isinstance(value, str):
            names += value.split()
        elif isinstance(value, list):
            names += [v for v in value if isinstance(v, str)]
    return parse_scopes(names)


class JwtAuthenticator:
    """Verifies signature, expiry, issuer and audience; refuses a token without a tenant."""

    def __init__(self, settings: JwtSettings, keys: VerificationKeys | None = None) -> None:
        self._settings = settings
        self._keys = keys or VerificationKeys(settings)

    async def authenticate(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise _invalid("The bearer token is malformed.") from exc
        key = await self._keys.key_for(header)
        claims = self._decode(token, key, str(header["alg"]))
        tenant = claims.get(self._settings.tenant_claim)
        if not isinstance(tenant, str) or not tenant:
            raise _invalid(f"The token has no `{self._settings.tenant_claim}` claim.")
        subject = claims.get("sub")
        return Principal(
            tenant=tenant,
            name=f"jwt:{subject}" if isinstance(subject, str) else "jwt",
            scopes=scopes_of(claims),
            via="jwt",
        )

    def _decode(self, token: str, key: Any, alg: str) -> dict[str, Any]:
        settings = self._settings
        required = ["exp"] if settings.require_expiry else []
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=settings.audience or None,
                issuer=settings.issuer,
                leeway=settings.leeway_seconds,
                options={"require": required},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationError(Reason.TOKEN_EXPIRED, "The token has expired.") from exc
        except jwt.InvalidTokenError as exc:
            message = next(
                (m for cls, m in _MESSAGES if isinstance(exc, cls)), "The token is not valid."
            )
            raise _invalid(message) from exc
        return claims
