"""What the benchmark reads besides latency: the sandboxes' request counters (upstream calls),
process CPU time and resident memory from ``/proc`` (Linux), and the sandboxes' faults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (``/proc/<pid>/stat`` utime, stime)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        stat = f.read()
    # the command name (field 2) may hold spaces: split after its closing parenthesis
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def system_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all CPUs, ``/proc/stat``): with the
    benchmark's own processes subtracted, what else was running."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident set size now (``/proc/<pid>/statm``, second field, in pages)."""
    with open(f"/proc/{pid}/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * PAGE_SIZE


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds of several processes at one moment."""

    seconds: dict[str, float]

    @classmethod
    def take(cls, pids: Mapping[str, int]) -> CpuSample:
        return cls({name: cpu_seconds(pid) for name, pid in pids.items()})

    def since(self, earlier: CpuSample) -> dict[str, float]:
        return {k: round(v - earlier.seconds.get(k, 0.0), 4) for k, v in self.seconds.items()}


class Sandboxes:
    """The sandboxes' admin routes (``/_sandbox``): counters and faults, per vendor."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self.urls = dict(urls)
        self._http = httpx.Client(timeout=10)

    def close(self) -> None:
        self._http.close()

    def reset_counters(self) -> None:
        for url in self.urls.values():
            self._http.delete(f"{url}/_sandbox/counters").raise_for_status()

    def counters(self) -> dict[str, dict[str, Any]]:
        """``{vendor: {"total": n, "endpoints": {...}, "statuses": {...}}}``."""
        out: dict[str, dict[str, Any]] = {}
        for vendor, url in self.urls.items():
            response = self._http.get(f"{url}/_sandbox/counters")
            response.raise_for_status()
            out[vendor] = response.json()
        return out

    def set_faults(self, faults: Mapping[str, Mapping[str, Any]]) -> None:
        """Replace every vendor's faults; a vendor not named gets ``default``."""
        for vendor, url in self.urls.items():
            config = dict(faults.get(vendor, faults.get("*", {})))
            self._http.put(f"{url}/_sandbox/faults", json=config).raise_for_status()


def total_calls(counters: Mapping[str, Mapping[str, Any]]) -> int:
    return sum(int(c["total"]) for c in counters.values())


def endpoint_calls(counters: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """``{"tallymarks GET /api/v1/customers/{customerId}": n, ...}``."""
    return {
        f"{vendor} {endpoint}": int(n)
        for vendor, c in counters.items()
        for endpoint, n in c["endpoints"].items()
    }
