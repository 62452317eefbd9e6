"""Tenant isolation, enumerated: every root query and mutation of the schema, run by acme
(tenant A) against globex's (tenant B) ids and values, returns nothing of globex's and
changes nothing of globex's.

For each field the matrix checks three things:

- the response (data and errors) holds no globex value that acme did not itself send (in
  this request, or into its own tenant by an earlier one);
- no upstream request made for it carried a globex credential (each tenant has its own
  vendor accounts, so this is what keeps acme's writes out of globex's data);
- afterwards globex's data, read as globex through a second gateway without a cache (it sees
  what the vendors hold, not what the first gateway cached), is what it was before.

The field list comes from introspection: a new root field fails
``test_the_matrix_covers_every_root_field`` until it has a case here.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64

from sandbox.demo_world import DemoTenant
from sandbox.tallymarks.segments import segment_id
from sandbox.talon.campaigns import campaign_ids
from tests.schema.auth_harness import AuthHarness, Upstream, auth_harness, observer

ITEMS = [
    {"sku": "SHOE-RUN-01", "name": "Trail runner", "quantity": 1, "price": 89.95},
    {"sku": "BAG-DAY-01", "name": "Day pack", "quantity": 2, "price": 49.0},
]
OPEN_CART, CLOSED_CART = "globex-cart-open", "globex-cart-closed"
#: globex uses this idempotency key first; acme's identical request must not be "already done"
SHARED_KEY = "shared-idempotency-key"
PROBE = """customerId email displayName loyaltyProfile { email mobileNumber }
  pointsBalance { points } supportProfile { supportId channels { address } }
  coupons { value } audiences { audienceId name } referrals { code }"""


@dataclass(frozen=True)
class Globex:
    """Tenant B's ids and values, as its own key sees them."""

    tenant: DemoTenant
    support_id: int
    channel_id: int
    coupon: str
    coupon_holder: str
    audience_id: int
    segment: str
    referral_campaign: int

    def customer(self, i: int = 0) -> str:
        return self.tenant.customers[i].customer_id

    @property
    def email(self) -> str:
        return self.tenant.customers[0].email


@dataclass(frozen=True)
class Case:
    document: str
    variables: Callable[[Globex], dict[str, Any]]


def _q(field: str, args: str, selection: str) -> str:
    return f"query {{ {field}{args} {{ {selection} }} }}"


