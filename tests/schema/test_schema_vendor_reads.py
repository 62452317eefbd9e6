"""Every vendor read is declared once and completely: the schema fields it names exist,
and the TTL defaults, the cost table, the write-side tags and the prefetch all carry it."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import pytest
from graphql import GraphQLObjectType
from pydantic import ValidationError

from cache import Tag
from gateway.limits.cost_table import FIELD_COSTS, PAGED_READS
from gateway.settings import DEFAULT_TTLS, GatewaySettings
from resolvers import cache_tags
from schema import build_schema
from schema.customer_prefetch import NESTED, READS
from vendors import read_catalog, reads
from vendors.omnidesk import reads as omnidesk
from vendors.reads import ALL, TagRef, VendorRead, not_prefetched
from vendors.tallymarks import reads as tallymarks
from vendors.talon import reads as talon

ACME: Any = SimpleNamespace(
    tag=lambda vendor, resource, ident: Tag("acme", vendor, resource, ident)
)

#: a key of each read, and the write-side tags that must drop what it stored
SAMPLES: dict[VendorRead[Any, Any], tuple[object, list[Tag]]] = {
    tallymarks.CUSTOMER: ("c1", [cache_tags.loyalty_profile(ACME, "c1")]),
    tallymarks.BALANCE: ("c1", [cache_tags.loyalty_balance(ACME, "c1")]),
    tallymarks.SEGMENTS: ("c1", [cache_tags.loyalty_segments(ACME, "c1")]),
    tallymarks.TRANSACTIONS: (
        tallymarks.HistoryPageQuery("c1", 10),
        [cache_tags.loyalty_transactions(ACME, "c1")],
    ),
    tallymarks.EVENTS: (
        tallymarks.HistoryPageQuery("c1", 10),
        [cache_tags.loyalty_events(ACME, "c1")],
    ),
    tallymarks.CUSTOMER_SEARCH: (
        tallymarks.CustomerSearchPageQuery("ann", 10),
        [cache_tags.loyalty_search(ACME)],
    ),
    omnidesk.SUPPORT_CUSTOMER: ("c1", [cache_tags.support_customer(ACME, "c1")]),
    omnidesk.SUPPORT_CUSTOMER_BY_ID: (7, [cache_tags.support_search(ACME)]),
    omnidesk.CHANNEL_SEARCH: ("a@b.c", [cache_tags.support_search(ACME)]),
    omnidesk.TIMELINE: (("c1", True), [cache_tags.support_timeline(ACME, "c1")]),
    omnidesk.CUSTOMER_INDEX: (omnidesk.IndexPageKey(0, 20), [cache_tags.support_search(ACME)]),
    talon.INVENTORY: (
        ("c1", frozenset({"profile"})),
        [cache_tags.promotion_inventory(ACME, "c1")],
    ),
    talon.COUPON_HOLDERS: ("SAVE10", [cache_tags.coupon_holders(ACME, "SAVE10")]),
    talon.SESSION: ("s1", [cache_tags.promotion_session(ACME, "s1")]),
    talon.LOYALTY_TRANSACTIONS: (("c1", 3, 30), [cache_tags.promotion_inventory(ACME, "c1")]),
}

ids = [repr(r) for r in read_catalog.READS]


def _scoped(read: VendorRead[Any, Any], key: object) -> list[Tag]:
    return [Tag("acme", *ref) for ref in read.tags(key)]


@pytest.fixture(scope="module")
def schema_types() -> dict[str, GraphQLObjectType]:
    schema = build_schema()._schema
    return {n: t for n, t in schema.type_map.items() if isinstance(t, GraphQLObjectType)}


def test_every_read_has_a_sample_here() -> None:
    assert set(SAMPLES) == set(read_catalog.READS)


@pytest.mark.parametrize("read", read_catalog.READS, ids=ids)
def test_the_fields_a_read_names_exist(
    read: VendorRead[Any, Any], schema_types: dict[str, GraphQLObjectType]
) -> None:
    assert read.fields, f"{read!r} names no field: nothing would read it"
    for name in read.fields:
        owner, _, field = name.partition(".")
        assert owner in schema_types, f"{read!r}: no type {owner}"
        assert field in schema_types[owner].fields, f"{read!r}: no field {name}"


@pytest.mark.parametrize("read", read_catalog.READS, ids=ids)
def test_every_field_of_a_read_pays_for_it(read: VendorRead[Any, Any]) -> None:
    for name in read.fields:
        cost = FIELD_COSTS.get(name)
        assert isinstance(cost, tuple), name
        assert read.cost in cost, name


@pytest.mark.parametrize("read", read_catalog.READS, ids=ids)
def test_every_read_kind_has_its_ttl(read: VendorRead[Any, Any]) -> None:
    assert DEFAULT_TTLS[read.kind] == read.ttl
    assert GatewaySettings(_env_file=None).cache_ttls[read.kind] == read.ttl


@pytest.mark.parametrize("read", read_catalog.READS, ids=ids)
def test_a_read_is_stored_under_the_tags_its_writes_invalidate(read: VendorRead[Any, Any]) -> None:
    key, written = SAMPLES[read]
    tags = _scoped(read, key)
    assert tags
    assert {t.vendor for t in tags} == {read.vendor}
    assert set(written) <= set(tags)
    assert read.cache_args(key)  # the key reaches the cache key


def test_the_inventory_is_tagged_with_its_profiles_audiences() -> None:
    profile = SimpleNamespace(audience_memberships=[SimpleNamespace(id=1)])
    inventory: Any = SimpleNamespace(profile=profile)
    found = list(talon.INVENTORY.value_tags(inventory))

    assert [Tag("acme", *ref) for ref in found] == [cache_tags.audience_members(ACME, 1)]
    assert list(talon.INVENTORY.value_tags(None)) == []


def test_a_declaration_missing_a_part_is_refused() -> None:
    parts = {f.name: getattr(tallymarks.BALANCE, f.name) for f in dataclasses.fields(VendorRead)}
    del parts["cost"]
    with pytest.raises(TypeError, match="cost"):
        VendorRead(**parts)


def test_reads_disagreeing_on_a_kind_ttl_are_refused() -> None:
    other = dataclasses.replace(tallymarks.BALANCE, operation="other", ttl=99)
    with pytest.raises(ValueError, match="balance"):
        read_catalog.default_ttls((tallymarks.BALANCE, other))


def test_an_unknown_cache_kind_in_the_override_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"unknown cache kind.*custmer"):
        GatewaySettings(_env_file=None, cache_ttls={"custmer": 30})
    assert GatewaySettings(_env_file=None, cache_ttls={"customer": 5}).cache_ttls == {"customer": 5}


def test_cache_key_operations_are_unique_per_vendor() -> None:
    names = [(r.vendor, r.operation) for r in read_catalog.READS]
    assert len(names) == len(set(names))


def test_every_keyed_customer_field_is_prefetched() -> None:
    for read in read_catalog.READS:
        for name, key_of in read.fields.items():
            owner, _, field = name.partition(".")
            if key_of is not_prefetched or owner in ("Query", "Mutation"):
                continue
            if owner == "Customer":
                assert field in READS, name
            else:
                assert (owner, field) in NESTED, name
    assert ("TransactionConnection", "balance") in NESTED


def test_prefetch_keys_follow_the_field_arguments() -> None:
    segments = tallymarks.SEGMENTS.fields["Customer.segments"]
    timeline = omnidesk.TIMELINE.fields["Customer.timeline"]

    assert segments("c1", {}) == "c1"
    assert segments("c1", {"sources": ["LOYALTY"]}) is None
    assert timeline("c1", {"includeTickets": "true"}) == ("c1", True)
    assert timeline("c1", {}) == ("c1", False)
    ledger = talon.LOYALTY_TRANSACTIONS.fields["Customer.promotionLoyaltyTransactions"]
    assert ledger("c1", {"programId": 3}) == ("c1", 3, talon.LEDGER_DEFAULT_FIRST)
    assert ledger("c1", {"programId": 0}) is None  # the field refuses it: nothing to start


def test_a_checked_key_refuses_for_the_field_and_skips_the_look_ahead() -> None:
    ledger = talon.LOYALTY_TRANSACTIONS
    field = "Customer.promotionLoyaltyTransactions"
    key_of = ledger.fields[field]

    assert isinstance(key_of, reads.CheckedKey)
    assert key_of("c1", {"programId": 3, "first": 5}) == ("c1", 3, 5)
    assert ledger.key_of(field, "c1", {"programId": 3}) == ("c1", 3, 30)
    for args in ({}, {"programId": True}, {"programId": 3, "first": "5"}):
        assert key_of("c1", args) is None
        with pytest.raises(reads.RefusedArgumentError):
            ledger.key_of(field, "c1", args)


def test_key_of_is_the_prefetch_key_and_refuses_fields_it_cannot_key() -> None:
    assert tallymarks.BALANCE.key_of("TransactionConnection.balance", "c1", {}) == "c1"
    assert talon.INVENTORY.key_of("Customer.giveaways", "c1", {}) == (
        "c1",
        frozenset({"giveaways"}),
    )
    with pytest.raises(LookupError, match="does not declare"):
        tallymarks.BALANCE.key_of("Customer.segments", "c1", {})
    with pytest.raises(LookupError, match="do not determine"):
        tallymarks.SEGMENTS.key_of("Customer.segments", "c1", {"sources": ["LOYALTY"]})


def _shop_read(
    stored_under: reads.TagKind | reads.TenantWide, **names: str
) -> VendorRead[str, object]:
    return reads.VendorReads("shop").keyed(
        "getBasket",
        lambda clients, key: _never(),
        by="basketId",
        stored_under=stored_under,
        not_found=reads.none_when_missing,
        ttl=5,
        fields=reads.loaded_when_run("Query.basket", "Query.baskets"),
        **names,
    )


def test_a_keyed_read_derives_its_kind_cost_and_tags_from_its_resource() -> None:
    shop = reads.VendorReads("shop")

    by_resource = _shop_read(shop.tag("basket"))
    over_the_tenant = _shop_read(shop.tenant_wide("search"), kind="lookup", cost="shop.find")

    assert (by_resource.kind, by_resource.cost) == ("basket", "shop.basket")
    assert list(by_resource.tags("b1")) == [TagRef("shop", "basket", "b1")]
    assert by_resource.cache_args("b1") == {"basketId": "b1"}
    assert (over_the_tenant.kind, over_the_tenant.cost) == ("lookup", "shop.find")
    assert list(over_the_tenant.tags("b1")) == [TagRef("shop", "search", ALL)]
    assert dict(by_resource.fields) == dict.fromkeys(
        ["Query.basket", "Query.baskets"], not_prefetched
    )


def _never() -> Any:
    raise AssertionError("no call in this test")


def test_the_calls_a_paged_read_takes_come_from_its_declaration() -> None:
    """The cost of a page in several calls is derived like the rest: from the read's own
    ``items_per_call``, not a table in the limits naming the read."""
    declared = {
        r.cost: r.items_per_call for r in read_catalog.READS if r.items_per_call is not None
    }

    assert read_catalog.paged_reads() == declared == {omnidesk.CUSTOMER_INDEX.cost: 99}
    assert declared == PAGED_READS
    assert read_catalog.paged_reads((omnidesk.SUPPORT_CUSTOMER,)) == {}
