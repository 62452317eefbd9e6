"""How bearer tokens are checked (``CG_JWT__*``). Bearer tokens are accepted once a key is
configured: an HS256 ``secret``, or for RS256 exactly one of ``public_key`` (PEM),
``jwks_file`` or ``jwks_url``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

__all__ = ["MIN_SECRET_BYTES", "JwtSettings"]

#: RFC 7518 §3.2: an HS256 key must be at least as long as the hash (256 bits)
MIN_SECRET_BYTES = 32


class JwtSettings(BaseModel):
    """Issuer, audience and keys of accepted bearer tokens, and which claims carry the
    tenant and the scopes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: HS256 shared secret (at least 32 bytes)
    secret: SecretStr | None = None
    #: RS256 public key, PEM text
    public_key: str | None = None
    #: RS256 keys as a JWKS document on disk (read at start; the token's ``kid`` picks one)
    jwks_file: Path | None = None
    #: RS256 keys from the identity provider's JWKS endpoint (fetched when first needed)
    jwks_url: str | None = None
    #: how long a fetched JWKS is trusted before it is fetched again (an unknown ``kid``
    #: refetches at once, at most every 30 s)
    jwks_cache_seconds: float = Field(default=300.0, gt=0)
    #: timeout of one JWKS fetch
    jwks_timeout_seconds: float = Field(default=5.0, gt=0)
    #: the ``iss`` tokens must carry (unchecked when unset)
    issuer: str | None = None
    #: accepted ``aud`` values, comma-separated in the environment; a token must name one of
    #: them (when empty, a token that has an ``aud`` is refused)
    audience: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: the claim holding the gateway tenant key (e.g. ``acme``)
    tenant_claim: str = Field(default="tenant", min_length=1)
    #: clock skew allowed on ``exp``/``nbf``/``iat``, seconds
    leeway_seconds: float = Field(default=30.0, ge=0)
    #: refuse tokens without ``exp``
    require_expiry: bool = True

    @field_validator("audience", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [a.strip() for a in value.split(",") if a.strip()]
        return value

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"an HS256 secret needs at least {MIN_SECRET_BYTES} bytes")
        return value

    @model_validator(mode="after")
    def _one_rs256_source(self) -> JwtSettings:
        sources = [s for s in (self.public_key, self.jwks_file, self.jwks_url) if s]
        if len(sources) > 1:
            raise ValueError("configure one of public_key, jwks_file and jwks_url")
        return self

    @property
    def enabled(self) -> bool:
        return self.secret is not None or self.rs256_enabled

    @property
    def rs256_enabled(self) -> bool:
        return bool(self.public_key or self.jwks_file or self.jwks_url)
