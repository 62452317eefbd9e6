"""The deployment files agree with the code and with each other: every CG_* variable is a
real setting, names referenced across manifests exist, probes hit real routes, ports line
up, the shutdown budget adds up, and the image installs the locked dependencies."""

from __future__ import annotations

import json
import os
import re
import tomllib
from typing import Any, get_args, get_origin
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel

from demo.tenants import SandboxUrls, demo_tenants
from gateway.__main__ import _parse_args
from gateway.app import create_app
from gateway.observability.install import HEALTH_PATH, METRICS_PATH, READY_PATH
from gateway.serving import ServingSettings
from gateway.settings import GatewaySettings, TenantConfig, tenants_document
from sandbox.__main__ import DEFAULT_PORTS
from sandbox.demo_world import demo_world
from tests.deploy.manifests import (
    DEPLOY,
    ROOT,
    compose,
    config_map_env,
    container_command,
    dockerfile,
    gateway_container,
    gateway_deployment,
    image_env,
    k8s,
    k8s_resources,
    only,
    runtime_stage,
    secret_keys,
)

SETTINGS_MODELS: tuple[type[BaseModel], ...] = (GatewaySettings, ServingSettings)
#: what production runs, and all the image carries of the repository's code
PRODUCT_PACKAGES = {"gateway", "schema", "resolvers", "cache", "vendors"}


def _is_setting(variable: str) -> bool:
    """``CG_HTTP__TALON__READ_TIMEOUT`` → ``http`` → a dict key → ``read_timeout``."""
    if not variable.startswith("CG_"):
        return False
    path = variable.removeprefix("CG_").lower().split("__")
    return any(_walk(model, path) for model in SETTINGS_MODELS)


def _walk(model: type[BaseModel], path: list[str]) -> bool:
    field = model.model_fields.get(path[0])
    if field is None:
        return False
    rest, annotation = path[1:], field.annotation
    if rest and get_origin(annotation) is dict:
        rest, annotation = rest[1:], get_args(annotation)[1]
    if not rest:
        return True
    nested = [a for a in (annotation, *get_args(annotation)) if isinstance(a, type)]
    return any(issubclass(a, BaseModel) and _walk(a, rest) for a in nested)


def _deployment_env() -> dict[str, str]:
    """ConfigMap + the Secret-backed variables (with the template's placeholder values)."""
    secret = k8s("Secret", "customer-graph-secrets")["stringData"]
    env = config_map_env()
    for item in gateway_container()["env"]:
        ref = item["valueFrom"]["secretKeyRef"]
        env[item["name"]] = secret[ref["key"]]
    return env


