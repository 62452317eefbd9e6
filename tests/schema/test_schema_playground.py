"""The playground: served by the gateway itself, pinned assets, examples that validate."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from graphql import parse, validate

from gateway.playground.page import example_operations
from schema import build_schema
from tests.schema.gateway_harness import Harness

ASSETS = Path(__file__).resolve().parents[2] / "gateway" / "playground" / "assets"


async def test_a_browser_get_serves_graphiql_without_a_cdn(gw: Harness) -> None:
    response = await gw.client.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    page = response.text
    assert "https://" not in page
    assert "http://" not in page
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
        served = await gw.client.get(asset)
        assert served.status_code == 200, asset


async def test_the_example_operations_open_as_tabs(gw: Harness) -> None:
    page = (await gw.client.get("/graphql", headers={"accept": "text/html"})).text
    config = json.loads(re.search(r'id="playground-config"[^>]*>(.*?)</script>', page, re.S)[1])

    assert [tab["query"] for tab in config["tabs"]] == [text for _, text in example_operations()]


def test_every_example_operation_is_valid_against_the_schema() -> None:
    schema = build_schema()._schema
    assert example_operations()
    for title, text in example_operations():
        assert validate(schema, parse(text)) == [], title


def test_the_pinned_assets_match_their_checksums() -> None:
    for line in (ASSETS / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name
