"""Bearer tokens: HS256 and RS256 (PEM, JWKS file, JWKS URL), issuer, audience, expiry,
the tenant claim and the scopes — and 401 before any upstream call when anything is off."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from gateway.auth.jwt_settings import JwtSettings
from gateway.settings import GatewaySettings
from tests.schema.auth_harness import AuthHarness, auth_harness

SECRET = "test-secret-for-hs256-of-at-least-32-bytes"
ISSUER = "https://id.example.com/"
AUDIENCE = "customer-graph"
HS256 = JwtSettings(secret=SECRET, issuer=ISSUER, audience=[AUDIENCE])  # type: ignore[arg-type]
PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    PRIVATE.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
EMAIL = "query($id: ID!) { customer(id: $id) { email } }"


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


JWKS = {"keys": [_jwk(OTHER_PRIVATE, "old"), _jwk(PRIVATE, "current")]}


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": "user-42",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 600,
        "tenant": "acme",
        "scope": "customers:read promotions",
    }
    return {k: v for k, v in {**base, **overrides}.items() if v is not None}


def hs256(**overrides: Any) -> str:
    return jwt.encode(claims(**overrides), SECRET, algorithm="HS256")


def rs256(kid: str | None = "current", key: rsa.RSAPrivateKey = PRIVATE, **overrides: Any) -> str:
    headers = {"kid": kid} if kid else None
    return jwt.encode(claims(**overrides), key, algorithm="RS256", headers=headers)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_signed(alg: str, key: bytes, payload: dict[str, Any]) -> str:
    """A token PyJWT would refuse to make: HS256 keyed with a public key, or alg none."""
    head = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    signing_input = f"{head}.{body}".encode()
    signature = hmac.new(key, signing_input, hashlib.sha256).digest() if key else b""
    return f"{head}.{body}.{_b64(signature)}"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
async def ah() -> AsyncIterator[AuthHarness]:
    async with auth_harness(GatewaySettings(_env_file=None, jwt=HS256)) as h:
        yield h


async def _email(h: AuthHarness, token: str, tenant: str = "acme") -> dict[str, Any]:
    customer = h.world.tenant(tenant).customers[0]
    response = await h.post_as(EMAIL, bearer(token), id=customer.customer_id)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_valid_token_reads_its_tenant(ah: AuthHarness) -> None:
    body = await _email(ah, hs256())

    assert body == {"data": {"customer": {"email": ah.acme.customers[0].email}}}


async def test_the_tenant_comes_from_the_token_not_from_an_api_key_sent_alongside(
    ah: AuthHarness,
) -> None:
    customer = ah.globex.customers[0]
    headers = {**bearer(hs256(tenant="globex")), "x-api-key": "key-acme"}

    response = await ah.post_as(EMAIL, headers, id=customer.customer_id)

    assert response.json() == {"data": {"customer": {"email": customer.email}}}


@pytest.mark.parametrize(
    ("scope_claims", "email_allowed"),
    [
        ({"scope": "customers:read"}, True),
        ({"scope": None, "scp": ["openid", "customers:read"]}, True),
        ({"scope": None, "scp": "customers:read profile"}, True),
        ({"scope": "promotions support"}, False),
        ({"scope": None}, False),  # no scope claim: authenticated, but granted nothing
    ],
)
async def test_scopes_come_from_scope_or_scp(
    ah: AuthHarness, scope_claims: dict[str, Any], email_allowed: bool
) -> None:
    body = await _email(ah, hs256(**scope_claims))

    if email_allowed:
        assert body["data"]["customer"]["email"] == ah.acme.customers[0].email
    else:
        assert body["data"] == {"customer": None}
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


#: each token is made when its test runs: one made at collection could have expired by then
#: on a loaded machine (its ``exp`` is 10 minutes on), and would then be refused for that
INVALID: list[tuple[str, Callable[[], str], str]] = [
    ("expired", lambda: hs256(exp=int(time.time()) - 120), "TOKEN_EXPIRED"),
    ("other secret", lambda: jwt.encode(claims(), "x" * 40, algorithm="HS256"), "INVALID_TOKEN"),
    ("wrong issuer", lambda: hs256(iss="https://evil.example.com/"), "INVALID_TOKEN"),
    ("wrong audience", lambda: hs256(aud="another-api"), "INVALID_TOKEN"),
    ("no audience", lambda: hs256(aud=None), "INVALID_TOKEN"),
    ("no expiry", lambda: hs256(exp=None), "INVALID_TOKEN"),
    ("not yet valid", lambda: hs256(nbf=int(time.time()) + 3600), "INVALID_TOKEN"),
    ("no tenant", lambda: hs256(tenant=None), "INVALID_TOKEN"),
    ("unknown tenant", lambda: hs256(tenant="initech"), "UNKNOWN_TENANT"),
    ("alg none", lambda: hand_signed("none", b"", claims()), "INVALID_TOKEN"),
    ("RS256 not configured", rs256, "INVALID_TOKEN"),
    ("garbage", lambda: "not.a.token", "INVALID_TOKEN"),
]


@pytest.mark.parametrize(("case", "make", "reason"), INVALID, ids=[c[0] for c in INVALID])
async def test_an_invalid_token_is_401_before_any_upstream_call(
    ah: AuthHarness, case: str, make: Callable[[], str], reason: str
) -> None:
    token = make()
    response = await ah.post_as(EMAIL, bearer(token), id=ah.acme.customers[0].customer_id)

    assert response.status_code == 401, case
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}
    assert token not in response.text
    assert response.headers.get_list("www-authenticate") == [
        'Bearer realm="customer-graph", error="invalid_token"',
        'ApiKey header="X-API-Key"',
    ]
    assert ah.upstream == []


async def test_without_credentials_both_ways_in_are_offered(ah: AuthHarness) -> None:
    response = await ah.client.post("/graphql", json={"query": "{ __typename }"})

    assert response.status_code == 401
    assert response.headers.get_list("www-authenticate") == [
        'Bearer realm="customer-graph"',
        'ApiKey header="X-API-Key"',
    ]


async def test_a_bearer_token_is_refused_when_none_is_configured() -> None:
    async with auth_harness() as h:
        response = await h.post_as("{ __typename }", bearer(hs256()))

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "This gateway does not accept bearer tokens."


async def test_the_tenant_claim_is_configurable() -> None:
    settings = JwtSettings(secret=SECRET, tenant_claim="https://cg.example/tenant")  # type: ignore[arg-type]
    token = hs256(tenant=None, aud=None, iss=None, **{"https://cg.example/tenant": "acme"})

    async with auth_harness(GatewaySettings(_env_file=None, jwt=settings)) as h:
        body = await _email(h, token)

    assert body["data"]["customer"]["email"] == h.acme.customers[0].email


# --- RS256 ----------------------------------------------------------------------------------


async def test_rs256_with_a_pem_public_key_and_no_algorithm_confusion() -> None:
    settings = JwtSettings(public_key=PUBLIC_PEM, issuer=ISSUER, audience=[AUDIENCE])
    confused = hand_signed("HS256", PUBLIC_PEM.encode(), claims())

    async with auth_harness(GatewaySettings(_env_file=None, jwt=settings)) as h:
        good = await _email(h, rs256(kid=None))
        wrong_key = await h.post_as(EMAIL, bearer(rs256(key=OTHER_PRIVATE)), id="x")
        hs = await h.post_as(EMAIL, bearer(confused), id="x")

    assert good["data"]["customer"]["email"] == h.acme.customers[0].email
    assert wrong_key.status_code == 401
    assert hs.status_code == 401
    assert hs.json()["errors"][0]["message"] == "Tokens signed with HS256 are not accepted."


async def test_rs256_with_a_jwks_file_picks_the_key_by_kid(tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(JWKS))
    settings = JwtSettings(jwks_file=path, issuer=ISSUER, audience=[AUDIENCE])

    async with auth_harness(GatewaySettings(_env_file=None, jwt=settings)) as h:
        current = await _email(h, rs256(kid="current"))
        old = await _email(h, rs256(kid="old", key=OTHER_PRIVATE))
        unknown = await h.post_as(EMAIL, bearer(rs256(kid="gone")), id="x")
        mislabelled = await h.post_as(EMAIL, bearer(rs256(kid="old")), id="x")
        no_kid = await h.post_as(EMAIL, bearer(rs256(kid=None)), id="x")

    assert current["data"]["customer"] is not None
    assert old["data"]["customer"] is not None
    assert [r.status_code for r in (unknown, mislabelled, no_kid)] == [401, 401, 401]


class _JwksServer:
    """A JWKS endpoint on loopback that counts its fetches."""

    def __init__(self) -> None:
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps(JWKS).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"


@pytest.fixture(scope="module")
def jwks_server() -> Iterator[_JwksServer]:
    server = _JwksServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    thread.join()


async def test_rs256_with_a_jwks_url_fetches_the_keys_once(jwks_server: _JwksServer) -> None:
    settings = JwtSettings(jwks_url=jwks_server.url, issuer=ISSUER, audience=[AUDIENCE])
    before = jwks_server.fetches

    async with auth_harness(GatewaySettings(_env_file=None, jwt=settings)) as h:
        first = await _email(h, rs256())
        second = await _email(h, rs256(sub="user-43"))
        other_kid = await _email(h, rs256(kid="old", key=OTHER_PRIVATE))

    assert first["data"]["customer"] is not None
    assert second["data"]["customer"] is not None
    assert other_kid["data"]["customer"] is not None
    assert jwks_server.fetches - before == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_an_unreachable_jwks_url_is_503_not_401() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/jwks.json"
    settings = JwtSettings(jwks_url=url, jwks_timeout_seconds=1)

    async with auth_harness(GatewaySettings(_env_file=None, jwt=settings)) as h:
        response = await h.post_as(EMAIL, bearer(rs256(iss=None, aud=None)), id="x")

    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"] == {"code": "AUTHENTICATION_UNAVAILABLE"}
    assert response.headers["retry-after"] == "5"
    assert h.upstream == []


# --- settings -------------------------------------------------------------------------------


def test_token_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CG_JWT__SECRET", SECRET)
    monkeypatch.setenv("CG_JWT__ISSUER", ISSUER)
    monkeypatch.setenv("CG_JWT__AUDIENCE", "customer-graph, mobile")
    monkeypatch.setenv("CG_JWT__TENANT_CLAIM", "org")

    settings = GatewaySettings(_env_file=None).jwt

    assert settings.enabled
    assert settings.audience == ["customer-graph", "mobile"]
    assert (settings.issuer, settings.tenant_claim) == (ISSUER, "org")
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    "config",
    [
        {"secret": "too-short"},
        {"public_key": PUBLIC_PEM, "jwks_url": "https://id.example.com/jwks.json"},
    ],
)
def test_unsafe_or_ambiguous_token_settings_are_refused(config: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        JwtSettings.model_validate(config)


def test_no_key_no_bearer_tokens() -> None:
    assert not JwtSettings().enabled
