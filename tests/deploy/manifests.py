"""Reads the deployment files the way their tools do: the Dockerfile's instructions, the
Kubernetes manifests, the compose file, so tests can check they agree with the code."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "compose.yaml"


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined; ``stage`` counts ``FROM``s."""

    keyword: str
    args: str
    stage: int

    def exec_form(self) -> list[str]:
        """``["a", "b"]`` (JSON, what ``docker run`` executes without a shell)."""
        value = json.loads(self.args)
        assert isinstance(value, list), self
        return [str(part) for part in value]


def dockerfile() -> list[Instruction]:
    logical: list[str] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        logical.append(pending + line)
        pending = ""
    instructions: list[Instruction] = []
    stage = -1
    for line in logical:
        keyword, _, args = line.partition(" ")
        if keyword.upper() == "FROM":
            stage += 1
        instructions.append(Instruction(keyword.upper(), args.strip(), stage))
    return instructions


def runtime_stage() -> list[Instruction]:
    """The last stage: what the image is."""
    instructions = dockerfile()
    last = max(i.stage for i in instructions)
    return [i for i in instructions if i.stage == last]


def only(instructions: list[Instruction], keyword: str) -> Instruction:
    found = [i for i in instructions if i.keyword == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {found}"
    return found[0]


def container_command() -> list[str]:
    """ENTRYPOINT + CMD of the image, as the container runtime joins them."""
    stage = runtime_stage()
    return only(stage, "ENTRYPOINT").exec_form() + only(stage, "CMD").exec_form()


def image_env() -> dict[str, str]:
    """The runtime stage's ``ENV key=value …`` pairs (values that expand ``$`` left out)."""
    env: dict[str, str] = {}
    for instruction in runtime_stage():
        if instruction.keyword == "ENV":
            for pair in shlex.split(instruction.args):
                key, _, value = pair.partition("=")
                if "$" not in value:
                    env[key] = value
    return env


def k8s_resources() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return docs


def k8s(kind: str, name: str) -> dict[str, Any]:
    found = [r for r in k8s_resources() if r["kind"] == kind and r["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def config_map_env() -> dict[str, str]:
    """The gateway's ConfigMap (the one its Deployment reads with ``envFrom``)."""
    (ref,) = gateway_container()["envFrom"]
    data = k8s("ConfigMap", ref["configMapRef"]["name"])["data"]
    return {str(k): str(v) for k, v in data.items()}


def gateway_deployment() -> dict[str, Any]:
    return k8s("Deployment", "customer-graph")


def gateway_container() -> dict[str, Any]:
    (container,) = gateway_deployment()["spec"]["template"]["spec"]["containers"]
    return dict(container)


def secret_keys(name: str) -> set[str]:
    secret = k8s("Secret", name)
    return set(secret.get("stringData", {})) | set(secret.get("data", {}))


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text(encoding="utf-8")))
