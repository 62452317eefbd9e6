"""The package's public surface, and every wire key checked against the official SDK."""

from __future__ import annotations

import importlib

import pytest
from pydantic import BaseModel

import vendors.talon as talon
import vendors.talon.models as models


def test_the_package_exports_exactly_its_public_names() -> None:
    assert set(talon.__all__) == {
        "OVERLAP_CONFLICT_CODE",
        "VENDOR",
        "TalonAuth",
        "TalonClient",
        "TalonConfig",
        "parse_error",
        "talon_http",
    }
    assert all(hasattr(talon, name) for name in talon.__all__)


def test_every_exported_model_name_resolves() -> None:
    assert len(models.__all__) == len(set(models.__all__))
    assert all(hasattr(models, name) for name in models.__all__)


def _our_models() -> list[type[BaseModel]]:
    found = (getattr(models, name) for name in models.__all__)
    return [m for m in found if isinstance(m, type) and issubclass(m, BaseModel)]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_wire_key_exists_in_the_official_sdk_model_of_the_same_name() -> None:
    sdk = importlib.import_module("talon_one.models")
    unknown: list[tuple[str, str]] = []
    compared = 0
    for model in _our_models():
        official = getattr(sdk, model.__name__, None)
        if official is None:
            continue
        compared += 1
        keys = {f.alias or n for n, f in official.model_fields.items()}
        for name, field in model.model_fields.items():
            key = field.alias or name
            if key not in keys:
                unknown.append((model.__name__, key))

    assert unknown == []
    assert compared > 60
