"""The Dockerfile, the Kubernetes manifests and the compose file pass their linters with no
finding at all; each linter does fail on a file with a mistake, so a pass means something."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.deploy.linters import LINTERS, Linter

BROKEN = {
    # an unpinned base image and an unpinned apt package without cleaning the lists
    "hadolint": (
        "Dockerfile",
        "FROM python:latest\nRUN apt-get update && apt-get install -y curl\n",
    ),
    # trailing spaces and a duplicated key
    "yamllint": ("broken.yaml", "a: 1  \na: 2\n"),
    # a field a Service does not have (strict validation)
    "kubernetes-validate": (
        "broken.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  portz: []\n",
    ),
    # a misspelt service key (the spec allows only its own keys and x- extensions)
    "compose-spec schema": (
        "compose.yaml",
        "services:\n  web:\n    imgae: nginx\n",
    ),
}


def _installed(linter: Linter) -> None:
    """Missing tool: a failure in CI (``CI=true``), else a skip."""
    if linter.executable() is None:
        message = f"{linter.tool} is not installed (it comes with the dev dependencies)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("linter", LINTERS, ids=lambda linter: linter.name)
def test_the_deployment_files_pass_the_linter(linter: Linter) -> None:
    _installed(linter)

    result = linter.run()

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("linter", LINTERS, ids=lambda linter: linter.name)
def test_the_linter_fails_on_a_broken_file(linter: Linter, tmp_path: Path) -> None:
    _installed(linter)
    name, text = BROKEN[linter.name.split(" 1.")[0]]
    broken = tmp_path / name
    broken.write_text(text, encoding="utf-8")

    result = linter.run((str(broken),))

    assert result.returncode != 0, result.stdout + result.stderr
