"""With workers, uvicorn's supervisor kills a worker that does not answer its health check in
time, and a worker still starting answers none: under load a cold start took longer than
uvicorn's 5 s, and workers were replaced again and again. The time is a setting."""

from __future__ import annotations

import pytest
import uvicorn

from gateway.serving import ServingSettings, _gateway_config

QUIET_LOGS = {"version": 1, "disable_existing_loggers": False}


def _supervisor_config(serving: ServingSettings) -> uvicorn.Config:
    return _gateway_config("gateway.serving:create_worker_app", "127.0.0.1", 0, serving, QUIET_LOGS)


def test_the_supervisor_gives_workers_the_configured_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CG_WORKERS", "2")
    monkeypatch.setenv("CG_WORKER_HEALTHCHECK_TIMEOUT", "45")

    config = _supervisor_config(ServingSettings(_env_file=None))  # type: ignore[call-arg]

    assert config.workers == 2
    assert config.timeout_worker_healthcheck == 45


def test_by_default_a_worker_has_longer_than_uvicorns_five_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CG_WORKER_HEALTHCHECK_TIMEOUT", raising=False)
    uvicorns = uvicorn.Config("gateway.serving:create_worker_app").timeout_worker_healthcheck

    config = _supervisor_config(ServingSettings(_env_file=None))  # type: ignore[call-arg]

    assert config.timeout_worker_healthcheck == 30 > uvicorns


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_a_time_that_is_not_a_positive_whole_number_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CG_WORKER_HEALTHCHECK_TIMEOUT", value)

    with pytest.raises(ValueError, match="worker_healthcheck_timeout"):
        ServingSettings(_env_file=None)  # type: ignore[call-arg]
