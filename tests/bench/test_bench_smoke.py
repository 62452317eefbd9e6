"""The benchmark suite in its smoke mode: it starts the sandboxes and gateways as processes,
drives them with wrk, and writes the report; upstream calls per operation equal the lower
bound. The naive contrast is pinned in tests/schema/test_schema_naive_mode.py (a third
gateway process would double this test's time). Skips only when wrk is missing outside CI
(``make bench-deps`` installs it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.loadgen import wrk_path

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if wrk_path() is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is not installed (make bench-deps)")
        pytest.skip("wrk is not installed (make bench-deps)")
    out = tmp_path_factory.mktemp("bench-results")
    args = ["--quick", "--only", "a", "--only", "c-360", "--no-naive", "--customers", "30"]
    assert main([*args, "--results-dir", str(out)]) == 0
    return out


def raw(results: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((results / "latest.json").read_text())
    return data


def test_the_report_chart_and_raw_numbers_are_written(results: Path) -> None:
    stamped = sorted(p.suffix for p in results.iterdir() if p.stem[:2] == "20")

    assert stamped == [".json", ".md", ".png"]
    report = (results / "latest.md").read_text()
    assert "## Targets" in report
    assert "customer-360 p50" in report
    assert (results / "latest.png").read_bytes()[:4] == b"\x89PNG"


def test_every_chosen_scenario_ran_under_load(results: Path) -> None:
    runs = raw(results)["runs"]
    assert isinstance(runs, list)

    assert {(r["scenario"], r["mode"]) for r in runs} == {("a", "gateway"), ("c-360", "gateway")}
    for run in runs:
        assert run["operations"] > 0
        assert run["load"]["requests"] > 0
        assert run["cpu_ms_per_op"]["gateway"] > 0


def test_the_gateway_makes_exactly_the_lower_bound_of_upstream_calls(results: Path) -> None:
    runs = {(r["scenario"], r["mode"]): r for r in raw(results)["runs"]}  # type: ignore[attr-defined]

    cold, hot = runs["a", "gateway"], runs["c-360", "gateway"]

    assert cold["calls_bound"] == 8
    assert cold["calls_bound"] <= cold["calls_per_op"] <= cold["calls_bound"] + cold["calls_slack"]
    assert hot["calls_bound"] == 0
    assert hot["calls_per_op"] == 0
    assert cold["critical_path_ms"] == 50
    assert cold["ratio_p50"] == pytest.approx(
        cold["load"]["latency_ms"]["p50"] / cold["critical_path_ms"], abs=0.01
    )
