"""The cold customer-360 against the floor: the gateway (every cache TTL 0), a minimal
Strawberry gateway making the same 8 calls (:mod:`bench.floor_gateway`) and the 8 calls with
no GraphQL (:mod:`bench.direct_client`), on the same sandbox processes (50 ± 10 ms).

Interleaved rounds (each round runs the three in turn, the order rotating per round), at
50 clients (req/s, CPU ms per op of each server process from ``/proc``) and at 1 client
(p50, p99), wrk rotating over every customer as scenario ``a`` does; medians and min-max
over the rounds. Then a paced, open-loop run (:mod:`bench.open_loop`) of the gateway and
the direct server at 60 % of the floor's median peak from the same run. Upstream calls per
operation come from the sandboxes' counters: requests sent one at a time first (exactly 8
each), then under load.

``python -m bench.cold_vs_floor [--rounds 3] [--duration 8]`` writes
``bench/results/cold-vs-floor-<stamp>.md``/``.json`` and the ``-latest`` copies; ``python -m
bench`` runs it too (``--only floor``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.loadgen import Request, run_wrk, wrk_path
from bench.metrics import CpuSample, Sandboxes, system_busy_seconds, total_calls
from bench.open_loop import MARKER as OPEN_LOOP_MARKER
from bench.processes import (
    REPO,
    Launched,
    Process,
    _launch,
    free_port,
    gateway_keys,
    launch_gateways,
    launch_sandboxes,
    running,
)
from bench.runner import GATEWAYS
from bench.scenarios import BASE_FAULTS, CUSTOMER_360_KINDS, Setup, customer_360_requests
from sandbox.demo_world import DEFAULT_SEED, demo_world

SERVERS = ("gateway", "floor", "direct")
#: the distinct upstream resources of one customer-360
CALLS_PER_OP = len(CUSTOMER_360_KINDS)
SUMMARY_PREFIX = "cold customer-360 vs floor:"
#: seconds of unmeasured load on each server before the rounds
WARMUP_S = 2.0


@dataclass
class Options:
    rounds: int = 3
    duration_s: float = 8.0
    customers: int = 1000
    tenants: int = 2
    seed: int = DEFAULT_SEED
    connections: int = 50
    #: the paced run's rate, as a share of the floor's median peak req/s
    paced_share: float = 0.6
    #: requests sent one at a time per server before the rounds (exact upstream calls)
    verify_requests: int = 5
    results_dir: Path = Path(__file__).resolve().parent / "results"
    log: Callable[[str], None] = print


@dataclass
class Server:
    """One measured server: its process and how to count the operations it answered."""

    name: str
    process: Process
    operations: Callable[[], float]


def _launch_bare(
    name: str, module: str, tenants_file: Path, keys: Mapping[str, str], work: Path
) -> tuple[Process, str]:
    """The floor or the direct server, on the tenants file and API keys the gateway got."""
    port = free_port()
    args = ["-m", module, "--port", str(port), "--tenants-file", str(tenants_file)]
    args += ["--api-keys", json.dumps(dict(keys))]
    return _launch(name, args, {}, work, f"http://127.0.0.1:{port}"), "/healthz"


def _gateway_operations(url: str) -> Callable[[], float]:
    def read() -> float:
        text = httpx.get(f"{url}/metrics", timeout=10).text
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("cg_http_requests_total{")
            and 'route="/graphql"' in line
            and 'method="POST"' in line
        )

    return read


def _stats_operations(url: str) -> Callable[[], float]:
    def read() -> float:
        return float(httpx.get(f"{url}/_stats", timeout=10).json()["operations"])

    return read


def settle(server: Server, admin: Sandboxes, timeout: float = 60.0) -> float:
    """Waits until the requests wrk left in flight are done (no operation answered and no
    upstream call made for two polls); the operation count then."""
    deadline = time.monotonic() + timeout
    last = (server.operations(), total_calls(admin.counters()))
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.3)
        now = (server.operations(), total_calls(admin.counters()))
        quiet = quiet + 1 if now == last else 0
        last = now
    return last[0]


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median and min-max over the rounds."""
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


