"""Hostile ids against every Query field and Mutation that takes one, found by introspection.

An argument is id-like when its type is ``ID`` or its name is ``id``/``…Id``/``…Ids`` (also
inside input objects), so a new field is covered without touching this file. For each
(field, argument, hostile id) the answer must be a client error, never a 5xx or
INTERNAL_SERVER_ERROR, and the sandboxes' counters must show that only the routes the field
calls for a well-formed id were hit: no id may reach another vendor route.

Ids malformed for every kind (dot segments, slashes, encoded slashes, control characters,
blank, too long) must be refused as BAD_USER_INPUT before any upstream call. Ids that are
well-formed for free-form vendor ids (``?x=1``, ``#``, ``٣`` as a cart session id) may be
answered, or found unknown, through the field's own routes.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from graphql.pyutils import Undefined

from schema import build_schema
from tests.schema.gateway_harness import VENDORS, Harness, harness

SCHEMA: GraphQLSchema = build_schema()._schema

#: (label, value, well-formed as a free-form vendor id such as a cart session id)
CORPUS: tuple[tuple[str, str, bool], ...] = (
    ("dot", ".", False),
    ("dotdot", "..", False),
    ("dot-slash", "./x", False),
    ("dotdot-slash", "../x", False),
    ("dotdot-slash-up", "../../api/v1/customers", False),
    ("slash", "a/b", False),
    ("leading-slash", "/x", False),
    ("backslash", "a\\b", False),
    ("dotdot-backslash", "..\\x", False),
    ("encoded-slash", "%2F", False),
    ("encoded-backslash", "%5c", False),
    ("encoded-dotdot", "%2e%2e", False),
    ("encoded-dot", "%2E", False),
    ("double-encoded-dotdot", "%252e%252e", False),
    ("dotdot-encoded-slash", "..%2Fx", False),
    ("crlf", "\r\n", False),
    ("header-injection", "x\r\nX-Injected: 1", False),
    ("nul", "\x00", False),
    ("encoded-nul", "%00", False),
    ("tab", "a\tb", False),
    ("bidi-override", "a\u202eb", False),
    ("line-separator", "a\u2028b", False),
    ("empty", "", False),
    ("space", " ", False),
    ("whitespace-padded", " x ", False),
    ("64kb", "a" * 65536, False),
    ("arabic-indic-digit", "\u0663", True),
    ("superscript-one", "\u00b9", True),
    ("query", "?x=1", True),
    ("fragment", "#", True),
    ("fragment-dotdot", "#/..", False),
    ("semicolon", ";x", True),
    ("percent-literal", "100%", True),
    ("unicode-text", "ümlaut-ß", True),
    ("negative-number", "-1", True),
    ("int64-overflow", "9" * 30, True),
)


@dataclass(frozen=True)
class IdSlot:
    """One id-like argument (``path`` into the arguments, ``list`` when it is ``[ID!]``)."""

    root: str  # "Query" or "Mutation"
    field: str
    path: tuple[str, ...]
    is_list: bool
    type_name: str

    @property
    def name(self) -> str:
        return f"{self.root}.{self.field}({'.'.join(self.path)})"


# --- what kind of id each argument is -------------------------------------------------------
# Canonical customer ids, loyalty segment ids and loyalty event ids are GUIDs (the loyalty
# system of record's ids); audience ids are numbers; cart session ids and coupon-free text
# are free-form. An argument not listed is held only to the rules every id obeys.

GUID = "guid"
NUMBER = "number"
TEXT = "text"
GLOBAL = "global"

_KINDS: dict[str, str] = {
    "customerId": GUID,
    "customerIds": GUID,
    "advocateId": GUID,
    "advocateIds": GUID,
    "friendId": GUID,
    "segmentId": GUID,
    "eventId": GUID,
    "audienceId": NUMBER,
    "sessionId": TEXT,
    "integrationId": TEXT,
    "supportId": NUMBER,
    "campaignId": NUMBER,
    "channelId": NUMBER,
}
_ID_KINDS: dict[str, str] = {
    "node": GLOBAL,
    "customer": GUID,
    "updateCustomer": GUID,
    "forgetCustomer": GUID,
    "updateAudience": NUMBER,
    "deleteAudience": NUMBER,
    "clearAudienceMembers": NUMBER,
    "setAudienceMemberAttributes": NUMBER,
    "cartSession": TEXT,
    "updateCartSession": TEXT,
}


def kind_of(slot: IdSlot) -> str | None:
    last = slot.path[-1]
    if last == "id" and len(slot.path) == 1:
        return _ID_KINDS.get(slot.field)
    return _KINDS.get(last)


def well_formed_unknown(slot: IdSlot | None, kind: str | None, n: int) -> str | int:
    """An id of the right shape that names nothing (the clean run)."""
    if slot is not None and slot.type_name == "Int":
        return 987_654_000 + n
    if kind == NUMBER:
        return str(987_654_000 + n)
    if kind == GLOBAL:
        return base64.b64encode(f"Customer:{uuid.uuid4()}".encode()).decode()
    if kind == GUID or kind is None:
        return str(uuid.uuid4())
    return f"probe-session-{n}"


# --- introspection ------------------------------------------------------------------------


def _id_like(name: str, type_: GraphQLInputType) -> bool:
    named = get_named_type(type_)
    return named.name == "ID" or name == "id" or name.endswith(("Id", "Ids"))


def _slots_in(
    root: str, field: str, path: tuple[str, ...], type_: GraphQLInputType, depth: int = 0
) -> Iterator[IdSlot]:
    named = get_named_type(type_)
    if _id_like(path[-1], type_) and isinstance(named, GraphQLScalarType):
        yield IdSlot(root, field, path, _is_list(type_), named.name)
    elif isinstance(named, GraphQLInputObjectType) and depth < 2:
        for name, inner in named.fields.items():
            yield from _slots_in(root, field, (*path, name), inner.type, depth + 1)


def _is_list(type_: GraphQLInputType) -> bool:
    if isinstance(type_, GraphQLNonNull):
        return _is_list(type_.of_type)
    return isinstance(type_, GraphQLList)


def id_slots() -> list[IdSlot]:
    slots: list[IdSlot] = []
    for root in ("Query", "Mutation"):
        type_ = SCHEMA.get_type(root)
        assert isinstance(type_, GraphQLObjectType)
        for field_name, field in type_.fields.items():
            for arg_name, arg in field.args.items():
                slots.extend(_slots_in(root, field_name, (arg_name,), arg.type))
    return slots


SLOTS = id_slots()

# --- a minimal valid operation ------------------------------------------------------------


def _filler(name: str, type_: GraphQLInputType, case: int) -> Any:
    """A value for a required argument or input field that passes validation."""
    if isinstance(type_, GraphQLNonNull):
        return _filler(name, type_.of_type, case)
    if isinstance(type_, GraphQLList):
        return [_filler(name, type_.of_type, case)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            n: _filler(n, f.type, case)
            for n, f in type_.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        }
    return _scalar(name, type_, case)


def _scalar(name: str, type_: GraphQLInputType, case: int) -> Any:
    named = get_named_type(type_).name
    if name == "idempotencyKey":
        return f"hostile-{case}-{uuid.uuid4()}"
    if named == "Int":
        return 1
    if named == "Float":
        return 1.0
    if named == "Boolean":
        return False
    if named == "JSON":
        return {}
    if named == "DateTime":
        return "2024-01-01T00:00:00Z"
    if named == "ID":
        return str(well_formed_unknown(None, _KINDS.get(name), case))
    if name in {"value", "code"}:
        return "HOSTILE-CODE"
    if name in {"address"}:
        return "hostile@example.com"
    return "x"


def _set(values: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = values
    for key in path[:-1]:
        inner = target[key]
        target = inner[0] if isinstance(inner, list) else inner
    target[path[-1]] = value


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        return "{ __typename }"
    if not isinstance(named, GraphQLObjectType):
        return ""
    leaves = [
        name
        for name, f in named.fields.items()
        if isinstance(get_named_type(f.type), GraphQLScalarType | GraphQLEnumType)
        and not any(isinstance(a.type, GraphQLNonNull) for a in f.args.values())
    ]
    return "{ __typename " + " ".join(leaves) + " }"


#: arguments whose generated filler would be refused for another reason than the id
_OVERRIDES: dict[str, dict[str, Any]] = {
    "updateCustomer": {"input": {"firstName": "Hostile"}},
    "trackLoyaltyEvent": {"input": {"points": {"amount": 1}}},
    "trackPromotionEvent": {"type": "review_written"},
    "setAudienceMemberAttributes": {"attributes": {"hostile": "x"}},
    "createAudience": {"input": {"integration": "segment"}},
}
#: arguments of which exactly one is given: the slot's own, else the last one
_ALTERNATIVES: dict[str, tuple[str, ...]] = {"removeSupportChannel": ("channelId", "address")}


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def operation(slot: IdSlot, value: str | int, case: int) -> tuple[str, dict[str, Any]]:
    """The document and variables that put ``value`` into ``slot``."""
    root = SCHEMA.get_type(slot.root)
    assert isinstance(root, GraphQLObjectType)
    field = root.fields[slot.field]
    args: dict[str, GraphQLArgument] = field.args
    variables = {
        name: _filler(name, arg.type, case)
        for name, arg in args.items()
        if isinstance(arg.type, GraphQLNonNull) or name == slot.path[0]
    }
    _merge(variables, _OVERRIDES.get(slot.field, {}))
    alternatives = _ALTERNATIVES.get(slot.field, ())
    if alternatives:
        chosen = slot.path[0] if slot.path[0] in alternatives else alternatives[-1]
        for name in alternatives:
            variables.pop(name, None)
        variables[chosen] = _filler(chosen, args[chosen].type, case)
    _set(variables, slot.path, [value] if slot.is_list else value)
    declared = ", ".join(f"${name}: {args[name].type}" for name in variables)
    passed = ", ".join(f"{name}: ${name}" for name in variables)
    keyword = "query" if slot.root == "Query" else "mutation"
    document = f"{keyword} Hostile({declared}) {{ {slot.field}({passed}) {_selection(field)} }}"
    return document, variables


# --- the run -------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gw() -> AsyncIterator[Harness]:
    async with harness() as h:
        yield h


def _routes(gw: Harness) -> set[str]:
    return {f"{v} {e}" for v in VENDORS for e, n in gw.endpoints(v).items() if n}


def _codes(body: dict[str, Any]) -> list[str]:
    return [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]


async def _run(
    gw: Harness, slot: IdSlot, value: str | int, case: int
) -> tuple[int, dict[str, Any]]:
    document, variables = operation(slot, value, case)
    gw.reset_calls()
    response = await gw.post(document, variables)
    return response.status_code, response.json()


def test_introspection_finds_the_id_arguments() -> None:
    names = {s.name for s in SLOTS}
    assert {
        "Query.customer(id)",
        "Mutation.removeCustomerFromSegment(segmentId)",
        "Mutation.updateCustomer(id)",
        "Mutation.deleteAudience(id)",
        "Mutation.updateAudienceMemberships(changes.audienceId)",
        "Mutation.reserveCoupon(customerIds)",
    } <= names


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("slot", SLOTS, ids=lambda s: s.name)
async def test_hostile_ids_reach_only_the_fields_own_routes(gw: Harness, slot: IdSlot) -> None:
    kind = kind_of(slot)
    status, clean = await _run(gw, slot, well_formed_unknown(slot, kind, 0), 0)
    allowed = _routes(gw)
    assert status < 500, clean
    assert "INTERNAL_SERVER_ERROR" not in _codes(clean), clean
    # the other arguments pass the gateway's own checks (a vendor may still refuse them), so
    # a hostile case refused before any call was refused for its id
    assert allowed or "BAD_USER_INPUT" not in _codes(clean), clean

    failures: list[str] = []
    for case, (label, value, free_form_ok) in enumerate(CORPUS, start=1):
        status, body = await _run(gw, slot, value, case)
        codes = _codes(body)
        called = _routes(gw)
        must_refuse = not free_form_ok or kind in {GUID, NUMBER, GLOBAL}
        problems = []
        if status >= 500 or "INTERNAL_SERVER_ERROR" in codes:
            problems.append(f"server error {status} {codes}")
        if not called <= allowed:
            problems.append(f"other routes {sorted(called - allowed)}")
        if must_refuse and "BAD_USER_INPUT" not in codes:
            problems.append(f"not refused {codes}")
        if must_refuse and called:
            problems.append(f"refused after upstream calls {sorted(called)}")
        if problems:
            failures.append(f"{label}: {'; '.join(problems)}")
    assert not failures, f"{slot.name}:\n" + "\n".join(failures)
