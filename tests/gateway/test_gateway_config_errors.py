"""Configuration mistakes at ``python -m gateway`` and ``python -m demo``: one line each,
naming the variable, what is wrong and, in a JSON value, where; exit status 2 and no
traceback. Unknown ``CG_*`` variables are refused with a did-you-mean derived from the
settings models; ``python -m gateway config`` prints the configuration, secrets redacted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import BaseModel

from demo.__main__ import main as demo_main
from demo.serving import DemoSettings
from demo.tenants import SandboxUrls, demo_tenants
from gateway.__main__ import main as gateway_main
from gateway.config_errors import unknown_variables
from gateway.serving import ServingSettings
from gateway.settings import GatewaySettings, tenants_document
from sandbox.demo_world import demo_world

PREFIX = "Customer Graph: configuration error: "
MODELS: list[type[BaseModel]] = [GatewaySettings, ServingSettings]


def run(
    *args: str, module: str = "gateway", cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    """``python -m <module> <args>`` with only ``env`` for settings, in a folder without
    a ``.env`` file."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CG_", "SANDBOX_"))}
    clean["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def refusal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Callable[..., list[str]]:
    """The entry point's ``main`` run in this process (fast), on the given variables only:
    what it refuses, as :func:`refused` reads a process's refusal."""
    monkeypatch.chdir(tmp_path)  # no .env file

    def refuse(*args: str, module: str = "gateway", **env: str) -> list[str]:
        with monkeypatch.context() as patch:
            for name in [n for n in os.environ if n.startswith(("CG_", "SANDBOX_"))]:
                patch.delenv(name)
            for name, value in env.items():
                patch.setenv(name, value)
            main = gateway_main if module == "gateway" else demo_main
            with pytest.raises(SystemExit) as exited:
                main(list(args))
        out, err = capsys.readouterr()
        code = exited.value.code
        return refused(
            subprocess.CompletedProcess([], code if isinstance(code, int) else 1, out, err)
        )

    return refuse


def refused(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines of a refusal: exit 2, nothing on stdout, each line ours (no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines
    assert all(line.startswith(PREFIX) for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    return [line.removeprefix(PREFIX) for line in lines]


def tenants_json() -> str:
    urls = SandboxUrls("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3")
    return json.dumps(tenants_document(demo_tenants(demo_world(), urls)))


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CG_MAX_QUERY_DEPTH", "abc", "CG_MAX_QUERY_DEPTH='abc': Input should be a valid integer"),
        ("CG_WORKERS", "0", "CG_WORKERS='0': Input should be greater than or equal to 1"),
        ("CG_LOG_FORMAT", "xml", "CG_LOG_FORMAT='xml': Input should be 'json' or 'text'"),
        (
            "CG_HTTP__TALON__READ_TIMEOUT",
            "soon",
            "CG_HTTP__TALON__READ_TIMEOUT='soon': Input should be a valid number",
        ),
        ("CG_JWT__SECRET", "short", "CG_JWT__SECRET: an HS256 secret needs at least 32 bytes"),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_variable(
    refusal: Callable[..., list[str]], variable: str, value: str, expected: str
) -> None:
    [line] = refusal(**{variable: value})

    assert line.startswith(expected), line


def test_a_secret_is_never_echoed(refusal: Callable[..., list[str]]) -> None:
    [line] = refusal(CG_JWT__SECRET="hunter2-hunter2")

    assert "hunter2" not in line


def test_json_that_does_not_parse_says_where(tmp_path: Path) -> None:
    """In a real process: exit status 2, one line, no traceback."""
    [tenants] = refused(run(cwd=tmp_path, CG_TENANTS='{"acme": {"talon": 1,}}'))
    [keys] = refused(run(cwd=tmp_path, CG_API_KEYS='{"k": "acme"'))

    assert tenants.startswith("CG_TENANTS is not valid JSON: ")
    assert tenants.endswith("at line 1 column 22")
    assert keys.startswith("CG_API_KEYS is not valid JSON: ")
    assert "line 1 column" in keys


def test_a_json_value_that_parses_but_is_wrong_names_the_path_inside(
    refusal: Callable[..., list[str]],
) -> None:
    tenants = json.loads(tenants_json())
    del tenants["acme"]["talon"]["api_key"]

    [line] = refusal(CG_TENANTS=json.dumps(tenants))

    assert line == "CG_TENANTS: at acme.talon.api_key: Field required"
    assert "tm-" not in line  # nothing of the other credentials in the value


def test_the_tenants_file_missing_or_malformed(
    refusal: Callable[..., list[str]], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.json"
    malformed = tmp_path / "tenants.json"
    malformed.write_text('{\n  "acme": {\n    "talon": [}\n}\n', encoding="utf-8")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"acme": {"talon": 3}}', encoding="utf-8")

    [no_file] = refusal(CG_TENANTS_FILE=str(missing))
    [not_json] = refusal(CG_TENANTS_FILE=str(malformed))
    [not_tenants] = refusal(CG_TENANTS_FILE=str(wrong))

    assert no_file == f"CG_TENANTS_FILE: no such file: {missing}"
    assert not_json.startswith(f"CG_TENANTS_FILE ({malformed}) is not valid JSON: ")
    assert not_json.endswith("at line 3 column 15")
    assert not_tenants.startswith(f"CG_TENANTS_FILE ({wrong}): at acme.tallymarks: Field required")
    assert "at acme.talon: " in not_tenants


@pytest.mark.parametrize(
    ("variable", "suggestion"),
    [
        ("CG_MAX_QUERY_DEPHT", "CG_MAX_QUERY_DEPTH"),
        ("CG_PROT", "CG_PORT"),
        ("CG_HTTP__TALON__READ_TIMEOUTS", "CG_HTTP__TALON__READ_TIMEOUT"),
        ("CG_JWT_SECRET", "CG_JWT__SECRET"),
        ("CG_REDIS__URLL", "CG_REDIS__URL"),
        ("CG_GRACEFUL_TIMEOUTS", "CG_GRACEFUL_TIMEOUT"),
    ],
)
def test_an_unknown_variable_is_refused_with_a_did_you_mean(
    refusal: Callable[..., list[str]], variable: str, suggestion: str
) -> None:
    [line] = refusal(**{variable: "3"})

    assert line == f"{variable} is not a setting; did you mean {suggestion}?"


def test_an_unknown_variable_far_from_any_setting_gets_no_guess(tmp_path: Path) -> None:
    """In a real process, as ``python -m gateway`` with a typo in its environment runs."""
    [line] = refused(run(cwd=tmp_path, CG_FLUX_CAPACITOR="1"))

    assert line == "CG_FLUX_CAPACITOR is not a setting"


def test_the_known_names_come_from_the_models_nested_ones_included() -> None:
    """Every field of every nested model is known, so a setting added to a model (say in
    ``CG_CORS__*``) is known without a list to update."""

    def every_variable(model: type[BaseModel], prefix: str) -> list[str]:
        names = []
        for name, info in model.model_fields.items():
            names.append(f"{prefix}{name.upper()}")
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names += every_variable(annotation, f"{prefix}{name.upper()}__")
        return names

    names = every_variable(GatewaySettings, "CG_") + every_variable(ServingSettings, "CG_")
    dict_nested = ["CG_HTTP__TALON__READ_TIMEOUT", "CG_CACHE_TTLS__CUSTOMER"]

    assert any("__" in n for n in names)
    assert unknown_variables(MODELS, names + dict_nested) == []
    assert unknown_variables(MODELS, ["CG_JWT__SECRET__X", "CG_HTTP__TALON"]) == [
        "CG_JWT__SECRET__X is not a setting"
    ]


def test_only_cg_variables_are_checked_and_the_demos_own_are_left_alone() -> None:
    names = ["PATH", "_CG_DEMO_SECRETS", "SANDBOX_CUSTOMERS", "CG_DEMO_SEED"]

    assert unknown_variables(MODELS, names) == []
    assert unknown_variables([*MODELS, DemoSettings], names, also_known=()) == []
    assert unknown_variables(MODELS, ["CG_DEMO_SEED"], also_known=()) == [
        "CG_DEMO_SEED is not a setting"
    ]


def test_an_api_key_for_an_unconfigured_tenant_is_refused(
    refusal: Callable[..., list[str]],
) -> None:
    keys = {"key-of-acme": "acme", "key-of-initech": {"tenant": "initech", "scopes": []}}

    [line] = refusal(CG_TENANTS=tenants_json(), CG_API_KEYS=json.dumps(keys))

    assert line == (
        "CG_API_KEYS: key #2 names tenant 'initech', which is not configured"
        " (tenants: acme, globex)"
    )
    assert "key-of" not in line  # a key is a credential


def test_the_demo_refuses_the_same_way(refusal: Callable[..., list[str]], tmp_path: Path) -> None:
    [typo] = refused(run(module="demo", cwd=tmp_path, CG_DEMO_SEDE="1"))
    [value] = refusal(module="demo", CG_PORT="http")

    assert typo == "CG_DEMO_SEDE is not a setting; did you mean CG_DEMO_SEED?"
    assert value.startswith("CG_PORT='http': Input should be a valid integer")


def test_config_prints_the_effective_configuration_with_secrets_redacted(tmp_path: Path) -> None:
    secrets = {
        "CG_TENANTS": tenants_json(),
        "CG_API_KEYS": json.dumps({"key-of-acme-123": "acme"}),
        "CG_JWT__SECRET": "s" * 40,
        "CG_OTLP_HEADERS": json.dumps({"x-team": "team-secret"}),
        "CG_REDIS__URL": "redis://:redis-password@redis:6379/0",
    }
    result = run("config", cwd=tmp_path, CG_MAX_QUERY_DEPTH="9", CG_WORKERS="3", **secrets)

    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["max_query_depth"] == 9
    assert config["workers"] == 3  # the serving settings too
    assert config["jwt"]["secret"] == "**********"
    assert config["otlp_headers"] == {"x-team": "**********"}
    assert config["redis"]["url"] == "**********"
    assert config["api_keys"] == [{"key": "**********", "tenant": "acme"}]
    assert config["tenants"]["acme"]["talon"]["api_key"] == "**********"
    assert config["tenants"]["acme"]["tallymarks"]["api_secret"] == "**********"
    assert config["tenants"]["acme"]["talon"]["base_url"] == "http://127.0.0.1:3"
    for value in ("key-of-acme-123", "s" * 40, "team-secret", "redis-password", "tm-key-"):
        assert value not in result.stdout


@pytest.mark.parametrize(
    "command",
    [[], ["serve"], ["schema"], ["manifest"], ["config"], ["token", "--tenant", "acme"]],
    ids=["default", "serve", "schema", "manifest", "config", "token"],
)
def test_every_command_refuses_an_unknown_variable(
    refusal: Callable[..., list[str]], command: list[str]
) -> None:
    """Those that read no setting too: a typo is never silently ignored."""
    [line] = refusal(*command, CG_MAX_QUERY_DEPHT="9")

    assert line == "CG_MAX_QUERY_DEPHT is not a setting; did you mean CG_MAX_QUERY_DEPTH?"


def test_the_manifest_is_not_written_when_a_variable_is_refused(tmp_path: Path) -> None:
    """In a real process; an unknown variable in the ``.env`` file counts as well."""
    (tmp_path / ".env").write_text("CG_INTROSPECTON=false\n", encoding="utf-8")
    manifest = tmp_path / "manifest.json"

    [line] = refused(run("manifest", "--output", str(manifest), cwd=tmp_path))

    assert line == "CG_INTROSPECTON is not a setting; did you mean CG_INTROSPECTION?"
    assert not manifest.exists()


def test_the_schema_is_printed_when_every_variable_is_known(tmp_path: Path) -> None:
    result = run("schema", cwd=tmp_path, CG_MAX_QUERY_DEPTH="9")

    assert result.returncode == 0, result.stderr
    assert "type Query" in result.stdout


def test_no_tenants_is_refused_like_any_configuration_mistake(tmp_path: Path) -> None:
    """One line, exit status 2 (it was a bare exit 1 before)."""
    [line] = refused(run(cwd=tmp_path, CG_PORT="1"))

    assert line.startswith("no tenants configured (set CG_TENANTS_FILE or CG_TENANTS)")
    assert line.endswith("make run (python -m demo)")