def _settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> GatewaySettings:
    for name in [n for n in os.environ if n.startswith("CG_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return GatewaySettings(_env_file=None)  # type: ignore[call-arg]


def test_is_setting_tells_real_settings_from_typos() -> None:
    assert _is_setting("CG_PORT")
    assert _is_setting("CG_WORKERS")
    assert _is_setting("CG_HTTP__TALON__BREAKER__COOLDOWN")
    assert _is_setting("CG_JWT__SECRET")
    assert not _is_setting("CG_PROT")
    assert not _is_setting("CG_HTTP__TALON__READ_TIMEOUTS")
    assert not _is_setting("CG_JWT__SECRET__X")


@pytest.mark.parametrize(
    ("where", "variables"),
    [
        ("ConfigMap", lambda: config_map_env()),
        ("Deployment env", lambda: {e["name"]: "" for e in gateway_container()["env"]}),
        ("Dockerfile ENV", lambda: {k: v for k, v in image_env().items() if k[:3] == "CG_"}),
        ("compose gateway", lambda: compose()["services"]["gateway"]["environment"]),
    ],
)
def test_every_cg_variable_is_a_real_setting(where: str, variables: Any) -> None:
    unknown = sorted(name for name in variables() if not _is_setting(name))

    assert not unknown, f"{where} sets variables no settings class reads: {unknown}"


def test_the_deployment_env_validates_and_configures_tenants(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = _deployment_env()
    settings = _settings_from(env, monkeypatch)
    serving = ServingSettings(_env_file=None)  # type: ignore[call-arg]

    assert settings.has_tenants  # a tenants file is configured (without one: no start)
    assert settings.api_keys  # the Secret's CG_API_KEYS parses
    assert settings.jwt.enabled
    assert serving.graceful_timeout >= settings.execution_timeout
    assert serving.workers >= 1


def test_the_deployment_references_only_what_exists() -> None:
    container = gateway_container()
    pod = gateway_deployment()["spec"]["template"]["spec"]
    config_maps = {r["metadata"]["name"] for r in k8s_resources() if r["kind"] == "ConfigMap"}

    for source in container["envFrom"]:
        assert source["configMapRef"]["name"] in config_maps
    for item in container["env"]:
        ref = item["valueFrom"]["secretKeyRef"]
        assert ref["key"] in secret_keys(ref["name"]), ref
    volumes = {v["name"]: v for v in pod["volumes"]}
    for mount in container["volumeMounts"]:
        assert mount["name"] in volumes
    tenants = volumes["tenants"]["secret"]
    assert {i["key"] for i in tenants["items"]} <= secret_keys(tenants["secretName"])
    # CG_TENANTS_FILE is the mounted Secret item
    mount = next(m for m in container["volumeMounts"] if m["name"] == "tenants")
    (item,) = tenants["items"]
    assert config_map_env()["CG_TENANTS_FILE"] == f"{mount['mountPath']}/{item['path']}"


def test_the_secret_template_holds_placeholders_that_parse() -> None:
    data = k8s("Secret", "customer-graph-secrets")["stringData"]
    tenants = json.loads(data["tenants.json"])

    assert {k: TenantConfig.model_validate(v) for k, v in tenants.items()}
    for key, value in data.items():
        assert "REPLACE-ME" in value, f"{key} must be a placeholder in the template"


def test_the_probes_and_scrape_path_are_routes_of_the_app() -> None:
    routes = {getattr(r, "path", None) for r in create_app(GatewaySettings(), tenants={}).routes}
    container = gateway_container()
    annotations = gateway_deployment()["spec"]["template"]["metadata"]["annotations"]
    healthcheck = only(runtime_stage(), "HEALTHCHECK").args

    assert container["livenessProbe"]["httpGet"]["path"] == HEALTH_PATH
    assert container["startupProbe"]["httpGet"]["path"] == HEALTH_PATH
    # not /readyz: one vendor's outage must not empty the Service (deploy/README.md)
    assert container["readinessProbe"]["httpGet"]["path"] == HEALTH_PATH
    assert annotations["prometheus.io/path"] == METRICS_PATH
    assert f"{HEALTH_PATH}'" in healthcheck
    assert {HEALTH_PATH, READY_PATH, METRICS_PATH} <= routes


def test_ports_line_up_from_image_to_service() -> None:
    container = gateway_container()
    (port,) = container["ports"]
    service = k8s("Service", "customer-graph")
    (service_port,) = service["spec"]["ports"]
    target = service_port["targetPort"]
    annotations = gateway_deployment()["spec"]["template"]["metadata"]["annotations"]
    expose = only(runtime_stage(), "EXPOSE").args

    assert int(config_map_env()["CG_PORT"]) == port["containerPort"]
    assert int(image_env()["CG_PORT"]) == port["containerPort"]
    assert int(expose) == port["containerPort"]
    assert target in (port["name"], port["containerPort"])
    assert int(annotations["prometheus.io/port"]) == port["containerPort"]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["port"] in (port["name"], port["containerPort"])


def test_selectors_and_targets_name_the_gateway_pods() -> None:
    deployment = gateway_deployment()
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    hpa = k8s("HorizontalPodAutoscaler", "customer-graph")["spec"]
    selectors = [
        deployment["spec"]["selector"]["matchLabels"],
        k8s("Service", "customer-graph")["spec"]["selector"],
        k8s("PodDisruptionBudget", "customer-graph")["spec"]["selector"]["matchLabels"],
    ]

    for selector in selectors:
        assert selector.items() <= labels.items(), selector
    assert hpa["scaleTargetRef"]["kind"] == deployment["kind"]
    assert hpa["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["minReplicas"] >= 2


def test_redis_is_reached_by_its_service_name_and_port() -> None:
    url = urlsplit(config_map_env()["CG_REDIS__URL"])
    service = k8s("Service", url.hostname or "")
    (port,) = service["spec"]["ports"]
    redis_pod = k8s("Deployment", "customer-graph-redis")["spec"]["template"]
    (container,) = redis_pod["spec"]["containers"]

    assert url.scheme == "redis"
    assert port["port"] == url.port
    assert service["spec"]["selector"].items() <= redis_pod["metadata"]["labels"].items()
    assert port["targetPort"] in {p["name"] for p in container["ports"]}
    compose_url = urlsplit(compose()["services"]["gateway"]["environment"]["CG_REDIS__URL"])
    assert compose_url.hostname in compose()["services"]


def test_the_shutdown_budget_adds_up() -> None:
    """The endpoint goes (preStop), then in-flight requests drain (CG_GRACEFUL_TIMEOUT) and
    the pools close, all before Kubernetes' SIGKILL."""
    pod = gateway_deployment()["spec"]["template"]["spec"]
    pre_stop = gateway_container()["lifecycle"]["preStop"]["exec"]["command"]
    env = config_map_env()

    assert pre_stop[0] == "sleep"
    assert int(env["CG_GRACEFUL_TIMEOUT"]) >= float(env["CG_EXECUTION_TIMEOUT"])
    assert pod["terminationGracePeriodSeconds"] > int(pre_stop[1]) + int(env["CG_GRACEFUL_TIMEOUT"])


def test_the_pods_run_unprivileged() -> None:
    pod = gateway_deployment()["spec"]["template"]["spec"]
    context = gateway_container()["securityContext"]
    user = only(runtime_stage(), "USER").args.split(":")[0]

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert int(user) == pod["securityContext"]["runAsUser"] != 0
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    resources = gateway_container()["resources"]
    assert {"cpu", "memory"} <= resources["requests"].keys()
    assert {"cpu", "memory"} <= resources["limits"].keys()


def test_the_image_installs_the_locked_dependencies() -> None:
    builder = [i for i in dockerfile() if i.stage == 0]
    copies = " ".join(i.args for i in builder if i.keyword == "COPY")
    syncs = [i.args for i in builder if i.keyword == "RUN" and "uv sync" in i.args]
    uv_arg = next(i.args for i in builder if i.keyword == "ARG" and i.args.startswith("UV_"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    make_uv = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)

    assert "uv.lock" in copies.split()
    assert len(syncs) == 1
    assert "--frozen" in syncs[0].split()
    assert "--no-dev" in syncs[0].split()
    assert make_uv is not None
    assert uv_arg == f"UV_VERSION={make_uv[1]}"


def test_the_image_python_satisfies_the_project() -> None:
    base = next(i.args for i in dockerfile() if i.keyword == "ARG" and "PYTHON_IMAGE" in i.args)
    version = re.search(r"python:(\d+)\.(\d+)", base)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floor = re.search(r">=\s*(\d+)\.(\d+)", pyproject["project"]["requires-python"])

    assert version is not None
    assert floor is not None
    assert (int(version[1]), int(version[2])) >= (int(floor[1]), int(floor[2]))
    mypy_target = pyproject["tool"]["mypy"]["python_version"]
    assert f"{version[1]}.{version[2]}" == mypy_target  # the version the code is checked for


def _stage_copies(stage: int) -> set[str]:
    """What a stage copies from the build context (``COPY --from=…`` left out)."""
    copies = [i.args.split() for i in dockerfile() if i.stage == stage and i.keyword == "COPY"]
    return {source for args in copies if not args[0].startswith("--") for source in args[:-1]}


def _stage(name: str) -> int:
    stages = [i for i in dockerfile() if i.keyword == "FROM"]
    (found,) = [i.stage for i in stages if i.args.split()[-1] == name]
    return found


def test_the_image_carries_the_product_packages_and_no_sandbox_code() -> None:
    """The runtime stage is the builder's /app: the product packages (from the builder) and
    its venv; the sandboxes, the demo, tests and benchmarks are in no stage it copies."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    runtime = runtime_stage()
    from_stages = {
        a.split("=", 1)[1]
        for i in runtime
        if i.keyword == "COPY"
        for a in i.args.split()
        if a.startswith("--from=")
    }
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert packages >= PRODUCT_PACKAGES
    assert _stage_copies(runtime[0].stage) == set()  # nothing straight from the context
    assert from_stages == {"builder"}
    assert _stage_copies(_stage("builder")) == {"pyproject.toml", "uv.lock", *PRODUCT_PACKAGES}
    assert _stage_copies(_stage("sandboxes")) == {"sandbox"}
    assert not (PRODUCT_PACKAGES | {"sandbox"}) & ignored  # the context keeps what is copied
    assert packages - PRODUCT_PACKAGES - {"sandbox"} <= ignored  # and leaves out the rest
    assert {".git", ".venv", ".tools", ".env"} <= ignored


def test_the_container_runs_the_gateway_and_make_run_the_demo() -> None:
    """The image runs ``python -m gateway serve`` (tenants required); ``make run`` runs
    ``python -m demo``, which the image does not carry."""
    command = container_command()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = re.search(r"^run:.*\n\t\$\(PY\) (.+)$", makefile, re.MULTILINE)

    assert run is not None
    assert run[1].split() == ["-m", "demo"]
    assert command[:3] == ["python", "-m", "gateway"]
    assert _parse_args(command[3:]).command == "serve"
    sandboxes = [i for i in dockerfile() if i.stage == _stage("sandboxes")]
    assert only(sandboxes, "ENTRYPOINT").exec_form() == ["python", "-m", "sandbox"]


def test_compose_serves_the_demo_world_through_the_sandbox_service() -> None:
    """The committed demo tenants file and keys are what the sandboxes' default world
    derives, pointing at the compose service that runs them."""
    services = compose()["services"]
    gateway = services["gateway"]
    world = demo_world()
    urls = SandboxUrls(**{v: f"http://sandbox:{p}" for v, p in DEFAULT_PORTS.items()})
    expected = tenants_document(demo_tenants(world, urls))
    (volume,) = gateway["volumes"]
    source, target, _ = volume.split(":")

    assert services["sandbox"]["build"]["target"] == "sandboxes"
    assert "build" not in gateway or "target" not in gateway["build"]  # the runtime image
    assert target == gateway["environment"]["CG_TENANTS_FILE"]
    assert json.loads((DEPLOY / source).read_text(encoding="utf-8")) == expected
    keys = json.loads(gateway["environment"]["CG_API_KEYS"])
    assert sorted(keys.values()) == sorted(t.key for t in world.tenants)
    vendor_secrets = [
        secret
        for tenant in expected.values()
        for vendor in tenant.values()
        if isinstance(vendor, dict)
        for field, secret in vendor.items()
        if field in ("api_key", "api_secret")
    ]
    # the gateway's keys give nothing of the vendor keys away (not even a suffix)
    assert vendor_secrets
    assert not [(k, s) for k in keys for s in vendor_secrets if s[-8:] in k]
    assert gateway["deploy"]["replicas"] >= 2


def test_the_compose_balancer_points_at_the_gateway_service() -> None:
    services = compose()["services"]
    (volume,) = services["lb"]["volumes"]
    conf = (DEPLOY / volume.split(":")[0]).read_text(encoding="utf-8")
    upstream = re.search(r"server (\S+):(\d+);", conf)

    assert upstream is not None
    assert upstream[1] in services
    assert int(upstream[2]) == int(image_env()["CG_PORT"])
