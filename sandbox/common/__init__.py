"""Machinery every vendor sandbox shares: fault injection, request counters, admin routes."""

from sandbox.common.admin import admin_router
from sandbox.common.counters import RequestCounters
from sandbox.common.faults import FaultConfig, FaultInjector
from sandbox.common.vendor_app import VendorRuntime, install_runtime

__all__ = [
    "FaultConfig",
    "FaultInjector",
    "RequestCounters",
    "VendorRuntime",
    "admin_router",
    "install_runtime",
]
