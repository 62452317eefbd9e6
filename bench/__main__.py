"""``python -m bench``: run the benchmark suite and write the report under bench/results/.

``--quick`` is the smoke mode (1 s per run, 2 connections, a small world, no profiles);
``--soak 600`` adds the memory soak at ~80% of peak throughput.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.loadgen import wrk_path
from bench.runner import Options, run_suite
from bench.scenarios import all_scenarios


def parse_args(argv: list[str]) -> Options:
    keys = [s.key for s in all_scenarios()]
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
    args = parser.parse_args(argv)
    options = Options(
        duration_s=args.duration,
        connections=args.connections,
        customers=args.customers,
        naive=not args.no_naive,
        profile=not args.no_profile,
        profile_seconds=args.profile_seconds,
        soak_s=args.soak,
        only=args.only or (),
        results_dir=args.results_dir,
    )
    if args.quick:
        options.duration_s = 1.0
        options.connections = args.connections or 2
        options.customers = min(args.customers, 120)
        options.profile = False
        options.sequential = 2
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    if wrk_path() is None:
        print("wrk is not installed: `make bench-deps` (or apt-get install wrk)", file=sys.stderr)
        return 2
    from bench.report import write

    stamp = time.strftime("%Y-%m-%d-%H%M")
    started = time.monotonic()
    suite = run_suite(options)
    report = write(suite, options.results_dir, stamp)
    print(f"report: {report} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