CASES: dict[str, Case] = {
    # --- queries ---
    "node": Case(
        "query($id: ID!) { node(id: $id) { id ... on Customer { " + PROBE + " } } }",
        lambda b: {"id": to_base64("Customer", b.customer())},
    ),
    "customer": Case(
        "query($id: ID!) { customer(id: $id) { " + PROBE + " } }",
        lambda b: {"id": b.customer()},
    ),
    "customers": Case(
        "query($s: String) { customers(search: $s, first: 5) { edges { node { "
        + PROBE
        + " } } } }",
        lambda b: {"s": b.email},
    ),
    "customerByEmail": Case(
        "query($e: String!) { customerByEmail(email: $e) { " + PROBE + " } }",
        lambda b: {"e": b.email},
    ),
    "customerByExternalReference": Case(
        "query($r: String!) { customerByExternalReference(reference: $r) { " + PROBE + " } }",
        lambda b: {"r": b.tenant.customers[0].external_reference},
    ),
    "customersByChannel": Case(
        "query($v: String!) { customersByChannel(value: $v) { " + PROBE + " } }",
        lambda b: {"v": b.email},
    ),
    "customerBySupportId": Case(
        "query($s: Int!) { customerBySupportId(supportId: $s) { " + PROBE + " } }",
        lambda b: {"s": b.support_id},
    ),
    "supportCustomers": Case(
        "query { supportCustomers(first: 100) { totalCount edges { node { supportId "
        "primaryId brandName firstName lastName channels { address } } } } }",
        lambda b: {},
    ),
    "coupon": Case(
        "query($v: String!) { coupon(value: $v) { value reservedBy { " + PROBE + " } } }",
        lambda b: {"v": b.coupon},
    ),
    "cartSession": Case(
        "query($id: ID!) { cartSession(id: $id) { id customerId total state "
        "items { sku } couponCodes customer { email } effects { __typename } } }",
        lambda b: {"id": OPEN_CART},
    ),
    # --- mutations ---
    "createCustomer": Case(
        "mutation($i: CreateCustomerInput!) { createCustomer(input: $i, idempotencyKey: "
        '"acme-create-1") { customerId complete outcomes { vendor status message } '
        "customer { " + PROBE + " } } }",
        lambda b: {"i": {"customerId": b.customer(5), "email": b.email, "firstName": "Intruder"}},
    ),
    "updateCustomer": Case(
        "mutation($id: ID!, $k: String!) { updateCustomer(id: $id, input: "
        '{firstName: "Gloria"}, idempotencyKey: $k) { customerId complete '
        "outcomes { vendor status message } customer { " + PROBE + " } } }",
        lambda b: {"id": b.customer(2), "k": SHARED_KEY},
    ),
    "forgetCustomer": Case(
        'mutation($id: ID!) { forgetCustomer(id: $id, idempotencyKey: "acme-forget-1") { '
        "customerId complete outcomes { vendor status message } } }",
        lambda b: {"id": b.customer()},
    ),
    "addCustomerToSegment": Case(
        "mutation($c: ID!, $s: ID!) { addCustomerToSegment(customerId: $c, segmentId: $s) { "
        "customer { " + PROBE + " } segment { id name } } }",
        lambda b: {"c": b.customer(1), "s": b.segment},
    ),
    "removeCustomerFromSegment": Case(
        "mutation($c: ID!, $s: ID!) { removeCustomerFromSegment(customerId: $c, "
        "segmentId: $s) { segmentId removed customer { " + PROBE + " } } }",
        lambda b: {"c": b.customer(), "s": b.segment},
    ),
    "redeemPoints": Case(
        "mutation($c: ID!) { redeemPoints(input: {customerId: $c, points: 1, eventId: "
        '"00000000-0000-4000-8000-0000000000a1"}) { currentBalance pendingBalance customer { '
        + PROBE
        + " } } }",
        lambda b: {"c": b.customer()},
    ),
    "assessBasket": Case(
        "mutation($c: ID!) { assessBasket(input: {customerId: $c, total: 120}) { "
        "potentialPoints outcomes { description points } } }",
        lambda b: {"c": b.customer()},
    ),
    "trackLoyaltyEvent": Case(
        "mutation($c: ID!) { trackLoyaltyEvent(input: {customerId: $c, eventId: "
        '"00000000-0000-4000-8000-0000000000a2", points: {amount: 500}}) { eventId customer { '
        + PROBE
        + " } } }",
        lambda b: {"c": b.customer()},
    ),
    "trackPromotionEvent": Case(
        'mutation($c: ID!) { trackPromotionEvent(customerId: $c, type: "review_written") { '
        "eventId effects { __typename } customer { " + PROBE + " } } }",
        lambda b: {"c": b.customer()},
    ),
    "updateCartSession": Case(
        "mutation($id: ID!, $i: UpdateCartSessionInput!) { updateCartSession(id: $id, "
        "input: $i) { session { id customerId state total customer { email } } } }",
        lambda b: {
            "id": OPEN_CART,
            "i": {"customerId": b.customer(), "cartItems": ITEMS, "couponCodes": [b.coupon]},
        },
    ),
    "returnCartItems": Case(
        "mutation($id: ID!) { returnCartItems(sessionId: $id, items: [{position: 0}]) { "
        "session { id state customer { email } } returnId } }",
        lambda b: {"id": CLOSED_CART},
    ),
    "reserveCoupon": Case(
        "mutation($v: String!, $c: [ID!]!) { reserveCoupon(value: $v, customerIds: $c) { "
        "coupon { value reservedBy { customerId email } } customers { " + PROBE + " } } }",
        lambda b: {"v": b.coupon, "c": [b.customer(1)]},
    ),
    "releaseCoupon": Case(
        "mutation($v: String!, $c: [ID!]!) { releaseCoupon(value: $v, customerIds: $c) { "
        "coupon { value reservedBy { customerId email } } customers { " + PROBE + " } } }",
        lambda b: {"v": b.coupon, "c": [b.coupon_holder]},
    ),
    "createReferral": Case(
        "mutation($i: CreateReferralInput!) { createReferral(input: $i) { "
        "referral { code campaignId } advocate { " + PROBE + " } } }",
        lambda b: {"i": {"campaignId": b.referral_campaign, "advocateId": b.customer()}},
    ),
    "createReferrals": Case(
        "mutation($i: CreateReferralsInput!) { createReferrals(input: $i) { "
        "referrals { __typename } } }",
        lambda b: {
            "i": {"campaignId": b.referral_campaign, "advocateIds": [b.customer(), b.customer(1)]}
        },
    ),
    "createAudience": Case(
        'mutation { createAudience(input: {name: "Globex insiders"}) { '
        "audience { audienceId name } } }",
        lambda b: {},
    ),
    "updateAudience": Case(
        'mutation($id: ID!) { updateAudience(id: $id, name: "Hijacked") { '
        "audience { audienceId name } description } }",
        lambda b: {"id": str(b.audience_id)},
    ),
    "deleteAudience": Case(
        "mutation($id: ID!) { deleteAudience(id: $id) { audienceId } }",
        lambda b: {"id": str(b.audience_id)},
    ),
    "clearAudienceMembers": Case(
        "mutation($id: ID!) { clearAudienceMembers(id: $id) { audienceId } }",
        lambda b: {"id": str(b.audience_id)},
    ),
    "setAudienceMemberAttributes": Case(
        "mutation($id: ID!, $a: JSON!) { setAudienceMemberAttributes(id: $id, attributes: $a) "
        "{ audienceId } }",
        lambda b: {"id": str(b.audience_id), "a": {"tier": "gold"}},
    ),
    "updateAudienceMemberships": Case(
        "mutation($c: [AudienceMembershipChangeInput!]!) { updateAudienceMemberships("
        "changes: $c) { changed customers { " + PROBE + " } } }",
        lambda b: {
            "c": [{"customerId": b.customer(), "audienceId": b.audience_id, "action": "REMOVE"}]
        },
    ),
    "addSupportChannel": Case(
        "mutation($c: ID!) { addSupportChannel(customerId: $c, type: EMAIL, address: "
        '"intruder@example.com") { customer { ' + PROBE + " } } }",
        lambda b: {"c": b.customer()},
    ),
    "removeSupportChannel": Case(
        "mutation($c: ID!, $ch: Int!) { removeSupportChannel(customerId: $c, channelId: $ch) "
        "{ removedChannelId customer { " + PROBE + " } } }",
        lambda b: {"c": b.customer(), "ch": b.channel_id},
    ),
    "recordTimelineEvent": Case(
        'mutation($c: ID!) { recordTimelineEvent(customerId: $c, message: "intrusion") { '
        "timelineEntryId customer { " + PROBE + " } } }",
        lambda b: {"c": b.customer()},
    ),
    "syncCustomerWithCrm": Case(
        "mutation($a: String!) { syncCustomerWithCrm(channel: EMAIL, address: $a) { "
        "customers { " + PROBE + " } } }",
        lambda b: {"a": b.email},
    ),
}

