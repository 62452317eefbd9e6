"""The playground in a real browser: headless Chromium opens GraphiQL as the gateway
serves it (offline assets, example tabs, the demo key and a customer prefilled), a click on
Run executes the first example, and the result panel shows that customer's data."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.support.chromium import Browser, Page, headless_chromium, require_chromium
from tests.support.gateway_process import RunningGateway, run_gateway

pytestmark = pytest.mark.e2e

#: the Run button's centre, once GraphiQL has wired up its editors (query, variables and
#: headers carry its Ctrl-Enter key map only then; before, a click runs nothing)
RUN_BUTTON = """(() => {
  const button = document.querySelector(".graphiql-execute-button");
  const editors = [...document.querySelectorAll(".graphiql-session .CodeMirror")];
  const wired = editors.filter((element) => element.CodeMirror.state.keyMaps.length > 0);
  if (!button || editors.length < 4 || wired.length < 3) return null;
  const box = button.getBoundingClientRect();
  return [box.x + box.width / 2, box.y + box.height / 2];
})()"""
#: what the click did: the result panel's text, or that the query is still running
AFTER_CLICK = """(() => {
  const result = document.querySelector(".result-window .CodeMirror").CodeMirror.getValue();
  if (result) return {result};
  const button = document.querySelector(".graphiql-execute-button");
  return button.getAttribute("aria-label").startsWith("Stop") ? {running: true} : null;
})()"""
RESULT_PANEL = 'document.querySelector(".result-window .CodeMirror").CodeMirror.getValue()'
VARIABLES_EDITOR = """[...document.querySelectorAll(".graphiql-session .CodeMirror")]
  .map((element) => element.CodeMirror.getValue())
  .find((text) => text.includes('"customerId"'))"""


def run_the_open_tab(page: Page) -> str:
    """Click Run as a user would, again if the click came before GraphiQL was ready
    (nothing ran), and return what the result panel shows."""
    deadline = time.monotonic() + 30
    while True:
        x, y = page.wait_for(RUN_BUTTON)
        page.click(x, y)
        try:
            outcome = page.wait_for(AFTER_CLICK, timeout=2)
        except TimeoutError:
            if time.monotonic() > deadline:
                raise
            continue
        if "result" in outcome:
            return str(outcome["result"])
        return str(page.wait_for(RESULT_PANEL))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium(require_chromium()) as browser:
        yield browser


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    log = tmp_path_factory.mktemp("gateway") / "gateway.log"
    with run_gateway(log) as running:
        yield running


def test_the_first_example_runs_from_the_playground(
    browser: Browser, gateway: RunningGateway
) -> None:
    page = browser.open(f"{gateway.url}/graphql")

    result = json.loads(run_the_open_tab(page))
    assert "errors" not in result, json.dumps(result)[:1000]
    customer = result["data"]["customer"]
    assert customer["customerId"] == gateway.customer_id
    assert customer["displayName"]
    assert customer["pointsBalance"] is not None  # each vendor answered
    assert customer["supportProfile"] is not None
    assert customer["coupons"] is not None


def test_the_first_tab_opens_with_its_variables_and_the_demo_key(
    browser: Browser, gateway: RunningGateway
) -> None:
    page = browser.open(f"{gateway.url}/graphql")

    variables = json.loads(page.wait_for(VARIABLES_EDITOR))

    assert variables == {"customerId": gateway.customer_id}
    assert gateway.key in page.evaluate("document.body.innerHTML")
    assert page.evaluate("document.querySelectorAll('.graphiql-tab').length") >= 4


def test_a_missing_chromium_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require_chromium()

    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require_chromium()
