"""The Talon.One effects benchmark (``python -m bench.talon_effects``): the bodies it times
are the sandbox's rich sessions and parse into the models it names. No timing is asserted:
the figures are the benchmark's to report."""

from __future__ import annotations

import json
import re

from bench.talon_effects import capture, effect_kinds, measure
from vendors.talon.models import UnknownEffectProps

#: what makes the bodies worth timing: one effect of each kind the session earns
EXPECTED = {
    "acceptCoupon",
    "acceptReferral",
    "addLoyaltyPoints",
    "setDiscount",
    "setDiscountPerItem",
    "willAwardGiveaway",
    "addFreeItem",
    "showNotification",
}


async def test_the_bodies_are_rich_sessions_that_the_models_read() -> None:
    bodies = await capture()

    assert [b.model.__name__ for b in bodies] == [
        "IntegrationStateV2",
        "IntegrationCustomerSessionResponse",
    ]
    for body in bodies:
        assert {e["effectType"] for e in json.loads(body.raw)["effects"]} >= EXPECTED
        read = body.model.model_validate_json(body.raw)
        effects = getattr(read, "effects", None) or []
        assert len(effects) >= 12
        assert not any(isinstance(e.props, UnknownEffectProps) for e in effects)


async def test_a_row_names_the_body_and_both_figures() -> None:
    body = (await capture())[1]

    row = measure(body, calls=2, rounds=2)

    number = r"\d+\.\d \(\d+\.\d-\d+\.\d\)"
    assert re.fullmatch(rf"\| GET session \| \d+ B \| {number} \| {number} \| \d+\.\d\d \|", row)
    assert effect_kinds(body).startswith(f"{len(json.loads(body.raw)['effects'])} effects: ")
