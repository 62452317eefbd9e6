"""The shape of one vendor read, declared once next to its client (``<vendor>/reads.py``).

A :class:`VendorRead` says everything the gateway needs about a read: how to call it, what
"not found" means, how long it may be cached and under which tags, what it costs and which
schema fields need it. The loaders, the TTL defaults, the cost table and the ``customer``
prefetch are all derived from these declarations, so a read cannot be half-registered.

This layer knows nothing of the schema: fields are named as plain ``"Type.field"`` strings
(a test checks each one exists). A field's key function is the one place its arguments
become the read's key: the ``customer`` look-ahead calls it with the arguments as written in
the document, and the field's resolver (:mod:`resolvers.field_reads`) with the arguments it
received, through :meth:`VendorRead.key_of`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast

if TYPE_CHECKING:
    from vendors.tenant_clients import TenantClients

__all__ = [
    "ALL",
    "CheckedKey",
    "FieldKey",
    "RefusedArgumentError",
    "TagKind",
    "TagRef",
    "TenantWide",
    "VendorRead",
    "VendorReads",
    "by_parent_id",
    "keyed_as",
    "loaded_when_run",
    "none_when_missing",
    "not_prefetched",
    "tagged",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

ALL = "*"  # the ident of resources that are lists over the tenant (search pages)


class TagRef(NamedTuple):
    """A cache tag before it is scoped to a tenant (``cache.Tag``)."""

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


@dataclass(frozen=True, slots=True)
class TenantWide:
    """A resource that is a list over the tenant (search pages, indexes): ``tag()`` is its
    one tag, so any write that moves the list drops every cached page of it."""

    vendor: str
    resource: str

    def __call__(self) -> TagRef:
        return TagRef(self.vendor, self.resource, ALL)


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


def loaded_when_run(*names: str) -> dict[str, FieldKey[Any]]:
    """Fields that make the read but are never prefetched (see :func:`not_prefetched`)."""
    return dict.fromkeys(names, not_prefetched)


class RefusedArgumentError(ValueError):
    """A field argument no key can be made from. The field that runs answers it as
    ``BAD_USER_INPUT`` naming ``argument`` (:mod:`resolvers.field_reads`); the look-ahead
    just does not start the read."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(message)
        self.argument = argument
        self.message = message


@dataclass(frozen=True, slots=True)
class CheckedKey(Generic[K]):
    """A field key whose function refuses bad arguments (:class:`RefusedArgumentError`) instead
    of keying a read the vendor would refuse. Called as a :data:`FieldKey` (by the
    look-ahead) a refusal is ``None``: nothing is prefetched, and the field, when it runs,
    raises the refusal (:meth:`VendorRead.key_of`)."""

    key: Callable[[str, Mapping[str, Any]], K]

    def __call__(self, parent_id: str, args: Mapping[str, Any]) -> K | None:
        try:
            return self.key(parent_id, args)
        except RefusedArgumentError:
            return None


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
    #: the most items one call returns when a page of the field may hold more (``None``: one
    #: call reads the whole page): such a read costs a call per this many items of ``first``
    items_per_call: int | None = None

    def key_of(self, field: str, parent_id: str, args: Mapping[str, Any]) -> K:
        """The read's key for ``field`` (``"Type.field"``) of the parent ``parent_id`` with
        the field's arguments (by their GraphQL names); the same function the look-ahead
        keys it with. Bad arguments raise :class:`RefusedArgumentError`; a field this read does
        not key from its arguments is a programming error (:class:`LookupError`)."""
        key_of = self.fields.get(field)
        if key_of is None:
            raise LookupError(f"{self!r} does not declare {field}")
        key = (
            key_of.key(parent_id, args)
            if isinstance(key_of, CheckedKey)
            else key_of(parent_id, args)
        )
        if key is None:
            raise LookupError(f"{self!r}: {field}'s arguments do not determine its key")
        return cast(K, key)

    def __repr__(self) -> str:
        return f"VendorRead({self.vendor}.{self.operation})"


@dataclass(frozen=True, slots=True)
class VendorReads:
    """What one vendor's reads and tags share: the vendor's name, said once per catalogue."""

    vendor: str

    def tag(self, resource: str) -> TagKind:
        return TagKind(self.vendor, resource)

    def tenant_wide(self, resource: str) -> TenantWide:
        return TenantWide(self.vendor, resource)

    def keyed(
        self,
        operation: str,
        call: Callable[[TenantClients, K], Awaitable[V]],
        *,
        by: str,
        stored_under: TagKind | TenantWide,
        not_found: Callable[[], V] | None,
        ttl: float,
        fields: Mapping[str, FieldKey[K]],
        kind: str | None = None,
        cost: str | None = None,
    ) -> VendorRead[K, V]:
        """A read keyed by one value, which the cache key carries as ``by``; stored under
        the resource it reads (a resource's tag by the key, or a tenant-wide list's tag).
        Its cache kind and its cost are named after that resource unless said otherwise."""
        resource = stored_under.resource
        tags: Callable[[K], Iterable[TagRef]]
        if isinstance(stored_under, TagKind):
            tags = tagged(cast(Callable[[K], TagRef], stored_under))
        else:
            tags = _always(stored_under)
        return VendorRead(
            self.vendor,
            operation,
            call,
            keyed_as(by),
            not_found,
            kind or resource,
            ttl,
            tags,
            cost or f"{self.vendor}.{resource}",
            fields,
        )


def _always(tag: TenantWide) -> Callable[[object], tuple[TagRef]]:
    """Every key stored under the one tenant-wide tag."""
    return lambda key: (tag(),)
