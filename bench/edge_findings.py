"""The trust-at-the-edges findings, reproduced from outside over HTTP against ``make run``.

``python -m bench.edge_findings`` starts ``python -m demo`` exactly as ``make run`` does
(the vendor sandboxes, demo data), reads the demo key it prints, and replays each finding the
way an attacker or an on-call engineer would: only HTTP to the gateway, plus the sandboxes'
own ``/_sandbox`` admin routes to inject faults and read request counters. It prints one
markdown table (finding, what was sent, what came back) and writes it, with the raw numbers,
to ``bench/results/edge-findings-latest.{md,json}``.

``--repo DIR`` runs the gateway from another checkout (for a before/after of the same
script); ``--skip slowloris`` leaves out the slow parts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GATEWAY = "http://127.0.0.1:8000"
SANDBOXES = {
    "tallymarks": "http://127.0.0.1:8101",
    "omnidesk": "http://127.0.0.1:8102",
    "talon": "http://127.0.0.1:8103",
}
CUSTOMER_360 = (ROOT / "gateway/playground/examples/1_customer_360.graphql").read_text()


@dataclass
class Finding:
    number: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def row(self, sent: str, seen: str) -> None:
        self.rows.append((sent, seen))


@dataclass
class Gateway:
    process: subprocess.Popen[str]
    key: str
    customer_id: str
    output: list[str]

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        return kb / 1024


def make_run(repo: Path) -> str:
    """The module ``make run`` starts in ``repo``: ``demo``, or, in a checkout from before
    the demo had its own entry point, ``gateway``."""
    return "demo" if (repo / "demo" / "__main__.py").is_file() else "gateway"


@contextlib.asynccontextmanager
async def started_gateway(repo: Path, env: dict[str, str]) -> AsyncIterator[Gateway]:
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, before any load
        [sys.executable, "-m", make_run(repo)],
        cwd=repo,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    assert process.stdout is not None
    key = customer = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (key is None or customer is None):
        line = await asyncio.to_thread(process.stdout.readline)
        if not line:
            break
        output.append(line)
        found = re.search(r"demo API key for tenant 'acme': (\S+)", line)  # not read-only
        if found and key is None:
            key = found.group(1)
        found = re.search(r'customer\(id: \\?"([0-9a-f-]{36})', line)
        if found:
            customer = found.group(1)
    if key is None or customer is None:
        process.kill()
        raise RuntimeError("the gateway did not print a demo key:\n" + "".join(output))
    drain = asyncio.create_task(asyncio.to_thread(_drain, process, output))
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(100):
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{GATEWAY}/healthz")).status_code == 200:
                    break
            await asyncio.sleep(0.1)
    try:
        yield Gateway(process, key, customer, output)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(asyncio.to_thread(process.wait), 20)
        except TimeoutError:
            os.killpg(process.pid, signal.SIGKILL)
        drain.cancel()


def _drain(process: subprocess.Popen[str], output: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)


class Probe:
    """HTTP to the gateway and the sandboxes' admin routes."""

    def __init__(self, gateway: Gateway, client: httpx.AsyncClient) -> None:
        self.gateway = gateway
        self.client = client

    async def post(
        self, body: Any, *, raw: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any, float]:
        sent = {
            "x-api-key": self.gateway.key,
            "content-type": "application/json",
            "accept": "application/graphql-response+json",
            **(headers or {}),
        }
        started = time.perf_counter()
        content = raw if raw is not None else json.dumps(body).encode()
        response = await self.client.post(f"{GATEWAY}/graphql", content=content, headers=sent)
        elapsed = time.perf_counter() - started
        try:
            parsed: Any = response.json()
        except ValueError:
            parsed = response.text[:200]
        return response.status_code, parsed, elapsed

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        _, body, _ = await self.post({"query": query, "variables": variables or {}})
        return body

    async def fault(self, vendor: str, **config: Any) -> None:
        await self.client.put(f"{SANDBOXES[vendor]}/_sandbox/faults", json=config)

    async def clear_faults(self) -> None:
        for vendor in SANDBOXES:
            await self.client.delete(f"{SANDBOXES[vendor]}/_sandbox/faults")

    async def reset_counters(self) -> None:
        for vendor in SANDBOXES:
            await self.client.delete(f"{SANDBOXES[vendor]}/_sandbox/counters")

    async def endpoints(self) -> dict[str, int]:
        seen: dict[str, int] = {}
        for vendor, url in SANDBOXES.items():
            snapshot = (await self.client.get(f"{url}/_sandbox/counters")).json()
            for endpoint, count in (snapshot.get("endpoints") or {}).items():
                if count:
                    seen[f"{vendor} {endpoint}"] = count
        return seen


