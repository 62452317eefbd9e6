"""The sub-commands ``python -m gateway`` and ``python -m demo`` share: the same options,
and the same refusal of a scope that does not exist."""

from __future__ import annotations

from collections.abc import Callable

import jwt
import pytest

from demo.__main__ import _parse_args as demo_args
from demo.__main__ import main as demo_main
from gateway.__main__ import _parse_args as gateway_args
from gateway.__main__ import main as gateway_main

SECRET = "s" * 40


@pytest.fixture
def signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CG_TENANTS", "CG_TENANTS_FILE", "CG_DEMO_SEED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CG_JWT__SECRET", SECRET)
    monkeypatch.chdir("/")  # no .env file


@pytest.mark.parametrize("main", [gateway_main, demo_main], ids=["gateway", "demo"])
@pytest.mark.usefixtures("signing_secret")
def test_an_unknown_scope_is_refused_with_the_scopes_there_are(
    main: Callable[[list[str]], None], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit, match=r"unknown scope 'customers:admin'; scopes: .*promotions"):
        main(["token", "--tenant", "globex", "--scope", "customers:admin"])

    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("main", [gateway_main, demo_main], ids=["gateway", "demo"])
@pytest.mark.usefixtures("signing_secret")
def test_the_token_carries_the_scopes_asked_for(
    main: Callable[[list[str]], None], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["token", "--tenant", "globex", "--scope", "support", "--scope", "promotions"])

    claims = jwt.decode(capsys.readouterr().out.strip(), SECRET, algorithms=["HS256"])
    assert (claims["tenant"], claims["scope"], claims["sub"]) == (
        "globex",
        "support promotions",
        "demo",
    )


@pytest.mark.parametrize("parse", [gateway_args, demo_args], ids=["gateway", "demo"])
def test_both_entry_points_take_the_same_serve_and_token_options(
    parse: Callable[[list[str]], object],
) -> None:
    served = parse(["serve", "--host", "0.0.0.0", "--port", "9000"])
    token = parse(["token", "--tenant", "t", "--ttl", "5", "--subject", "me"])

    assert (vars(served)["host"], vars(served)["port"]) == ("0.0.0.0", 9000)
    assert vars(token) | {"command": "token"} == {
        "command": "token",
        "tenant": "t",
        "scope": None,
        "ttl": 5,
        "subject": "me",
    }
