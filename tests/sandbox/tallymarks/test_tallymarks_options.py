"""Options come from ``SANDBOX_TALLYMARKS_OPTIONS``; defaults are the documented choices.

See docs/vendors/tallymarks.md §10.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sandbox.common import VendorRuntime
from sandbox.tallymarks import TallymarksSandboxOptions, create_app
from tests.sandbox.tallymarks.tm_support import WORLD, client_for


def test_defaults_follow_the_vendor_doc() -> None:
    options = TallymarksSandboxOptions()
    assert (options.max_limit, options.limit_over_max, options.default_limit) == (100, "reject", 25)
    assert (options.existing_customer_on_create, options.patch_attributes) == ("reject", "replace")
    assert (options.processing, options.non_guid_id_status) == ("immediate", 404)


async def test_the_environment_configures_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_TALLYMARKS_OPTIONS", '{"default_limit": 3}')
    app = create_app(WORLD, runtime=VendorRuntime("tallymarks"))
    async with client_for(app) as client:
        body = (await client.get("/api/v1/customers")).json()
    assert len(body["customers"]) == 3


def test_unknown_options_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_TALLYMARKS_OPTIONS", '{"default_limt": 3}')
    with pytest.raises(ValidationError):
        TallymarksSandboxOptions.from_env()
