"""The demo world shared by the three sandboxes: tenants, credentials and canonical customers.

Everything is derived from one seed number, so every run (and every sandbox process) sees the
same customers. The identity rule that links the vendors:

- Tallymarks ``customerId`` is the canonical id (a GUID);
- Talon.One profile ``integrationId`` = that ``customerId``;
- Omnidesk ``external_primary_id`` = that ``customerId``, in the tenant's main brand.

Each vendor sandbox builds its own records (events, sessions, tickets …) from these customers
with its own seeded RNG, so adding data to one vendor never changes another's.
"""

from __future__ import annotations

import hashlib
import os
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

DEFAULT_SEED = 20261122
DEFAULT_TENANTS = 2
DEFAULT_CUSTOMERS = 1000
#: the demo's "now": fixed so generated histories are reproducible
DEMO_EPOCH = datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC)

_FIRST = [
    "Anna",
    "Bram",
    "Chloé",
    "Daan",
    "Emma",
    "Finn",
    "Greta",
    "Hugo",
    "Iris",
    "Jens",
    "Karin",
    "Lars",
    "Maud",
    "Niels",
    "Olga",
    "Pieter",
    "Quinn",
    "Roos",
    "Sven",
    "Tess",
    "Ulla",
    "Vince",
    "Wies",
    "Xander",
    "Yara",
    "Zoë",
    "Ava",
    "Ben",
    "Cleo",
    "Dirk",
    "Eva",
    "Floor",
]
_LAST = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "O'Brien",
    "Müller",
    "Šimek",
    "Dubois",
    "García",
    "Nowak",
    "Kowalski",
    "Andersson",
    "Nielsen",
]
_CITIES = [
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Leiden",
    "Delft",
    "Haarlem",
]
_TIERS = ("bronze", "silver", "gold", "platinum")


def seeded_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def stable_seed(*parts: object) -> int:
    """A seed for a sub-generator, stable across Python processes (unlike ``hash``)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class DemoCustomer:
    """One person, as every vendor of the tenant knows them."""

    customer_id: str
    first_name: str
    last_name: str
    email: str
    mobile: str
    date_of_birth: datetime
    created_at: datetime
    city: str
    tier: str
    external_reference: str

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DemoTenant:
    """A merchant using all three vendors, with its credentials at each."""

    index: int
    key: str  # short name used in configuration ("acme", "globex")
    name: str
    # Tallymarks
    tallymarks_tenant_id: str
    tallymarks_api_key: str
    tallymarks_api_secret: str
    # Omnidesk: one account per tenant, customers live in ``omnidesk_brand_id``
    omnidesk_account: str
    omnidesk_api_key: str  # CUSTOMER_READ + CUSTOMER_CUD
    omnidesk_read_only_key: str  # CUSTOMER_READ only
    omnidesk_brand_id: int
    omnidesk_other_brand_id: int
    # Talon.One: one account and one Application per tenant
    talon_account_id: int
    talon_application_id: int
    talon_api_key: str
    customers: tuple[DemoCustomer, ...] = field(repr=False)


_TENANT_NAMES = (
    ("acme", "Acme Outdoor"),
    ("globex", "Globex Fashion"),
    ("initech", "Initech Home"),
)


def _tenant(seed: int, index: int, n_customers: int) -> DemoTenant:
    rng = random.Random(stable_seed(seed, "tenant", index))
    key, name = _TENANT_NAMES[index] if index < len(_TENANT_NAMES) else (f"t{index}", f"T{index}")
    tenant_id = seeded_uuid(rng)
    customers = tuple(_customer(seed, index, i) for i in range(n_customers))
    return DemoTenant(
        index=index,
        key=key,
        name=name,
        tallymarks_tenant_id=tenant_id,
        tallymarks_api_key=f"tm-key-{key}-{rng.getrandbits(32):08x}",
        tallymarks_api_secret=f"tm-secret-{rng.getrandbits(64):016x}",
        omnidesk_account=key,
        omnidesk_api_key=f"od-{key}-{rng.getrandbits(64):016x}",
        omnidesk_read_only_key=f"od-{key}-ro-{rng.getrandbits(64):016x}",
        omnidesk_brand_id=10 * (index + 1) + 1,
        omnidesk_other_brand_id=10 * (index + 1) + 2,
        talon_account_id=1000 + index,
        talon_application_id=100 + index,
        talon_api_key=f"{rng.getrandbits(128):032x}",
        customers=customers,
    )


def _customer(seed: int, tenant_index: int, i: int) -> DemoCustomer:
    rng = random.Random(stable_seed(seed, "customer", tenant_index, i))
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    created = DEMO_EPOCH - timedelta(days=rng.randint(30, 5 * 365), seconds=rng.randint(0, 86399))
    return DemoCustomer(
        customer_id=seeded_uuid(rng),
        first_name=first,
        last_name=last,
        email=f"{local}.{tenant_index}{i:05d}@example.com",
        mobile=f"+316{rng.randint(10_000_000, 99_999_999)}",
        date_of_birth=datetime(
            rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28), tzinfo=UTC
        ),
        created_at=created,
        city=rng.choice(_CITIES),
        tier=rng.choices(_TIERS, weights=(60, 25, 10, 5))[0],
        external_reference=f"CRM-{tenant_index}-{i:06d}",
    )


@dataclass(frozen=True)
class DemoWorld:
    seed: int
    tenants: tuple[DemoTenant, ...]

    def tenant(self, key: str) -> DemoTenant:
        return next(t for t in self.tenants if t.key == key)


@cache
def demo_world(
    seed: int = DEFAULT_SEED, tenants: int = DEFAULT_TENANTS, customers: int = DEFAULT_CUSTOMERS
) -> DemoWorld:
    """The deterministic demo world (cached: every sandbox in a process shares one)."""
    return DemoWorld(seed=seed, tenants=tuple(_tenant(seed, t, customers) for t in range(tenants)))


def demo_world_from_env() -> DemoWorld:
    """``SANDBOX_SEED``, ``SANDBOX_TENANTS``, ``SANDBOX_CUSTOMERS`` override the defaults."""
    return demo_world(
        int(os.environ.get("SANDBOX_SEED", DEFAULT_SEED)),
        int(os.environ.get("SANDBOX_TENANTS", DEFAULT_TENANTS)),
        int(os.environ.get("SANDBOX_CUSTOMERS", DEFAULT_CUSTOMERS)),
    )
