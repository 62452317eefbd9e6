"""The key that verifies a token: the HS256 secret, the RS256 PEM key, or the JWKS key
named by the token's ``kid``.

The algorithm decides which kind of key is used, and each kind verifies only its own
algorithm, so an RS256 public key can never be used as an HS256 secret (the classic
algorithm-confusion attack). ``PyJWKClient`` fetches a JWKS URL with blocking I/O, so it
runs in a worker thread; it keeps the fetched key set for ``jwks_cache_seconds`` (keys are
not cached forever per ``kid``, so a key the provider withdraws stops working).
"""

from __future__ import annotations

import asyncio
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from gateway.auth.errors import AuthenticationError, AuthenticationUnavailableError, Reason
from gateway.auth.jwt_settings import JwtSettings

__all__ = ["VerificationKeys"]

HS256 = "HS256"
RS256 = "RS256"


def _invalid(message: str) -> AuthenticationError:
    return AuthenticationError(Reason.INVALID_TOKEN, message)


class VerificationKeys:
    """Resolves the verification key for a token's header."""

    def __init__(self, settings: JwtSettings, jwks_client: jwt.PyJWKClient | None = None) -> None:
        self._secret = settings.secret.get_secret_value() if settings.secret else None
        self._pem: Any = (
            load_pem_public_key(settings.public_key.encode()) if settings.public_key else None
        )
        self._jwks: jwt.PyJWKSet | None = None
        if settings.jwks_file is not None:
            self._jwks = jwt.PyJWKSet.from_json(settings.jwks_file.read_text(encoding="utf-8"))
        self._client = jwks_client
        if self._client is None and settings.jwks_url:
            self._client = jwt.PyJWKClient(
                settings.jwks_url,
                cache_jwk_set=True,
                lifespan=settings.jwks_cache_seconds,
                timeout=settings.jwks_timeout_seconds,
            )

    @property
    def algorithms(self) -> list[str]:
        accepted = [HS256] if self._secret else []
        if self._pem is not None or self._jwks is not None or self._client is not None:
            accepted.append(RS256)
        return accepted

    async def key_for(self, header: dict[str, Any]) -> Any:
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in self.algorithms:
            raise _invalid(f"Tokens signed with {alg!s} are not accepted.")
        if alg == HS256:
            return self._secret
        if self._pem is not None:
            return self._pem
        if self._jwks is not None:
            return self._from_set(self._jwks, kid)
        return await self._from_url(kid)

    @staticmethod
    def _from_set(keys: jwt.PyJWKSet, kid: object) -> Any:
        candidates = [k for k in keys.keys if kid is None or k.key_id == kid]
        if kid is None and len(keys.keys) > 1:
            raise _invalid("The token names no key (kid).")
        if not candidates:
            raise _invalid("The token's key (kid) is not known.")
        return candidates[0].key

    async def _from_url(self, kid: object) -> Any:
        assert self._client is not None
        if not isinstance(kid, str) or not kid:
            raise _invalid("The token names no key (kid).")
        client = self._client
        try:
            found = await asyncio.to_thread(client.get_signing_key, kid)
        except jwt.PyJWKClientConnectionError as exc:
            raise AuthenticationUnavailableError("the JWKS endpoint is unreachable") from exc
        except jwt.PyJWKClientError as exc:
            raise _invalid("The token's key (kid) is not known.") from exc
        return found.key
