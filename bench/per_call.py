"""``python -m bench.per_call``: CPU per call of each vendor client method against bare
aiohttp (and raw httpx) sending the same request on the same sandbox route.

The sandboxes run as processes at latency 0, so the server is not the subject; this
process measures only its own CPU (``time.process_time``) around blocks of calls, with a
fixed number in flight like the gateway's fan-out. The clients are built as the gateway
builds them (:func:`production_clients`: the settings' pool and resilience, the observed
transport) and called inside a request scope, so the request id goes out as in production.
Rounds interleave the implementations (their order rotates), and the sandboxes' counters
confirm every block made exactly its calls on its route.

``measure(options)`` returns a :class:`PerCallResult`; ``render_markdown(result)`` is the
report's table. ``CG_VENDOR_TRANSPORT=httpx`` (or any ``CG_HTTP__…`` setting) applies to
the client as it does to the gateway.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import httpx

from bench.metrics import Sandboxes
from bench.per_call_methods import METHODS, REQUEST_ID, Method, Sample, Target, Wire
from bench.processes import launch_sandboxes, running
from demo.tenants import SandboxUrls, demo_tenant_config
from gateway.observability.request_id import request_scope
from gateway.observability.telemetry import Telemetry
from gateway.request_state import RequestState
from gateway.settings import GatewaySettings, TenantConfig
from gateway.vendor_clients import TenantClients, VendorClients
from sandbox.demo_world import DEFAULT_SEED, DemoCustomer, DemoWorld, demo_world

__all__ = [
    "IMPLEMENTATIONS",
    "Options",
    "PerCallResult",
    "Row",
    "Spread",
    "main",
    "measure",
    "production_clients",
    "render_markdown",
]

#: the vendor client, bare aiohttp, raw httpx (its own pool: httpcore)
IMPLEMENTATIONS = ("client", "aiohttp", "httpx")
#: what the lean client path aims for (issue 12): client CPU per call ÷ bare aiohttp
TARGET_RATIO = 1.3
RESULTS = Path(__file__).resolve().parent / "results"
#: no injected latency: the measuring process's CPU is the subject, not the server
NO_LATENCY = {"latency_ms": 0.0, "jitter_ms": 0.0}

T = TypeVar("T")
Call = Callable[[int], Awaitable[object]]


@dataclass
class Options:
    calls: int = 300
    rounds: int = 5
    concurrency: int = 8
    #: calls per method and implementation before the first round (pools, imports, caches)
    warmup: int = 100
    #: method keys (``tallymarks.get_customer``) or vendors (``omnidesk``); empty: all
    only: Sequence[str] = ()
    implementations: Sequence[str] = IMPLEMENTATIONS
    writes: bool = True
    #: demo customers per tenant in the sandboxes; calls rotate over the first tenant's
    customers: int = 200
    seed: int = DEFAULT_SEED
    log: Callable[[str], None] = print

    def methods(self) -> list[Method]:
        chosen = [m for m in METHODS if self.writes or not m.write]
        if not self.only:
            return chosen
        picked = [m for m in chosen if m.key in self.only or m.vendor in self.only]
        unknown = set(self.only) - {m.key for m in picked} - {m.vendor for m in picked}
        if unknown:
            raise ValueError(f"unknown method or vendor: {', '.join(sorted(unknown))}")
        return picked


@dataclass(frozen=True)
class Spread:
    """Median and range over the rounds (and each round's value)."""

    median: float
    low: float
    high: float
    rounds: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        each = tuple(round(v, 3) for v in values)
        return cls(round(statistics.median(values), 3), min(each), max(each), each)


@dataclass(frozen=True)
class Row:
    """One method: µs of CPU per call per implementation, and client ÷ bare aiohttp."""

    method: str
    route: str
    write: bool
    us_per_call: dict[str, Spread]
    #: median of the rounds' own ratios (each round's pair ran back to back)
    ratio: Spread | None


@dataclass
class PerCallResult:
    settings: dict[str, Any]
    rows: list[Row] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --- the clients -------------------------------------------------------------------------


def production_clients(settings: GatewaySettings) -> VendorClients:
    """The vendor clients as :func:`gateway.app.create_app` builds them."""
    telemetry = Telemetry.from_settings(settings)
    return VendorClients(settings, wrap_transport=telemetry.wrap_transport)


class BareCallError(RuntimeError):
    """A bare client's request was answered with an error status."""


async def aiohttp_call(session: aiohttp.ClientSession, wire: Wire) -> object:
    """What a minimal aiohttp gateway does: the request, the body, ``json.loads``."""
    form = None
    if wire.form is not None:
        form = aiohttp.FormData(default_to_multipart=True)
        for name, value in wire.form.items():
            form.add_field(name, value)
    async with session.request(
        wire.method,
        wire.url,
        headers=wire.headers,
        json=wire.json if form is None else None,
        data=form,
    ) as response:
        body = await response.read()
        if response.status >= 300:
            raise BareCallError(f"{wire.method} {wire.url}: {response.status}")
    return json.loads(body) if body else None


async def httpx_call(client: httpx.AsyncClient, wire: Wire) -> object:
    """The same with a plain ``httpx.AsyncClient`` (for reference: httpx on httpcore)."""
    files = {k: (None, v) for k, v in wire.form.items()} if wire.form is not None else None
    response = await client.request(
        wire.method, wire.url, headers=wire.headers, json=wire.json, files=files
    )
    if response.status_code >= 300:
        raise BareCallError(f"{wire.method} {wire.url}: {response.status_code}")
    return json.loads(response.content) if response.content else None


@dataclass
class Callers:
    """Per implementation, a way to make call ``i`` of a method."""

    clients: TenantClients
    target: Target
    session: aiohttp.ClientSession
    raw: httpx.AsyncClient
    samples: list[Sample]

    def of(self, implementation: str, method: Method) -> Call:
        samples, n = self.samples, len(self.samples)
        if implementation == "client":
            clients = self.clients
            return lambda i: method.call(clients, samples[i % n])
        target, wire = self.target, method.wire
        if implementation == "aiohttp":
            session = self.session
            return lambda i: aiohttp_call(session, wire(target, samples[i % n]))
        raw = self.raw
        return lambda i: httpx_call(raw, wire(target, samples[i % n]))


# --- measuring ---------------------------------------------------------------------------


async def run_calls(call: Call, calls: int, concurrency: int) -> None:
    """``calls`` calls, ``concurrency`` in flight, in order of ``i``."""
    counter = itertools.count()

    async def worker() -> None:
        while (i := next(counter)) < calls:
            await call(i)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def cpu_us_per_call(call: Call, calls: int, concurrency: int) -> float:
    """µs of this process's CPU per call (garbage from earlier blocks collected first)."""
    gc.collect()
    started = time.process_time()
    await run_calls(call, calls, concurrency)
    return (time.process_time() - started) / calls * 1e6


async def _samples(
    clients: TenantClients, tenant_customers: Sequence[DemoCustomer]
) -> list[Sample]:
    """The first tenant's customers with their Omnidesk record's internal id."""
    found = await asyncio.gather(
        *(clients.omnidesk.search_by_primary_external_id(c.customer_id) for c in tenant_customers)
    )
    samples = [
        Sample(c.customer_id, c.email, support.id)
        for c, support in zip(tenant_customers, found, strict=True)
        if support is not None and support.id is not None
    ]
    if not samples:
        raise RuntimeError("no demo customer has an Omnidesk record")
    return samples


class CallCounter:
    """Checks, from the sandbox's counters, that a block made exactly its calls on the
    method's route (so the bare requests hit the same route as the client's)."""

    def __init__(self, admin: Sandboxes) -> None:
        self.admin = admin

    def reset(self) -> None:
        self.admin.reset_counters()

    def check(self, method: Method, implementation: str, calls: int) -> None:
        counters = self.admin.counters()
        made = {f"{v} {e}": int(n) for v, c in counters.items() for e, n in c["endpoints"].items()}
        expected = {f"{method.vendor} {method.route}": calls}
        if made != expected:
            raise RuntimeError(f"{implementation} {method.key}: expected {expected}, made {made}")


async def _measure(
    o: Options,
    methods: list[Method],
    tenant: TenantConfig,
    customers: Sequence[DemoCustomer],
    admin: Sandboxes,
) -> list[Row]:
    settings = GatewaySettings(tenants={"bench": tenant})
    vendors = production_clients(settings)
    counter = CallCounter(admin)
    try:
        async with aiohttp.ClientSession() as session, httpx.AsyncClient() as raw:
            clients = vendors.for_tenant(tenant)
            with request_scope(RequestState(REQUEST_ID)):
                samples = await _samples(clients, customers)
                callers = Callers(clients, Target.of(tenant), session, raw, samples)
                return await _rounds(o, methods, callers, counter)
    finally:
        await vendors.aclose()


async def _rounds(
    o: Options, methods: list[Method], callers: Callers, counter: CallCounter
) -> list[Row]:
    impls = list(o.implementations)
    o.log(f"warm-up: {o.warmup} calls per method and implementation")
    for method in methods:
        for impl in impls:
            await run_calls(callers.of(impl, method), max(o.warmup, 1), o.concurrency)
    us: dict[tuple[str, str], list[float]] = {(m.key, i): [] for m in methods for i in impls}
    for r in range(o.rounds):
        order = impls[r % len(impls) :] + impls[: r % len(impls)]
        for method in methods:
            for impl in order:
                counter.reset()
                us[method.key, impl].append(
                    await cpu_us_per_call(callers.of(impl, method), o.calls, o.concurrency)
                )
                counter.check(method, impl, o.calls)
        o.log(f"round {r + 1}/{o.rounds} done")
    return [_row(m, impls, us) for m in methods]


def _row(method: Method, impls: list[str], us: dict[tuple[str, str], list[float]]) -> Row:
    per_impl = {i: Spread.of(us[method.key, i]) for i in impls}
    ratio = None
    if "client" in impls and "aiohttp" in impls:
        pairs = zip(us[method.key, "client"], us[method.key, "aiohttp"], strict=True)
        ratio = Spread.of([c / a for c, a in pairs])
    return Row(method.key, method.route, method.write, per_impl, ratio)


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """On uvloop when installed, as the gateway runs (gateway/serving.py)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - a dependency; the stdlib loop also works
        return asyncio.run(main)
    return uvloop.run(main)


@contextmanager
def sandboxes(o: Options) -> Iterator[tuple[SandboxUrls, DemoWorld, Sandboxes]]:
    """One sandbox process per vendor at latency 0, with the demo world; yields their
    URLs, the world and their admin routes."""
    world = demo_world(o.seed, 2, o.customers)
    with tempfile.TemporaryDirectory(prefix="cg-per-call-") as tmp:
        launched = launch_sandboxes(world, o.customers, Path(tmp))
        with running(launched, Path(tmp)) as procs:
            urls = SandboxUrls(**{v: p.url for v, p in procs.items()})
            admin = Sandboxes({v: p.url for v, p in procs.items()})
            try:
                admin.set_faults({"*": NO_LATENCY})
                yield urls, world, admin
            finally:
                admin.close()


def measure(options: Options | None = None) -> PerCallResult:
    """Start the sandboxes, measure every chosen method, stop them."""
    o = options or Options()
    methods = o.methods()
    if o.calls < o.concurrency or o.rounds < 1:
        raise ValueError("need calls ≥ concurrency and at least one round")
    with sandboxes(o) as (urls, world, admin):
        tenant = demo_tenant_config(world.tenants[0], urls)
        customers = world.tenants[0].customers
        started = time.strftime("%Y-%m-%d %H:%M:%S")
        rows = run_loop(_measure(o, methods, tenant, customers, admin))
    settings = GatewaySettings(tenants={"bench": tenant})
    return PerCallResult(
        settings={
            "started": started,
            "calls": o.calls,
            "rounds": o.rounds,
            "concurrency": o.concurrency,
            "warmup": o.warmup,
            "customers": o.customers,
            "vendor_transport": settings.vendor_transport,
            "python": platform.python_version(),
            "loop": _loop_name(),
            "aiohttp": aiohttp.__version__,
            "httpx": httpx.__version__,
        },
        rows=rows,
    )


def _loop_name() -> str:
    try:
        return f"uvloop {version('uvloop')}"
    except PackageNotFoundError:  # pragma: no cover - uvloop is a dependency
        return "asyncio"


# --- the report --------------------------------------------------------------------------


def _us(spread: Spread | None) -> str:
    if spread is None:
        return "n/a"
    return f"{spread.median:.0f} ({spread.low:.0f}-{spread.high:.0f})"


def _ratio(spread: Spread | None) -> str:
    if spread is None:
        return "n/a"
    return f"{spread.median:.2f} ({spread.low:.2f}-{spread.high:.2f})"


def render_markdown(result: PerCallResult) -> str:
    """The per-call table, with how it was measured and the worst ratio."""
    s = result.settings
    lines = [
        "## Per-call CPU: vendor clients vs bare aiohttp",
        "",
        f"µs of the calling process's CPU per call (`time.process_time`), median over "
        f"{s['rounds']} interleaved rounds of {s['calls']} calls, {s['concurrency']} in "
        f"flight, (min-max) over the rounds; sandboxes in their own processes at latency 0; "
        f"{s['loop']}, vendor transport `{s['vendor_transport']}`. *ratio* = client ÷ bare "
        f"aiohttp (median of the rounds' ratios; target ≤ {TARGET_RATIO}). The client parses "
        f"into its pydantic models, the bare clients `json.loads`. `python -m bench.per_call`.",
        "",
        "| method | route | client µs | bare aiohttp µs | ratio | httpx raw µs |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in result.rows:
        name = f"{row.method} (write)" if row.write else row.method
        per = row.us_per_call
        lines.append(
            f"| {name} | `{row.route}` | {_us(per.get('client'))} | {_us(per.get('aiohttp'))} "
            f"| {_ratio(row.ratio)} | {_us(per.get('httpx'))} |"
        )
    rated = [r for r in result.rows if r.ratio is not None]
    if rated:
        worst = max(rated, key=lambda r: r.ratio.median if r.ratio else 0.0)
        assert worst.ratio is not None
        lines += [
            "",
            f"Worst ratio: {worst.ratio.median:.2f} ({worst.method}); "
            f"{sum(r.ratio.median <= TARGET_RATIO for r in rated if r.ratio)} of {len(rated)} "
            f"methods within {TARGET_RATIO}.",
        ]
    return "\n".join(lines) + "\n"


def write(result: PerCallResult, results_dir: Path) -> tuple[Path, Path]:
    """``per-call-latest.md`` and ``.json`` under ``results_dir``."""
    results_dir.mkdir(parents=True, exist_ok=True)
    md, raw = results_dir / "per-call-latest.md", results_dir / "per-call-latest.json"
    md.write_text(render_markdown(result), encoding="utf-8")
    raw.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    return md, raw


def parse_args(argv: Sequence[str]) -> tuple[Options, Path]:
    defaults = Options()
    parser = argparse.ArgumentParser(prog="python -m bench.per_call", description=__doc__)
    parser.add_argument("--calls", type=int, default=defaults.calls, help="per block (300)")
    parser.add_argument("--rounds", type=int, default=defaults.rounds, help="(5)")
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency, help="(8)")
    parser.add_argument("--warmup", type=int, default=defaults.warmup, help="calls (100)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="METHOD|VENDOR",
        help="e.g. tallymarks.get_customer or omnidesk (repeatable)",
    )
    parser.add_argument(
        "--impl",
        action="append",
        choices=IMPLEMENTATIONS,
        help="implementations to run (repeatable; default all: `--impl client` to profile)",
    )
    parser.add_argument("--no-writes", action="store_true", help="reads only")
    parser.add_argument("--customers", type=int, default=defaults.customers)
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    options = Options(
        calls=args.calls,
        rounds=args.rounds,
        concurrency=args.concurrency,
        warmup=args.warmup,
        only=args.only or (),
        implementations=args.impl or IMPLEMENTATIONS,
        writes=not args.no_writes,
        customers=args.customers,
    )
    options.methods()  # an unknown --only fails before anything starts
    return options, args.results_dir


def main(argv: Sequence[str] | None = None) -> int:
    try:
        options, results_dir = parse_args(sys.argv[1:] if argv is None else argv)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    result = measure(options)
    md, raw = write(result, results_dir)
    print(render_markdown(result))
    print(f"wrote {md} and {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
