"""The customer-360's 8 upstream calls made the cheapest way Python can: one aiohttp
session, headers and URLs built once per tenant, ``asyncio.gather``, plain ``json``.

The floor gateway (:mod:`bench.floor_gateway`) and the direct server
(:mod:`bench.direct_client`) share it, so both make exactly the gateway's calls (same routes,
query strings, auth headers and Omnidesk's multipart form; ``CUSTOMER_360_KINDS`` in
:mod:`bench.scenarios`) and differ from it only in what sits above the calls.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

#: multipart boundary of the Omnidesk search form (a constant: the body is a format string)
BOUNDARY = "cg-bench-floor-boundary"
FORM_TEMPLATE = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="primary_id"\r\n\r\n{{cid}}\r\n'
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="brand_id"\r\n\r\n{{brand}}\r\n'
    f"--{BOUNDARY}--\r\n"
)
#: the page size the customer-360 asks for (``events(first: 10)``, ``transactions(first: 10)``)
HISTORY_LIMIT = 10


class UpstreamError(Exception):
    """A vendor answered with an error status."""


@dataclass(frozen=True)
class TenantRoutes:
    """One tenant's base URLs and auth headers, built once."""

    customers: str
    tallymarks_headers: dict[str, str]
    omnidesk: str
    omnidesk_headers: dict[str, str]
    omnidesk_form_headers: dict[str, str]
    brand_id: int
    talon: str
    talon_headers: dict[str, str]

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> TenantRoutes:
        """From one tenant of a ``CG_TENANTS_FILE`` document (credentials in clear)."""
        tm, od, tl = config["tallymarks"], config["omnidesk"], config["talon"]
        od_headers = {"apiKey": od["api_key"], "Accept": "application/json"}
        return cls(
            customers=tm["customer_base_url"].rstrip("/") + "/api/v1/customers",
            tallymarks_headers={
                "x-tenant-id": tm["tenant_id"],
                "x-api-key": tm["api_key"],
                "x-api-secret": tm["api_secret"],
            },
            omnidesk=od["base_url"].rstrip("/").removesuffix("/api/v2") + "/api/v2/customer",
            omnidesk_headers=od_headers,
            omnidesk_form_headers={
                **od_headers,
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            },
            brand_id=int(od["brand_id"]),
            talon=tl["base_url"].rstrip("/") + "/v1/customer_profiles",
            talon_headers={
                "Authorization": f"ApiKey-v1 {tl['api_key']}",
                "Accept": "application/json",
            },
        )


@dataclass(frozen=True)
class Tenants:
    """``{gateway API key: tenant routes}``, from the bench's tenants file and API keys."""

    by_api_key: dict[str, TenantRoutes]

    @classmethod
    def load(cls, tenants_file: Path, api_keys: dict[str, str]) -> Tenants:
        document = json.loads(tenants_file.read_text(encoding="utf-8"))
        routes = {name: TenantRoutes.from_config(cfg) for name, cfg in document.items()}
        return cls({key: routes[tenant] for key, tenant in api_keys.items()})

    @classmethod
    def from_environment(cls, tenants_file: Path | None) -> Tenants:
        """The gateway's own configuration: ``CG_TENANTS_FILE`` and ``CG_API_KEYS``."""
        path = tenants_file or Path(os.environ["CG_TENANTS_FILE"])
        keys: dict[str, str] = json.loads(os.environ["CG_API_KEYS"])
        return cls.load(path, keys)


async def _get(session: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> Any:
    async with session.get(url, headers=headers) as response:
        body = await response.read()
        if response.status == 404:
            return None
        if response.status >= 400:
            raise UpstreamError(f"GET {url.split('?', 1)[0]}: {response.status}")
        return json.loads(body)


async def _post_form(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str], form: bytes
) -> Any:
    async with session.post(url, headers=headers, data=form) as response:
        body = await response.read()
        if response.status >= 400:
            raise UpstreamError(f"POST {url}: {response.status}")
        return json.loads(body)


async def fetch_customer_360(
    session: aiohttp.ClientSession, tenant: TenantRoutes, customer_id: str
) -> dict[str, Any]:
    """The 8 calls at once; ``{resource: parsed JSON body, or None on 404}``."""
    cid = quote(customer_id, safe="")
    base, th = tenant.customers, tenant.tallymarks_headers
    history = f"?customerId={cid}&limit={HISTORY_LIMIT}"
    form = FORM_TEMPLATE.format(cid=customer_id, brand=tenant.brand_id).encode()
    timeline = f"{tenant.omnidesk}/timelineByCustomerExternalID?brand_id={tenant.brand_id}"
    inventory = f"{tenant.talon}/{cid}/inventory?referrals=true&coupons=true&loyalty=true"
    results = await asyncio.gather(
        _get(session, f"{base}/{cid}", th),
        _get(session, f"{base}/{cid}/balance", th),
        _get(session, f"{base}/{cid}/segments?limit=100", th),
        _get(session, f"{base}/events{history}", th),
        _get(session, f"{base}/transactions{history}", th),
        _post_form(
            session,
            f"{tenant.omnidesk}/SearchByPrimaryExternalID",
            tenant.omnidesk_form_headers,
            form,
        ),
        _get(session, f"{timeline}&external_id={cid}", tenant.omnidesk_headers),
        _get(session, inventory, tenant.talon_headers),
    )
    keys = (
        "customer", "balance", "segments", "events", "transactions",
        "support_customer", "timeline", "inventory",
    )  # fmt: skip
    return dict(zip(keys, results, strict=True))


def new_session(limit_per_host: int = 100) -> aiohttp.ClientSession:
    """One keep-alive pool for every vendor, no cookie jar (the vendors set none)."""
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=limit_per_host)
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=30),
    )