class Comparison:
    def __init__(self, options: Options, work: Path) -> None:
        self.o = options
        self.work = work
        self.world = demo_world(options.seed, options.tenants, options.customers)
        self.sandbox_pids: dict[str, int] = {}

    def run(self) -> dict[str, Any]:
        sbx = launch_sandboxes(self.world, self.o.customers, self.work)
        urls = {v: p.url for v, (p, _) in sbx.items()}
        gws = launch_gateways(self.world, urls, {"cold": GATEWAYS["cold"]}, self.work)
        api_keys = gateway_keys(self.world)
        tenants_file = self.work / "tenants.json"
        launched: Launched = {
            **{f"sandbox-{k}": v for k, v in sbx.items()},
            "gateway": gws["cold"],
            "floor": _launch_bare(
                "floor", "bench.floor_gateway", tenants_file, api_keys, self.work
            ),
            "direct": _launch_bare(
                "direct", "bench.direct_client", tenants_file, api_keys, self.work
            ),
        }
        setup = Setup(self.world, {tenant: key for key, tenant in api_keys.items()})
        requests = customer_360_requests(setup)
        with running(launched, self.work) as procs:
            self.sandbox_pids = {k: p.pid for k, p in procs.items() if k.startswith("sandbox-")}
            servers = {
                "gateway": Server(
                    "gateway", procs["gateway"], _gateway_operations(procs["gateway"].url)
                ),
                "floor": Server("floor", procs["floor"], _stats_operations(procs["floor"].url)),
                "direct": Server("direct", procs["direct"], _stats_operations(procs["direct"].url)),
            }
            admin = Sandboxes(urls)
            try:
                admin.set_faults({"*": BASE_FAULTS})
                return self._measure(servers, admin, requests)
            finally:
                admin.close()

    def _measure(
        self, servers: dict[str, Server], admin: Sandboxes, requests: list[Request]
    ) -> dict[str, Any]:
        started = time.strftime("%Y-%m-%d %H:%M:%S")
        verified = {n: self._verify(s, admin, requests) for n, s in servers.items()}
        for server in servers.values():  # connection pools, lazy imports: not in round 1
            warmup = min(WARMUP_S, self.o.duration_s)
            self._closed_loop(server, admin, requests, self.o.connections, warmup)
        rounds: list[dict[str, Any]] = []
        for r in range(self.o.rounds):
            order = [SERVERS[(i + r) % len(SERVERS)] for i in range(len(SERVERS))]
            self.o.log(f"round {r + 1}/{self.o.rounds}: {' → '.join(order)}")
            runs: dict[str, Any] = {}
            for clients in (self.o.connections, 1):
                for name in order:
                    run = self._closed_loop(servers[name], admin, requests, clients)
                    runs.setdefault(name, {})[str(clients)] = run
                    lat = run["latency_ms"]
                    self.o.log(
                        f"    {name:<8} {clients:>3} clients {run['rps']:>8.1f} req/s"
                        f"  p50 {lat['p50']:.1f} ms  p99 {lat['p99']:.1f} ms"
                        f"  CPU {run['cpu_ms_per_op']:.2f} ms/op"
                        f"  calls/op {run['calls_per_op']:.2f}"
                    )
            rounds.append({"order": order, "runs": runs})
        summary = self._summarise(rounds)
        floor_peak = summary["floor"][str(self.o.connections)]["rps"]["median"]
        rate = round(self.o.paced_share * floor_peak, 1)
        paced = {}
        for name in ("gateway", "direct"):
            paced[name] = self._paced(servers[name], admin, requests, rate)
            lat = paced[name]["latency_ms"]
            self.o.log(
                f"    paced {name:<8} {rate:.1f} req/s offered, {paced[name]['achieved_rps']:.1f}"
                f" answered/s  p50 {lat['p50']:.1f} ms  p99 {lat['p99']:.1f} ms"
            )
        result: dict[str, Any] = {
            "started": started,
            "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
            # no results_dir: a path of this machine has no place in a committed result
            "options": {k: v for k, v in vars(self.o).items() if k not in ("log", "results_dir")},
            "faults": BASE_FAULTS,
            "gateway_env": GATEWAYS["cold"],
            "calls_bound": CALLS_PER_OP,
            "verified_calls_per_op": verified,
            "rounds": rounds,
            "summary": summary,
            "paced": {"rate": rate, "share_of_floor_peak": self.o.paced_share, **paced},
        }
        result["figures"] = figures(result)
        result["summary_line"] = summary_line(result["figures"])
        return result

    def _verify(self, server: Server, admin: Sandboxes, requests: list[Request]) -> float:
        """Sends a few requests one at a time; fails on an error answer; calls per op."""
        step = max(1, len(requests) // max(1, self.o.verify_requests))
        chosen = requests[::step][: self.o.verify_requests]
        admin.reset_counters()
        with httpx.Client(base_url=server.process.url, timeout=60) as http:
            for request in chosen:
                response = http.post(
                    "/graphql",
                    content=request.body,
                    headers={"content-type": "application/json", "x-api-key": request.api_key},
                )
                answer = response.json()
                if response.status_code != 200 or answer.get("errors"):
                    raise RuntimeError(f"{server.name}: {response.status_code} {answer}")
        calls = total_calls(admin.counters()) / len(chosen)
        self.o.log(f"{server.name}: {calls:g} upstream calls per customer-360, one at a time")
        return calls

    def _pids(self, server: Server) -> dict[str, int]:
        return {"server": server.process.pid, **self.sandbox_pids}

    def _closed_loop(
        self,
        server: Server,
        admin: Sandboxes,
        requests: list[Request],
        clients: int,
        duration_s: float | None = None,
    ) -> dict[str, Any]:
        admin.reset_counters()
        ops_before = server.operations()
        pids = self._pids(server)
        cpu_before, busy_before = CpuSample.take(pids), system_busy_seconds()
        wall_before = time.monotonic()
        load = run_wrk(
            server.process.url,
            requests,
            connections=clients,
            duration_s=duration_s or self.o.duration_s,
            work_dir=self.work,
        )
        if load.requests == 0:  # every ratio would divide by it
            raise RuntimeError(
                f"{server.name} answered no request in {load.duration_s:g} s at {clients}"
                " clients: the machine is too busy for runs this short (--duration)"
            )
        ops = settle(server, admin) - ops_before
        cpu = CpuSample.take(pids).since(cpu_before)
        busy = system_busy_seconds() - busy_before
        wall = time.monotonic() - wall_before
        ops = ops or float(load.requests) or 1.0
        calls = total_calls(admin.counters())
        sandboxes = sum(v for k, v in cpu.items() if k.startswith("sandbox-"))
        return {
            "clients": clients,
            "requests": load.requests,
            "operations": ops,
            "rps": load.rps,
            "latency_ms": load.latency_ms,
            "non_2xx_or_errors": sum(load.errors.values()),
            "cpu_ms_per_op": round(cpu["server"] * 1000 / ops, 3),
            "sandboxes_cpu_ms_per_op": round(sandboxes * 1000 / ops, 3),
            # CPU the rest of the machine used meanwhile (not 0 when others compete)
            "other_load_cores": round((busy - sum(cpu.values()) - load.cpu_s) / max(wall, 1e-9), 2),
            "calls_per_op": round(calls / ops, 3),
            # wrk stops with up to one request per connection in flight
            "calls_slack": round(clients * CALLS_PER_OP / ops, 3),
        }

    def _paced(
        self, server: Server, admin: Sandboxes, requests: list[Request], rate: float
    ) -> dict[str, Any]:
        rows = self.work / "open-loop-requests.json"
        rows.write_text(json.dumps([[r.api_key, r.body] for r in requests]), encoding="utf-8")
        admin.reset_counters()
        ops_before = server.operations()
        cpu_before = CpuSample.take(self._pids(server))
        cmd = [
            sys.executable, "-m", "bench.open_loop", "--url", server.process.url,
            "--requests", str(rows), "--rate", f"{rate:g}", "--duration", f"{self.o.duration_s:g}",
        ]  # fmt: skip
        out_path = self.work / "open-loop.out"
        with out_path.open("wb") as sink:
            popen = subprocess.Popen(cmd, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
            # wait4 reaps the child and returns its rusage: the generator's own CPU time
            _, status, rusage = os.wait4(popen.pid, 0)
            popen.returncode = os.waitstatus_to_exitcode(status)
        out = out_path.read_text(errors="replace")
        line = next((ln for ln in out.splitlines() if ln.startswith(OPEN_LOOP_MARKER)), None)
        if popen.returncode != 0 or line is None:
            raise RuntimeError(f"open-loop generator failed ({popen.returncode}):\n{out[-2000:]}")
        result: dict[str, Any] = json.loads(line[len(OPEN_LOOP_MARKER) :])
        if result["answered"] == 0:
            raise RuntimeError(f"{server.name} answered no paced request: {result['failures']}")
        ops = (settle(server, admin) - ops_before) or 1.0
        cpu = CpuSample.take(self._pids(server)).since(cpu_before)
        result["cpu_ms_per_op"] = round(cpu["server"] * 1000 / ops, 3)
        result["calls_per_op"] = round(total_calls(admin.counters()) / ops, 3)
        result["loadgen_cpu_s"] = round(rusage.ru_utime + rusage.ru_stime, 3)
        return result

    def _summarise(self, rounds: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in SERVERS:
            per: dict[str, Any] = {}
            for clients in (str(self.o.connections), "1"):
                runs = [r["runs"][name][clients] for r in rounds]
                per[clients] = {
                    "rps": spread([x["rps"] for x in runs]),
                    "cpu_ms_per_op": spread([x["cpu_ms_per_op"] for x in runs]),
                    "p50_ms": spread([x["latency_ms"]["p50"] for x in runs]),
                    "p99_ms": spread([x["latency_ms"]["p99"] for x in runs]),
                    "calls_per_op": spread([x["calls_per_op"] for x in runs]),
                    "calls_slack": max(x["calls_slack"] for x in runs),
                    "other_load_cores": spread([x["other_load_cores"] for x in runs]),
                }
            out[name] = per
        return out


def figures(result: Mapping[str, Any]) -> dict[str, float]:
    """The summary line's numbers (medians over the rounds) and the paced ratios."""
    s, c = result["summary"], str(result["options"]["connections"])
    gw, fl, di = s["gateway"], s["floor"], s["direct"]

    def med(run: Mapping[str, Any], key: str) -> float:
        return float(run[key]["median"])

    paced = result["paced"]
    return {
        "rps_ratio": med(gw[c], "rps") / med(fl[c], "rps"),
        "cpu_ratio": med(gw[c], "cpu_ms_per_op") / med(fl[c], "cpu_ms_per_op"),
        "added_p50_ms": med(gw["1"], "p50_ms") - med(di["1"], "p50_ms"),
        "floor_added_p50_ms": med(fl["1"], "p50_ms") - med(di["1"], "p50_ms"),
        "gateway_p99_1_ms": med(gw["1"], "p99_ms"),
        "direct_p99_1_ms": med(di["1"], "p99_ms"),
        "p99_ratio_1": med(gw["1"], "p99_ms") / med(di["1"], "p99_ms"),
        "paced_p50_ratio": paced["gateway"]["latency_ms"]["p50"]
        / paced["direct"]["latency_ms"]["p50"],
        "paced_p99_ratio": paced["gateway"]["latency_ms"]["p99"]
        / paced["direct"]["latency_ms"]["p99"],
        "gateway_calls_ratio": med(gw[c], "calls_per_op") / result["calls_bound"],
    }


def summary_line(f: Mapping[str, float]) -> str:
    """The line tooling parses; its form is fixed."""
    return (
        f"{SUMMARY_PREFIX} req/s ratio {f['rps_ratio']:.2f}, CPU ratio {f['cpu_ratio']:.2f},"
        f" added latency at 1 client {f['added_p50_ms']:.1f} ms"
        f" (floor {f['floor_added_p50_ms']:.1f} ms),"
        f" p99 at 1 client {f['gateway_p99_1_ms']:.1f} ms (direct {f['direct_p99_1_ms']:.1f} ms)"
    )


#: the issue's targets: (figure, target, met(figures) or None when measured elsewhere)
TARGET_ROWS: tuple[tuple[str, str], ...] = (
    ("req/s, gateway ÷ floor", "≥ 0.9"),
    ("CPU per op, gateway ÷ floor", "≤ 1.3"),
    ("client CPU per call ÷ bare aiohttp", "≤ 1.3"),
    ("added over direct at 1 client, p50", "≤ 1.5 ms"),
    ("p99 at 1 client ÷ direct p99", "≤ 1.15"),
    ("paced run at 60 % of the floor's peak, p50 / p99 ÷ direct", "≤ 1.2 / ≤ 1.5"),
    ("search page of 50, gateway CPU per page", "≤ 80 ms"),
    ("cache-hot customer-360, one worker", "≥ 4,000 req/s (don't lose it)"),
    ("upstream calls per op ÷ lower bound", "1.00 (unchanged)"),
)


def _met(f: Mapping[str, float]) -> dict[str, tuple[str, bool]]:
    """``{figure: (now, met)}`` for the rows this run measures."""
    return {
        "req/s, gateway ÷ floor": (f"{f['rps_ratio']:.2f}", f["rps_ratio"] >= 0.9),
        "CPU per op, gateway ÷ floor": (f"{f['cpu_ratio']:.2f}", f["cpu_ratio"] <= 1.3),
        "added over direct at 1 client, p50": (
            f"{f['added_p50_ms']:.1f} ms",
            f["added_p50_ms"] <= 1.5,
        ),
        "p99 at 1 client ÷ direct p99": (f"{f['p99_ratio_1']:.2f}", f["p99_ratio_1"] <= 1.15),
        "paced run at 60 % of the floor's peak, p50 / p99 ÷ direct": (
            f"{f['paced_p50_ratio']:.2f} / {f['paced_p99_ratio']:.2f}",
            f["paced_p50_ratio"] <= 1.2 and f["paced_p99_ratio"] <= 1.5,
        ),
        "upstream calls per op ÷ lower bound": (
            f"{f['gateway_calls_ratio']:.2f}",
            round(f["gateway_calls_ratio"], 2) == 1.0,
        ),
    }


def targets_table(
    result: Mapping[str, Any], extra_rows: Mapping[str, tuple[str, bool | None]] | None = None
) -> list[str]:
    """The issue's targets as markdown, "now" from this run; ``extra_rows`` fills the rows
    other sections measure (``{figure: (now, met or None)}``, e.g. the per-call table's
    ``"client CPU per call ÷ bare aiohttp"`` or the search page's), else they show "—"."""
    measured: dict[str, tuple[str, bool | None]] = {**_met(result["figures"]), **(extra_rows or {})}
    lines = ["| figure | now | target | met |", "| --- | --- | --- | --- |"]
    for figure, target in TARGET_ROWS:
        now, ok = measured.get(figure, ("—", None))
        verdict = "—" if ok is None else ("yes" if ok else "**no**")
        lines.append(f"| {figure} | {now} | {target} | {verdict} |")
    return lines


def _row(name: str, clients: str, s: Mapping[str, Any]) -> str:
    def cell(key: str, fmt: str = ".1f") -> str:
        v = s[key]
        return f"{v['median']:{fmt}} ({v['min']:{fmt}}-{v['max']:{fmt}})"

    return (
        f"| {name} | {clients} | {cell('rps')} | {cell('cpu_ms_per_op', '.2f')} |"
        f" {cell('p50_ms')} | {cell('p99_ms')} | {cell('calls_per_op', '.2f')} |"
        f" {cell('other_load_cores', '.2f')} |"
    )


#: CPU (cores) other processes may use during a run before the report flags it
NOISE_CORES = 0.25


def _contention(result: Mapping[str, Any]) -> list[str]:
    """A warning when other processes competed for the CPUs during the runs."""
    other = max(
        s["other_load_cores"]["median"] for per in result["summary"].values() for s in per.values()
    )
    if other <= NOISE_CORES:
        return []
    return [
        f"**The machine was shared**: other processes used up to {other:.2f} cores (median over"
        " the rounds) while these ran. Req/s and latencies are then not those of a quiet"
        " machine; CPU per operation (each server's own) is the figure to compare.",
        "",
    ]


def markdown_section(
    result: Mapping[str, Any], extra_rows: Mapping[str, tuple[str, bool | None]] | None = None
) -> list[str]:
    """The report's section: summary line, targets, per-server medians, the paced run."""
    o, f, paced = result["options"], result["figures"], result["paced"]
    c = str(o["connections"])
    lines = [
        "## Cold customer-360 vs the floor",
        "",
        f"`{result['summary_line']}`",
        "",
        f"{o['rounds']} interleaved rounds (order rotating) of {o['duration_s']:g} s per run,"
        f" {o['tenants']} tenants x {o['customers']} customers in rotation, sandboxes"
        f" {result['faults']['latency_ms']:g} ± {result['faults']['jitter_ms']:g} ms."
        " **gateway**: `python -m gateway`, every cache TTL 0; **floor**: `bench/floor_gateway.py`"
        " (Strawberry + aiohttp, one root field, the 8 calls with `asyncio.gather`, parser and"
        " validation caches); **direct**: `bench/direct_client.py` (the 8 calls, no GraphQL)."
        " CPU is each server process's own (`/proc/<pid>/stat`). Cells: median (min-max).",
        "",
        *_contention(result),
        "### Targets",
        "",
        *targets_table(result, extra_rows),
        "",
        "### Closed loop (wrk)",
        "",
        "| server | clients | req/s | CPU ms/op | p50 ms | p99 ms | upstream calls/op |"
        " other processes (cores) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for clients in (c, "1"):
        lines += [_row(name, clients, result["summary"][name][clients]) for name in SERVERS]
    verified = ", ".join(f"{k} {v:g}" for k, v in result["verified_calls_per_op"].items())
    lines += [
        "",
        f"Upstream calls per customer-360 sent one at a time: {verified} (lower bound"
        f" {result['calls_bound']}). Under load, up to one request per client may be cut off"
        " when wrk stops: its calls are counted, the operation may not be.",
        "",
        f"### Paced (open loop) at {paced['rate']:g} req/s"
        f" ({paced['share_of_floor_peak']:.0%} of the floor's median peak)",
        "",
        "`bench/open_loop.py` in its own process: Poisson arrivals, latency from each request's"
        " scheduled send time (no coordinated omission), connections not capped.",
        "",
        "| server | answered/s | p50 ms | p90 ms | p99 ms | CPU ms/op | failures |"
        " generator lateness p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in ("gateway", "direct"):
        p = paced[name]
        lat = p["latency_ms"]
        lines.append(
            f"| {name} | {p['achieved_rps']:.1f} | {lat['p50']:.1f} | {lat['p90']:.1f} |"
            f" {lat['p99']:.1f} | {p['cpu_ms_per_op']:.2f} | {sum(p['failures'].values())} |"
            f" {p['send_lateness_ms']['p99']:.1f} |"
        )
    lines += [
        "",
        f"Gateway ÷ direct: p50 {f['paced_p50_ratio']:.2f}, p99 {f['paced_p99_ratio']:.2f}.",
    ]
    return lines


def write_results(result: Mapping[str, Any], results_dir: Path, stamp: str) -> Path:
    """``cold-vs-floor-<stamp>.md``/``.json`` and the ``-latest`` copies; returns the .md."""
    results_dir.mkdir(parents=True, exist_ok=True)
    md = "\n".join(["# Cold customer-360 vs the floor", *markdown_section(result)[1:]]) + "\n"
    raw = json.dumps(result, indent=2)
    for name in (stamp, "latest"):
        (results_dir / f"cold-vs-floor-{name}.md").write_text(md, encoding="utf-8")
        (results_dir / f"cold-vs-floor-{name}.json").write_text(raw, encoding="utf-8")
    return results_dir / f"cold-vs-floor-{stamp}.md"


@contextmanager
def _work_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cg-floor-") as tmp:
        yield Path(tmp)


def run_comparison(options: Options) -> dict[str, Any]:
    """Starts every process, measures, stops them; the result (``summary_line`` in it)."""
    if wrk_path() is None:
        raise RuntimeError("wrk is not installed (make bench-deps, or apt-get install wrk)")
    with _work_dir() as work:
        result = Comparison(options, work).run()
    options.log(result["summary_line"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_vs_floor", description=__doc__)
    parser.add_argument("--rounds", type=int, default=Options.rounds, help="interleaved (3)")
    parser.add_argument("--duration", type=float, default=Options.duration_s, help="s per run")
    parser.add_argument("--customers", type=int, default=Options.customers, help="per tenant")
    parser.add_argument("--connections", type=int, default=Options.connections)
    parser.add_argument("--results-dir", type=Path, default=Options.results_dir)
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0:
        parser.error("--rounds must be ≥ 1 and --duration positive")
    if wrk_path() is None:
        print("wrk is not installed: `make bench-deps` (or apt-get install wrk)", file=sys.stderr)
        return 2
    options = Options(
        rounds=args.rounds,
        duration_s=args.duration,
        customers=args.customers,
        connections=args.connections,
        results_dir=args.results_dir,
    )
    result = run_comparison(options)
    path = write_results(result, options.results_dir, time.strftime("%Y-%m-%d-%H%M"))
    print("\n".join(targets_table(result)))
    print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
