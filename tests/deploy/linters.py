"""The deployment files' linters, one command each: ``make deploy-lint`` and
``tests/deploy/test_deploy_lint.py`` run the same list. Each is a PyPI package of the dev
group (it ships its own binary or schemas), so nothing needs Docker or a cluster.

``python -m tests.deploy.linters`` runs them all and exits non-zero on any finding.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.deploy.manifests import COMPOSE, DEPLOY, DOCKERFILE, K8S, ROOT

#: Kubernetes versions the manifests are validated against: the oldest supported and the
#: newest kubernetes-validate knows
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")


@dataclass(frozen=True)
class Linter:
    name: str
    #: the executable, looked up next to the interpreter (the venv's bin) first
    tool: str
    options: tuple[str, ...]
    #: the repository's files it checks (relative to the root)
    targets: tuple[str, ...]

    def executable(self) -> str | None:
        beside = Path(sys.executable).parent / self.tool
        return str(beside) if beside.exists() else shutil.which(self.tool)

    def run(self, targets: tuple[str, ...] | None = None) -> subprocess.CompletedProcess[str]:
        """Run it on the repository's files, or on ``targets`` (to see it can fail)."""
        executable = self.executable()
        assert executable is not None, f"{self.tool} is not installed (make install)"
        return subprocess.run(
            [executable, *self.options, *(self.targets if targets is None else targets)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


MANIFESTS = tuple(_rel(p) for p in sorted(K8S.glob("*.yaml")))

LINTERS = (
    Linter(
        "hadolint",
        "hadolint",
        ("--no-color", "--failure-threshold", "style"),
        (_rel(DOCKERFILE),),
    ),
    Linter(
        "yamllint",
        "yamllint",
        ("--strict", "-c", _rel(DEPLOY / ".yamllint.yaml")),
        (*MANIFESTS, _rel(COMPOSE)),
    ),
    *(
        Linter(
            f"kubernetes-validate {version}",
            "kubernetes-validate",
            ("--strict", "--quiet", "--kubernetes-version", version),
            MANIFESTS,
        )
        for version in KUBERNETES_VERSIONS
    ),
    Linter(
        "compose-spec schema",
        "check-jsonschema",
        ("--builtin-schema", "vendor.compose-spec"),
        (_rel(COMPOSE),),
    ),
)


def main() -> int:
    failed = 0
    for linter in LINTERS:
        result = linter.run()
        status = "ok" if result.returncode == 0 else "FAILED"
        print(f"{linter.name}: {status}")
        if result.returncode != 0:
            failed += 1
            print(result.stdout + result.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