SNAPSHOT_FIELDS = """customerId email firstName lastName
  loyaltyProfile { email mobileNumber isAccountLocked externalReference attributes { name value } }
  pointsBalance { points } loyaltySegments { id }
  events(first: 5) { edges { node { eventId } } }
  supportProfile {
    supportId firstName lastName channels { id address } customFields { name value }
  }
  timeline { id message }
  promotionProfile { attributes { name value } closedSessions totalSales }
  audiences { audienceId name } coupons { value state } referrals { code usageCounter }"""
SNAPSHOT = f"""
query($c0: ID!, $c1: ID!, $c2: ID!, $coupon: String!) {{
  c0: customer(id: $c0) {{ {SNAPSHOT_FIELDS} }}
  c1: customer(id: $c1) {{ {SNAPSHOT_FIELDS} }}
  c2: customer(id: $c2) {{ {SNAPSHOT_FIELDS} }}
  open: cartSession(id: "{OPEN_CART}") {{ state total couponCodes items {{ sku quantity }} }}
  closed: cartSession(id: "{CLOSED_CART}") {{ state items {{ sku returnedQuantity }} }}
  coupon(value: $coupon) {{ reservedBy {{ customerId }} }}
}}
"""


async def _as(client: httpx.AsyncClient, key: str, query: str, **variables: Any) -> Any:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"x-api-key": key}
    )
    return response.json()


