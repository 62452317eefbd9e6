"""The brand's CRM lookup that syncWithCRM runs (docs/vendors/omnidesk.md §6.15).

The hook contract [D]: ``GET <crm_url>&channelAddressType=phoneNumber|email&address=…``,
answered 200 with a JSON array (0..n records), also when empty. A brand's ``crm_url`` is
either a real http(s) URL, fetched with httpx, or ``stub:``: the in-process
:class:`StubCrm`, which knows the tenant's demo customers plus any records added through
``/_sandbox/omnidesk/crm``.

The record fields are [G]; the sandbox reads ``primaryID``, ``firstname``, ``lastname`` and
custom fields as ``custom_<name>`` keys (or a ``custom_fields`` map).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from sandbox.demo_world import DemoCustomer
from sandbox.omnidesk.validation import CUSTOM_PREFIX

STUB_SCHEME = "stub:"
CHANNEL_ADDRESS_TYPES = ("phoneNumber", "email")

CrmRecord = dict[str, Any]


class CrmLookupError(Exception):
    """The CRM did not answer 200 with a JSON array of objects."""


class StubCrm:
    """A merchant CRM in process: demo customers per main brand, plus records added by tests."""

    def __init__(self, demo_customers: Mapping[int, Sequence[DemoCustomer]]) -> None:
        self._demo = demo_customers
        self._indexes: dict[int, dict[tuple[str, str], list[DemoCustomer]]] = {}
        self._added: list[CrmRecord] = []
        self._lock = threading.Lock()

    @property
    def records(self) -> list[CrmRecord]:
        with self._lock:
            return [dict(r) for r in self._added]

    def add(self, record: CrmRecord) -> None:
        with self._lock:
            self._added.append(dict(record))

    def clear(self) -> None:
        with self._lock:
            self._added.clear()

    def lookup(self, brand_id: int, channel_address_type: str, address: str) -> list[CrmRecord]:
        key = (channel_address_type, address.lower())
        with self._lock:
            added = [
                {k: v for k, v in r.items() if k != "brand_id"}
                for r in self._added
                if r.get("brand_id") == brand_id and _record_key(r, channel_address_type) == key
            ]
        demo = self._demo_index(brand_id).get(key, [])
        return added + [_demo_record(c) for c in demo]

    def _demo_index(self, brand_id: int) -> dict[tuple[str, str], list[DemoCustomer]]:
        with self._lock:
            index = self._indexes.get(brand_id)
            if index is None:
                index = {}
                for customer in self._demo.get(brand_id, ()):
                    index.setdefault(("email", customer.email.lower()), []).append(customer)
                    index.setdefault(("phoneNumber", customer.mobile), []).append(customer)
                self._indexes[brand_id] = index
            return index


def _record_key(record: CrmRecord, channel_address_type: str) -> tuple[str, str]:
    return (channel_address_type, str(record.get(channel_address_type, "")).lower())


def _demo_record(customer: DemoCustomer) -> CrmRecord:
    return {
        "primaryID": customer.customer_id,
        "firstname": customer.first_name,
        "lastname": customer.last_name,
        "email": customer.email,
        "phoneNumber": customer.mobile,
        "custom_tier": customer.tier,
        "custom_city": customer.city,
        "custom_crm_reference": customer.external_reference,
    }


async def fetch_crm(
    url: str, channel_address_type: str, address: str, *, timeout_s: float
) -> list[CrmRecord]:
    """Call a real CRM hook and return its records (``timeout_s`` per connect/read)."""
    target = httpx.URL(url).copy_merge_params(
        {"channelAddressType": channel_address_type, "address": address}
    )
    try:
        async with httpx.AsyncClient(timeout=timeout_s) as client:
            response = await client.get(target, headers={"Accept": "application/json"})
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        raise CrmLookupError from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise CrmLookupError
    return data


def record_custom_fields(record: CrmRecord, defined: tuple[str, ...]) -> dict[str, str]:
    """The record's custom fields that the account defines (others are ignored)."""
    found: dict[str, str] = {}
    mapping = record.get("custom_fields")
    if isinstance(mapping, dict):
        found.update({str(k): str(v) for k, v in mapping.items()})
    for key, value in record.items():
        if key.startswith(CUSTOM_PREFIX) and key != "custom_fields" and value is not None:
            found[key[len(CUSTOM_PREFIX) :]] = str(value)
    return {k: v for k, v in found.items() if k in defined}
