"""The scope table: which scopes grant each root field. A new root field fails here until
it names its scope (and the table below says which)."""

from __future__ import annotations

import strawberry
from strawberry.types.base import StrawberryObjectDefinition

from schema import build_schema
from schema.permissions import RequiresScope

READ = ("customers:read",)
WRITE = ("customers:write",)
PROMOTIONS = ("promotions",)
SUPPORT = ("support",)

SCOPE_TABLE: dict[str, tuple[str, ...]] = {
    # queries
    "node": READ,
    "customer": READ,
    "customers": READ,
    "customerByEmail": READ,
    "customerByExternalReference": READ,
    "customersByChannel": READ,
    "customerBySupportId": READ,
    "supportCustomers": READ,
    "coupon": ("customers:read", "promotions"),
    "cartSession": ("customers:read", "promotions"),
    # mutations
    "createCustomer": WRITE,
    "updateCustomer": WRITE,
    "forgetCustomer": ("gdpr:erase",),
    "addCustomerToSegment": WRITE,
    "removeCustomerFromSegment": WRITE,
    "redeemPoints": WRITE,
    "assessBasket": READ,  # a what-if: the loyalty system stores nothing
    "trackLoyaltyEvent": WRITE,
    "trackPromotionEvent": PROMOTIONS,
    "updateCartSession": PROMOTIONS,
    "returnCartItems": PROMOTIONS,
    "reserveCoupon": PROMOTIONS,
    "releaseCoupon": PROMOTIONS,
    "createReferral": PROMOTIONS,
    "createReferrals": PROMOTIONS,
    "createAudience": PROMOTIONS,
    "updateAudience": PROMOTIONS,
    "deleteAudience": PROMOTIONS,
    "clearAudienceMembers": PROMOTIONS,
    "setAudienceMemberAttributes": PROMOTIONS,
    "updateAudienceMemberships": PROMOTIONS,
    "addSupportChannel": SUPPORT,
    "removeSupportChannel": SUPPORT,
    "recordTimelineEvent": SUPPORT,
    "syncCustomerWithCrm": SUPPORT,
}


def _root_fields(schema: strawberry.Schema) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for root in ("Query", "Mutation"):
        definition = schema.get_type_by_name(root)
        assert isinstance(definition, StrawberryObjectDefinition)
        for field in definition.fields:
            name = schema.config.name_converter.get_graphql_name(field)
            found[name] = tuple(
                s.value
                for guard in field.permission_classes
                if issubclass(guard, RequiresScope)
                for s in guard.scopes
            )
    return found


def test_every_root_field_names_the_scopes_in_the_table() -> None:
    assert _root_fields(build_schema()) == SCOPE_TABLE


def test_guarded_root_fields_are_nullable_and_say_their_scope() -> None:
    schema = build_schema()
    sdl = schema.as_str()

    for root in (schema._schema.query_type, schema._schema.mutation_type):
        assert root is not None
        for name, field in root.fields.items():
            assert not str(field.type).endswith("!"), name
            assert field.description is not None
            assert field.description.count("Needs the `") == 1, name
    assert "Needs the `customers:read` or `promotions` scope" in sdl
