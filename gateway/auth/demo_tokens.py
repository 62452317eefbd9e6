"""Bearer tokens for trying the gateway (``python -m gateway token``): HS256, signed with the
configured secret. Production tokens come from an identity provider, not from here."""

from __future__ import annotations

import time
from collections.abc import Iterable

import jwt

from gateway.auth.jwt_settings import JwtSettings
from gateway.auth.scopes import Scope

__all__ = ["mint_token"]


def mint_token(
    settings: JwtSettings,
    tenant: str,
    scopes: Iterable[Scope],
    *,
    subject: str = "demo",
    ttl_seconds: int = 3600,
) -> str:
    """A token the gateway with ``settings`` accepts (needs ``settings.secret``)."""
    if settings.secret is None:
        raise ValueError("minting needs an HS256 secret (CG_JWT__SECRET)")
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": subject,
        settings.tenant_claim: tenant,
        "scope": " ".join(s.value for s in scopes),
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if settings.issuer:
        claims["iss"] = settings.issuer
    if settings.audience:
        claims["aud"] = settings.audience[0]
    return jwt.encode(claims, settings.secret.get_secret_value(), algorithm="HS256")
