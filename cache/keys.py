"""Cache keys. A key always carries the tenant and a fingerprint of the credential scope, so
two tenants (or two keys of one tenant with different permissions) never share an entry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tag:
    """What an entry is about (``customer 42 at tallymarks``); writes invalidate by tag."""

    tenant: str
    vendor: str
    resource: str
    ident: str


@dataclass(frozen=True, slots=True)
class CacheKey:
    """tenant + credential scope + vendor + operation + normalised arguments."""

    tenant: str
    scope: str
    vendor: str
    operation: str
    args: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, tenant: str, scope: str, vendor: str, operation: str, **args: object) -> CacheKey:
        """Arguments are sorted and stringified; ``None`` values are dropped."""
        normalised = tuple(sorted((k, _norm(v)) for k, v in args.items() if v is not None))
        return cls(tenant, scope, vendor, operation, normalised)


def _norm(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(sorted(_norm(v) for v in value))
    return str(value)
