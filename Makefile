# Customer Graph — the two commands a fresh clone needs: `make run` and `make test`.
SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: run schema sandbox test check lint fmt typecheck pytest install install-run compliance apollo-client browser redis lock clean

## run: install what running needs (no development tools), then serve the gateway on the
## vendor sandboxes with demo data (python -m demo; python -m gateway alone serves
## configured tenants and never the sandboxes)
run: install-run
	$(PY) -m demo

## schema: regenerate the committed SDL (schema.graphql)
schema: install-run
	$(PY) -m gateway schema > schema.graphql

## sandbox: the three vendor sandboxes alone, on 127.0.0.1:8101-8103
sandbox: install-run
	$(PY) -m sandbox

## test: install what is needed, then lint, type-check and run every test
test: install check pytest

check: lint typecheck deploy-lint

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

typecheck: install
	$(PY) -m mypy

## pytest: the suite on PYTEST_WORKERS pytest-xdist processes (tests/conftest.py keeps each
## module's servers on one worker and the heaviest process trees on one at a time;
## PYTEST_WORKERS=0 runs it in this process). PYTHONDONTWRITEBYTECODE is cleared for the run:
## the suite starts dozens of Python processes (workers, demos, gateways, sandboxes) and
## each would otherwise compile the whole stack from source again
PYTEST_WORKERS ?= 2
pytest: install compliance apollo-client browser redis wrk
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## deploy-lint: the Dockerfile, deploy/ manifests and compose file, through their linters
## (hadolint, yamllint, kubernetes-validate, the compose-spec schema; tests/deploy runs them too)
.PHONY: deploy-lint
deploy-lint: install
	$(PY) -m tests.deploy.linters

## compliance: the graphql-http audit's npm packages, pinned by tests/compliance/package-lock.json
compliance: tests/compliance/node_modules/.package-lock.json

tests/compliance/node_modules/.package-lock.json: tests/compliance/package.json tests/compliance/package-lock.json
	cd tests/compliance && npm ci --no-audit --no-fund

## apollo-client: the npm packages of the real-client test (tests/e2e/test_e2e_apollo_client.py),
## pinned by tests/apollo_client/package-lock.json: Apollo Client drives the demo gateway
## (persisted queries, @defer, error codes) and graphql-codegen + tsc type the examples
apollo-client: tests/apollo_client/node_modules/.package-lock.json

tests/apollo_client/node_modules/.package-lock.json: tests/apollo_client/package.json tests/apollo_client/package-lock.json
	cd tests/apollo_client && npm ci --no-audit --no-fund

## browser: Debian's chromium for the playground's browser test (a no-op when installed);
## if it cannot be installed the test skips, except in CI (CI=true), where it fails
APT_GET := DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo -E )apt-get
browser:
	@command -v chromium >/dev/null || { $(APT_GET) update -q && $(APT_GET) install -y -q chromium; } \
		|| echo "warning: chromium could not be installed; the browser test will skip"

## redis: Debian's redis-server for the shared-tier tests, which start and stop it on
## loopback themselves (a no-op when installed; those tests skip without it, except in CI)
redis:
	@command -v redis-server >/dev/null || { $(APT_GET) update -q && $(APT_GET) install -y -q redis-server; } \
		|| echo "warning: redis-server could not be installed; the shared-tier tests will skip"

## install: everything, development tools included (make test and the checks)
install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python python3
	@touch $@

## install-run: only the project's dependencies (no dev group); --inexact keeps what a
## full install added, so make run after make test removes nothing
.PHONY: install-run
install-run: .venv/.installed-run

.venv/.installed-run: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact --python python3
	@touch $@

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

lock: | $(UV)
	$(UV) lock

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache tests/compliance/node_modules \
		tests/apollo_client/node_modules tests/apollo_client/generated

## bench: the benchmark suite (sandboxes and gateway as processes, load from wrk); writes a
## dated report, chart and JSON under bench/results/. SOAK=1 adds the 10-minute memory soak;
## BENCH_ARGS="--only a --duration 20" passes options to python -m bench
.PHONY: bench bench-deps
BENCH_ARGS ?=
bench: install bench-deps
	$(PY) -m bench $(if $(SOAK),--soak 600) $(BENCH_ARGS)

## bench-deps: Debian's wrk (a no-op when installed) and the bench dependency group
## (matplotlib, py-spy); without wrk the bench stops and its smoke test skips, except in CI
bench-deps: install wrk
	$(UV) sync --frozen --python python3 --group bench

## bench-shared-tier: what the shared tier (Redis) costs on a cache hit and saves across two
## replicas (python -m bench.shared_tier); writes bench/results/shared-tier-*.md and .json
.PHONY: bench-shared-tier
bench-shared-tier: install bench-deps redis
	$(PY) -m bench.shared_tier

## wrk: Debian's wrk load generator, for make bench and its smoke test (a no-op when
## installed; without it the smoke test skips, except in CI)
.PHONY: wrk
wrk:
	@command -v wrk >/dev/null || { $(APT_GET) update -q && $(APT_GET) install -y -q wrk; } \
		|| echo "warning: wrk could not be installed; make bench cannot run"
