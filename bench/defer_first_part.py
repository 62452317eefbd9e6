"""Time to the first part: the cold customer-360 with Talon.One 500 ms slower than the
other vendors, asked plainly and with the promotion fields under ``@defer``.

``python -m bench.defer_first_part``: the sandboxes and one cold gateway (every cache TTL
0) as processes, every vendor call 50 ± 10 ms and Talon.One's 550 ± 10 ms; one client
sends both forms in interleaved rounds, each request a customer not asked before, and
records when the first part arrived and when the answer was complete (a plain answer's
first part is the whole answer). Writes ``bench/results/defer-latest.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.metrics import Sandboxes
from bench.processes import gateway_keys, launch_gateways, launch_sandboxes, running
from bench.runner import GATEWAYS, work_dir
from bench.scenarios import BASE_FAULTS, CUSTOMER_360, Setup
from sandbox.demo_world import DEFAULT_SEED, demo_world

RESULTS = Path(__file__).parent / "results"
#: the fields Talon.One serves in the customer-360, moved under @defer
TALON_FIELDS = """  coupons { value state }
  referrals { code usageCounter }
  promotionLoyalty { programs { name currentBalance } }
"""
DEFERRED_360 = CUSTOMER_360.replace(
    TALON_FIELDS, '  ... @defer(label: "promotions") {\n' + TALON_FIELDS + "  }\n"
)
assert DEFERRED_360 != CUSTOMER_360, "the customer-360's Talon.One fields moved"
PLAIN_ACCEPT = "application/json"
PARTS_ACCEPT = "multipart/mixed;deferSpec=20220824, application/json"
SLOW_TALON_MS = 500.0


@dataclass
class Timings:
    first_ms: list[float] = field(default_factory=list)
    complete_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "first_p50_ms": _pct(self.first_ms, 50),
            "first_p90_ms": _pct(self.first_ms, 90),
            "complete_p50_ms": _pct(self.complete_ms, 50),
            "complete_p90_ms": _pct(self.complete_ms, 90),
            "n": len(self.first_ms),
        }


def _pct(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))], 1)


def timed(
    client: httpx.Client, url: str, key: str, query: str, cid: str, accept: str
) -> tuple[float, float]:
    """(ms to the first part, ms to the complete answer); asserts the answer has no error."""
    started = time.perf_counter()
    first: float | None = None
    body = b""
    payload = {"query": query, "variables": {"id": cid}}
    headers = {"x-api-key": key, "accept": accept}
    with client.stream("POST", f"{url}/graphql", json=payload, headers=headers) as response:
        for chunk in response.iter_raw():
            body += chunk
            if first is None and b'"data"' in body:
                first = time.perf_counter()
    done = time.perf_counter()
    if response.status_code != 200 or b'"errors"' in body:
        raise RuntimeError(f"the bench operation failed: {body[:300]!r}")
    assert first is not None
    return (first - started) * 1000, (done - started) * 1000


def measure(rounds: int, per_round: int, customers: int) -> dict[str, Any]:
    world = demo_world(DEFAULT_SEED, 2, customers)
    setup = Setup(world, {t: k for k, t in gateway_keys(world).items()})
    rotation = setup.customers()
    results = {"plain": Timings(), "defer": Timings()}
    with work_dir() as work:
        sandboxes = launch_sandboxes(world, customers, work)
        urls = {v: p.url for v, (p, _) in sandboxes.items()}
        gateways = launch_gateways(world, urls, {"cold": GATEWAYS["cold"]}, work)
        with running({**sandboxes, **gateways}, work) as procs:
            admin = Sandboxes(urls)
            faults = {"*": BASE_FAULTS, "talon": {**BASE_FAULTS, "latency_ms": 50 + SLOW_TALON_MS}}
            admin.set_faults(faults)
            url = procs["cold"].url
            with httpx.Client(timeout=30) as client:
                warm_key, warm_cid = rotation[-1]  # connections and imports, not measured
                timed(client, url, warm_key, CUSTOMER_360, warm_cid, PLAIN_ACCEPT)
                at = 0
                for n in range(rounds):
                    # the two forms take turns, starting with the other one each round
                    forms = [
                        ("plain", CUSTOMER_360, PLAIN_ACCEPT),
                        ("defer", DEFERRED_360, PARTS_ACCEPT),
                    ]
                    for name, query, accept in forms if n % 2 == 0 else forms[::-1]:
                        for _ in range(per_round):
                            key, cid = rotation[at % (len(rotation) - 1)]
                            at += 1
                            first, complete = timed(client, url, key, query, cid, accept)
                            results[name].first_ms.append(first)
                            results[name].complete_ms.append(complete)
            admin.close()
    plain, deferred = results["plain"].summary(), results["defer"].summary()
    return {
        "settings": {
            "rounds": rounds,
            "per_round": per_round,
            "latency": "every vendor 50 ± 10 ms, Talon.One 550 ± 10 ms",
            "gateway": "one worker, every cache TTL 0, one client, a new customer each request",
        },
        "plain": plain,
        "defer": deferred,
        "first_part_ratio": round(deferred["first_p50_ms"] / plain["first_p50_ms"], 2),
    }


def render_markdown(result: dict[str, Any]) -> str:
    s, p, d = result["settings"], result["plain"], result["defer"]
    lines = [
        "## Time to the first part: customer-360 with Talon.One +500 ms, with and without @defer",
        "",
        f"{s['latency']}; {s['gateway']}; {s['rounds']} interleaved rounds x {s['per_round']}"
        " requests per form.",
        "",
        "| form | first part p50 | first part p90 | complete p50 | complete p90 | n |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in (("plain", p), ("promotions under @defer", d)):
        lines.append(
            f"| {name} | {row['first_p50_ms']} ms | {row['first_p90_ms']} ms | "
            f"{row['complete_p50_ms']} ms | {row['complete_p90_ms']} ms | {row['n']} |"
        )
    lines += [
        "",
        f"First part with @defer ÷ without: {result['first_part_ratio']} (p50).",
        "",
    ]
    return "\n".join(lines)


def write(result: dict[str, Any], results_dir: Path = RESULTS) -> Path:
    """``defer-latest.md``/``.json`` under ``results_dir``; returns the .md."""
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "defer-latest.json").write_text(json.dumps(result, indent=2) + "\n")
    path = results_dir / "defer-latest.md"
    path.write_text(render_markdown(result))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.defer_first_part", description=__doc__)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--per-round", type=int, default=15)
    parser.add_argument("--customers", type=int, default=200)
    args = parser.parse_args()
    result = measure(args.rounds, args.per_round, args.customers)
    write(result)
    print(render_markdown(result))


if __name__ == "__main__":
    main()