async def _globex_setup(h: AuthHarness) -> Globex:
    """Globex's own state for the matrix: carts, an audience, a segment membership, an
    idempotency key in use; then its ids, read back as globex."""
    b = h.globex
    c0, c1, c2 = (b.customers[i].customer_id for i in range(3))
    newsletter = segment_id(b.tallymarks_tenant_id, "Newsletter")
    setup = """
    mutation($c0: ID!, $c1: ID!, $c2: ID!, $items: [CartItemInput!], $seg: ID!, $k: String!,
             $open: ID!, $closed: ID!) {
      open: updateCartSession(id: $open, input: {customerId: $c0, cartItems: $items}) {
        session { id } }
      closed: updateCartSession(id: $closed, input: {customerId: $c1, cartItems: $items}) {
        session { id } }
      close: updateCartSession(id: $closed, input: {state: CLOSED}) { session { state } }
      audience: createAudience(input: {name: "Globex insiders"}) { audience { audienceId } }
      segment: addCustomerToSegment(customerId: $c0, segmentId: $seg) { segment { id } }
      update: updateCustomer(id: $c2, input: {firstName: "Gloria"}, idempotencyKey: $k) {
        complete }
    }"""
    done = await _as(
        h.client,
        "key-globex",
        setup,
        c0=c0,
        c1=c1,
        c2=c2,
        items=ITEMS,
        seg=newsletter,
        k=SHARED_KEY,
        open=OPEN_CART,
        closed=CLOSED_CART,
    )
    assert "errors" not in done, done
    audience = done["data"]["audience"]["audience"]["audienceId"]
    member = await _as(
        h.client,
        "key-globex",
        "mutation($c: [AudienceMembershipChangeInput!]!) { "
        "updateAudienceMemberships(changes: $c) { changed } }",
        c=[{"customerId": c0, "audienceId": str(audience), "action": "ADD"}],
    )
    assert "errors" not in member, member
    ids = await _as(
        h.client,
        "key-globex",
        "query($c0: ID!) { c0: customer(id: $c0) { supportProfile { supportId "
        "channels { id } } } customers(first: 30) { edges { node { customerId "
        "coupons { value } } } } }",
        c0=c0,
    )
    profile = ids["data"]["c0"]["supportProfile"]
    holder, coupon = next(
        (n["customerId"], n["coupons"][0]["value"])
        for n in (e["node"] for e in ids["data"]["customers"]["edges"])
        if n["coupons"]
    )
    return Globex(
        tenant=b,
        support_id=profile["supportId"],
        channel_id=profile["channels"][0]["id"],
        coupon=coupon,
        coupon_holder=holder,
        audience_id=audience,
        segment=newsletter,
        referral_campaign=campaign_ids(b.talon_application_id).referral,
    )


async def _snapshot(client: httpx.AsyncClient, b: Globex) -> Any:
    body = await _as(
        client,
        "key-globex",
        SNAPSHOT,
        c0=b.customer(0),
        c1=b.customer(1),
        c2=b.customer(2),
        coupon=b.coupon,
    )
    assert "errors" not in body, body
    return body["data"]


def _globex_values(b: Globex, snapshot: Any) -> set[str]:
    """Strings that are globex's: its customers' identities, and the values in its data."""
    values = {
        v
        for c in b.tenant.customers
        for v in (c.customer_id, c.email, c.mobile, c.external_reference)
    }
    values |= {b.tenant.name, b.tenant.tallymarks_tenant_id, b.coupon}
    for customer in (snapshot["c0"], snapshot["c1"], snapshot["c2"]):
        values |= {c["value"] for c in customer["coupons"] or []}
        values |= {r["code"] for r in customer["referrals"] or []}
        values |= {t["message"] for t in customer["timeline"] or [] if len(t["message"]) > 12}
    return {v for v in values if v}


