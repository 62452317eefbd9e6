"""Runs the suite: sandboxes once, then one gateway process per configuration (cold: cache
TTLs 0; hot: default TTLs; naive: no dataloaders, no cache), each scenario under wrk, with
upstream calls, CPU and memory measured around every run."""

from __future__ import annotations

import json
import math
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import profile as profiling
from bench.loadgen import LoadResult, Request, run_wrk
from bench.metrics import (
    CpuSample,
    Sandboxes,
    endpoint_calls,
    rss_bytes,
    system_busy_seconds,
    total_calls,
)
from bench.processes import Process, gateway_keys, launch_gateways, launch_sandboxes, running
from bench.scenarios import (
    BASE_FAULTS,
    CURSOR_WALK,
    PAGE_SIZE,
    Scenario,
    Setup,
    all_scenarios,
    body,
    customer_360_requests,
)
from gateway.settings import DEFAULT_TTLS
from sandbox.demo_world import DEFAULT_SEED, DemoWorld, demo_world

#: gateway configurations: environment on top of the common one
GATEWAYS: dict[str, dict[str, str]] = {
    "cold": {"CG_CACHE_TTLS": json.dumps(dict.fromkeys(DEFAULT_TTLS, 0))},
    "hot": {},
    "naive": {"CG_RESOLVER_MODE": "naive"},
}


#: seconds at full speed before the soak (a pass over the whole rotation fills the caches)
SOAK_WARMUP_S = 90.0


@dataclass
class Options:
    duration_s: float = 12.0
    connections: int | None = None
    customers: int = 1000
    tenants: int = 2
    seed: int = DEFAULT_SEED
    naive: bool = True
    profile: bool = True
    profile_seconds: float = 8.0
    soak_s: float = 0.0
    #: requests sent one at a time before each run (correctness, the gateway's own chain)
    sequential: int = 5
    only: Sequence[str] = ()
    results_dir: Path = Path(__file__).resolve().parent / "results"
    log: Callable[[str], None] = print


@dataclass
class Suite:
    """Everything measured, as written to the JSON next to the report."""

    started: str
    options: dict[str, Any]
    runs: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    soak: dict[str, Any] | None = None
    gateway_rss_mb: dict[str, float] = field(default_factory=dict)


class GatewayClient:
    """Posts operations and reads the gateway's Prometheus counters."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=60)

    def close(self) -> None:
        self.http.close()

    def post(self, request: Request) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        response = self.http.post(
            "/graphql",
            content=request.body,
            headers={"content-type": "application/json", "x-api-key": request.api_key},
        )
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return elapsed, answer

    def counter(self, name: str, **labels: str) -> float:
        """Sum of a Prometheus counter's samples that carry these labels."""
        text = self.http.get("/metrics").text
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(name + "{"):
                continue
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def operations(self) -> float:
        return self.counter("cg_http_requests_total", route="/graphql", method="POST")

    def operations_by_name(self) -> dict[str, float]:
        """Executed operations per operation name (the duration histogram's counts)."""
        counts: dict[str, float] = {}
        prefix = "cg_graphql_operation_duration_seconds_count{"
        for line in self.http.get("/metrics").text.splitlines():
            if line.startswith(prefix) and 'operation="' in line:
                name = line.split('operation="', 1)[1].split('"', 1)[0]
                counts[name] = counts.get(name, 0.0) + float(line.rsplit(" ", 1)[1])
        return counts

    def graphql_errors(self) -> float:
        return self.counter("cg_graphql_errors_total")

    def settle(self, admin: Sandboxes, timeout: float = 60.0) -> float:
        """Wait until the requests wrk left in flight are done (no operation answered and no
        upstream call made for two polls); the final operation count."""
        deadline = time.monotonic() + timeout
        last = (self.operations(), total_calls(admin.counters()))
        quiet = 0
        while quiet < 2 and time.monotonic() < deadline:
            time.sleep(0.4)
            now = (self.operations(), total_calls(admin.counters()))
            quiet = quiet + 1 if now == last else 0
            last = now
        return last[0]


