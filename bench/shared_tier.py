"""What the shared tier (Redis) costs on a cache hit, and what it saves across replicas.

1. **Hit cost**: cache-hot customer-360 (every customer of the rotation warmed first) under
   wrk on four gateways run one after another: without and with Redis, response cache on and
   off (off: answers come from the L1 read cache through execution). With Redis each request
   first catches up with the invalidation log (one round trip), which is what a hit pays.
2. **Replicas**: two gateways sharing one Redis, each driven by its own wrk at the same time
   over the same customers in a different order, so one often finds in L2 what the other
   loaded; compared with the same two replicas without Redis (each its own L1).

Same sandboxes and injected latency (50 ms ± 10 ms) as ``python -m bench``. Writes
``bench/results/shared-tier-YYYY-MM-DD-HHMM.{md,json}`` and ``shared-tier-latest.*``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from prometheus_client.parser import text_string_to_metric_families

from bench.loadgen import LoadResult, Request, run_wrk
from bench.metrics import CpuSample, Sandboxes, system_busy_seconds, total_calls
from bench.processes import (
    Process,
    free_port,
    gateway_keys,
    launch_gateways,
    launch_sandboxes,
    running,
)
from bench.report import machine
from bench.runner import GatewayClient, work_dir
from bench.scenarios import BASE_FAULTS, CUSTOMER_360, HOT_SET, Setup, body
from bench.scenarios import customer_360_requests as c360_requests
from sandbox.demo_world import DEFAULT_SEED, DemoWorld, demo_world


@dataclass(frozen=True)
class HitConfig:
    """One gateway of the hit-cost part."""

    name: str
    redis: bool
    response_cache: bool
    #: more environment (the extra row: catch up at most every 0.1 s instead of per request)
    env: tuple[tuple[str, str], ...] = ()


#: the hit-cost gateways, in run order
HIT_CONFIGS = (
    HitConfig("no-redis", redis=False, response_cache=True),
    HitConfig("redis", redis=True, response_cache=True),
    HitConfig("no-redis-no-rc", redis=False, response_cache=False),
    HitConfig("redis-no-rc", redis=True, response_cache=False),
    HitConfig(
        "redis-eventual",
        redis=True,
        response_cache=True,
        env=(("CG_REDIS__READ_AFTER_WRITE", "false"),),
    ),
)
#: (with Redis, without): the pairs whose difference is the cost of Redis on a hit
HIT_PAIRS = (
    ("redis", "no-redis"),
    ("redis-no-rc", "no-redis-no-rc"),
    ("redis-eventual", "no-redis"),
)


@dataclass
class Options:
    duration_s: float = 12.0
    connections: int = 50
    replica_duration_s: float = 20.0
    replica_connections: int = 10
    replica_customers: int = 200
    customers: int = 1000
    tenants: int = 2
    seed: int = DEFAULT_SEED
    parts: tuple[str, ...] = ("hits", "replicas")
    results_dir: Path = Path(__file__).resolve().parent / "results"


# --- a redis-server of the benchmark's own ----------------------------------------------


class RedisProcess:
    """``redis-server`` on a free loopback port, without persistence."""

    def __init__(self, popen: subprocess.Popen[bytes], port: int) -> None:
        self.popen = popen
        self.port = port
        self.client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int:
        return self.popen.pid

    def wait_until_up(self, log: Path, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.client.ping():
                    return
            except redis.RedisError:
                pass
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.05)

    def flush(self) -> None:
        """A clean slate for the next gateway (no entries, no invalidation log)."""
        self.client.flushall()

    def commands_processed(self) -> int:
        """Redis's own count of commands (each command of a pipeline or script call)."""
        info: dict[str, Any] = self.client.info("stats")
        return int(info["total_commands_processed"])

    def stop(self) -> None:
        self.client.close()
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)


@contextmanager
def redis_server(work: Path) -> Iterator[RedisProcess]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (make redis)")
    port = free_port()
    log = work / "redis.log"
    args = [binary, "--bind", "127.0.0.1", "--port", str(port), "--protected-mode", "yes"]
    args += ["--save", "", "--appendonly", "no", "--dir", str(work)]
    with log.open("wb") as out:
        popen = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    server = RedisProcess(popen, port)
    try:
        server.wait_until_up(log)
        yield server
    finally:
        server.stop()