def codes(body: Any) -> str:
    if not isinstance(body, dict):
        return f"non-JSON: {str(body)[:60]!r}"
    errors = body.get("errors") or []
    found = sorted({str((e.get("extensions") or {}).get("code")) for e in errors})
    return ",".join(found) if found else "no error"


# --- the findings -----------------------------------------------------------------------------


async def fragment_chain(probe: Probe, finding: Finding) -> None:
    levels = 20
    lines = [f"query Q {{ ...F{levels} }}", "fragment F0 on Query { __typename }"]
    lines += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    document = "\n".join(lines)
    health: list[float] = []
    answered = asyncio.Event()

    async def ping() -> None:
        while not answered.is_set():
            started = time.perf_counter()
            await probe.client.get(f"{GATEWAY}/healthz")
            health.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)

    pinger = asyncio.create_task(ping())
    await asyncio.sleep(0.2)
    status, body, elapsed = await probe.post({"query": document})
    answered.set()
    await pinger
    worst = max(health, default=0.0)
    finding.figures.update(bytes=len(document), seconds=elapsed, worst_healthz=worst)
    finding.row(
        f"{len(document)}-byte doubling fragment chain, {levels} levels",
        f"HTTP {status} {codes(body)} in {elapsed * 1000:.0f} ms; /healthz worst "
        f"{worst * 1000:.0f} ms",
    )


async def dotted_ids(probe: Probe, finding: Finding) -> None:
    customer = probe.gateway.customer_id
    cases = [
        (
            'removeCustomerFromSegment(segmentId: "..")',
            'mutation { removeCustomerFromSegment(customerId: $c, segmentId: "..") '
            "{ __typename } }",
        ),
        ('customer(id: ".")', 'query { customer(id: ".") { customerId displayName } }'),
        (
            'updateCustomer(id: ".")',
            'mutation { updateCustomer(id: ".", input: {firstName: "X"}, idempotencyKey: "k1")'
            " { __typename } }",
        ),
    ]
    for label, text in cases:
        text = text.replace("$c", json.dumps(customer))
        await probe.reset_counters()
        status, body, _ = await probe.post({"query": text})
        calls = await probe.endpoints()
        finding.row(label, f"HTTP {status} {codes(body)}; upstream: {calls or 'none'}")


async def apq_memory(probe: Probe, finding: Finding) -> None:
    import hashlib

    before = probe.gateway.rss_mb()
    refused = 0
    for i in range(350):
        text = "{ __typename }\n# " + f"{i:08d}" + "x" * 900_000
        digest = hashlib.sha256(text.encode()).hexdigest()
        status, body, _ = await probe.post(
            {
                "query": text,
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
            }
        )
        refused += status >= 400 or bool(isinstance(body, dict) and body.get("errors"))
    after = probe.gateway.rss_mb()
    finding.figures.update(rss_before_mb=before, rss_after_mb=after, refused=refused)
    finding.row(
        "350 APQ registrations of 0.9 MB each",
        f"RSS {before:.0f} → {after:.0f} MB; {refused} refused",
    )


async def hung_vendor(probe: Probe, finding: Finding) -> None:
    await probe.fault("talon", hang=True)
    try:
        ids = await customer_ids(probe, 8)
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(probe.post({"query": CUSTOMER_360, "variables": {"customerId": c}}) for c in ids)
        )
        elapsed = time.perf_counter() - started
    finally:
        await probe.clear_faults()
    nulled = sum(1 for _, body, _ in answers if not (body.get("data") or {}).get("customer"))
    with_loyalty = sum(
        1
        for _, body, _ in answers
        if ((body.get("data") or {}).get("customer") or {}).get("pointsBalance") is not None
    )
    slowest = max(t for _, _, t in answers)
    finding.figures.update(nulled=nulled, slowest=slowest, with_loyalty=with_loyalty)
    finding.row(
        "Talon.One hung, 8 concurrent customer-360s",
        f"{nulled}/8 customer null; {with_loyalty}/8 with loyalty fields; slowest "
        f"{slowest:.1f} s (all in {elapsed:.1f} s); codes {codes(answers[0][1])}",
    )