def page_cursors(client: GatewayClient, setup: Setup, pages: int | None) -> None:
    """Walks each tenant's search pages through the gateway to learn their cursors."""
    for tenant in setup.world.tenants:
        cursors: list[str | None] = [None]
        request = Request(setup.keys[tenant.key], "")
        while pages is None or len(cursors) < pages:
            after = cursors[-1]
            _, answer = client.post(
                Request(request.api_key, body(CURSOR_WALK, {"first": PAGE_SIZE, "after": after}))
            )
            info = answer["data"]["customers"]["pageInfo"]
            if not info["hasNextPage"]:
                break
            cursors.append(info["endCursor"])
        setup.page_cursors[tenant.key] = cursors


def hot_bound(
    kinds: Sequence[str], fetched: float, run_end: float, ttls: dict[str, float]
) -> float:
    """Calls the cache must make for one warmed operation: each of its resources once per TTL
    expiry between its fetch and the end of the run."""
    span = run_end - fetched
    return float(sum(math.floor(span / ttls[k]) for k in kinds if ttls.get(k, 0) > 0))


class Runner:
    def __init__(self, options: Options, work: Path) -> None:
        self.o = options
        self.work = work
        self.world: DemoWorld = demo_world(options.seed, options.tenants, options.customers)
        self.keys = {tenant: key for key, tenant in gateway_keys(self.world).items()}
        self.setup = Setup(self.world, self.keys)
        self.pids: dict[str, int] = {}
        self.suite = Suite(
            started=time.strftime("%Y-%m-%d %H:%M:%S"),
            options={k: v for k, v in vars(options).items() if k not in ("log", "results_dir")},
        )

    def scenarios(self) -> list[Scenario]:
        chosen = all_scenarios(self.o.connections)
        if self.o.only:
            chosen = [s for s in chosen if s.key in self.o.only]
        return chosen

    def run(self) -> Suite:
        scenarios = self.scenarios()
        configs = ["cold", "hot"] + (["naive"] if self.o.naive else [])
        todo = {
            config: [s for s in scenarios if config == "naive" or s.gateway == config]
            for config in configs
        }
        wanted = [c for c in configs if todo[c] or (c == "hot" and self.o.soak_s > 0)]
        # every process starts at once (imports take seconds); the gateways not being
        # measured stay idle, and their CPU is counted anyway
        sbx = launch_sandboxes(self.world, self.o.customers, self.work)
        urls = {v: p.url for v, (p, _) in sbx.items()}
        gws = launch_gateways(self.world, urls, {c: GATEWAYS[c] for c in wanted}, self.work)
        launched = {**{f"sandbox-{k}": v for k, v in sbx.items()}, **gws}
        with running(launched, self.work) as procs:
            self.pids = {
                (k if k.startswith("sandbox-") else f"gateway-{k}"): p.pid for k, p in procs.items()
            }
            admin = Sandboxes(urls)
            try:
                admin.set_faults({"*": BASE_FAULTS})
                for config in wanted:
                    self._on_config(config, todo[config], procs[config], admin)
            finally:
                admin.close()
        return self.suite

    def _on_config(self, config: str, todo: list[Scenario], gw: Process, admin: Sandboxes) -> None:
        client = GatewayClient(gw.url)
        try:
            self._on_gateway(config, todo, gw, admin, client)
            if self.o.profile and config in ("cold", "hot"):
                self._profile(config, gw)
            if config == "hot" and self.o.soak_s > 0:
                self.suite.soak = self._soak(gw)
            self.suite.gateway_rss_mb[config] = round(rss_bytes(gw.pid) / 2**20, 1)
        finally:
            client.close()

    def _on_gateway(
        self,
        config: str,
        todo: list[Scenario],
        gw: Process,
        admin: Sandboxes,
        client: GatewayClient,
    ) -> None:
        if (
            any(s.key.endswith("page") or s.key == "b" for s in todo)
            and not self.setup.page_cursors
        ):
            page_cursors(client, self.setup, None)
        for scenario in todo:
            self.o.log(f"[{config}] {scenario.key}: {scenario.title}")
            result = self._run_one(config, scenario, gw, admin, client)
            self.suite.runs.append(result)
            load, lat = result["load"], result["load"]["latency_ms"]
            self.o.log(
                f"    {load['rps']:>8.1f} req/s  p50 {lat['p50']:.1f} ms  p99 {lat['p99']:.1f} ms"
                f"  calls/op {result['calls_per_op']:.2f} (bound {result['calls_bound']:.2f})"
                f"  gateway CPU {result['cpu_ms_per_op']['gateway']:.2f} ms/op"
            )

    def _run_one(
        self,
        config: str,
        scenario: Scenario,
        gw: Process,
        admin: Sandboxes,
        client: GatewayClient,
    ) -> dict[str, Any]:
        requests = scenario.requests(self.setup)
        admin.set_faults({"*": BASE_FAULTS, **scenario.faults})
        try:
            warmed: list[tuple[float, float]] = []
            if scenario.gateway == "hot":
                for request in requests:  # warm every resource the run will read
                    began = time.monotonic()
                    client.post(request)
                    warmed.append((began, time.monotonic()))
            sequential, preflight_errors = self._sequential(
                client, requests, scenario.errors_expected
            )
            admin.reset_counters()
            ops_before, errors_before = client.operations(), client.graphql_errors()
            named_before = client.operations_by_name()
            cpu_before, system_before = CpuSample.take(self.pids), system_busy_seconds()
            load = run_wrk(
                gw.url,
                requests,
                connections=scenario.connections,
                duration_s=self.o.duration_s,
                work_dir=self.work,
            )
            ops = client.settle(admin) - ops_before
            run_end = time.monotonic()
            cpu = CpuSample.take(self.pids).since(cpu_before)
            system = system_busy_seconds() - system_before
            counters = admin.counters()
            errors = client.graphql_errors() - errors_before
            named = {
                k: v - named_before.get(k, 0.0) for k, v in client.operations_by_name().items()
            }
        finally:
            admin.set_faults({"*": BASE_FAULTS})
        return self._result(
            config, scenario, requests, load, ops, cpu, counters, errors, sequential,
            preflight_errors, warmed, run_end, gw, system, named,
        )  # fmt: skip

    def _sequential(
        self, client: GatewayClient, requests: Sequence[Request], errors_ok: bool
    ) -> tuple[list[float], list[Any]]:
        """A few requests one at a time: correctness, and the gateway's own chain (its
        latency with no queueing, in units of the injected latency). A circuit a previous
        run opened is waited out; other errors are recorded, not fatal."""
        step = max(1, len(requests) // max(1, self.o.sequential))
        latencies: list[float] = []
        errors: list[Any] = []
        for request in list(requests[::step])[: self.o.sequential]:
            for _attempt in range(4):
                elapsed, answer = client.post(request)
                found = answer.get("errors") or []
                wait = max(
                    (
                        float(e.get("extensions", {}).get("retryAfter") or 1)
                        for e in found
                        if e.get("extensions", {}).get("circuit") == "open"
                    ),
                    default=0.0,
                )
                if not wait:
                    break
                self.o.log(f"    a vendor circuit is open: waiting {wait:.0f} s")
                time.sleep(min(wait + 0.5, 20))
            if found and not errors_ok:
                errors.extend(found[:2])
            latencies.append(round(elapsed, 2))
        if errors:
            self.o.log(f"    errors before the run: {errors[:1]}")
        return latencies, errors

    def _result(
        self,
        config: str,
        scenario: Scenario,
        requests: Sequence[Request],
        load: LoadResult,
        ops: float,
        cpu: dict[str, float],
        counters: dict[str, dict[str, Any]],
        errors: float,
        sequential: list[float],
        preflight_errors: list[Any],
        warmed: list[tuple[float, float]],
        run_end: float,
        gw: Process,
        system: float,
        named: dict[str, float],
    ) -> dict[str, Any]:
        ops = ops or float(load.requests) or 1.0
        gateway_cpu = cpu[f"gateway-{config}"]
        ours = sum(cpu.values()) + load.cpu_s
        wall = max(load.duration_s, 1e-9)
        calls = total_calls(counters)
        latency = BASE_FAULTS["latency_ms"]
        critical = scenario.critical_path_ms(latency)
        if scenario.gateway == "hot" and config != "naive":
            # each warmed resource is fetched again once per TTL expiry: counted from when its
            # warm request ended (the bound), or began (the most the bound can be off by)
            ttls = dict(DEFAULT_TTLS)
            least = sum(hot_bound(scenario.kinds_per_op, done, run_end, ttls) for _, done in warmed)
            most = sum(
                hot_bound(scenario.kinds_per_op, began, run_end, ttls) for began, _ in warmed
            )
            bound, slack = least / ops, (most - least) / ops
        else:
            per_name = scenario.calls_by_operation
            bound = sum(n * per_name.get(name, 0) for name, n in named.items()) / ops
            # wrk stops with up to one request per connection in flight: its upstream calls
            # are counted, the operation may not be
            slack = scenario.connections * max(per_name.values()) / ops
        sandbox_cpu = sum(v for k, v in cpu.items() if k.startswith("sandbox"))
        p = load.latency_ms
        return {
            "scenario": scenario.key,
            "title": scenario.title,
            "mode": "naive" if config == "naive" else "gateway",
            "gateway_config": config,
            "connections": scenario.connections,
            "distinct_requests": len(requests),
            "load": load.as_dict(),
            "operations": ops,
            "operations_by_name": named,
            "graphql_errors_per_op": round(errors / ops, 4),
            "upstream_calls": calls,
            "calls_per_op": round(calls / ops, 3),
            "calls_bound": round(bound, 3),
            "calls_slack": round(slack, 3),
            "endpoints_per_op": {
                k: round(v / ops, 3) for k, v in sorted(endpoint_calls(counters).items())
            },
            "upstream_statuses": {v: c["statuses"] for v, c in counters.items()},
            "cpu_s": cpu,
            "cpu_ms_per_op": {
                "gateway": round(gateway_cpu * 1000 / ops, 3),
                "sandboxes": round(sandbox_cpu * 1000 / ops, 3),
                "loadgen": round(load.cpu_s * 1000 / ops, 3),
            },
            "gateway_cpu_utilisation": round(gateway_cpu / wall, 3),
            # CPU the machine spent on processes that are not this benchmark's (cores)
            "other_load_cores": round(max(0.0, system - ours) / wall, 3),
            "loadavg": os.getloadavg()[0],
            "critical_path_ms": critical,
            "critical_path_chain": 0 if scenario.gateway == "hot" else scenario.chain,
            "ratio_p50": round(p["p50"] / critical, 3) if critical else None,
            "ratio_p99": round(p["p99"] / critical, 3) if critical else None,
            "sequential_ms": sequential,
            "preflight_errors": preflight_errors,
            "sequential_chain": round(statistics.median(sequential) / latency, 2),
            "gateway_rss_mb": round(rss_bytes(gw.pid) / 2**20, 1),
        }

    def _profile(self, config: str, gw: Process) -> None:
        """py-spy on the gateway while wrk drives customer-360 (cold: rotating customers; hot:
        the warm set)."""
        scenario = next(
            s
            for s in all_scenarios(self.o.connections)
            if s.key == ("a" if config == "cold" else "c-360")
        )
        requests = scenario.requests(self.setup)
        name = f"{'cold' if config == 'cold' else 'hot'}-360"
        out_dir = self.o.results_dir / "profiles"
        self.o.log(f"[{config}] profiling {name} for {self.o.profile_seconds:g} s (py-spy)")
        with profiling.recording(gw.pid, self.o.profile_seconds + 1, out_dir, name) as rec:
            load = run_wrk(
                gw.url,
                requests,
                connections=scenario.connections,
                duration_s=self.o.profile_seconds,
                work_dir=self.work,
            )
        summary = rec.summary()
        if summary is not None:
            summary["rps_while_profiled"] = load.rps
            self.suite.profiles[name] = summary

    def _soak(self, gw: Process) -> dict[str, Any]:
        """Customer-360 over every customer at ~80% of the peak rate, sampling the gateway's
        RSS. A warm-up at full speed first sends the whole rotation, so the caches hold
        their working set (and churn it on their TTLs) before the soak is measured: growth
        after that is what would leak."""
        requests = customer_360_requests(self.setup)
        connections = self.o.connections or 50
        self.o.log(f"[soak] warming up ({SOAK_WARMUP_S:g} s at full speed)")
        warm = run_wrk(
            gw.url, requests, connections=connections, duration_s=SOAK_WARMUP_S, work_dir=self.work
        )
        self.o.log(f"[soak] warm-up sent {warm.requests} requests ({len(requests)} in a pass)")
        self.o.log("[soak] measuring peak throughput (15 s)")
        peak = run_wrk(gw.url, requests, connections=connections, duration_s=15, work_dir=self.work)
        target = 0.8 * peak.rps
        # paced connections: each waits so that connections / (latency + delay) ≈ target
        base_latency = BASE_FAULTS["latency_ms"] * 2
        delay_ms = max(0.0, connections * 1000 / target - base_latency) if target else 0.0
        self.o.log(
            f"[soak] peak {peak.rps:.0f} req/s; {self.o.soak_s:g} s at ~{target:.0f} req/s"
            f" ({connections} connections, {delay_ms:.0f} ms pacing)"
        )
        samples: list[tuple[float, float]] = []
        done = threading.Event()
        box: dict[str, LoadResult] = {}

        def drive() -> None:
            try:
                box["load"] = run_wrk(
                    gw.url,
                    requests,
                    connections=connections,
                    duration_s=self.o.soak_s,
                    work_dir=self.work / "soak",
                    delay_ms=delay_ms,
                )
            finally:
                done.set()

        (self.work / "soak").mkdir(exist_ok=True)
        thread = threading.Thread(target=drive, daemon=True)
        started = time.monotonic()
        thread.start()
        while not done.wait(5):
            samples.append((round(time.monotonic() - started, 1), rss_bytes(gw.pid) / 2**20))
        thread.join()
        load = box["load"]
        rss = [mb for _, mb in samples]
        first = rss[0] if rss else 0.0  # 5 s in, after the warm-up
        result = {
            "seconds": self.o.soak_s,
            "warmup_s": SOAK_WARMUP_S,
            "warmup_requests": warm.requests,
            "rotation": len(requests),
            "peak_rps": peak.rps,
            "target_rps": round(target, 1),
            "achieved_rps": load.rps,
            "latency_ms": load.latency_ms,
            "errors": load.errors,
            "rss_mb_samples": samples,
            "rss_mb_start": round(first, 1),
            "rss_mb_end": round(rss[-1], 1) if rss else 0.0,
            "rss_growth": round((rss[-1] - first) / first, 4) if rss and first else None,
            "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        self.o.results_dir.mkdir(parents=True, exist_ok=True)
        (self.o.results_dir / "soak-latest.json").write_text(json.dumps(result, indent=2))
        return result


@contextmanager
def work_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        yield Path(tmp)


def run_suite(options: Options) -> Suite:
    with work_dir() as work:
        return Runner(options, work).run()
