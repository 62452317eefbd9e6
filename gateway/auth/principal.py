"""Who is calling, once authenticated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from gateway.auth.scopes import ALL_SCOPES, Scope

__all__ = ["Principal"]


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: its tenant, its scopes, and a name for logs (a key's name
    or fingerprint, a token's subject — never the credential itself)."""

    tenant: str
    name: str
    scopes: frozenset[Scope] = field(default=ALL_SCOPES)
    via: Literal["api_key", "jwt"] = "api_key"

    def has_any(self, scopes: Iterable[Scope]) -> bool:
        return any(s in self.scopes for s in scopes)
