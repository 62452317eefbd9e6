"""Per vendor, a fingerprint of the credentials a tenant's reads are made with.

Cache keys and tags carry it (:mod:`cache.request_cache`), so a tenant whose credentials
change, or two tenants on one vendor account with different keys, never read each other's
entries. The tenant's configuration is the HTTP app's; the cache only sees fingerprints.
"""

from __future__ import annotations

from gateway.settings import TenantConfig
from vendors.credential_scope import credential_scope

__all__ = ["credential_scopes"]


def credential_scopes(tenant: TenantConfig) -> dict[str, str]:
    """The fingerprint per vendor; every part that selects the data read is in it."""
    return {
        "tallymarks": credential_scope(
            tenant.tallymarks.customer_base_url,
            tenant.tallymarks.tenant_id,
            tenant.tallymarks.api_key.get_secret_value(),
        ),
        "omnidesk": credential_scope(
            tenant.omnidesk.base_url,
            str(tenant.omnidesk.brand_id),
            tenant.omnidesk.api_key.get_secret_value(),
        ),
        "talon": credential_scope(tenant.talon.base_url, tenant.talon.api_key.get_secret_value()),
    }
