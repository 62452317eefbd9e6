"""The demo's secrets: gateway API keys, the bearer-token signing secret and the
sandboxes' vendor credentials, random on every run. Nothing a client presents can be worked
out from public data (the demo world's seed is in the README), and no secret is made from
another: each is drawn on its own.

``CG_DEMO_SEED`` makes them reproducible (tests, benchmarks): each secret is then an HMAC of
that seed and the secret's own label, so they are still independent of each other, and
only someone who knows the seed can recompute them. Never set it on an exposed gateway.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from types import MappingProxyType

__all__ = ["DemoSecrets", "TenantSecrets"]

#: random bytes per secret (hex encoded: twice as many characters)
_KEY_BYTES = 16
_SECRET_BYTES = 32


@dataclass(frozen=True)
class TenantSecrets:
    """One demo tenant's credentials: at the gateway, and at each vendor sandbox."""

    gateway_key: str  # every scope
    gateway_read_only_key: str  # customers:read only
    tallymarks_api_key: str
    tallymarks_api_secret: str
    omnidesk_api_key: str
    omnidesk_read_only_key: str
    talon_api_key: str


@dataclass(frozen=True)
class DemoSecrets:
    jwt_secret: str
    tenants: Mapping[str, TenantSecrets]

    @classmethod
    def generate(cls, tenant_keys: Iterable[str], seed: str | None = None) -> DemoSecrets:
        """Fresh random secrets; with ``seed``, the same ones for the same seed."""

        def draw(label: str, size: int) -> str:
            if seed is None:
                return secrets.token_hex(size)
            mac = hmac.new(seed.encode(), f"customer-graph-demo|{label}".encode(), hashlib.sha256)
            return mac.hexdigest()[: 2 * size]

        def tenant(key: str) -> TenantSecrets:
            return TenantSecrets(
                gateway_key=f"cg-demo-{key}-{draw(f'{key}|gateway', _KEY_BYTES)}",
                gateway_read_only_key=f"cg-demo-{key}-ro-{draw(f'{key}|gateway-ro', _KEY_BYTES)}",
                tallymarks_api_key=f"tm-key-{key}-{draw(f'{key}|tm-key', _KEY_BYTES)}",
                tallymarks_api_secret=f"tm-secret-{draw(f'{key}|tm-secret', _SECRET_BYTES)}",
                omnidesk_api_key=f"od-{key}-{draw(f'{key}|od', _KEY_BYTES)}",
                omnidesk_read_only_key=f"od-{key}-ro-{draw(f'{key}|od-ro', _KEY_BYTES)}",
                talon_api_key=draw(f"{key}|talon", _KEY_BYTES),
            )

        return cls(
            jwt_secret=f"cg-demo-jwt-{draw('jwt', _SECRET_BYTES)}",
            tenants=MappingProxyType({key: tenant(key) for key in tenant_keys}),
        )

    def values(self) -> list[str]:
        """Every secret, for checks that none gives another away."""
        found = [self.jwt_secret]
        for tenant in self.tenants.values():
            found += asdict(tenant).values()
        return found

    def to_json(self) -> str:
        """For the worker processes: they must serve with the supervisor's secrets."""
        tenants = {key: asdict(t) for key, t in self.tenants.items()}
        return json.dumps({"jwt_secret": self.jwt_secret, "tenants": tenants})

    @classmethod
    def from_json(cls, text: str) -> DemoSecrets:
        data = json.loads(text)
        tenants = {key: TenantSecrets(**t) for key, t in data["tenants"].items()}
        return cls(jwt_secret=data["jwt_secret"], tenants=MappingProxyType(tenants))
