"""``make run`` installs only the project's dependencies (``uv sync --no-dev``): with every
other installed distribution made unimportable (the dev group: pytest, mypy, PyYAML …, and
what only they need), what ``python -m demo`` builds still serves a query on the
sandboxes. ``make test`` installs everything."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: what is not installed cannot be imported (argv[1]: the top-level names); then build what
#: make run serves (the demo app on the three sandboxes, over ASGI instead of loopback),
#: run a query and print the distributions of every module loaded
SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, sys

    BLOCKED = frozenset(json.loads(sys.argv[1]))

    class NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())

    import asyncio, importlib.metadata
    import httpx
    import demo.__main__  # the entry point's imports
    from demo.serving import DemoRun, DemoSettings
    from demo.tenants import demo_api_keys, demo_tenants
    from gateway.app import create_app
    from gateway.settings import GatewaySettings

    async def query() -> None:
        run = DemoRun.from_env(DemoSettings(_env_file=None))
        apps = {v: s.config.app for v, s in zip(run.ports, run.sandbox_servers())}
        gateway = create_app(
            run.settings(GatewaySettings(_env_file=None)),
            tenants=demo_tenants(run.world, run.urls),
            api_keys=demo_api_keys(run.secrets),
            transports={v: httpx.ASGITransport(app=a) for v, a in apps.items()},
        )
        key = next(iter(demo_api_keys(run.secrets)))
        customer = run.world.tenants[0].customers[0].customer_id
        body = {"query": '{ customer(id: "%s") { displayName } }' % customer}
        async with gateway.router.lifespan_context(gateway):
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=gateway), base_url="http://gw"
            ) as client:
                answer = await client.post("/graphql", json=body, headers={"X-API-Key": key})
        assert answer.json()["data"]["customer"]["displayName"], answer.text

    asyncio.run(query())
    owners = importlib.metadata.packages_distributions()
    top = {name.partition(".")[0] for name in list(sys.modules)}
    print(json.dumps(sorted({d for t in top for d in owners.get(t, [])})))
    """
)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure() -> set[str]:
    """The project's dependencies and theirs (with the extras asked for), from uv.lock."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    packages = {_normal(p["name"]): p for p in lock["package"]}
    project = packages["customer-graph"]["dependencies"]
    todo = [(d["name"], tuple(d.get("extra", ()))) for d in project]
    seen: set[str] = set()
    while todo:
        name, extras = todo.pop()
        key = f"{_normal(name)}[{','.join(extras)}]"
        if key in seen:
            continue
        seen.add(key)
        package = packages[_normal(name)]
        wanted = list(package.get("dependencies", []))
        for extra in extras:
            wanted += package.get("optional-dependencies", {}).get(extra, [])
        todo += [(d["name"], tuple(d.get("extra", ()))) for d in wanted]
    return {k.partition("[")[0] for k in seen}


def test_the_demo_serves_without_what_only_the_dev_group_installs() -> None:
    runtime = runtime_closure()
    blocked = sorted(
        module
        for module, distributions in importlib.metadata.packages_distributions().items()
        if not any(_normal(d) in runtime for d in distributions)
    )
    assert {"pytest", "mypy", "yaml", "schemathesis"} <= set(blocked)  # the dev group's

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(blocked)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    loaded = {_normal(d) for d in json.loads(result.stdout.splitlines()[-1])}
    assert loaded <= runtime, loaded - runtime


def test_make_run_installs_without_the_dev_group_and_make_test_with_it() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = re.search(r"^run: (\S+)$", makefile, re.MULTILINE)
    test = re.search(r"^test: (.+)$", makefile, re.MULTILINE)
    runs_sync = re.search(r"^\.venv/\.installed-run:.*\n\t\$\(UV\) sync (.+)$", makefile, re.M)
    full_sync = re.search(r"^\.venv/\.installed:.*\n\t\$\(UV\) sync (.+)$", makefile, re.M)

    assert run is not None
    assert run[1] == "install-run"
    assert test is not None
    assert "install" in test[1].split()
    assert runs_sync is not None
    assert full_sync is not None
    assert {"--frozen", "--no-dev", "--inexact"} <= set(runs_sync[1].split())
    assert "--frozen" in full_sync[1].split()
    assert "--no-dev" not in full_sync[1].split()