# --- the gateway's counters ----------------------------------------------------------------

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: GatewayClient) -> Samples:
    """Every sample of the gateway's ``/metrics``, keyed by name and labels."""
    text = client.http.get("/metrics").text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def delta(after: Samples, before: Samples) -> Samples:
    return {k: v - before.get(k, 0.0) for k, v in after.items()}


def summed(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def cache_figures(d: Samples, ops: float) -> dict[str, Any]:
    """Where the read cache's lookups were answered. Without Redis there is no tier
    counter and every hit is L1. A lookup that joined another's load counts as neither."""
    hits = summed(d, "cg_cache_hits_total")
    l2 = summed(d, "cg_cache_tier_hits_total", tier="l2")
    l1 = hits - l2
    misses = summed(d, "cg_cache_misses_total")
    lookups = l1 + l2 + misses
    commands = {
        f"{dict(ls)['operation']} {dict(ls)['outcome']}": round(v / ops, 3)
        for (n, ls), v in sorted(d.items())
        if n == "cg_redis_commands_total" and v
    }
    return {
        "response_cache_hits": summed(d, "cg_response_cache_hits_total"),
        "l1_hits": l1,
        "l2_hits": l2,
        "vendor_loads": misses,
        "lookups": lookups,
        "rates": {
            k: round(v / lookups, 4) if lookups else 0.0
            for k, v in (("l1", l1), ("l2", l2), ("vendor", misses))
        },
        "redis_commands_per_op": commands,
        "redis_commands_per_op_total": round(sum(commands.values()), 3),
    }


# --- one measured run: one or more gateways under wrk at the same time ------------------


@dataclass(frozen=True)
class Drive:
    """One gateway and the load wrk puts on it."""

    name: str
    gateway: Process
    client: GatewayClient
    requests: Sequence[Request]
    connections: int
    duration_s: float


class Bench:
    def __init__(self, options: Options, work: Path, log: Callable[[str], object] = print) -> None:
        self.o = options
        self.work = work
        self.log = log
        self.world: DemoWorld = demo_world(options.seed, options.tenants, options.customers)
        self.keys = {tenant: key for key, tenant in gateway_keys(self.world).items()}
        self.setup = Setup(self.world, self.keys)
        self.sandbox_pids: dict[str, int] = {}
        self.urls: dict[str, str] = {}

    def run(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "machine": machine(),
            "settings": {
                **{k: v for k, v in vars(self.o).items() if k != "results_dir"},
                "faults": BASE_FAULTS,
                "hot_customers": HOT_SET,
            },
        }
        sbx = launch_sandboxes(self.world, self.o.customers, self.work)
        self.urls = {vendor: p.url for vendor, (p, _) in sbx.items()}
        with running(sbx, self.work) as procs, redis_server(self.work) as rds:
            self.sandbox_pids = {f"sandbox-{k}": p.pid for k, p in procs.items()}
            admin = Sandboxes(self.urls)
            try:
                admin.set_faults({"*": BASE_FAULTS})
                if "hits" in self.o.parts:
                    out["hit_cost"] = [self.hit_cost(config, rds, admin) for config in HIT_CONFIGS]
                    out["hit_cost_derived"] = derived(out["hit_cost"])
                if "replicas" in self.o.parts:
                    runs = {
                        name: self.replicas(name, name == "redis", rds, admin)
                        for name in ("no-redis", "redis")
                    }
                    out["replicas"] = runs
                    out["replicas_saved"] = saved(runs["no-redis"], runs["redis"])
            finally:
                admin.close()
        out["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
        return out

    def _env(self, rds: RedisProcess, with_redis: bool, response_cache: bool) -> dict[str, str]:
        env: dict[str, str] = {}
        if with_redis:
            env["CG_REDIS__URL"] = rds.url
        if not response_cache:
            env["CG_RESPONSE_CACHE"] = "false"
        return env

    def hit_cost(self, config: HitConfig, rds: RedisProcess, admin: Sandboxes) -> dict[str, Any]:
        rds.flush()
        name = config.name
        env = {**self._env(rds, config.redis, config.response_cache), **dict(config.env)}
        requests = c360_requests(self.setup, HOT_SET // max(1, len(self.world.tenants)))
        self.log(f"[hits] {name}: {len(requests)} warm customers, {self.o.connections} clients")
        gws = launch_gateways(self.world, self.urls, {name: env}, self.work)
        with running(gws, self.work) as procs:
            client = GatewayClient(procs[name].url)
            try:
                for _ in range(2):  # loads every read, then (response cache on) the answers
                    for request in requests:
                        _, answer = client.post(request)
                        if answer.get("errors"):
                            self.log(f"    warming answered errors: {answer['errors'][:1]}")
                drive = Drive(
                    name, procs[name], client, requests, self.o.connections, self.o.duration_s
                )
                result = self.measure([drive], rds, admin)
            finally:
                client.close()
        run = {
            "config": name,
            "redis": config.redis,
            "response_cache": config.response_cache,
            "env": dict(config.env),
            **result,
        }
        gw = run["gateways"][name]
        lat = gw["load"]["latency_ms"]
        self.log(
            f"    {gw['load']['rps']:>8.1f} req/s  p50 {lat['p50']:.2f} ms  p99 {lat['p99']:.2f}"
            f" ms  gateway {gw['cpu_ms_per_op']:.3f} ms/op  redis {run['redis_cpu_ms_per_op']:.3f}"
            f" ms/op  redis commands/op {gw['cache']['redis_commands_per_op']}"
        )
        return run

    def replicas(
        self, name: str, with_redis: bool, rds: RedisProcess, admin: Sandboxes
    ) -> dict[str, Any]:
        rds.flush()
        env = self._env(rds, with_redis, response_cache=True)
        tenant = self.world.tenants[0]
        ids = [c.customer_id for c in tenant.customers[: self.o.replica_customers]]
        shuffled = list(ids)
        random.Random(self.o.seed).shuffle(shuffled)
        orders = {f"{name}-a": ids, f"{name}-b": shuffled}
        self.log(
            f"[replicas] {name}: 2 gateways, {len(ids)} customers of {tenant.key}, "
            f"{self.o.replica_connections} clients each, {self.o.replica_duration_s:g} s"
        )
        gws = launch_gateways(self.world, self.urls, dict.fromkeys(orders, env), self.work)
        with running(gws, self.work) as procs:
            clients = {k: GatewayClient(procs[k].url) for k in orders}
            try:
                drives = [
                    Drive(
                        k,
                        procs[k],
                        clients[k],
                        [Request(self.keys[tenant.key], body(CUSTOMER_360, {"id": c})) for c in o],
                        self.o.replica_connections,
                        self.o.replica_duration_s,
                    )
                    for k, o in orders.items()
                ]
                result = self.measure(drives, rds, admin)
            finally:
                for client in clients.values():
                    client.close()
        for k, gw in result["gateways"].items():
            rates = gw["cache"]["rates"]
            self.log(
                f"    {k}: {gw['load']['rps']:.1f} req/s, response cache "
                f"{gw['cache']['response_cache_hits']:.0f} of {gw['operations']:.0f} ops, "
                f"L1 {rates['l1']:.1%} L2 {rates['l2']:.1%} vendor {rates['vendor']:.1%}"
            )
        self.log(f"    upstream calls/op {result['calls_per_op']:.3f}")
        return {"redis": with_redis, **result}

    def measure(
        self, drives: Sequence[Drive], rds: RedisProcess, admin: Sandboxes
    ) -> dict[str, Any]:
        """wrk on every drive at once; the counters, CPU and Redis around it."""
        pids = {
            **self.sandbox_pids,
            "redis-server": rds.pid,
            **{f"gateway-{d.name}": d.gateway.pid for d in drives},
        }
        admin.reset_counters()
        before = {d.name: scrape(d.client) for d in drives}
        commands_before = rds.commands_processed()
        cpu_before, busy_before = CpuSample.take(pids), system_busy_seconds()
        loads = self._drive_all(drives)
        ops_after = {d.name: d.client.settle(admin) for d in drives}
        cpu = CpuSample.take(pids).since(cpu_before)
        busy = system_busy_seconds() - busy_before
        redis_commands = rds.commands_processed() - commands_before
        counters = admin.counters()
        gateways: dict[str, Any] = {}
        for d in drives:
            diff = delta(scrape(d.client), before[d.name])
            ops = ops_after[d.name] - summed(
                before[d.name], "cg_http_requests_total", route="/graphql", method="POST"
            )
            ops = ops or float(loads[d.name].requests) or 1.0
            gateways[d.name] = {
                "load": loads[d.name].as_dict(),
                "operations": ops,
                "graphql_errors": summed(diff, "cg_graphql_errors_total"),
                "cpu_ms_per_op": round(cpu[f"gateway-{d.name}"] * 1000 / ops, 4),
                "cache": cache_figures(diff, ops),
            }
        all_ops = sum(g["operations"] for g in gateways.values())
        calls = total_calls(counters)
        ours = sum(cpu.values()) + sum(load.cpu_s for load in loads.values())
        wall = max(max(load.duration_s for load in loads.values()), 1e-9)
        sandboxes = sum(v for k, v in cpu.items() if k.startswith("sandbox-"))
        return {
            "gateways": gateways,
            "operations": all_ops,
            "upstream_calls": calls,
            "calls_per_op": round(calls / all_ops, 4),
            "redis_cpu_ms_per_op": round(cpu["redis-server"] * 1000 / all_ops, 4),
            "redis_commands_processed_per_op": round(redis_commands / all_ops, 3),
            "sandboxes_cpu_ms_per_op": round(sandboxes * 1000 / all_ops, 4),
            "cpu_s": cpu,
            # cores the machine spent on processes that are not this benchmark's
            "other_load_cores": round(max(0.0, busy - ours) / wall, 3),
        }

    def _drive_all(self, drives: Sequence[Drive]) -> dict[str, LoadResult]:
        results: dict[str, LoadResult] = {}
        failures: list[BaseException] = []

        def drive(d: Drive) -> None:
            where = self.work / f"wrk-{d.name}"
            where.mkdir(exist_ok=True)
            try:
                results[d.name] = run_wrk(
                    d.gateway.url,
                    d.requests,
                    connections=d.connections,
                    duration_s=d.duration_s,
                    work_dir=where,
                )
            except BaseException as exc:  # re-raised in the caller's thread
                failures.append(exc)

        threads = [threading.Thread(target=drive, args=(d,), daemon=True) for d in drives]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
        return results


# --- derived figures -------------------------------------------------------------------


def derived(runs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per hit: what the gateway with Redis spends beyond the same gateway without."""
    by = {r["config"]: r for r in runs}
    out: list[dict[str, Any]] = []
    for with_redis, without in HIT_PAIRS:
        if with_redis not in by or without not in by:
            continue
        a, b = by[with_redis], by[without]
        ga, gb = a["gateways"][with_redis], b["gateways"][without]
        la, lb = ga["load"]["latency_ms"], gb["load"]["latency_ms"]
        gateway_ms = ga["cpu_ms_per_op"] - gb["cpu_ms_per_op"]
        out.append({
            "pair": f"{with_redis} vs {without}",
            "gateway_cpu_ms_per_op": round(gateway_ms, 4),
            "redis_cpu_ms_per_op": a["redis_cpu_ms_per_op"],
            "total_cpu_ms_per_op": round(gateway_ms + a["redis_cpu_ms_per_op"], 4),
            "p50_ms": round(la["p50"] - lb["p50"], 3),
            "p99_ms": round(la["p99"] - lb["p99"], 3),
            "rps_change": round(ga["load"]["rps"] / gb["load"]["rps"] - 1, 4),
        })  # fmt: skip
    return out


def saved(without: Mapping[str, Any], with_redis: Mapping[str, Any]) -> dict[str, Any]:
    """Upstream calls the shared tier avoided over both replicas. Both runs read the same
    customers for the same time, and once they are cached their calls are the TTL refreshes,
    whatever the throughput: the totals compare directly; per operation, a faster run looks
    better only because it answers more from memory."""
    before, after = without["calls_per_op"], with_redis["calls_per_op"]
    calls_before, calls_after = without["upstream_calls"], with_redis["upstream_calls"]
    return {
        "calls_without": calls_before,
        "calls_with": calls_after,
        "calls_saved": calls_before - calls_after,
        "fraction_saved": round(1 - calls_after / calls_before, 4) if calls_before else 0.0,
        "calls_per_op_without": before,
        "calls_per_op_with": after,
    }


# --- the report ----------------------------------------------------------------------------


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def markdown(result: Mapping[str, Any]) -> str:
    m, s = result["machine"], result["settings"]
    lines = [
        f"# Shared tier (Redis): cost on a hit, savings across replicas — {result['started']}",
        "",
        f"Machine: {m['nproc']} CPUs, {m['cpu_model']}, Python {m['python']}, {m['platform']},"
        f" {m['wrk']}, redis-server on loopback (no persistence).",
        f"Settings: vendor latency {s['faults']['latency_ms']:g} ms ± "
        f"{s['faults']['jitter_ms']:g} ms; {s['customers']} customers x {s['tenants']} tenants; "
        "each gateway its own process, one worker, default TTLs.",
        "",
    ]
    if "hit_cost" in result:
        lines += [
            f"## 1. Cost of Redis on a cache hit (customer-360, {s['hot_customers']} warm "
            f"customers, wrk {s['connections']} connections, {s['duration_s']:g} s each, "
            "one gateway at a time)",
            "",
        ]
        rows = []
        for run in result["hit_cost"]:
            gw = run["gateways"][run["config"]]
            lat, cache = gw["load"]["latency_ms"], gw["cache"]
            rows.append([
                run["config"], "yes" if run["redis"] else "no",
                "on" if run["response_cache"] else "off", f"{gw['load']['rps']:,.0f}",
                f"{lat['p50']:.2f}", f"{lat['p99']:.2f}", f"{gw['cpu_ms_per_op']:.3f}",
                f"{run['redis_cpu_ms_per_op']:.3f}" if run["redis"] else "—",
                f"{cache['response_cache_hits'] / gw['operations']:.1%}",
                f"{run['calls_per_op']:.3f}",
                f"{cache['redis_commands_per_op_total']:.3f}" if run["redis"] else "—",
                f"{gw['graphql_errors']:.0f}", f"{run['other_load_cores']:.2f}",
            ])  # fmt: skip
        lines += _table(
            ["gateway", "Redis", "response cache", "req/s", "p50 ms", "p99 ms",
             "gateway CPU ms/op", "Redis CPU ms/op", "response-cache hits", "upstream calls/op",
             "Redis commands/op", "GraphQL errors", "other load (cores)"],
            rows,
        )  # fmt: skip
        extra = [f"`{r['config']}`: {r['env']}" for r in result["hit_cost"] if r.get("env")]
        if extra:
            lines += ["Extra environment: " + "; ".join(extra) + ".", ""]
        rows = []
        for run in result["hit_cost"]:
            if run["redis"]:
                cache = run["gateways"][run["config"]]["cache"]
                per = ", ".join(f"{k}: {v:.3f}" for k, v in cache["redis_commands_per_op"].items())
                rows.append([run["config"], per, f"{run['redis_commands_processed_per_op']:.3f}"])
        lines += [
            "Redis commands per operation, from the gateway's `cg_redis_commands_total"
            "{operation,outcome}` and from Redis's own `total_commands_processed` (a pipeline"
            " counts each of its commands):",
            "",
            *_table(["gateway", "gateway's count per op", "Redis-side commands/op"], rows),
        ]
        rows = [
            [d["pair"], f"{d['gateway_cpu_ms_per_op']:+.3f}", f"{d['redis_cpu_ms_per_op']:.3f}",
             f"{d['total_cpu_ms_per_op']:+.3f}", f"{d['p50_ms']:+.2f}", f"{d['p99_ms']:+.2f}",
             f"{d['rps_change']:+.1%}"]
            for d in result["hit_cost_derived"]
        ]  # fmt: skip
        lines += [
            "Cost per hit of the shared tier (with Redis minus without):",
            "",
            *_table(
                ["pair", "Δ gateway CPU ms/op", "Redis CPU ms/op", "Δ CPU ms/op (both)",
                 "Δ p50 ms", "Δ p99 ms", "req/s"],
                rows,
            ),
        ]  # fmt: skip
    if "replicas" in result:
        lines += [
            f"## 2. Two replicas (customer-360 over {s['replica_customers']} customers of one "
            f"tenant, cold start, wrk {s['replica_connections']} connections per replica, "
            f"{s['replica_duration_s']:g} s, both at once; replica b in a shuffled order)",
            "",
        ]
        rows = []
        for name, run in result["replicas"].items():
            for replica, gw in run["gateways"].items():
                lat, cache = gw["load"]["latency_ms"], gw["cache"]
                r = cache["rates"]
                rows.append([
                    name, replica[-1], f"{gw['operations']:.0f}", f"{gw['load']['rps']:.1f}",
                    f"{lat['p50']:.1f}", f"{lat['p99']:.1f}",
                    f"{cache['response_cache_hits']:.0f}", f"{cache['l1_hits']:.0f}",
                    f"{cache['l2_hits']:.0f}", f"{cache['vendor_loads']:.0f}",
                    f"{r['l1']:.1%}", f"{r['l2']:.1%}", f"{r['vendor']:.1%}",
                    f"{gw['cpu_ms_per_op']:.2f}",
                ])  # fmt: skip
        lines += _table(
            ["run", "replica", "ops", "req/s", "p50 ms", "p99 ms", "response-cache hits",
             "L1 hits", "L2 hits", "vendor loads", "L1 rate", "L2 rate", "vendor rate",
             "gateway CPU ms/op"],
            rows,
        )  # fmt: skip
        rows = [
            [name, f"{run['operations']:.0f}", f"{run['upstream_calls']:,}",
             f"{run['calls_per_op']:.3f}",
             f"{run['redis_cpu_ms_per_op']:.3f}" if run["redis"] else "—",
             f"{run['sandboxes_cpu_ms_per_op']:.2f}", f"{run['other_load_cores']:.2f}"]
            for name, run in result["replicas"].items()
        ]  # fmt: skip
        sv = result["replicas_saved"]
        lines += [
            *_table(
                ["run", "ops (both)", "upstream calls", "calls/op", "Redis CPU ms/op",
                 "sandboxes CPU ms/op", "other load (cores)"],
                rows,
            ),
            f"The shared tier saved {sv['calls_saved']:,} upstream calls of "
            f"{sv['calls_without']:,} ({sv['fraction_saved']:.1%}; per operation "
            f"{sv['calls_per_op_without']:.3f} → {sv['calls_per_op_with']:.3f}, but the runs "
            "answered different numbers of operations: the totals compare, both runs reading "
            "the same customers for the same time). "
            "Rates are over the read cache's lookups (L1 + L2 + vendor loads); "
            "requests the response cache answered make no lookups; a lookup that joined "
            "another's load in flight counts as none.",
            "",
        ]  # fmt: skip
    lines += [
        "Gateway and Redis CPU: `/proc/<pid>/stat` user + system time over the run ÷ operations "
        "answered. *Other load*: the machine's busy time minus every process of this benchmark "
        "(and wrk), in cores; well above 0 means something else competed for the CPUs.",
        "",
    ]
    return "\n".join(lines)


def write(result: Mapping[str, Any], results_dir: Path, stamp: str) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    report = results_dir / f"shared-tier-{stamp}.md"
    report.write_text(markdown(result), encoding="utf-8")
    raw = results_dir / f"shared-tier-{stamp}.json"
    raw.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    shutil.copyfile(report, results_dir / "shared-tier-latest.md")
    shutil.copyfile(raw, results_dir / "shared-tier-latest.json")
    return report


def parse_args(argv: list[str]) -> Options:
    d = Options()
    parser = argparse.ArgumentParser(prog="python -m bench.shared_tier", description=__doc__)
    parser.add_argument("--duration", type=float, default=d.duration_s, help="hit-cost run (s)")
    parser.add_argument("--connections", type=int, default=d.connections)
    parser.add_argument("--replica-duration", type=float, default=d.replica_duration_s)
    parser.add_argument("--replica-connections", type=int, default=d.replica_connections)
    parser.add_argument("--replica-customers", type=int, default=d.replica_customers)
    parser.add_argument("--customers", type=int, default=d.customers, help="per tenant")
    parser.add_argument("--only", choices=d.parts, help="one part: hits or replicas")
    parser.add_argument("--results-dir", type=Path, default=d.results_dir)
    args = parser.parse_args(argv)
    return Options(
        duration_s=args.duration,
        connections=args.connections,
        replica_duration_s=args.replica_duration,
        replica_connections=args.replica_connections,
        replica_customers=args.replica_customers,
        customers=args.customers,
        parts=(args.only,) if args.only else d.parts,
        results_dir=args.results_dir,
    )


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    for tool, hint in (("wrk", "make bench-deps"), ("redis-server", "make redis")):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed: `{hint}`", file=sys.stderr)
            return 2
    stamp = time.strftime("%Y-%m-%d-%H%M")
    started = time.monotonic()
    with work_dir() as work:
        result = Bench(options, work).run()
    report = write(result, options.results_dir, stamp)
    print(f"report: {report} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
