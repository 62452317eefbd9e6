# Customer Graph — the two commands a fresh clone needs: `make run` and `make test`.
SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: run schema sandbox test check lint fmt typecheck pytest install lock clean

## run: install what is needed, then serve the gateway (on the embedded sandboxes by default)
run: install
	$(PY) -m gateway

## schema: regenerate the committed SDL (schema.graphql)
schema: install
	$(PY) -m gateway schema > schema.graphql

## sandbox: the three vendor sandboxes alone, on 127.0.0.1:8101-8103
sandbox: install
	$(PY) -m sandbox

## test: install what is needed, then lint, type-check and run every test
test: install check pytest

check: lint typecheck

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

typecheck: install
	$(PY) -m mypy

pytest: install
	$(PY) -m pytest $(PYTEST_ARGS)

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python python3
	@touch $@

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

lock: | $(UV)
	$(UV) lock

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache
