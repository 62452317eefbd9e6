"""CPU of reading Talon.One rule-engine responses (many effects) into the client's models.

``.venv/bin/python -m bench.talon_effects [--calls 2000] [--rounds 11]``. The bodies are
captured from the Talon.One sandbox in process (default demo world): a friend's session
with the customer's coupons, an advocate's referral code and a cart of six items, so the
rules answer with coupon, referral, discount, per-item discount, loyalty-points, giveaway,
free-item and notification effects. Two bodies: the ``PUT`` answer
(``IntegrationStateV2``) and the ``GET`` of the same session
(``IntegrationCustomerSessionResponse``).

For each body, interleaved rounds (the order flips each round) of ``--calls`` parses by

- **models**: ``Model.model_validate_json(body)``, what ``VendorResponse.parsed`` does;
- **floor**: ``json.loads(body)``, the least any reader pays for the same bytes.

CPU µs per parse = ``time.process_time()`` delta ÷ calls, garbage collected before and
disabled during each block (CPU, not wall time: the machine may be shared). Cells are the
median over the rounds (min-max); the ratio is the median of each round's models ÷ floor.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from pydantic import BaseModel

from sandbox.common.vendor_app import VendorRuntime
from sandbox.demo_world import demo_world
from sandbox.talon.app import create_app
from sandbox.talon.campaigns import campaign_ids
from vendors.talon.models import IntegrationCustomerSessionResponse, IntegrationStateV2

SESSION_ID = "bench-effects-1"


@dataclass(frozen=True)
class Body:
    name: str
    raw: bytes
    model: type[BaseModel]


async def capture() -> list[Body]:
    """The sandbox's answers to a session rich in effects (see the module docstring)."""
    world = demo_world()
    tenant = world.tenants[0]
    app = create_app(world, runtime=VendorRuntime("talon"))
    headers = {"Authorization": f"ApiKey-v1 {tenant.talon_api_key}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://talon.bench", headers=headers
    ) as talon:
        advocate, *others = [c.customer_id for c in tenant.customers[:40]]
        codes: list[str]
        friend, codes = others[0], []
        for customer in others:  # the customer holding the most coupons
            inventory = await talon.get(
                f"/v1/customer_profiles/{customer}/inventory", params={"coupons": "true"}
            )
            inventory.raise_for_status()
            held: list[str] = [c["value"] for c in inventory.json().get("coupons") or []]
            if len(held) > len(codes):
                friend, codes = customer, held
        referral = await talon.post(
            "/v1/referrals",
            json={
                "campaignId": campaign_ids(tenant.talon_application_id).referral,
                "advocateProfileIntegrationId": advocate,
            },
        )
        referral.raise_for_status()
        cart = [
            {"sku": f"SKU-{i}", "name": f"Item {i}", "quantity": 1 + i % 3, "price": 20.0 + i}
            | {"category": "shoes" if i % 2 else "accessories"}
            for i in range(6)
        ]
        session = {
            "profileId": friend,
            "couponCodes": codes[:3],
            "referralCode": referral.json()["code"],
            "cartItems": cart,
            "additionalCosts": {"shipping": {"price": 4.95}},
        }
        content = ["customerSession", "customerProfile", "loyalty", "triggeredCampaigns"]
        put = await talon.put(
            f"/v2/customer_sessions/{SESSION_ID}",
            json={"customerSession": session, "responseContent": content},
        )
        put.raise_for_status()
        got = await talon.get(f"/v2/customer_sessions/{SESSION_ID}")
        got.raise_for_status()
    return [
        Body("PUT session: IntegrationStateV2", put.content, IntegrationStateV2),
        Body("GET session", got.content, IntegrationCustomerSessionResponse),
    ]


def cpu_us(parse: Callable[[], object], calls: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        for _ in range(calls):
            parse()
        return (time.process_time() - start) / calls * 1e6
    finally:
        gc.enable()


def cell(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def effect_kinds(body: Body) -> str:
    effects = Counter(e["effectType"] for e in json.loads(body.raw).get("effects") or [])
    return f"{effects.total()} effects: " + ", ".join(
        f"{t} {n}" for t, n in sorted(effects.items())
    )


def measure(body: Body, calls: int, rounds: int) -> str:
    """One table row: the body's models against the floor."""
    raw, model = body.raw, body.model
    impls: dict[str, Callable[[], object]] = {
        "models": lambda: model.model_validate_json(raw),
        "floor": lambda: json.loads(raw),
    }
    for parse in impls.values():  # first-use caches out of the figures
        parse()
    times: dict[str, list[float]] = {name: [] for name in impls}
    for r in range(rounds):
        order = list(impls) if r % 2 == 0 else list(reversed(impls))
        for name in order:
            times[name].append(cpu_us(impls[name], calls))
    ratio = statistics.median(m / f for m, f in zip(times["models"], times["floor"], strict=True))
    return (
        f"| {body.name} | {len(raw)} B | {cell(times['models'])} | {cell(times['floor'])} "
        f"| {ratio:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="parses per block")
    parser.add_argument("--rounds", type=int, default=11, help="interleaved rounds")
    options = parser.parse_args()
    bodies = asyncio.run(capture())
    print(f"CPU µs per parse, median (min-max) of {options.rounds} rounds x {options.calls}")
    print("| body | size | models | floor (json.loads) | models / floor |")
    print("|---|---|---|---|---|")
    for body in bodies:
        print(measure(body, options.calls, options.rounds))
    for body in bodies:
        print(f"\n{body.name}: {effect_kinds(body)}")


if __name__ == "__main__":
    main()
