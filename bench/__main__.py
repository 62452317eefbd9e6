"""``python -m bench``: run the benchmark suite and write the report under bench/results/.

``--quick`` is the smoke mode (1 s per run, 2 connections, a small world, no profiles);
``--soak 600`` adds the memory soak at ~80% of peak throughput. ``floor`` (``--only floor``,
and in every full run) is the cold customer-360 against the floor and the direct client
(``bench.cold_vs_floor``), with its own processes.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import cold_vs_floor
from bench.loadgen import wrk_path
from bench.runner import Options, run_suite
from bench.scenarios import all_scenarios

#: ``--only`` key of the cold-vs-floor comparison (not a scenario of the suite's gateways)
FLOOR = "floor"


@dataclass
class Plan:
    """What to run: the suite (``None`` when ``--only`` names only ``floor``) and the
    cold-vs-floor comparison (``None`` when ``--only`` leaves it out)."""

    suite: Options | None
    floor: cold_vs_floor.Options | None


def parse_args(argv: list[str]) -> Plan:
    keys = [s.key for s in all_scenarios()] + [FLOOR]
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
        only=[k for k in only if k != FLOOR],
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
    scenarios = [k for k in only if k != FLOOR]
    return Plan(options if scenarios or not only else None, floor)


def main(argv: list[str] | None = None) -> int:
    plan = parse_args(sys.argv[1:] if argv is None else argv)
    if wrk_path() is None:
        print("wrk is not installed: `make bench-deps` (or apt-get install wrk)", file=sys.stderr)
        return 2
    from bench.report import write

    stamp = time.strftime("%Y-%m-%d-%H%M")
    started = time.monotonic()
    compared = None
    if plan.floor is not None:
        compared = cold_vs_floor.run_comparison(plan.floor)
        path = cold_vs_floor.write_results(compared, plan.floor.results_dir, stamp)
        print("\n".join(cold_vs_floor.targets_table(compared)))
        print(f"cold vs floor: {path}")
    if plan.suite is not None:
        suite = run_suite(plan.suite)
        report = write(suite, plan.suite.results_dir, stamp, compared)
        print(f"report: {report} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
