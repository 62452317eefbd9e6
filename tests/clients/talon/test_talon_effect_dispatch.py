"""``Effect`` picks its props model by ``effectType`` inside pydantic-core: the same result
from JSON bytes, from dicts and as an item of a response, with the raw fallback for what no
props model takes, and a dump that reads back to an equal effect (the shared cache)."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from pydantic import ValidationError

from cache.shared import codec
from tests.clients.talon import payloads as p
from vendors.talon.models import (
    EFFECT_PROPS,
    AcceptCouponEffectProps,
    DiscountEffectProps,
    Effect,
    IntegrationCustomerSessionResponse,
    IntegrationStateV2,
    SetDiscountEffectProps,
    UnknownEffectProps,
)

UNKNOWN = p.effect("unlockReward", {"rewardId": 3, "someNewKey": "x"})
BROKEN = p.effect("setDiscount", {"name": "x"})
#: every documented type, a type this client does not model, and known props that break
EFFECTS = [p.effect(t) for t in sorted(p.EFFECT_PROPS_EXAMPLES)] + [UNKNOWN, BROKEN]


def _props_type(body: dict[str, Any]) -> type:
    model = EFFECT_PROPS.get(body["effectType"])
    return UnknownEffectProps if model is None or body is BROKEN else model


@pytest.mark.parametrize("body", EFFECTS, ids=lambda b: b["effectType"])
def test_json_bytes_and_dicts_read_the_same(body: dict[str, Any]) -> None:
    from_json = Effect.model_validate_json(json.dumps(body))
    from_dict = Effect.model_validate(body)

    assert from_json == from_dict
    assert type(from_json.props) is type(from_dict.props) is _props_type(body)
    assert from_json.props.model_fields_set == from_dict.props.model_fields_set


def test_each_effect_of_a_response_gets_its_typed_props() -> None:
    body = {"effects": EFFECTS}

    read = IntegrationCustomerSessionResponse.model_validate_json(json.dumps(body)).effects

    assert read is not None
    assert [type(e.props) for e in read] == [_props_type(b) for b in EFFECTS]
    assert read[-2].props.model_extra == {"rewardId": 3, "someNewKey": "x"}
    assert read[-1].props.model_extra == {"name": "x"}


@pytest.mark.parametrize("props", [None, [], ["x"], "x", 5])
@pytest.mark.parametrize("effect_type", ["setDiscount", "unlockReward"])
def test_props_that_are_not_an_object_read_as_empty_raw_props(
    effect_type: str, props: object
) -> None:
    effect = Effect.model_validate_json(json.dumps(p.effect(effect_type) | {"props": props}))

    assert isinstance(effect.props, UnknownEffectProps)
    assert effect.props.raw == {}


@pytest.mark.parametrize(
    "body",
    [
        p.effect("setDiscount", campaignId="not a number"),
        p.effect("unlockReward", {"rewardId": 3}, ruleName=None),
        {k: v for k, v in p.effect("setDiscount").items() if k != "props"},
        {k: v for k, v in p.effect("setDiscount").items() if k != "effectType"},
        p.effect("setDiscount", effectType=5),
    ],
    ids=["bad-campaign", "unknown-type-bad-rule", "no-props", "no-type", "type-not-text"],
)
def test_the_raw_fallback_does_not_hide_a_broken_effect(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Effect.model_validate_json(json.dumps(body))
    with pytest.raises(ValidationError):
        Effect.model_validate(body)


def test_the_type_may_be_given_by_field_name() -> None:
    body = p.effect("setDiscount")
    body["effect_type"] = body.pop("effectType")

    assert isinstance(Effect.model_validate(body).props, SetDiscountEffectProps)


@pytest.mark.parametrize(
    "props",
    [
        SetDiscountEffectProps(name="10% off", value=5),
        AcceptCouponEffectProps(value="XMAS-20-2021"),
        UnknownEffectProps.model_validate({"anything": 1}),
    ],
)
def test_props_given_as_a_model_are_kept_as_given(props: Any) -> None:
    effect = Effect(
        campaign_id=1,
        ruleset_id=2,
        rule_index=0,
        rule_name="r",
        effect_type="setDiscount",
        props=props,
    )

    assert effect.props is props


def test_props_given_as_a_shared_base_model_are_refused() -> None:
    """``DiscountEffectProps`` is what discounts share, not the props of any one type."""
    with pytest.raises(ValidationError):
        Effect.model_validate(
            p.effect("setDiscount") | {"props": DiscountEffectProps(name="10% off", value=5)}
        )


def test_a_cached_state_reads_back_equal() -> None:
    """The shared tier dumps a model to JSON and validates the dict back."""
    state = IntegrationStateV2.model_validate_json(
        json.dumps(p.integration_state_v2() | {"effects": EFFECTS})
    )

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a props model the serialiser did not expect warns
        back = codec.loads(codec.dumps(state))

    assert back == state
    assert isinstance(back, IntegrationStateV2)
    assert [type(e.props) for e in back.effects] == [_props_type(b) for b in EFFECTS]
