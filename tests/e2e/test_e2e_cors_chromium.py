"""CORS in a real browser: headless Chromium loads a page from a second loopback origin
(another port) that calls the gateway with the demo key, as a frontend would. From the
allowed origin the preflight passes and the page shows the customer (and can read the
rate-limit fields, and a refusal's code); from an origin not on ``CG_CORS__ALLOW_ORIGINS``
the browser blocks the call and the page shows that it failed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.chromium import Browser, headless_chromium, require_chromium
from tests.support.gateway_process import RunningGateway, run_gateway

pytestmark = pytest.mark.e2e

#: the page: one fetch with the key in a header and a JSON body (so a preflight first),
#: its outcome written into the DOM for the test to read
PAGE = """<!doctype html>
<html><body><pre id="out"></pre><script>
const out = document.getElementById("out");
const key = new URLSearchParams(location.search).get("key") ?? %(key)s;
fetch(%(url)s, {
  method: "POST",
  headers: {"Content-Type": "application/json", "X-API-Key": key},
  body: JSON.stringify({
    query: "query ($id: ID!) { customer(id: $id) { customerId displayName } }",
    variables: {id: %(customer)s},
  }),
})
  .then(async (response) => {
    const policy = response.headers.get("RateLimit-Policy");
    const body = await response.json();
    out.textContent = JSON.stringify({status: response.status, policy, body});
  })
  .catch((error) => { out.textContent = JSON.stringify({failed: String(error)}); })
  .finally(() => { out.dataset.done = "yes"; });
</script></body></html>"""
OUTCOME = (
    "document.getElementById('out').dataset.done && document.getElementById('out').textContent"
)


class PageServer:
    """A static page on its own loopback port: a browser origin of its own."""

    def __init__(self) -> None:
        self.page = b""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(server.page)))
                self.end_headers()
                self.wfile.write(server.page)

            def log_message(self, format: str, *args: object) -> None:
                del format, args

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, gateway: RunningGateway) -> None:
        values = {
            "url": json.dumps(f"{gateway.url}/graphql"),
            "key": json.dumps(gateway.key),
            "customer": json.dumps(gateway.customer_id),
        }
        self.page = (PAGE % values).encode()


@contextmanager
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium(require_chromium()) as browser:
        yield browser


@pytest.fixture(scope="module")
def origins(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningGateway, PageServer, PageServer]]:
    """The gateway allowing the first page server's origin only."""
    log = tmp_path_factory.mktemp("gateway") / "gateway.log"
    with page_server() as allowed, page_server() as other, pytest.MonkeyPatch.context() as env:
        env.setenv("CG_CORS__ALLOW_ORIGINS", json.dumps([allowed.origin]))
        env.setenv("CG_RATE_LIMIT__RATE", "100")
        env.setenv("CG_RATE_LIMIT__BURST", "50")
        with run_gateway(log) as gateway:
            allowed.serve(gateway)
            other.serve(gateway)
            yield gateway, allowed, other


def test_a_page_on_an_allowed_origin_reads_the_customer(
    browser: Browser, origins: tuple[RunningGateway, PageServer, PageServer]
) -> None:
    gateway, allowed, _ = origins

    outcome = json.loads(browser.open(allowed.origin).wait_for(OUTCOME))

    assert outcome["status"] == 200, outcome
    assert "errors" not in outcome["body"], outcome
    customer = outcome["body"]["data"]["customer"]
    assert customer["customerId"] == gateway.customer_id
    assert customer["displayName"]
    assert outcome["policy"] == '"default";q=50;w=1'  # an exposed header


def test_a_page_on_an_allowed_origin_reads_why_it_was_refused(
    browser: Browser, origins: tuple[RunningGateway, PageServer, PageServer]
) -> None:
    _, allowed, _ = origins

    outcome = json.loads(browser.open(f"{allowed.origin}/?key=not-a-key").wait_for(OUTCOME))

    assert outcome["status"] == 401, outcome
    assert outcome["body"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_page_on_another_origin_is_blocked_by_the_browser(
    browser: Browser, origins: tuple[RunningGateway, PageServer, PageServer]
) -> None:
    _, _, other = origins

    outcome = json.loads(browser.open(other.origin).wait_for(OUTCOME))

    assert outcome == {"failed": "TypeError: Failed to fetch"}
