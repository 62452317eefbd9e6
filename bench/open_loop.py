"""An open-loop (paced) load generator: requests arrive on a schedule, whether or not the
earlier ones have been answered.

wrk is closed-loop: a slow answer delays that connection's next request, so a server that
stalls is sent less and its stall is under-counted (coordinated omission). Here each request
has a scheduled send time (Poisson arrivals at ``--rate``, seeded, or a fixed interval) and
its latency is measured from that time, so time a request spent waiting for the generator
or for a free connection counts too. Connections are not capped.

It runs as its own process (``python -m bench.open_loop``), so its CPU is not the servers'
and the caller can read it apart (``wait4``). Input: a JSON file of ``[api_key, body]``
rows, sent in rotation to ``POST <url>/graphql``. Output: one line ``OPEN-LOOP-JSON {...}``
with the latency percentiles (ms), the requests sent and answered, and how late the
generator itself was in sending (when that is not small, the generator was the bottleneck).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

MARKER = "OPEN-LOOP-JSON "
PERCENTILES = (50, 90, 99, 99.9)


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (0 when empty)."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def schedule(rate: float, duration_s: float, arrivals: str, seed: int) -> list[float]:
    """Send offsets in seconds from the start: Poisson (exponential gaps, seeded) or fixed
    (every ``1 / rate`` s from 0); ``rate * duration_s`` of them on average."""
    if arrivals == "fixed":
        return [i / rate for i in range(math.ceil(rate * duration_s)) if i / rate < duration_s]
    rng = random.Random(seed)
    offsets: list[float] = []
    at = rng.expovariate(rate)
    while at < duration_s:
        offsets.append(at)
        at += rng.expovariate(rate)
    return offsets


async def drive(
    url: str,
    rows: list[tuple[str, str]],
    offsets: list[float],
    timeout_s: float,
) -> dict[str, Any]:
    latencies: list[float] = []
    failures: dict[str, int] = {}
    lateness: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(row: tuple[str, str], scheduled: float) -> None:
            headers = {"Content-Type": "application/json", "X-API-Key": row[0]}
            try:
                async with session.post(url, data=row[1], headers=headers) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
                return
            if status != 200:
                failures[str(status)] = failures.get(str(status), 0) + 1
                return
            latencies.append((time.perf_counter() - scheduled) * 1000)

        tasks: set[asyncio.Task[None]] = set()
        start = time.perf_counter() + 0.05
        for i, offset in enumerate(offsets):
            scheduled = start + offset
            wait = scheduled - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            lateness.append(max(0.0, time.perf_counter() - scheduled) * 1000)
            task = asyncio.create_task(one(rows[i % len(rows)], scheduled))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(set(tasks))
        elapsed = time.perf_counter() - start
    latencies.sort()
    lateness.sort()
    return {
        "sent": len(offsets),
        "answered": len(latencies),
        "failures": failures,
        "duration_s": round(elapsed, 3),
        "achieved_rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {f"p{q:g}": round(percentile(latencies, q), 2) for q in PERCENTILES}
        | {"max": round(latencies[-1], 2) if latencies else 0.0},
        "send_lateness_ms": {
            "p50": round(percentile(lateness, 50), 2),
            "p99": round(percentile(lateness, 99), 2),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.open_loop", description=__doc__)
    parser.add_argument("--url", required=True, help="the server's base URL")
    parser.add_argument("--requests", type=Path, required=True, help="[[api_key, body], ...]")
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--duration", type=float, required=True, help="seconds of arrivals")
    parser.add_argument("--arrivals", choices=("poisson", "fixed"), default="poisson")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.duration <= 0:
        parser.error("--rate and --duration must be positive")
    rows = [(str(k), str(b)) for k, b in json.loads(args.requests.read_text(encoding="utf-8"))]
    offsets = schedule(args.rate, args.duration, args.arrivals, args.seed)
    coroutine = drive(f"{args.url}/graphql", rows, offsets, args.timeout)
    try:
        import uvloop
    except ImportError:  # pragma: no cover - a dependency of the gateway
        result = asyncio.run(coroutine)
    else:
        result = uvloop.run(coroutine)
    result.update(rate=args.rate, arrivals=args.arrivals, seed=args.seed)
    print(MARKER + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