async def tallymarks_down(probe: Probe, finding: Finding) -> None:
    # customers no earlier finding read (their loyalty reads would still be cached)
    ids = (await customer_ids(probe, 230))[20:]
    await probe.fault("tallymarks", down=True)
    try:
        _, body, _ = await probe.post({"query": CUSTOMER_360, "variables": {"customerId": ids[0]}})
    finally:
        await probe.clear_faults()
    customer = (body.get("data") or {}).get("customer")
    support = (customer or {}).get("supportProfile")
    finding.row(
        "Tallymarks down, customer-360",
        f"customer {'present' if customer else 'null'}; supportProfile "
        f"{'present' if support else 'null'}; codes {codes(body)}",
    )
    for rate in (0.2, 0.5):
        await probe.fault("tallymarks", error_rate=rate, seed=7)
        complete = present = 0
        batch = ids[1:101] if rate == 0.2 else ids[101:201]
        if not batch:
            raise RuntimeError(f"only {len(ids)} customers found")
        try:
            for customer_id in batch:
                _, body, _ = await probe.post(
                    {"query": CUSTOMER_360, "variables": {"customerId": customer_id}}
                )
                present += bool((body.get("data") or {}).get("customer"))
                complete += not body.get("errors")
        finally:
            await probe.clear_faults()
        finding.figures[f"complete_at_{int(rate * 100)}"] = complete / len(batch)
        finding.row(
            f"Tallymarks {int(rate * 100)} % 503, {len(batch)} distinct customer-360s",
            f"{present}/{len(batch)} customer present, {complete}/{len(batch)} complete",
        )
    await asyncio.sleep(0)


async def accepted_write(probe: Probe, finding: Finding) -> None:
    customer = probe.gateway.customer_id
    await probe.reset_counters()
    _, body, _ = await probe.post(
        {
            "query": 'mutation($id: ID!) { updateCustomer(id: $id, idempotencyKey: "dob-1", '
            'input: {dateOfBirth: "0999-01-01"}) { complete outcomes { vendor status code } } }',
            "variables": {"id": customer},
        }
    )
    calls = await probe.endpoints()
    payload = (body.get("data") or {}).get("updateCustomer") or {}
    outcomes = " ".join(f"{o['vendor']}:{o['status']}" for o in payload.get("outcomes") or [])
    await asyncio.sleep(0.5)
    read = await probe.query(
        "query($id: ID!) { customer(id: $id) { customerId displayName "
        "loyaltyProfile { dateOfBirth } } }",
        {"id": customer},
    )
    present = bool((read.get("data") or {}).get("customer"))
    finding.row(
        'updateCustomer(input: {dateOfBirth: "0999-01-01"})',
        f"{codes(body)} {outcomes}; upstream: {calls or 'none'}; read back: customer "
        f"{'present' if present else 'null'} {codes(read)}",
    )


BAD_INPUTS: list[tuple[str, dict[str, Any] | bytes]] = [
    ("missing variable", {"query": "query($id: ID!) { customer(id: $id) { customerId } }"}),
    (
        "wrong-typed variable",
        {
            "query": "query($n: Int!) { customers(first: $n) { __typename } }",
            "variables": {"n": "ten"},
        },
    ),
    ("first: 1099511627776", {"query": "{ customers(first: 1099511627776) { __typename } }"}),
    (
        'audience id "¹"',
        {"query": 'mutation { deleteAudience(id: "¹") { __typename } }'},
    ),
    ('audience id "٣"', {"query": 'mutation { deleteAudience(id: "٣") { __typename } }'}),
    ("lone surrogate", b'{"query": "{ customer(id: \\"\\ud83d\\") { customerId } }"}'),
    ("string over 64 KB", {"query": '{ customer(id: "%s") { customerId } }' % ("a" * 70_000)}),
    (
        "JSON nested 1,000 levels",
        b'{"query": "{ __typename }", "variables": ' + b'{"a":' * 1000 + b"1" + b"}" * 1000 + b"}",
    ),
    (
        "two operations, no operationName",
        {"query": "query A { __typename } query B { __typename }"},
    ),
]


async def bad_inputs(probe: Probe, finding: Finding) -> None:
    for label, body in BAD_INPUTS:
        try:
            if isinstance(body, bytes):
                status, answer, _ = await probe.post(None, raw=body)
            else:
                status, answer, _ = await probe.post(body)
        except httpx.HTTPError as exc:
            finding.row(label, f"connection failed: {type(exc).__name__}")
            continue
        finding.row(label, f"HTTP {status} {codes(answer)}")


async def slowloris(probe: Probe, finding: Finding, connections: int, hold: float) -> None:
    async def one() -> float | None:
        """Seconds until the server closed the connection, or None if it held on."""
        reader, writer = await asyncio.open_connection("127.0.0.1", 8000)
        started = time.perf_counter()
        head = b"POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: "
        sent = 0
        try:
            while time.perf_counter() - started < hold:
                writer.write(head[sent : sent + 1] if sent < len(head) else b"a")
                sent += 1
                await writer.drain()
                try:
                    data = await asyncio.wait_for(reader.read(1), 0.3)
                except TimeoutError:
                    continue
                if data == b"" or data:  # EOF, or the server answered (408) and closes
                    return time.perf_counter() - started
        except (ConnectionError, OSError):
            return time.perf_counter() - started
        finally:
            writer.close()
        return None

    started = time.perf_counter()
    tasks = [asyncio.create_task(one()) for _ in range(connections)]
    await asyncio.sleep(1)
    health = time.perf_counter()
    ok = (await probe.client.get(f"{GATEWAY}/healthz")).status_code
    health = time.perf_counter() - health
    closed = [t for t in await asyncio.gather(*tasks) if t is not None]
    finding.figures.update(closed=len(closed), held_for=hold)
    finding.row(
        f"{connections} slowloris connections (headers one byte at a time) for {hold:.0f} s",
        f"{len(closed)}/{connections} closed by the server"
        + (f" after {min(closed):.1f} to {max(closed):.1f} s" if closed else "")
        + f"; /healthz during the attack: HTTP {ok} in {health * 1000:.0f} ms"
        + f" (run took {time.perf_counter() - started:.0f} s)",
    )


