"""What ``/metrics`` holds in one process: ``process_*``, no ``_created`` series, the cache's
and breakers' state as ordinary metrics; and the directory the workers share (the
multi-worker scrape itself: tests/deploy/test_deploy_metrics_workers.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from gateway.observability.multiprocess import MULTIPROC_DIR_ENV, worker_metrics_dir
from gateway.observability.state_metrics import Reading, StateMetrics
from tests.gateway.observed import CUSTOMER_CARD, observed


async def test_metrics_have_process_series_and_no_created_duplicates() -> None:
    async with observed() as seen:
        await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})
        scraped = await seen.gw.client.get("/metrics")

    body = scraped.text
    assert scraped.status_code == 200
    assert "\nprocess_resident_memory_bytes " in body
    assert "\nprocess_cpu_seconds_total " in body
    assert "_created" not in body
    assert 'cg_http_requests_total{method="POST",route="/graphql",status="200"} 1.0' in body
    assert "\ncg_cache_misses_total 3.0" in body  # one read per vendor
    assert 'cg_circuit_breaker_state{state="closed",vendor="talon"} 1.0' in body


def test_state_is_copied_as_counter_increments_and_gauge_values() -> None:
    readings: dict[tuple[str, tuple[str, ...]], float] = {
        ("cg_things", ("a",)): 2,
        ("cg_level", ()): 5,
    }
    registry = CollectorRegistry()
    state = StateMetrics(registry)
    state.counter("cg_things", "Things.", ["kind"])
    state.gauge("cg_level", "Level.")

    def read() -> list[Reading]:
        return [(name, labels, value) for (name, labels), value in readings.items()]

    state.source(read)
    readings[("cg_things", ("a",))] = 7
    readings[("cg_level", ())] = 1

    assert registry.get_sample_value("cg_things_total", {"kind": "a"}) == 7
    assert registry.get_sample_value("cg_level") == 1
    readings[("cg_things", ("a",))] = 3  # a source that went back (reset): counted from there
    assert registry.get_sample_value("cg_things_total", {"kind": "a"}) == 7
    readings[("cg_things", ("a",))] = 4
    assert registry.get_sample_value("cg_things_total", {"kind": "a"}) == 8


def test_a_chosen_directory_is_emptied_of_an_earlier_runs_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "counter_1234.db").write_bytes(b"an earlier run")
    (tmp_path / "keep.txt").write_text("not ours")
    monkeypatch.setenv(MULTIPROC_DIR_ENV, str(tmp_path))

    with worker_metrics_dir() as directory:
        assert directory == tmp_path
        assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    assert os.environ[MULTIPROC_DIR_ENV] == str(tmp_path)


def test_without_one_a_temporary_directory_lives_as_long_as_the_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MULTIPROC_DIR_ENV, raising=False)

    with worker_metrics_dir() as directory:
        assert directory.is_dir()
        assert os.environ[MULTIPROC_DIR_ENV] == str(directory)
    assert not directory.exists()
    assert MULTIPROC_DIR_ENV not in os.environ


async def test_a_request_with_no_query_is_counted_as_the_bad_request_it_was_answered_as() -> None:
    async with observed() as seen:
        headers = {"x-api-key": seen.gw.key, "accept": "application/json"}
        answer = await seen.gw.client.get("/graphql", headers=headers)

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert seen.metric("cg_graphql_rejected_operations_total", reason="BAD_REQUEST") == 1
    assert "UNCODED" not in seen.exposition()
    assert "INTERNAL" not in seen.exposition()
