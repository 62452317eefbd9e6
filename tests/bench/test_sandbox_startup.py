"""The sandbox-startup benchmark (``python -m bench --only sandbox-startup``): how ``--only``
and ``--quick`` plan it, that it builds every sandbox in rotating rounds and refuses a build
that lost customers, and that it writes its results without wrk. No timing is asserted: the
figures are the benchmark's to report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench import __main__ as bench_main
from bench import sandbox_startup
from bench.sandbox_startup import BUILDS, TARGETS_S, Build, Options, measure, render_markdown

VENDORS = [b.vendor for b in BUILDS]
SUMMARY = re.compile(
    r"^sandbox startup, median of \d+ rounds: "
    r"tallymarks \d+\.\d{3} s CPU / \d+\.\d{3} s wall \(target 0\.5 s: (met|\*\*NOT met\*\*|—)\); "
    r"omnidesk .+; talon .+$"
)


def test_only_sandbox_startup_plans_nothing_else() -> None:
    plan = bench_main.parse_args(["--only", "sandbox-startup", "--startup-rounds", "3"])

    assert (plan.suite, plan.floor, plan.per_call, plan.defer) == (None, None, None, False)
    assert plan.startup is not None
    assert (plan.startup.rounds, plan.startup.warmup) == (3, True)
    assert plan.startup.default_world


def test_a_full_run_includes_it_and_the_quick_mode_builds_each_sandbox_once() -> None:
    full, quick = bench_main.parse_args([]), bench_main.parse_args(["--quick"])
    scenario_only = bench_main.parse_args(["--only", "a"])

    assert full.startup is not None
    assert full.startup.rounds == Options.rounds
    assert quick.startup is not None
    assert (quick.startup.rounds, quick.startup.warmup) == (1, False)
    assert scenario_only.startup is None


def test_fewer_than_one_round_is_refused() -> None:
    with pytest.raises(SystemExit):
        bench_main.parse_args(["--only", "sandbox-startup", "--startup-rounds", "0"])
    with pytest.raises(ValueError, match="at least one round"):
        measure(Options(rounds=0, customers=5, log=lambda _: None))


def test_every_sandbox_is_built_in_every_round_in_rotating_order() -> None:
    result = measure(Options(rounds=4, customers=20, log=lambda _: None))

    assert [sorted(r) for r in result["order"]] == [sorted(VENDORS)] * 4
    assert [r[0] for r in result["order"]] == [*VENDORS, VENDORS[0]]
    for vendor, v in result["vendors"].items():
        assert len(v["samples"]["cpu_s"]) == len(v["samples"]["wall_s"]) == 4
        assert v["cpu_s"]["min"] <= v["cpu_s"]["median"] <= v["cpu_s"]["max"]
        assert v["first_build"] is not None
        assert v["target_s"] == TARGETS_S[vendor]
        assert v["met"] is None  # the targets are for the default world only
    table = render_markdown(result)
    assert "Not the default world" in table
    for vendor, v in result["vendors"].items():
        row = next(line for line in table.splitlines() if line.startswith(f"| {vendor} |"))
        assert f"{v['cpu_s']['median']:.3f} ({v['cpu_s']['min']:.3f}-" in row
        assert row.endswith(" — |")


def test_a_build_that_lost_customers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A faster build that skipped part of the world must not pass for a measurement."""
    whole = next(b for b in BUILDS if b.vendor == "talon")
    short = Build("talon", whole.call, whole.build, lambda s, w: whole.customers(s, w) - 1)
    monkeypatch.setattr(sandbox_startup, "BUILDS", (short,))

    with pytest.raises(RuntimeError, match="talon: the build holds 39 of 40 customers"):
        measure(Options(rounds=1, customers=20, log=lambda _: None))


def test_it_runs_alone_without_wrk_and_writes_its_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench_main, "wrk_path", lambda: None)
    args = ["--quick", "--only", "sandbox-startup", "--results-dir", str(tmp_path)]

    assert bench_main.main(args) == 0

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "sandbox-startup-latest.json",
        "sandbox-startup-latest.md",
    ]
    result = json.loads((tmp_path / "sandbox-startup-latest.json").read_text())
    assert list(result["vendors"]) == VENDORS
    for v in result["vendors"].values():
        assert v["met"] is (v["cpu_s"]["median"] <= v["target_s"])
    printed = capsys.readouterr().out.splitlines()
    assert any(SUMMARY.match(line) for line in printed)
