"""Configuration from the environment and a tenants file; secrets stay secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateway.settings import GatewaySettings

TENANT = {
    "name": "Acme",
    "tallymarks": {
        "customer_base_url": "https://api-customer.tallymarks.net/",
        "event_base_url": "https://api-event.tallymarks.net",
        "tenant_id": "7d0c7f1e-1111-4222-8333-444455556666",
        "api_key": "tm-key",
        "api_secret": "tm-very-secret",
    },
    "omnidesk": {"base_url": "https://acme.omnidesk.io/api/v2", "api_key": "od-key", "brand_id": 3},
    "talon": {"base_url": "https://acme.europe-west1.talon.one", "api_key": "talon-key"},
}


def test_tenants_keys_and_http_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CG_TENANTS", json.dumps({"acme": TENANT}))
    monkeypatch.setenv("CG_API_KEYS", json.dumps({"gw-key-1": "acme"}))
    monkeypatch.setenv("CG_HTTP__TALON__READ_TIMEOUT", "3")

    settings = GatewaySettings(_env_file=None)

    acme = settings.all_tenants()["acme"]
    assert acme.tallymarks.customer_base_url == "https://api-customer.tallymarks.net"
    assert acme.omnidesk.base_url == "https://acme.omnidesk.io"
    assert settings.api_keys == {"gw-key-1": "acme"}
    assert settings.http_for("talon").read_timeout == 3
    assert settings.http_for("omnidesk").read_timeout == 10
    assert settings.has_tenants
    assert "tm-very-secret" not in repr(settings)
    assert "tm-very-secret" not in str(settings.model_dump())


def test_tenants_can_come_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tenants.json"
    path.write_text(json.dumps({"acme": TENANT}))
    monkeypatch.setenv("CG_TENANTS_FILE", str(path))

    settings = GatewaySettings(_env_file=None)

    assert settings.all_tenants()["acme"].talon.api_key.get_secret_value() == "talon-key"


def test_with_no_tenant_configured_there_is_nothing_to_serve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("CG_TENANTS", "CG_TENANTS_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert not GatewaySettings(_env_file=None).has_tenants
