"""The shape of one vendor read, declared once next to its client (``<vendor>/reads.py``).

A :class:`VendorRead` says everything the gateway needs about a read: how to call it, what
"not found" means, how long it may be cached and under which tags, what it costs and which
schema fields need it. The loaders, the TTL defaults, the cost table and the ``customer``
prefetch are all derived from these declarations, so a read cannot be half-registered.

This layer knows nothing of the schema: fields are named as plain ``"Type.field"`` strings
(a test checks each one exists).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from gateway.vendors.tenant_clients import TenantClients

__all__ = [
    "ALL",
    "FieldKey",
    "TagKind",
    "TagRef",
    "VendorRead",
    "by_parent_id",
    "keyed_as",
    "none_when_missing",
    "not_prefetched",
    "tagged",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

ALL = "*"  # the ident of resources that are lists over the tenant (search pages)


class TagRef(NamedTuple):
    """A cache tag before it is scoped to a tenant (``gateway.cache.Tag``)."""

    vendor: str
    resource: str
    ident: str


@dataclass(frozen=True, slots=True)
class TagKind:
    """A kind of resource a vendor's reads are stored under: ``kind(ident)`` tags one, the
    same for the read that stores it and the write that drops it."""

    vendor: str
    resource: str

    def __call__(self, ident: str | int) -> TagRef:
        return TagRef(self.vendor, self.resource, str(ident))


def tagged(tag: Callable[[K], TagRef]) -> Callable[[K], tuple[TagRef]]:
    """A read stored under the one tag its key names."""
    return lambda key: (tag(key),)


def keyed_as(name: str) -> Callable[[K], Mapping[str, object]]:
    """A read keyed by one value, stored under the cache-key argument ``name``."""
    return lambda key: {name: key}


def none_when_missing() -> None:
    """A vendor's 404 is an answer: it does not know the key."""
    return


#: The read's key for a field, from its parent's id and the field's arguments as written
#: in the document; ``None`` when those do not determine it (the field loads when it runs).
FieldKey = Callable[[str, Mapping[str, Any]], K | None]


def by_parent_id(parent_id: str, args: Mapping[str, Any]) -> str:
    """The key is the parent's (the customer's) canonical id."""
    return parent_id


def not_prefetched(parent_id: str, args: Mapping[str, Any]) -> None:
    """The field needs this read, but its key comes from arguments only resolvers decode
    (e.g. a page cursor), or its parent already read it."""
    return


def _no_value_tags(value: object) -> Iterable[TagRef]:
    return ()


@dataclass(frozen=True, eq=False)
class VendorRead(Generic[K, V]):
    """One cacheable vendor read by key ``K`` returning ``V``. Compared by identity."""

    vendor: str
    #: the cache key's operation name (unique per vendor)
    operation: str
    #: the client call for one key
    call: Callable[[TenantClients, K], Awaitable[V]]
    #: the key as cache-key arguments (stable names: they are part of stored keys)
    cache_args: Callable[[K], Mapping[str, object]]
    #: the value for a key the vendor does not know (its 404); ``None``: a 404 is an error
    not_found: Callable[[], V] | None
    #: the cache kind (operators override its TTL with ``CG_CACHE_TTLS``)
    kind: str
    #: seconds a value of this kind is kept by default (0: never cached; one request shares it)
    ttl: float
    #: what a cached value is about, so the writes that change it drop it
    tags: Callable[[K], Iterable[TagRef]]
    #: the read's name in the cost table: fields of one parent naming it share one call
    cost: str
    #: schema fields (``"Type.field"``) that make this read, with how to find its key
    fields: Mapping[str, FieldKey[K]]
    #: tags only the value can tell (e.g. the audiences a profile belongs to)
    value_tags: Callable[[V], Iterable[TagRef]] = field(default=_no_value_tags)
    #: the vendor's own id limit per batch (``None``: unbounded)
    max_batch: int | None = None

    def __repr__(self) -> str:
        return f"VendorRead({self.vendor}.{self.operation})"
