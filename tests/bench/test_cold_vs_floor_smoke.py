"""The cold-vs-floor comparison in its smoke mode (``python -m bench --quick --only floor``):
the sandboxes, the cold gateway, the floor and the direct server as processes, one round of
2 s runs, and the paced run. The summary line comes out in the form tooling parses, and the
three servers make exactly the customer-360's 8 upstream calls. Skips only when wrk is
missing outside CI (``make bench-deps`` installs it)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from bench.__main__ import main
from bench.cold_vs_floor import SERVERS, summary_line, targets_table
from bench.loadgen import wrk_path
from bench.report import cold_vs_floor_markdown
from bench.runner import Suite

pytestmark = pytest.mark.e2e

SUMMARY = re.compile(
    r"^cold customer-360 vs floor: req/s ratio \d+\.\d{2}, CPU ratio \d+\.\d{2},"
    r" added latency at 1 client -?\d+\.\d ms \(floor -?\d+\.\d ms\),"
    r" p99 at 1 client \d+\.\d ms \(direct \d+\.\d ms\)$"
)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if wrk_path() is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is not installed (make bench-deps)")
        pytest.skip("wrk is not installed (make bench-deps)")
    out = tmp_path_factory.mktemp("floor-results")
    assert main(["--quick", "--only", "floor", "--customers", "30", "--results-dir", str(out)]) == 0
    return out


def raw(results: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((results / "cold-vs-floor-latest.json").read_text())
    return data


def test_the_summary_line_is_written_in_its_exact_form(results: Path) -> None:
    result = raw(results)
    report = (results / "cold-vs-floor-latest.md").read_text()

    assert SUMMARY.match(result["summary_line"]), result["summary_line"]
    assert f"`{result['summary_line']}`" in report
    assert "| req/s, gateway ÷ floor |" in report
    # only the comparison ran: no suite report
    assert not (results / "latest.md").exists()


def test_the_suite_report_carries_the_section(results: Path) -> None:
    result = raw(results)

    section = cold_vs_floor_markdown(Suite(started="now", options={}), result)

    assert section.startswith("\n## Cold customer-360 vs the floor\n")
    assert f"`{result['summary_line']}`" in section
    # no cache-hot run in this suite: that row waits for its own figure
    assert "| cache-hot customer-360, one worker | — |" in section


def test_gateway_floor_and_direct_make_exactly_the_8_upstream_calls(results: Path) -> None:
    result = raw(results)
    clients = str(result["options"]["connections"])

    assert result["verified_calls_per_op"] == dict.fromkeys(SERVERS, 8.0)
    assert result["options"]["verify_requests"] == 2
    for name in SERVERS:
        for load in (clients, "1"):
            s = result["summary"][name][load]
            # wrk stops with up to one request per client in flight: its calls may be
            # counted without its operation, or the other way round
            assert abs(s["calls_per_op"]["median"] - 8) <= s["calls_slack"], (name, load, s)
            assert s["rps"]["median"] > 0
            assert s["cpu_ms_per_op"]["median"] > 0
    for name in ("gateway", "direct"):
        paced = result["paced"][name]
        assert paced["answered"] > 0
        assert paced["latency_ms"]["p99"] >= paced["latency_ms"]["p50"] > 0


def test_the_summary_line_and_targets_follow_the_figures() -> None:
    figures = {
        "rps_ratio": 0.456, "cpu_ratio": 2.904, "added_p50_ms": 6.04,
        "floor_added_p50_ms": 2.46, "gateway_p99_1_ms": 145.04, "direct_p99_1_ms": 69.0,
        "p99_ratio_1": 2.1, "paced_p50_ratio": 1.1, "paced_p99_ratio": 1.6,
        "gateway_calls_ratio": 1.0,
    }  # fmt: skip

    line = summary_line(figures)
    table = "\n".join(
        targets_table({"figures": figures}, {"client CPU per call ÷ bare aiohttp": ("1.2", True)})
    )

    assert line == (
        "cold customer-360 vs floor: req/s ratio 0.46, CPU ratio 2.90, added latency at"
        " 1 client 6.0 ms (floor 2.5 ms), p99 at 1 client 145.0 ms (direct 69.0 ms)"
    )
    assert "| req/s, gateway ÷ floor | 0.46 | ≥ 0.9 | **no** |" in table
    assert "| paced run at 60 % of the floor's peak, p50 / p99 ÷ direct | 1.10 / 1.60 |" in table
    assert "| client CPU per call ÷ bare aiohttp | 1.2 | ≤ 1.3 | yes |" in table
    assert "| search page of 50, gateway CPU per page | — | ≤ 80 ms | — |" in table
    assert "| upstream calls per op ÷ lower bound | 1.00 | 1.00 (unchanged) | yes |" in table
