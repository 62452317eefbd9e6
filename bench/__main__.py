"""``python -m bench``: run the benchmark suite and write the report under bench/results/.

``--quick`` is the smoke mode (1 s per run, 2 connections, a small world, no profiles);
``--soak 600`` adds the memory soak at ~80% of peak throughput. Besides the suite's
scenarios, each with its own processes and in every full run:

- ``floor``: the cold customer-360 against the floor and the direct client
  (``bench.cold_vs_floor``);
- ``per-call``: CPU per call of each vendor client method against bare aiohttp
  (``bench.per_call``);
- ``defer``: time to the first part with Talon.One +500 ms, with and without ``@defer``
  (``bench.defer_first_part``);
- ``sandbox-startup``: the time to build each sandbox's default demo data, in this process
  (``bench.sandbox_startup``; needs no wrk).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import cold_vs_floor, defer_first_part, per_call, sandbox_startup
from bench.loadgen import wrk_path
from bench.runner import Options, run_suite
from bench.scenarios import all_scenarios

#: ``--only`` key of the cold-vs-floor comparison (not a scenario of the suite's gateways)
FLOOR = "floor"
#: ``--only`` keys of the per-call micro-benchmark and the @defer first-part run
PER_CALL = "per-call"
DEFER = "defer"
#: ``--only`` key of the sandboxes' startup (in this process)
STARTUP = "sandbox-startup"
#: the runs outside the suite's scenarios
SEPARATE = (FLOOR, PER_CALL, DEFER, STARTUP)


@dataclass
class Plan:
    """What to run: the suite (``None`` when ``--only`` names only ``floor``) and the
    cold-vs-floor comparison (``None`` when ``--only`` leaves it out)."""

    suite: Options | None
    floor: cold_vs_floor.Options | None
    per_call: per_call.Options | None = None
    defer: bool = False
    results_dir: Path = Options.results_dir
    startup: sandbox_startup.Options | None = None


def parse_args(argv: list[str]) -> Plan:
    keys = [s.key for s in all_scenarios()] + list(SEPARATE)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=12.0, help="seconds per run (12)")
    parser.add_argument("--connections", type=int, help="override every scenario's clients")
    parser.add_argument("--customers", type=int, default=1000, help="per tenant (1000)")
    parser.add_argument("--only", action="append", choices=keys, help="a scenario (repeatable)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive contrast")
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profiles")
    parser.add_argument("--profile-seconds", type=float, default=8.0)
    parser.add_argument("--soak", type=float, default=0.0, metavar="SECONDS", help="e.g. 600")
    parser.add_argument("--results-dir", type=Path, default=Options.results_dir)
    parser.add_argument("--quick", action="store_true", help="smoke mode: tiny and fast")
    parser.add_argument("--floor-rounds", type=int, default=cold_vs_floor.Options.rounds)
    parser.add_argument(
        "--floor-duration", type=float, default=cold_vs_floor.Options.duration_s, metavar="S"
    )
    parser.add_argument("--startup-rounds", type=int, default=sandbox_startup.Options.rounds)
    args = parser.parse_args(argv)
    only = args.only or ()
    options = Options(
        duration_s=args.duration,
        connections=args.connections,
        customers=args.customers,
        naive=not args.no_naive,
        profile=not args.no_profile,
        profile_seconds=args.profile_seconds,
        soak_s=args.soak,
        only=[k for k in only if k not in SEPARATE],
        results_dir=args.results_dir,
    )
    floor: cold_vs_floor.Options | None = None
    if not only or FLOOR in only:
        floor = cold_vs_floor.Options(
            rounds=args.floor_rounds,
            duration_s=args.floor_duration,
            customers=args.customers,
            results_dir=args.results_dir,
        )
    if args.quick:
        options.duration_s = 1.0
        options.connections = args.connections or 2
        options.customers = min(args.customers, 120)
        options.profile = False
        options.sequential = 2
        if floor is not None:
            # 2 s: on a busy machine one client may see no answer within 1 s
            floor.rounds, floor.duration_s, floor.verify_requests = 1, 2.0, 2
            floor.customers = options.customers
            floor.connections = options.connections
    calls: per_call.Options | None = None
    if not only or PER_CALL in only:
        calls = per_call.Options()
        if args.quick:
            calls.calls, calls.rounds, calls.warmup = 20, 1, 5
    scenarios = [k for k in only if k not in SEPARATE]
    suite = options if scenarios or not only else None
    defer = not args.quick and (not only or DEFER in only)
    startup: sandbox_startup.Options | None = None
    if not only or STARTUP in only:
        if args.startup_rounds < 1:
            parser.error("--startup-rounds must be at least 1")
        startup = sandbox_startup.Options(
            rounds=1 if args.quick else args.startup_rounds,
            warmup=not args.quick,
            results_dir=args.results_dir,
        )
    return Plan(suite, floor, calls, defer, args.results_dir, startup)


def main(argv: list[str] | None = None) -> int:
    plan = parse_args(sys.argv[1:] if argv is None else argv)
    needs_wrk = any((plan.suite, plan.floor, plan.per_call, plan.defer))
    if needs_wrk and wrk_path() is None:
        print("wrk is not installed: `make bench-deps` (or apt-get install wrk)", file=sys.stderr)
        return 2
    from bench.report import write

    stamp = time.strftime("%Y-%m-%d-%H%M")
    started = time.monotonic()
    compared = None
    extra: dict[str, tuple[str, bool | None]] = {}
    sections: list[str] = []
    if plan.startup is not None:  # first: no other process of the bench is running yet
        startup = sandbox_startup.measure(plan.startup)
        sandbox_startup.write(startup, plan.results_dir)
        print(sandbox_startup.summary_line(startup))
        sections.append(sandbox_startup.render_markdown(startup))
    if plan.per_call is not None:
        calls = per_call.measure(plan.per_call)
        per_call.write(calls, plan.results_dir)
        extra.update(per_call_target_row(calls))
        sections.append(per_call.render_markdown(calls))
    if plan.defer:
        first_part = defer_first_part.measure(rounds=4, per_round=15, customers=200)
        defer_first_part.write(first_part, plan.results_dir)
        sections.append(defer_first_part.render_markdown(first_part))
    if plan.floor is not None:
        compared = cold_vs_floor.run_comparison(plan.floor)
        path = cold_vs_floor.write_results(compared, plan.floor.results_dir, stamp)
        print("\n".join(cold_vs_floor.targets_table(compared, extra)))
        print(f"cold vs floor: {path}")
    if plan.suite is not None:
        suite = run_suite(plan.suite)
        report = write(
            suite,
            plan.suite.results_dir,
            stamp,
            compared,
            extra_rows=extra,
            sections=tuple(sections),
        )
        print(f"report: {report} ({time.monotonic() - started:.0f} s)")
    return 0


def per_call_target_row(result: per_call.PerCallResult) -> dict[str, tuple[str, bool | None]]:
    """The targets table's per-call row: the median of the read methods' ratios, and the
    worst; met when every read method is within the target."""
    reads = [(r.ratio.median, r.method) for r in result.rows if r.ratio and not r.write]
    if not reads:
        return {}
    ratios = sorted(ratio for ratio, _ in reads)
    worst, method = max(reads)
    now = f"{ratios[len(ratios) // 2]:.2f} median, {worst:.2f} worst ({method})"
    return {"client CPU per call ÷ bare aiohttp": (now, worst <= 1.3)}


if __name__ == "__main__":
    sys.exit(main())
