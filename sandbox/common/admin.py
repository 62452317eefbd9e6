"""Admin routes of every sandbox, under ``/_sandbox``: faults and counters, readable and settable.

They take no vendor credentials (the sandboxes listen on loopback only) and are never
counted or faulted themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter

from sandbox.common.counters import CounterSnapshot
from sandbox.common.faults import FaultConfig

if TYPE_CHECKING:
    from sandbox.common.vendor_app import VendorRuntime


def admin_router(runtime: VendorRuntime) -> APIRouter:
    router = APIRouter(prefix="/_sandbox", tags=["sandbox admin"])

    @router.get("/health")
    async def health() -> dict[str, str]:
        return {"vendor": runtime.vendor, "status": "ok"}

    @router.get("/faults")
    async def get_faults() -> FaultConfig:
        return runtime.faults.config

    @router.put("/faults")
    async def put_faults(config: FaultConfig) -> FaultConfig:
        """Replace the vendor's faults (send ``{}`` to clear them)."""
        runtime.faults.set(config)
        return runtime.faults.config

    @router.delete("/faults")
    async def clear_faults() -> FaultConfig:
        runtime.faults.set(FaultConfig())
        return runtime.faults.config

    @router.get("/counters")
    async def get_counters() -> CounterSnapshot:
        return runtime.counters.snapshot()

    @router.delete("/counters")
    async def reset_counters() -> CounterSnapshot:
        runtime.counters.reset()
        return runtime.counters.snapshot()

    return router