async def demo_secrets(probe: Probe, finding: Finding, repo: Path) -> None:
    from sandbox.demo_world import demo_world

    seeded = demo_world(20261122, 2, 60)
    suffix = seeded.tenants[0].tallymarks_api_key[-8:]
    finding.row(
        "demo key vs the seeded vendor key",
        f"key {'ends with' if probe.gateway.key.endswith(suffix) else 'does not carry'} "
        "the public seed's vendor-key suffix",
    )
    token = subprocess.run(  # noqa: ASYNC221 - nothing else runs meanwhile
        [sys.executable, "-m", make_run(repo), "token", "--tenant", "globex"],
        cwd=repo,
        env={k: v for k, v in os.environ.items() if not k.startswith("CG_DEMO")},
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    response = await probe.client.post(
        f"{GATEWAY}/graphql",
        json={"query": "{ __typename }"},
        headers={"authorization": f"Bearer {token}"} if token else {},
    )
    finding.row(
        "token minted in another shell from the public seed (tenant globex)",
        f"HTTP {response.status_code} {codes(response.json()) if token else 'no token'}",
    )


async def customer_ids(probe: Probe, count: int) -> list[str]:
    found: list[str] = []
    after: str | None = None
    while len(found) < count:
        body = await probe.query(
            "query($after: String) { customers(first: 50, after: $after) "
            "{ edges { node { customerId } } pageInfo { hasNextPage endCursor } } }",
            {"after": after},
        )
        page = (body.get("data") or {}).get("customers")
        if not page:
            break
        found += [e["node"]["customerId"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return found[:count] or [probe.gateway.customer_id]


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.edge_findings", description=__doc__)
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--skip", action="append", default=[])
    parser.add_argument("--label", default="latest")
    parser.add_argument("--slowloris", type=int, default=150)
    parser.add_argument("--hold", type=float, default=20.0)
    args = parser.parse_args(argv)
    env = {"SANDBOX_CUSTOMERS": "300"}  # the default `make run`, with fewer customers
    findings: list[Finding] = []
    steps: list[tuple[str, str, Callable[[Probe, Finding], Coroutine[Any, Any, None]]]] = [
        ("1", "fragment chain", fragment_chain),
        ("2", "ids that are paths", dotted_ids),
        ("3", "APQ memory", apq_memory),
        ("4", "a hung vendor", hung_vendor),
        ("6", "an accepted write", accepted_write),
        ("7", "bad input", bad_inputs),
        (
            "8",
            "slow clients",
            lambda p, f: slowloris(p, f, args.slowloris, args.hold),
        ),
        ("9", "demo secrets", lambda p, f: demo_secrets(p, f, args.repo)),
        # last: at 50 % 503 the old breaker stays open for the findings after it
        ("5", "Tallymarks down or failing", tallymarks_down),
    ]
    async with (
        started_gateway(args.repo.resolve(), env) as gateway,
        httpx.AsyncClient(timeout=120) as client,
    ):
        probe = Probe(gateway, client)
        for number, title, step in steps:
            if title.split()[0] in args.skip or number in args.skip:
                continue
            finding = Finding(number, title)
            findings.append(finding)
            try:
                await step(probe, finding)
            except Exception as exc:  # a finding that breaks the probe is a result too
                finding.row("(probe)", f"failed: {type(exc).__name__}: {exc}"[:200])
            await probe.clear_faults()
            print(f"finding {number} done", file=sys.stderr)
    lines = [
        f"# Edge findings ({args.label}, {time.strftime('%Y-%m-%d %H:%M')})",
        "",
        "| # | sent | seen |",
        "| --- | --- | --- |",
    ]
    for finding in findings:
        for sent, seen in finding.rows:
            lines.append(f"| {finding.number} | {sent} | {seen} |")
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"edge-findings-{args.label}.md").write_text(report)
    (RESULTS / f"edge-findings-{args.label}.json").write_text(
        json.dumps([f.__dict__ for f in findings], indent=2, default=str)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1:])))
