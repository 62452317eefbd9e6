"""The circuit breaker and the retry budget, tuned together, against a flaky Tallymarks.

``python -m bench.breaker_tuning`` runs customer-360s (``customer(id:)`` with every vendor's
fields, one distinct customer each) through the gateway's real ASGI app on the in-process
sandboxes, with Tallymarks answering a share of its requests with 503 (the sandbox's seeded
fault dice), for a few candidate breaker / retry-budget settings. For each it reports:

- **complete**: share of answers with no error at all;
- **customer**: share with ``customer`` non-null (the root survived);
- **Tallymarks calls / op**: upstream requests Tallymarks received per operation (the
  hammering measure: the fault-free 360 makes the floor).

Each candidate and error rate gets a fresh gateway (fresh breaker and budget). It writes the
table to ``bench/results/breaker-tuning.md`` (``--out`` elsewhere). Options: ``--help``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from demo.tenants import SandboxUrls, demo_tenants
from gateway.app import create_app
from gateway.settings import GatewaySettings, VendorHttpConfig
from sandbox.common import FaultConfig
from sandbox.common.vendor_app import VendorRuntime
from sandbox.demo_world import DemoWorld, demo_world
from sandbox.registry import VENDOR_APPS
from vendors.resilience.config import BreakerConfig, RetryBudgetConfig

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "breaker-tuning.md"
CUSTOMER_360 = (ROOT / "gateway/playground/examples/1_customer_360.graphql").read_text()
URLS = SandboxUrls("http://tallymarks.test", "http://omnidesk.test", "http://talon.test")
VENDORS = ("tallymarks", "omnidesk", "talon")
API_KEY = "bench-breaker-key"
ERROR_RATES = (0.0, 0.2, 0.5)
#: each cell is run once per seed of the sandbox's fault dice and summed (one seed can open
#: with an unlucky run of 503s: seed 7 fails 7 of its first 15 requests at 20 %)
FAULT_SEEDS = (1, 2, 3)


@dataclass(frozen=True)
class Candidate:
    """One Tallymarks resilience setting under test (``http`` None: the shipped defaults)."""

    name: str
    note: str
    http: VendorHttpConfig | None = None


def candidates() -> list[Candidate]:
    """The shipped defaults against the neighbours they were chosen over."""
    old_breaker = BreakerConfig(failure_threshold=5, failure_ratio=0.5, min_calls=20)
    return [
        Candidate(
            "previous",
            "breaker 5 in a row or 50 % of 20 calls; budget 20 % + 3",
            VendorHttpConfig(breaker=old_breaker, retry_budget=RetryBudgetConfig(ratio=0.2)),
        ),
        Candidate(
            "budget 0.2",
            "breaker 20 in a row or 80 % of 20; budget 20 % + 3",
            VendorHttpConfig(
                breaker=BreakerConfig(failure_threshold=20, failure_ratio=0.8),
                retry_budget=RetryBudgetConfig(ratio=0.2),
            ),
        ),
        Candidate("defaults", "what the gateway ships (see README)", None),
        Candidate(
            "budget 1.0",
            "breaker 20 in a row or 80 % of 20; budget 100 % + 3",
            VendorHttpConfig(
                breaker=BreakerConfig(failure_threshold=20, failure_ratio=0.8),
                retry_budget=RetryBudgetConfig(ratio=1.0),
            ),
        ),
        Candidate(
            "no breaker, no budget",
            "reference: every retry allowed, nothing refused",
            VendorHttpConfig(
                breaker=BreakerConfig(enabled=False), retry_budget=RetryBudgetConfig(enabled=False)
            ),
        ),
    ]


@dataclass
class Outcome:
    """What ``operations`` customer-360s came back with."""

    operations: int = 0
    complete: int = 0
    customer: int = 0
    tallymarks_calls: int = 0
    seconds: float = 0.0
    codes: dict[str, int] = field(default_factory=dict)

    def share(self, count: int) -> float:
        return count / self.operations if self.operations else 0.0

    @property
    def calls_per_op(self) -> float:
        return self.share(self.tallymarks_calls)


class InProcessGateway:
    """The gateway's ASGI app over fresh in-process sandboxes (the schema tests' setup)."""

    def __init__(self, world: DemoWorld, settings: GatewaySettings) -> None:
        self.sandboxes = {v: VENDOR_APPS[v](world) for v in VENDORS}
        for app in self.sandboxes.values():
            app.state.runtime.faults.set(FaultConfig())
            app.state.runtime.counters.reset()
        transports = {v: httpx.ASGITransport(app=a) for v, a in self.sandboxes.items()}
        tenant = world.tenants[0].key
        self.app = create_app(
            settings,
            tenants=demo_tenants(world, URLS),
            api_keys={API_KEY: tenant},
            transports=transports,
        )

    def runtime(self, vendor: str) -> VendorRuntime:
        runtime: VendorRuntime = self.sandboxes[vendor].state.runtime
        return runtime

    def fault(self, vendor: str, config: FaultConfig) -> None:
        self.runtime(vendor).faults.set(config)

    def calls(self, vendor: str) -> int:
        return self.runtime(vendor).counters.count()


def settings_for(candidate: Candidate) -> GatewaySettings:
    """Defaults everywhere but Tallymarks' resilience, caches as shipped (every customer is
    asked once, so nothing is served from them)."""
    http = {} if candidate.http is None else {"tallymarks": candidate.http}
    return GatewaySettings(http=http, access_log=False, log_level="ERROR")


async def run_cell(
    world: DemoWorld,
    candidate: Candidate,
    rate: float,
    ids: Sequence[str],
    concurrency: int,
    seeds: Sequence[int] = FAULT_SEEDS,
) -> Outcome:
    """One candidate at one error rate: a fresh gateway per seed, outcomes summed."""
    outcome = Outcome()
    for seed in seeds:
        await run_one(world, candidate, rate, ids, concurrency, seed, outcome)
    return outcome


async def run_one(
    world: DemoWorld,
    candidate: Candidate,
    rate: float,
    ids: Sequence[str],
    concurrency: int,
    seed: int,
    outcome: Outcome,
) -> None:
    gateway = InProcessGateway(world, settings_for(candidate))
    gateway.fault("tallymarks", FaultConfig(error_rate=rate, seed=seed))
    pending = list(ids)
    started = time.perf_counter()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway.app), base_url="http://gateway.test"
    ) as client:

        async def worker() -> None:
            while pending:
                customer_id = pending.pop(0)
                response = await client.post(
                    "/graphql",
                    json={"query": CUSTOMER_360, "variables": {"customerId": customer_id}},
                    headers={"x-api-key": API_KEY},
                )
                record(outcome, response.json())

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    outcome.seconds += time.perf_counter() - started
    outcome.tallymarks_calls += gateway.calls("tallymarks")


def record(outcome: Outcome, body: dict[str, Any]) -> None:
    outcome.operations += 1
    errors = body.get("errors") or []
    outcome.complete += not errors
    outcome.customer += bool((body.get("data") or {}).get("customer"))
    for error in errors:
        code = str((error.get("extensions") or {}).get("code"))
        outcome.codes[code] = outcome.codes.get(code, 0) + 1


def markdown(
    results: dict[str, dict[float, Outcome]], picked: list[Candidate], operations: int, conc: int
) -> str:
    seeds = ", ".join(map(str, FAULT_SEEDS))
    lines = [
        "# Breaker and retry budget under a flaky Tallymarks",
        "",
        f"`python -m bench.breaker_tuning --operations {operations} --concurrency {conc}`: "
        f"{operations} customer-360s of distinct customers per run, {conc} in flight, "
        "in process through the gateway's ASGI app on the sandboxes; Tallymarks answers the "
        f"given share of requests with 503 (one run per fault-dice seed: {seeds}, summed). A "
        "fresh gateway per run, so each starts with a closed breaker and a full budget; a "
        "run lasts a few seconds, less than the breaker's cooldown, so a circuit that opens "
        "stays open for the rest of it (as it would for 10 s in production).",
        "",
        "| candidate | settings | 503 | complete | customer non-null | Tallymarks calls / op |"
        " error codes |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for candidate in picked:
        for rate, outcome in results[candidate.name].items():
            codes = ", ".join(f"{c} {n}" for c, n in sorted(outcome.codes.items())) or "none"
            lines.append(
                f"| {candidate.name} | {candidate.note} | {rate:.0%} | "
                f"{outcome.share(outcome.complete):.1%} | {outcome.share(outcome.customer):.1%} "
                f"| {outcome.calls_per_op:.2f} | {codes} |"
            )
    return "\n".join(lines) + "\n"


async def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.breaker_tuning", description=__doc__)
    parser.add_argument("--operations", type=int, default=200, help="360s per cell (200)")
    parser.add_argument("--concurrency", type=int, default=4, help="360s in flight (4)")
    parser.add_argument("--only", action="append", help="a candidate by name (repeatable)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    # a failed field is logged with its traceback; thousands of them are expected here
    logging.getLogger("strawberry").setLevel(logging.CRITICAL)
    logging.getLogger("gateway").setLevel(logging.ERROR)
    world = demo_world(tenants=1, customers=args.operations)
    ids = [c.customer_id for c in world.tenants[0].customers][: args.operations]
    picked = [c for c in candidates() if not args.only or c.name in args.only]
    results: dict[str, dict[float, Outcome]] = {}
    for candidate in picked:
        results[candidate.name] = {}
        for rate in ERROR_RATES:
            outcome = await run_cell(world, candidate, rate, ids, args.concurrency)
            results[candidate.name][rate] = outcome
            print(
                f"{candidate.name:>24} {rate:4.0%}: complete {outcome.share(outcome.complete):6.1%}"
                f"  customer {outcome.share(outcome.customer):6.1%}"
                f"  tallymarks/op {outcome.calls_per_op:5.2f}  ({outcome.seconds:.1f} s)",
                flush=True,
            )
    report = markdown(results, picked, args.operations, args.concurrency)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