def _globex_credentials(b: DemoTenant) -> set[str]:
    return {
        b.tallymarks_api_key,
        b.tallymarks_api_secret,
        b.tallymarks_tenant_id,
        b.omnidesk_api_key,
        b.omnidesk_read_only_key,
        b.talon_api_key,
    }


def _problems(
    field: str, request: str, response: str, calls: list[Upstream], secret: set[str], own: set[str]
) -> list[str]:
    problems = [
        f"{field}: the response shows globex's {value!r}"
        for value in sorted(own)
        if value in response and value not in request
    ]
    for call in calls:
        problems += [
            f"{field}: {call.vendor} {call.method} {call.url} carried a globex credential"
            for value in secret
            if value in call.text()
        ]
    if "ALREADY_DONE" in response:
        problems.append(f"{field}: globex's idempotency record answered acme")
    return problems


@pytest.fixture
async def ah() -> AsyncIterator[AuthHarness]:
    async with auth_harness() as h:
        yield h


async def test_the_matrix_covers_every_root_field(ah: AuthHarness) -> None:
    body = await ah.query(
        "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }"
    )

    schema = body["data"]["__schema"]
    fields = {f["name"] for root in schema.values() for f in root["fields"]}
    assert fields == set(CASES)


async def test_no_root_field_reads_or_changes_another_tenants_data(ah: AuthHarness) -> None:
    globex = await _globex_setup(ah)
    await _snapshot(ah.client, globex)  # globex's reads are now in acme's gateway's cache too
    async with observer(ah) as seen_by_globex:
        before = await _snapshot(seen_by_globex, globex)
        own, secret = _globex_values(globex, before), _globex_credentials(globex.tenant)
        problems: list[str] = []
        #: what acme itself sent so far: a value acme wrote into its own tenant (e.g. a
        #: customer created with globex's id) is acme's from then on
        sent = ""
        for field, case in CASES.items():
            variables = case.variables(globex)
            sent += case.document + json.dumps(variables)
            start = len(ah.upstream)
            response = await ah.post_as(case.document, {"x-api-key": "key-acme"}, **variables)
            assert response.status_code == 200, (field, response.text)
            problems += _problems(field, sent, response.text, ah.upstream[start:], secret, own)
        after = await _snapshot(seen_by_globex, globex)

    assert problems == []
    assert after == before


async def test_a_read_cached_for_one_tenant_is_never_served_to_another(ah: AuthHarness) -> None:
    globex = await _globex_setup(ah)
    warm = await _snapshot(ah.client, globex)
    lookups = (
        "query($id: ID!, $e: String!, $v: String!, $gid: ID!) {"
        f"  customer(id: $id) {{ {SNAPSHOT_FIELDS} }}"
        "  node(id: $gid) { id }"
        "  customerByEmail(email: $e) { customerId }"
        "  customers(search: $e) { edges { node { customerId } } }"
        "  customersByChannel(value: $e) { customerId }"
        "  coupon(value: $v) { reservedBy { customerId } }"
        "}"
    )
    variables = {
        "id": globex.customer(),
        "e": globex.email,
        "v": globex.coupon,
        "gid": to_base64("Customer", globex.customer()),
    }
    await _as(ah.client, "key-globex", lookups, **variables)  # warm every lookup as globex
    start = len(ah.upstream)

    body = await _as(ah.client, "key-acme", lookups, **variables)

    assert body["data"] == {
        "customer": None,
        "node": None,
        "customerByEmail": None,
        "customers": {"edges": []},
        "customersByChannel": [],
        "coupon": None,
    }
    acme_calls = ah.upstream[start:]
    assert {c.vendor for c in acme_calls} == {"tallymarks", "omnidesk", "talon"}
    secret = _globex_credentials(globex.tenant)
    assert not [c for c in acme_calls if any(s in c.text() for s in secret)]
    assert warm["c0"]["email"] == globex.email
