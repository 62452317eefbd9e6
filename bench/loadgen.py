"""Drive load with wrk (Debian's ``wrk``): a generated Lua script posts GraphQL bodies in
rotation and prints wrk's own latency percentiles as JSON from its ``done`` hook.

wrk is C and event-driven, so it is not the bottleneck; its CPU time is measured (through
``wait4``'s rusage) and reported next to the gateway's to show it. wrk has coordinated
omission (a slow answer delays the next request on that connection); with closed-loop
clients that is the model we want.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PERCENTILES = (50, 75, 90, 95, 99, 99.9)
MARKER = "BENCH-JSON "


@dataclass(frozen=True)
class Request:
    """One GraphQL POST: the tenant's API key and the JSON body."""

    api_key: str
    body: str


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured (latencies in milliseconds)."""

    requests: int
    duration_s: float
    rps: float
    latency_ms: dict[str, float]
    errors: dict[str, int]
    cpu_s: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "duration_s": self.duration_s,
            "rps": self.rps,
            "latency_ms": self.latency_ms,
            "errors": self.errors,
            "loadgen_cpu_s": self.cpu_s,
        }


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _lua_string(text: str) -> str:
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    return f"[{eq}[{text}]{eq}]"


def lua_script(requests: Sequence[Request], delay_ms: float = 0.0) -> str:
    """A wrk script: every connection takes the next request of the rotation; ``delay_ms``
    paces each connection (open-ish loop for the soak); ``done`` prints JSON."""
    rows = ",\n".join(f"  {{{_lua_string(r.api_key)}, {_lua_string(r.body)}}}" for r in requests)
    percentiles = ", ".join(str(p) for p in PERCENTILES)
    return f"""
local rows = {{
{rows}
}}
local prepared = {{}}
local counter = 0

function init(args)
  for i, row in ipairs(rows) do
    prepared[i] = wrk.format("POST", "/graphql",
      {{["Content-Type"] = "application/json", ["X-API-Key"] = row[1]}}, row[2])
  end
  counter = math.random(#prepared) - 1
end

function request()
  counter = counter % #prepared + 1
  return prepared[counter]
end

{"function delay() return " + str(int(delay_ms)) + " end" if delay_ms > 0 else ""}

function done(summary, latency, requests)
  local p = {{}}
  for _, q in ipairs({{{percentiles}}}) do
    p[#p + 1] = string.format('"%s": %.3f', tostring(q), latency:percentile(q) / 1000.0)
  end
  local e = summary.errors
  io.write(string.format(
    '{MARKER}{{"requests": %d, "duration_us": %d, "mean_ms": %.3f, "max_ms": %.3f, ' ..
    '"percentiles": {{%s}}, "errors": {{"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}}}}\\n',
    summary.requests, summary.duration, latency.mean / 1000.0, latency.max / 1000.0,
    table.concat(p, ", "), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def run_wrk(
    url: str,
    requests: Sequence[Request],
    *,
    connections: int,
    duration_s: float,
    work_dir: Path,
    threads: int = 1,
    delay_ms: float = 0.0,
    timeout_s: float = 30.0,
) -> LoadResult:
    """Run wrk against ``url`` (the gateway's base URL) and parse its JSON summary."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not installed (make bench-deps, or apt-get install wrk)")
    script = work_dir / "load.lua"
    script.write_text(lua_script(requests, delay_ms), encoding="utf-8")
    out_path = work_dir / "wrk.out"
    cmd = [
        wrk,
        f"-t{max(1, min(threads, connections))}",
        f"-c{connections}",
        f"-d{max(1, round(duration_s))}s",
        f"--timeout={timeout_s:g}s",
        "-s",
        str(script),
        f"{url}/graphql",
    ]
    with out_path.open("wb") as out:
        started = time.monotonic()
        popen = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        # wait4 reaps the child and returns its rusage: wrk's own CPU time
        _, status, rusage = os.wait4(popen.pid, 0)
        popen.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - started
    text = out_path.read_text(errors="replace")
    if popen.returncode != 0:
        raise RuntimeError(f"wrk failed ({popen.returncode}):\n{text[-2000:]}")
    return parse_wrk_output(text, cpu_s=rusage.ru_utime + rusage.ru_stime, elapsed=elapsed)


def parse_wrk_output(text: str, *, cpu_s: float, elapsed: float) -> LoadResult:
    line = next((ln for ln in text.splitlines() if ln.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"no JSON summary in wrk's output:\n{text[-2000:]}")
    raw = json.loads(line[len(MARKER) :])
    duration = raw["duration_us"] / 1e6 or elapsed
    latency = {f"p{k}": v for k, v in raw["percentiles"].items()}
    latency.update(mean=raw["mean_ms"], max=raw["max_ms"])
    return LoadResult(
        requests=int(raw["requests"]),
        duration_s=round(duration, 3),
        rps=round(raw["requests"] / duration, 1) if duration else 0.0,
        latency_ms=latency,
        errors={k: int(v) for k, v in raw["errors"].items()},
        cpu_s=round(cpu_s, 4),
    )
