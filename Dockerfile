# syntax=docker/dockerfile:1
# Customer Graph: the gateway (`python -m gateway serve`) and nothing else: no sandbox, no
# demo, no tests. Tenants come from CG_TENANTS_FILE (a mounted Secret); with none it refuses
# to start. The vendor sandboxes (local compose only) are the `sandboxes` target.
# deploy/README.md explains.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: the locked dependencies into /app/.venv (uv's version is the Makefile's) ---
FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --python python3
COPY gateway ./gateway
COPY schema ./schema
COPY resolvers ./resolvers
COPY cache ./cache
COPY vendors ./vendors
RUN python -m compileall -q gateway schema resolvers cache vendors

# --- sandboxes: the three vendor sandboxes with demo data, for deploy/compose.yaml only ---
FROM ${PYTHON_IMAGE} AS sandboxes
RUN groupadd --system --gid 10001 sandbox \
    && useradd --system --uid 10001 --gid sandbox --no-create-home --shell /usr/sbin/nologin sandbox
WORKDIR /app
COPY --from=builder /app/.venv /app/.venv
COPY sandbox ./sandbox
RUN python -m compileall -q sandbox
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SANDBOX_HOST=0.0.0.0
USER 10001:10001
EXPOSE 8101 8102 8103
ENTRYPOINT ["python", "-m", "sandbox"]

# --- runtime: the venv and the code, no build tools, a user without a home or a shell ---
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid gateway --no-create-home --shell /usr/sbin/nologin gateway
WORKDIR /app
COPY --from=builder /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CG_HOST=0.0.0.0 \
    CG_PORT=8000
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('CG_PORT', '8000'), timeout=2)"]
ENTRYPOINT ["python", "-m", "gateway"]
CMD ["serve"]
